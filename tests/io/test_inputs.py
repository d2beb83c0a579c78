"""Bad input through the API and the CLI: encodings, binary data, odd line endings, bad records.

The CLI runs in-process (``cleaner.cli.app.main``) so an unexpected exception fails the test with
its traceback instead of hiding in a subprocess's stderr.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from cleaner import InputError, clean, clean_and_explain
from cleaner.cli.app import main
from cleaner.io.inputs import BadRecord, Record, decode_input, decode_line, handle_bad_record, parse_record

ARTICLE = "Title of the story\n\nThe article says something worth keeping.\n\nSource link"
CLEANED = "Title of the story\n\nThe article says something worth keeping."


def cli(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, stdin: bytes = b""
) -> tuple[int, str, str]:
    """Run the CLI in-process with ``stdin`` bytes; return (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


# --- the library --------------------------------------------------------------------------


def test_bytes_to_clean_raise_typed_error() -> None:
    for call in (clean, clean_and_explain):
        with pytest.raises(InputError) as info:
            call(ARTICLE.encode())  # type: ignore[arg-type]
        assert "got bytes" in str(info.value)
        assert "decode bytes first" in str(info.value) and "clean_html()" in str(info.value)


def test_empty_input_gives_empty_output() -> None:
    assert clean("") == ""
    assert clean("\n\r\n \t\n") == ""


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n", "\u2028"])
def test_line_endings_are_all_the_same(newline: str) -> None:
    assert clean(ARTICLE.replace("\n", newline)) == CLEANED


def test_bom_is_dropped() -> None:
    assert clean("\ufeff" + ARTICLE) == CLEANED
    assert clean_and_explain("\ufeff" + ARTICLE).normalized.startswith("Title")


def test_nul_and_control_characters_do_not_crash() -> None:
    result = clean_and_explain("Title\x00 of the story\n\nBody\x01 text.\x7f\n\nSource link")
    assert result.removals and result.removals[-1].rule == "common/source-link"


# --- decoding -----------------------------------------------------------------------------


def test_decode_valid_utf8_has_no_warning() -> None:
    assert decode_input("Ünïcödé".encode(), "a.txt") == decode_input("Ünïcödé".encode(), "a.txt")
    assert decode_input("Ünïcödé".encode(), "a.txt").warnings == ()


def test_decode_invalid_utf8_replaces_and_names_offset() -> None:
    decoded = decode_input(b"Title\n\ncaf\xe9 and cr\xe8me", "menu.txt")
    assert decoded.text == "Title\n\ncaf\ufffd and cr\ufffdme"
    assert decoded.warnings == (
        "menu.txt: invalid UTF-8 at byte 10 (2 bad byte(s)); bad bytes replaced with U+FFFD",
    )


def test_decode_strict_refuses() -> None:
    with pytest.raises(InputError, match=r"menu.txt: invalid UTF-8 at byte 3; convert it first"):
        decode_input(b"caf\xe9", "menu.txt", errors="strict")


def test_decode_binary_is_refused_unless_forced() -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    with pytest.raises(InputError, match=r"image.png: looks like binary data \(NUL byte at offset 8\)"):
        decode_input(data, "image.png")
    assert decode_input(data, "image.png", force=True).text.startswith("\ufffdPNG")


def test_decode_line_warns_with_location() -> None:
    assert decode_line(b'{"text": "ok"}\n', "in.jsonl:1") == ('{"text": "ok"}\n', None)
    text, warning = decode_line(b'{"text": "caf\xe9"}\n', "in.jsonl:2")
    assert text == '{"text": "caf\ufffd"}\n'
    assert warning == "warning: in.jsonl:2: invalid UTF-8 at byte 13 of the line; bad bytes replaced with U+FFFD"
    with pytest.raises(InputError, match=r"in\.jsonl:2: invalid UTF-8 at byte 13"):
        decode_line(b'{"text": "caf\xe9"}\n', "in.jsonl:2", "strict")


# --- records ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"text": "unterminated', "not JSON (Unterminated string starting at at column 10)"),
        ("[1, 2]", "a record must be a JSON object, got an array"),
        ('{"id": 3}', "no string field 'text' (the field is missing)"),
        ('{"text": 42}', "no string field 'text' (it is a number)"),
        ('{"text": null}', "no string field 'text' (it is null)"),
        ('{"text": ["a"]}', "no string field 'text' (it is an array)"),
        ("[" * 100_000 + "]" * 100_000, "not JSON (nested too deeply)"),
    ],
)
def test_parse_record_problems(line: str, problem: str) -> None:
    bad = parse_record(line + "\n", "in.jsonl:7")
    assert isinstance(bad, BadRecord)
    assert bad.message == f"in.jsonl:7: {problem}" and bad.raw == line


def test_parse_record_huge() -> None:
    line = json.dumps({"text": "word " * 1000})
    bad = parse_record(line, "in.jsonl:1", max_bytes=1000)
    assert isinstance(bad, BadRecord)
    assert bad.problem == f"record is {len(line):,} bytes, over the limit of 1,000 (--max-record-bytes)"


def test_parse_record_good_keeps_fields() -> None:
    record = parse_record('{"body": "Hi", "link": "https://x.org/a", "n": [1]}\r\n', "f:1", "body", "link")
    assert isinstance(record, Record)
    assert (record.text, record.url) == ("Hi", "https://x.org/a")
    assert json.loads(record.with_text("body", "Bye")) == {"body": "Bye", "link": "https://x.org/a", "n": [1]}


def test_handle_bad_record_policies() -> None:
    bad = BadRecord("in.jsonl:4", "not JSON (x)", "{oops")
    assert handle_bad_record(bad, "passthrough") == (
        "{oops", "warning: in.jsonl:4: not JSON (x); record passed through unchanged"
    )
    assert handle_bad_record(bad, "skip") == (None, "warning: in.jsonl:4: not JSON (x); record skipped")
    with pytest.raises(InputError, match=r"in.jsonl:4: not JSON \(x\); stopping \(--on-error fail\)"):
        handle_bad_record(bad, "fail")


# --- the command line ---------------------------------------------------------------------


def test_cli_invalid_utf8_replaced_with_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Title of the story\n\nA café serves crème.\n\nSource link".encode("latin-1"))
    code, out, err = cli(["clean", str(path)], capsys, monkeypatch)
    assert code == 0
    assert out == "Title of the story\n\nA caf\ufffd serves cr\ufffdme.\n"
    assert err == (
        f"cleaner: warning: {path}: invalid UTF-8 at byte 25 (2 bad byte(s)); bad bytes replaced with U+FFFD\n"
    )


def test_cli_invalid_utf8_strict_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = cli(["clean", "--encoding-errors", "strict"], capsys, monkeypatch, stdin=b"caf\xe9")
    assert (code, out) == (2, "")
    assert err.startswith("cleaner: error: <stdin>: invalid UTF-8 at byte 3;")


def test_cli_binary_exits_2_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(b"Title\n\n\x00\x01\x02binary\x00")
    code, out, err = cli(["clean", str(path)], capsys, monkeypatch)
    assert (code, out) == (2, "")
    assert err == (
        f"cleaner: error: {path}: looks like binary data (NUL byte at offset 7), not text; "
        "pass text (UTF-8), use --html for web pages, or --force to clean it anyway\n"
    )
    code, out, err = cli(["clean", "--force", str(path)], capsys, monkeypatch)
    assert code == 0 and out.startswith("Title\n") and err == ""


def test_cli_empty_input(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli(["clean"], capsys, monkeypatch, stdin=b"") == (0, "", "")


@pytest.mark.parametrize("data", [b"\r\n".join, b"\r".join, lambda ls: b"\xef\xbb\xbf" + b"\n".join(ls)])
def test_cli_crlf_cr_bom(data: object, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    raw = data([line.encode() for line in ARTICLE.split("\n")])  # type: ignore[operator]
    assert cli(["clean"], capsys, monkeypatch, stdin=raw) == (0, CLEANED + "\n", "")


def test_cli_big_single_line_is_cleaned(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # A few MB on one line: every rule's length gate keeps this linear (100 MB is measured
    # in benchmarks/huge_line.py, not here).
    line = ("words of a very long single line " * 150_000).strip()
    raw = f"Title of the story\n\n{line}\n\nSource link".encode()
    code, out, err = cli(["clean"], capsys, monkeypatch, stdin=raw)
    assert (code, err) == (0, "")
    assert out == f"Title of the story\n\n{line}\n"


def jsonl(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


BAD_RECORDS = jsonl(
    json.dumps({"id": 1, "text": ARTICLE}),
    '{"id": 2, "text": "unterminated',
    json.dumps({"id": 3, "body": "no text field"}),
    "",
    json.dumps({"id": 5, "text": 5}),
    json.dumps({"id": 6, "text": "x " * 600}),
    json.dumps({"id": 7, "text": ARTICLE}),
)


def test_cli_jsonl_passthrough_is_default(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = cli(["clean", "--jsonl", "--max-record-bytes", "1000"], capsys, monkeypatch, stdin=BAD_RECORDS)
    assert code == 0
    lines = out.splitlines()
    # Records in == records out: six records (the blank line is not one), in order.
    assert len(lines) == 6
    assert json.loads(lines[0]) == {"id": 1, "text": CLEANED}
    assert lines[1:5] == [line for line in BAD_RECORDS.decode().splitlines() if line][1:5]
    assert json.loads(lines[5]) == {"id": 7, "text": CLEANED}
    assert err.splitlines() == [
        "cleaner: warning: <stdin>:2: not JSON (Unterminated string starting at at column 19); "
        "record passed through unchanged",
        "cleaner: warning: <stdin>:3: no string field 'text' (the field is missing); record passed through unchanged",
        "cleaner: warning: <stdin>:5: no string field 'text' (it is a number); record passed through unchanged",
        "cleaner: warning: <stdin>:6: record is 1,221 bytes, over the limit of 1,000 (--max-record-bytes); "
        "record passed through unchanged",
        "cleaner: 6 record(s): 2 cleaned, 0 unchanged, 0 refused, 4 bad",
    ]


def test_cli_jsonl_skip(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(BAD_RECORDS)
    code, out, err = cli(
        ["clean", "--jsonl", "--on-error", "skip", "--max-record-bytes", "1000", str(path)], capsys, monkeypatch
    )
    assert code == 0
    assert [json.loads(line)["id"] for line in out.splitlines()] == [1, 7]
    *warnings, summary = err.splitlines()
    assert [line.split(": ", 3)[2] for line in warnings] == [f"{path}:{n}" for n in (2, 3, 5, 6)]
    assert all(line.endswith("; record skipped") for line in warnings)
    assert summary == "cleaner: 6 record(s): 2 cleaned, 0 unchanged, 0 refused, 4 bad"


def test_cli_jsonl_fail_stops_at_first_bad_record(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = cli(["clean", "--jsonl", "--on-error", "fail"], capsys, monkeypatch, stdin=BAD_RECORDS)
    assert code == 2
    assert [json.loads(line)["id"] for line in out.splitlines()] == [1]
    assert err == (
        "cleaner: error: <stdin>:2: not JSON (Unterminated string starting at at column 19); "
        "stopping (--on-error fail)\n"
    )


def test_cli_jsonl_invalid_utf8_in_a_record(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = b'{"text": "caf\xe9"}\n{"text": "ok"}\n'
    code, out, err = cli(["clean", "--jsonl"], capsys, monkeypatch, stdin=stdin)
    assert code == 0
    assert [json.loads(line)["text"] for line in out.splitlines()] == ["caf\ufffd", "ok"]
    assert err == (
        "cleaner: warning: <stdin>:1: invalid UTF-8 at byte 13 of the line; bad bytes replaced with U+FFFD\n"
        "cleaner: 2 record(s): 0 cleaned, 2 unchanged, 0 refused, 0 bad\n"
    )
    code, out, err = cli(["clean", "--jsonl", "--encoding-errors", "strict"], capsys, monkeypatch, stdin=stdin)
    assert (code, out) == (2, "")
    assert "<stdin>:1: invalid UTF-8 at byte 13" in err


def test_cli_max_removed_share_must_be_a_share(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli(["clean", "--max-removed-share", "1.5"], capsys, monkeypatch)
    assert exit_info.value.code == 2
    assert "expected a number between 0 and 1, got '1.5'" in capsys.readouterr().err
