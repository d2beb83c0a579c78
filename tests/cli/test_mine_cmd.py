"""``cleaner mine`` end to end: the pack it writes validates, passes its tests and cleans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mine_fixtures import FIXTURES, expected_text, page_text

from cleaner.cli.app import main
from cleaner.text.normalize import normalize_text

SITE = "riverbend-gazette.example"


def _mine_half(site: str, rules: Path) -> Path:
    pack = rules / "sites" / f"{site}.yaml"
    pages = [str(FIXTURES / site / "pages" / f"synthetic-{n:02d}.txt") for n in range(1, 5)]
    assert main(["mine", *pages, "--site", site, "-o", str(pack)]) == 0
    return pack


def test_written_pack_validates_tests_and_cleans_unseen_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "rules"
    pack = _mine_half(SITE, rules)
    assert pack.read_text(encoding="utf-8").count("status: preview") >= 4
    capsys.readouterr()
    assert main(["rules", "validate", str(rules)]) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().err
    assert main(["rules", "test", str(rules)]) == 0
    assert " 0 failed" in capsys.readouterr().out
    held_out = FIXTURES / SITE / "pages" / "synthetic-06.txt"
    assert main(["clean", "--rules", str(rules), "--preview", "--site", SITE, str(held_out)]) == 0
    assert capsys.readouterr().out == normalize_text(expected_text(SITE, 6)) + "\n"
    # Without --preview the proposals stay dormant (built-ins off, so nothing else removes a line).
    assert main(["clean", "--rules", str(rules), "--no-builtin-rules", "--site", SITE, str(held_out)]) == 0
    out = capsys.readouterr().out
    assert "Share this:" in out
    assert out == normalize_text(held_out.read_text(encoding="utf-8")) + "\n"


def test_folder_input_and_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(1, 5):
        (folder / f"p{n}.txt").write_text(page_text("hearth-kitchen.example", n), encoding="utf-8")
    assert main(["mine", str(folder), "--site", "hearth-kitchen.example"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("# Proposed by `cleaner mine` from 4 pages of hearth-kitchen.example.")
    assert "pattern: 'Did you make this recipe\\?'" in out.out
    assert "hearth-kitchen.example: 4 pages, 5 proposal(s)" in out.err


def test_manifest_is_filtered_by_site(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mine", str(FIXTURES / "manifest.jsonl"), "--site", "lumen-tech.example", "--explain"]) == 0
    err = capsys.readouterr().err
    assert "lumen-tech.example: 8 pages" in err
    assert "    support: 7/8 pages (88%), block" in err
    assert "names (title suffixes): Lumen Tech" in err


def test_by_host_writes_one_pack_per_host(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "proposed"
    assert main(["mine", str(FIXTURES / "manifest.jsonl"), "--by-host", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{site}.yaml" for site in (
        "riverbend-gazette.example", "lumen-tech.example", "hearth-kitchen.example"))
    rules = tmp_path / "rules"
    (rules / "sites").mkdir(parents=True)
    for pack in out.iterdir():
        (rules / "sites" / pack.name).write_text(pack.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["rules", "test", str(rules)]) == 0
    assert "3 host(s), 0 with fewer than 3 pages; 3 pack(s) written" in capsys.readouterr().err


def test_jsonl_with_custom_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = tmp_path / "crawl.jsonl"
    with records.open("w", encoding="utf-8") as handle:
        for n in range(1, 6):
            handle.write(json.dumps({"body": page_text(SITE, n), "link": f"https://www.{SITE}/a/{n}"}) + "\n")
        handle.write(json.dumps({"body": "Other site\n\nText.", "link": "https://elsewhere.org/x"}) + "\n")
    assert main(["mine", str(records), "--site", SITE, "--text-field", "body", "--url-field", "link"]) == 0
    assert f"{SITE}: 5 pages" in capsys.readouterr().err


def test_nothing_recurs_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for n, word in enumerate(("apples", "boats", "clocks")):
        (tmp_path / f"{n}.txt").write_text(f"About {word}\n\nThe {word} are the subject here.", encoding="utf-8")
    assert main(["mine", str(tmp_path), "--site", "example.com"]) == 1
    assert "0 proposal(s) (nothing recurs enough)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["mine", "x"], "give either --site SITE or --by-host"),
        (["mine", "x", "--by-host"], "give the directory with -o DIR"),
        (["mine", "x", "--site", "not a site"], "--site must be a domain"),
        (["mine", "/nonexistent/file.jsonl", "--site", "example.com"], "cannot read"),
    ],
)
def test_usage_errors_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("value", ["1.5", "-0.1", "half"])
def test_bad_thresholds_are_usage_errors(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["mine", "x", "--site", "example.com", "--min-share", value])
    assert exit_info.value.code == 2
    # The same wording as every other share option (clean --max-removed-share).
    assert f"argument --min-share: expected a number between 0 and 1, got '{value}'" in capsys.readouterr().err


def test_does_not_overwrite_a_reviewed_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = _mine_half(SITE, tmp_path)
    pack.write_text("# reviewed by hand\n", encoding="utf-8")
    pages = [str(FIXTURES / SITE / "pages" / f"synthetic-{n:02d}.txt") for n in range(1, 5)]
    assert main(["mine", *pages, "--site", SITE, "-o", str(pack)]) == 2
    assert "exists" in capsys.readouterr().err
    assert pack.read_text(encoding="utf-8") == "# reviewed by hand\n"
    assert main(["mine", *pages, "--site", SITE, "-o", str(pack), "--force"]) == 0
    assert pack.read_text(encoding="utf-8").startswith("# Proposed by")


def test_output_folder_gets_the_site_file_name(tmp_path: Path) -> None:
    pages = [str(FIXTURES / SITE / "pages" / f"synthetic-{n:02d}.txt") for n in range(1, 5)]
    assert main(["mine", *pages, "--site", SITE, "-o", str(tmp_path)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == [f"{SITE}.yaml"]
