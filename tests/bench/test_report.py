"""The HTML report: well-formed, self-contained, one colour class per outcome, rules on hover."""

from __future__ import annotations

import json
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
        self.spans: list[tuple[str, str | None, int | None]] = []
        self.external: list[str] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag in ("script", "link", "img") or (attr.get("src") or "").startswith("http"):
            self.external.append(tag)
        if tag == "span" and "l" in (attr.get("class") or "").split():
            line = attr.get("data-line")
            self.spans.append(((attr.get("class") or "").split()[1], attr.get("title"), int(line) if line else None))
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

    # The legend has one span per class (no data-line); the document's lines carry line numbers.
    by_line = {line: (cls, title) for cls, title, line in checker.spans if line is not None}
    assert by_line[1] == ("kept", None)
    assert by_line[5][0] == "residue-removed" and by_line[5][1].startswith("common/read-also: ")
    assert by_line[7][0] == "content-removed" and by_line[7][1].startswith("common/source-link: ")
    assert by_line[9] == ("residue-missed", None)
    assert by_line[11][0] == "kept"
    # Text is escaped, not interpreted: the <b> of the input is data, not a tag.
    assert "Last paragraph & <b>markup</b> that must be escaped." in "".join(checker.data)
    for cls in ("residue-removed", "residue-missed", "content-removed"):
        assert f".{cls}" in page  # each outcome has its own colour rule


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
    assert 'class="l removed" data-line="5" title="common/read-also: ' in page
