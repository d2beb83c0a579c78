"""``cleaner explain``: every removal shown in place with its rule (plain form in a pipe)."""

from __future__ import annotations

from tests.conftest import CliRunner

SEED = "seeds/004_13e83d3fd18cca86.txt"


def test_explain_marks_removed_lines_and_title_cut(run_cli: CliRunner) -> None:
    result = run_cli("explain", SEED)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[0].startswith(f"{SEED}: ") and "site: timesofindia.indiatimes.com" in lines[0]
    # The title keeps its text; the site suffix is shown cut, labelled with the span rule.
    assert lines[1].startswith("~ ") and "[-" in lines[1] and "Times of India-]" in lines[1]
    assert "[common/site-name-suffix: " in lines[1]
    source = [line for line in lines if line.startswith("- Source link")]
    assert len(source) == 1 and "[common/source-link: " in source[0]
    # Kept lines are indented and carry no label.
    kept = [line for line in lines[2:] if line.startswith("  ")]
    assert kept and not any("[common/" in line for line in kept)


def test_explain_multi_line_removal_is_labelled_once(run_cli: CliRunner) -> None:
    result = run_cli("explain", "seeds/000_cc55f22e054cb396.txt")
    removed = [line for line in result.stdout.split("\n") if line.startswith("- ")]
    labels = [line[line.index("    [") + 4 :] for line in removed if "    [" in line]
    # A block of several lines: its first line carries the rule's summary, the others only the id.
    assert len(labels) > 3
    assert labels[0].startswith("[alternet.org/support-box: ")
    assert "[alternet.org/support-box]" in labels[1:]


def test_explain_with_site_option(run_cli: CliRunner, tmp_path: object) -> None:
    result = run_cli("explain", "-", "--site", "thehill.com", input="Title\n\nBody text here.\n\nSource link\n")
    assert result.returncode == 0
    assert "site: thehill.com" in result.stdout
    assert "- Source link    [common/source-link: " in result.stdout


def test_explain_missing_file_exits_2(run_cli: CliRunner) -> None:
    result = run_cli("explain", "no/such/file.txt")
    assert result.returncode == 2
    assert "cannot read no/such/file.txt" in result.stderr
