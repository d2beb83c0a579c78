"""`cleaner clean --learn`: two passes over files or spooled stdin, packs saved and reused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from mine_fixtures import article

from tests.conftest import ROOT, CliRunner

# The site's own furniture, which no built-in rule knows.
HEAD, BODY, TAIL = "Riverside Desk", "Keep scrolling, more below", "Tips go to the night editor"


def _records(count: int = 10) -> list[dict[str, str]]:
    return [
        {"id": f"p{i}", "url": f"https://www.example.com/story-{i}",
         "text": "\n\n".join([HEAD, *article(i)[:3], BODY, *article(i)[3:], TAIL])}
        for i in range(count)
    ]


def _jsonl(records: list[dict[str, str]]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def _texts(stdout: str) -> list[str]:
    return [json.loads(line)["text"] for line in stdout.splitlines()]


def test_learn_from_stdin_spools_it_and_cleans_with_what_it_learned(tmp_path: Path) -> None:
    records = _records()
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "--jsonl", "--learn", "--explain"], input=_jsonl(records),
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "TMPDIR": str(tmp_path)}, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert _texts(done.stdout) == ["\n\n".join(article(i)) for i in range(10)]
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == [r["id"] for r in records]
    assert list(tmp_path.iterdir()) == []  # the spooled copy is gone
    assert "  <stdin>:1:1: learned/example.com/riverside-desk: Riverside Desk [" in done.stderr  # named as stdin


def test_without_learn_the_furniture_stays(run_cli: CliRunner) -> None:
    done = run_cli("clean", "--jsonl", input=_jsonl(_records()))
    assert done.returncode == 0
    assert all(HEAD in text and BODY in text and TAIL in text for text in _texts(done.stdout))


def test_saved_packs_are_reused_with_rules(run_cli: CliRunner, tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.jsonl"
    crawl.write_text(_jsonl(_records()), encoding="utf-8")
    learned = run_cli("clean", "--jsonl", "--learn", "--save-learned", str(tmp_path / "packs"), str(crawl))
    assert learned.returncode == 0, learned.stderr
    pack = tmp_path / "packs" / "learned" / "example.com.yaml"
    assert f"cleaner: wrote {pack}" in learned.stderr
    assert "# support: 10/10 pages (100%), between paragraphs; zone: body" in pack.read_text(encoding="utf-8")
    reused = run_cli("clean", "--jsonl", "--rules", str(tmp_path / "packs"), "--explain", str(crawl))
    assert reused.returncode == 0, reused.stderr
    assert reused.stdout == learned.stdout
    assert "learned/example.com/keep-scrolling-more-below: Keep scrolling, more below [support: 10/10 pages " \
           "(100%), between paragraphs]" in reused.stderr
    checked = run_cli("rules", "test", str(tmp_path / "packs"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    again = run_cli("clean", "--jsonl", "--learn", "--save-learned", str(tmp_path / "packs"), str(crawl))
    assert again.returncode == 2 and "a reviewed pack would be overwritten" in again.stderr


def test_explain_names_each_learned_rule_with_its_support(run_cli: CliRunner, tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.jsonl"
    crawl.write_text(_jsonl(_records()), encoding="utf-8")
    done = run_cli("clean", "--jsonl", "--learn", "--explain", str(crawl))
    assert done.returncode == 0, done.stderr
    assert "cleaner: learned 3 rule(s) for 1 site(s) from 10 page(s) of 1 site(s)" in done.stderr
    assert f"  {crawl}:1:1: learned/example.com/riverside-desk: Riverside Desk [support: 10/10 pages (100%), " \
           "above the article]" in done.stderr
    assert "learned/example.com/tips-go-to-the-night: Tips go to the night editor [support: 10/10 pages (100%), " \
           "below the article]" in done.stderr


def test_text_files_with_a_site_learn_together(run_cli: CliRunner, tmp_path: Path) -> None:
    paths = []
    for i, record in enumerate(_records()):
        path = tmp_path / f"page-{i}.txt"
        path.write_text(record["text"], encoding="utf-8")
        paths.append(str(path))
    done = run_cli("clean", "--learn", "--site", "example.com", *paths)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "".join("\n\n".join(article(i)) + "\n" for i in range(10))


def test_jobs_give_the_same_output(run_cli: CliRunner, tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.jsonl"
    crawl.write_text(_jsonl(_records()), encoding="utf-8")
    one = run_cli("clean", "--jsonl", "--learn", str(crawl))
    two = run_cli("clean", "--jsonl", "--learn", "--jobs", "2", str(crawl))
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout and TAIL not in one.stdout


def test_usage_errors(run_cli: CliRunner, tmp_path: Path) -> None:
    alone = run_cli("clean", "--save-learned", str(tmp_path), input="x")
    assert alone.returncode == 2 and "add --learn" in alone.stderr
    html = run_cli("clean", "--learn", "--html", input="<p>x</p>")
    assert html.returncode == 2 and "--learn reads text or JSONL" in html.stderr


def test_help_says_stdin_is_spooled(run_cli: CliRunner) -> None:
    done = run_cli("clean", "--help")
    assert "spooled to a temporary file" in " ".join(done.stdout.split())
