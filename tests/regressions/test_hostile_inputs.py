"""Issue 15, items 4-7 and 14: hostile input files and records cannot crash or lose a run.

Every run here goes through the real command line in a subprocess, bytes in and bytes out:
no traceback, records in == records out, every field but the text byte for byte as it came.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = "Title of the story\n\nThe article says something worth keeping.\n\nSource link"
CLEANED = "Title of the story\n\nThe article says something worth keeping."


def cleaner(*args: str | Path, stdin: bytes = b"") -> tuple[int, bytes, str]:
    """Run ``cleaner ARGS`` on ``stdin``; return (exit code, stdout bytes, stderr text)."""
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", *map(str, args)], input=stdin, capture_output=True, cwd=ROOT,
        timeout=300, check=False,
    )
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    return done.returncode, done.stdout, err


def record(text: str, **fields: str) -> bytes:
    """A JSONL line whose extra fields are given as raw JSON text."""
    extra = "".join(f', "{k}": {v}' for k, v in fields.items())
    return ('{"text": ' + json.dumps(text) + extra + "}\n").encode()


GOOD = record(ARTICLE, id="1")
HUGE_INT = record(ARTICLE, id="2", n="1" * 5000)


@pytest.mark.parametrize("options", [(), ("--on-error", "skip"), ("--jobs", "2")])
def test_item4_a_huge_integer_loses_nothing(options: tuple[str, ...]) -> None:
    stdin = GOOD + HUGE_INT + GOOD
    code, out, err = cleaner("clean", "--jsonl", *options, stdin=stdin)
    assert code == 0, err
    lines = out.splitlines(keepends=True)
    assert len(lines) == 3  # records in == records out
    assert lines[1] == HUGE_INT.replace(json.dumps(ARTICLE).encode(), json.dumps(CLEANED, ensure_ascii=False).encode())


# Fields other than the text: each must come out exactly as it went in.
RAW_FIELDS = {
    "big": "1E400",
    "tiny": "1e-400",
    "negative_zero": "-0",
    "precise": "3.14159265358979323846264338327950288419716939937510",
    "nan": "NaN",
    "lone_high": '"\\ud800 x"',
    "lone_low": '"\\udc80"',
    "nested": '{"a": [1.0, 2E+3, {"b": "\\u00e9"}], "c": null}',
    "spaced": '[ 1 ,2 ]',
}


@pytest.mark.parametrize("name", sorted(RAW_FIELDS))
def test_item5_other_fields_pass_through_byte_exact(name: str) -> None:
    line = ('{"id":7,  "' + name + '": ' + RAW_FIELDS[name] + ', "text": ' + json.dumps(ARTICLE) + "}\n").encode()
    code, out, err = cleaner("clean", "--jsonl", stdin=line)
    assert code == 0, err
    expected = line.replace(json.dumps(ARTICLE).encode(), json.dumps(CLEANED, ensure_ascii=False).encode())
    assert out == expected
    out.decode("utf-8")  # valid UTF-8, whatever the fields held


def test_item5_a_lone_surrogate_in_the_text_is_written_as_valid_json() -> None:
    line = b'{"text": "Title \\ud800 of the story\\n\\nThe article.\\n\\nSource link", "id": 1}\n'
    code, out, err = cleaner("clean", "--jsonl", stdin=line)
    assert code == 0, err
    out.decode("utf-8")
    assert json.loads(out)["id"] == 1


def test_item6_a_missing_file_among_many_costs_only_itself(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE.replace("Title", "Other"), encoding="utf-8")
    code, out, err = cleaner("clean", tmp_path / "a.txt", tmp_path / "missing.txt", tmp_path / "b.txt")
    assert code == 2
    assert out.decode() == CLEANED + "\n" + CLEANED.replace("Title", "Other") + "\n"
    assert f"cannot read {tmp_path / 'missing.txt'}" in err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_item6_a_binary_file_in_the_middle_of_300(tmp_path: Path, jobs: str) -> None:
    names = []
    for n in range(300):
        path = tmp_path / f"{n:03d}.txt"
        path.write_bytes(b"\x00binary" if n == 150 else f"Story {n}\n\nBody {n}.\n\nSource link".encode())
        names.append(path)
    code, out, err = cleaner("clean", "--jobs", jobs, *names)
    assert code == 2
    assert out.decode().count("Story ") == 299
    assert "Story 149\n" in out.decode() and "Story 151\n" in out.decode()
    assert f"{names[150]}: looks like binary data" in err


def test_item6_a_missing_jsonl_file_among_many(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(GOOD)
    (tmp_path / "b.jsonl").write_bytes(GOOD)
    code, out, err = cleaner("clean", "--jsonl", tmp_path / "a.jsonl", tmp_path / "nope.jsonl", tmp_path / "b.jsonl")
    assert code == 2
    assert len(out.splitlines()) == 2
    assert "nope.jsonl" in err
def _peak(*args: str) -> tuple[int, bytes, str, int]:
    """Run the CLI in a fresh process; return (exit code, stdout, stderr, peak RSS in KiB)."""
    # VmHWM, not ru_maxrss: the latter carries over the forking (pytest) process's peak.
    script = (
        "import sys\n"
        "from cleaner.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "sys.stdout.flush()\n"
        "status = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
        "print(status, file=sys.stderr)\n"
        "raise SystemExit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, cwd=ROOT, timeout=300, check=False
    )
    err = done.stderr.decode()
    assert "Traceback" not in err, err
    *messages, peak = err.strip().splitlines()
    return done.returncode, done.stdout, "\n".join(messages), int(peak)


@pytest.mark.parametrize("policy", ["passthrough", "skip"])
def test_item7_a_record_over_the_limit_is_never_held_in_memory(tmp_path: Path, policy: str) -> None:
    # 60 MB on one line against a 1 MB limit: streamed through (or skipped) from a temporary file,
    # the next record cleaned; the process's peak memory stays far below the line's size.
    path = tmp_path / "big.jsonl"
    big = b'{"text": "' + b"x" * 60_000_000 + b'"}'
    with path.open("wb") as handle:
        handle.write(big + b"\r\n")
        handle.write(GOOD)
    code, out, err, peak = _peak("clean", "--jsonl", "--on-error", policy, "--max-record-bytes", "1000000", str(path))
    assert code == 0, err
    assert peak < 120_000, f"peak {peak} KiB for a 60 MB record"
    lines = out.splitlines(keepends=True)
    if policy == "passthrough":
        assert len(lines) == 2 and lines[0] == big + b"\n"
    assert json.loads(lines[-1]) == {"text": CLEANED, "id": 1}
    assert f"{path}:1: record is 60,000,012 bytes, over the limit of 1,000,000" in err


def test_item7_dev_zero_is_refused_from_its_first_chunk() -> None:
    code, out, err, peak = _peak("clean", "/dev/zero")
    assert (code, out) == (2, b"")
    assert "/dev/zero: looks like binary data (NUL byte at offset 0)" in err
    assert peak < 120_000


def test_item7_a_forced_endless_input_stops_at_the_bound() -> None:
    code, out, err, peak = _peak("clean", "--force", "--max-input-bytes", "50000000", "/dev/zero")
    assert (code, out) == (2, b"")
    assert "/dev/zero: input is longer than that, over the limit of 50,000,000 bytes" in err
    assert peak < 250_000


def test_item7_dev_zero_as_jsonl_is_one_bad_record_read_with_a_bound() -> None:
    # /dev/zero has no newline: one endless line. With a small limit, its first bytes are spilled
    # to disk... endlessly; so the spill itself must stop: cap it with --max-input-bytes too.
    code, _, err, peak = _peak(
        "clean", "--jsonl", "--max-record-bytes", "1000", "--max-input-bytes", "20000000", "/dev/zero"
    )
    assert code == 2
    assert "/dev/zero:1: a line over 20,000,000 bytes (--max-input-bytes)" in err
    assert peak < 120_000
