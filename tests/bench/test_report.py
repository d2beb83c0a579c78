"""The HTML report: well-formed, self-contained, summary first, every removal labelled with its rule and line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from tests.conftest import CliRunner

VOID = {"meta", "br", "hr", "img", "input", "link"}

INPUT = """Title of the story

First paragraph of the story, which is content.

READ ALSO: Another story entirely

Source link

Share this article with your friends and family

Last paragraph & <b>markup</b> that must be escaped.
"""
# The gold keeps "Source link" (so removing it is a false positive) and drops the share line
# (which no rule removes: missed residue).
GOLD = """Title of the story

First paragraph of the story, which is content.

Source link

Last paragraph & <b>markup</b> that must be escaped.
"""


class _Checker(HTMLParser):
    """Collects tags with their classes and titles and checks that every tag is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.external: list[str] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "link" or attr.get("src") or (attr.get("href") or "").startswith("http"):
            self.external.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.data.append(data)


def test_report_page(run_cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(INPUT, encoding="utf-8")
    (tmp_path / "a.gold.txt").write_text(GOLD, encoding="utf-8")
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"id": "doc-a", "input": "a.txt", "gold": "a.gold.txt"}) + "\n", encoding="utf-8")
    report = tmp_path / "out" / "report.html"
    result = run_cli("bench", str(manifest), "--report", str(report))
    assert result.returncode == 0, result.stderr
    assert f"report written to {report}" in result.stderr
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")

    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    assert checker.external == []  # self-contained: no script, stylesheet link or remote image

    # Summary first: the terminal view's tables, with human labels and the "no cleaning" column.
    summary, documents = page.split("<details", 1)
    assert "no cleaning" in summary and "token F1" in summary and "removal precision, lines" in summary
    assert "tokens.output.f1" not in page  # no internal metric keys
    assert "<td class=\"l\">common/read-also</td>" in summary  # the per-rule table
    assert "<details open" not in page  # documents collapsed
    assert 'id="filter"' in page
    # Each removal shows its line number and its rule as text, not on hover only.
    by_line = {int(n): cls for cls, n in re.findall(r'<div class="ln ([a-z-]+)"><span class="n">(\d+)</span>', page)}
    assert by_line[1] == "kept" and by_line[11] == "kept"
    assert by_line[5] == "residue-removed" and by_line[7] == "content-removed" and by_line[9] == "residue-missed"
    assert re.search(r'<span class="n">5</span>.*?← common/read-also</span>', documents)
    assert re.search(r'<span class="n">7</span>.*?← common/source-link</span>', documents)
    # Text is escaped, not interpreted: the <b> of the input is data, not a tag.
    assert "Last paragraph & <b>markup</b> that must be escaped." in "".join(checker.data)
    for cls in ("residue-removed", "residue-missed", "content-removed"):
        assert f".{cls}" in page  # each outcome has its own colour rule


def test_report_folds_long_runs_of_kept_lines(run_cli: CliRunner, tmp_path: Path) -> None:
    prose = "\n\n".join(f"Paragraph {n} of the story, which is content." for n in range(30))
    (tmp_path / "a.txt").write_text(f"Title\n\n{prose}\n\nSource link\n", encoding="utf-8")
    (tmp_path / "m.jsonl").write_text(json.dumps({"id": "a", "input": "a.txt"}) + "\n", encoding="utf-8")
    report = tmp_path / "report.html"
    assert run_cli("bench", str(tmp_path / "m.jsonl"), "--report", str(report)).returncode == 0
    page = report.read_text(encoding="utf-8")
    assert "⋯ 29 line(s) kept" in page  # 31 kept lines, the last 2 shown as context
    assert page.count('<div class="ln ') == 3


def test_report_without_jinja2_names_the_extra(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(INPUT, encoding="utf-8")
    (tmp_path / "m.jsonl").write_text(json.dumps({"id": "a", "input": "a.txt"}) + "\n", encoding="utf-8")
    code = "import sys; sys.modules['jinja2'] = None; from cleaner.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", code, "bench", str(tmp_path / "m.jsonl"), "--report", "r.html"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 2 and "pip install 'residue-cleaner[report]'" in done.stderr


def test_report_one_page_per_corpus(run_cli: CliRunner, tmp_path: Path) -> None:
    for name in ("one", "two"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "a.txt").write_text(INPUT, encoding="utf-8")
        (folder / "manifest.jsonl").write_text(json.dumps({"id": "a", "input": "a.txt"}) + "\n", encoding="utf-8")
    report = tmp_path / "report.html"
    result = run_cli("bench", str(tmp_path / "one" / "manifest.jsonl"), str(tmp_path / "two" / "manifest.jsonl"),
                     "--report", str(report))
    assert result.returncode == 0, result.stderr
    pages = sorted(p.name for p in tmp_path.glob("report-*.html"))
    assert pages == ["report-one.html", "report-two.html"]
    # Without gold the page still shows each removal by its rule.
    page = (tmp_path / "report-one.html").read_text(encoding="utf-8")
    assert re.search(r'<div class="ln removed"><span class="n">5</span>.*?← common/read-also</span>', page)


def test_report_shows_listed_gold_errors_as_such(run_cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(INPUT, encoding="utf-8")
    (tmp_path / "a.gold.txt").write_text(GOLD, encoding="utf-8")
    (tmp_path / "m.jsonl").write_text(json.dumps({"id": "doc-a", "input": "a.txt", "gold": "a.gold.txt"}) + "\n")
    (tmp_path / "errors").mkdir()
    (tmp_path / "errors" / "m.tsv").write_text("# checked\ndoc-a\tSource  LINK\ttheme residue the gold kept\n")
    report = tmp_path / "report.html"
    errors = str(tmp_path / "errors")
    done = run_cli("bench", str(tmp_path / "m.jsonl"), "--report", str(report), "--gold-errors", errors)
    assert done.returncode == 0, done.stderr
    page = report.read_text(encoding="utf-8")
    line = r'<div class="ln gold-error"><span class="n">7</span>.*?gold error: theme residue the gold kept'
    assert re.search(line, page)
    assert "1 gold error(s) listed" in page and "wrongly removed</span>" not in page
    assert 'data-problem="1"' in page  # the missed residue on line 9 still counts
