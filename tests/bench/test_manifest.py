"""Manifests: relative paths, snippet files, the corpus hash, and the shared corpora."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner.bench.baseline import corpus_key
from cleaner.bench.harness import site_of
from cleaner.bench.manifest import Record, load_manifest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "corpora"


def _corpus(tmp_path: Path, gold: str = "Title\n\nBody.") -> Path:
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "a.txt").write_text("Title\n\nBody.\n\nSource link", encoding="utf-8")
    (tmp_path / "docs" / "a.gold.txt").write_text(gold, encoding="utf-8")
    (tmp_path / "docs" / "a.snip.json").write_text(json.dumps({"with": ["Body."], "without": ["Source link"]}),
                                                   encoding="utf-8")
    manifest = tmp_path / "manifest.jsonl"
    record = {"id": "a", "input": "docs/a.txt", "gold": "docs/a.gold.txt", "snippets": "docs/a.snip.json",
              "url": "https://www.example.com/x", "extra": "kept"}
    manifest.write_text(json.dumps(record) + "\n\n", encoding="utf-8")
    return manifest


def test_paths_are_relative_to_the_manifest(tmp_path: Path) -> None:
    corpus, diagnostics = load_manifest(_corpus(tmp_path))
    assert diagnostics == []
    assert corpus is not None and corpus.name == tmp_path.name
    (record,) = corpus.records
    assert record.input.startswith("Title")
    assert record.gold == "Title\n\nBody."
    assert record.with_snippets == ("Body.",) and record.without_snippets == ("Source link",)


def test_hash_changes_with_the_gold_only_when_it_changes(tmp_path: Path) -> None:
    first, _ = load_manifest(_corpus(tmp_path))
    again, _ = load_manifest(_corpus(tmp_path))
    edited, _ = load_manifest(_corpus(tmp_path, gold="Title\n\nBody.\n\nSource link"))
    assert first is not None and again is not None and edited is not None
    assert first.hash == again.hash
    assert first.hash != edited.hash


def test_duplicate_ids_are_reported(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path)
    line = manifest.read_text(encoding="utf-8").strip()
    manifest.write_text(f"{line}\n{line}\n", encoding="utf-8")
    _, diagnostics = load_manifest(manifest)
    assert [(d.line, d.code) for d in diagnostics] == [(2, "B004")]


def test_baseline_keys_are_relative_to_the_baseline_root(tmp_path: Path) -> None:
    baseline = tmp_path / "repo" / "benchmarks" / "baseline.json"
    manifest = tmp_path / "shared" / "corpora" / "x" / "manifest.jsonl"
    # Outside the root: from the nearest `corpora` folder, wherever it lies (issue 15, item 16).
    assert corpus_key(manifest, baseline, "..") == "corpora/x/manifest.jsonl"
    assert corpus_key(tmp_path / "elsewhere" / "m.jsonl", baseline, "..") == "../elsewhere/m.jsonl"
    assert corpus_key(tmp_path / "repo" / "benchmarks" / "seeds.jsonl", baseline, "..") == "benchmarks/seeds.jsonl"


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.example.com/a", "example.com"),
        ("https://web.archive.org/web/2016/http://ordnungsrausch.com/x/", "ordnungsrausch.com"),
        ("hard::jamaicaobserver.com-attacks.html", None),  # not a URL: no site rather than "hard"
    ],
)
def test_site_of_a_record(url: str, site: str | None) -> None:
    assert site_of(Record("a", "text", url=url), None) == site


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpora not found")
@pytest.mark.parametrize("name", ["tiptopjaw", "trafilatura-eval"])
def test_shared_corpora_load_cleanly(name: str) -> None:
    corpus, diagnostics = load_manifest(SHARED / name / "manifest.jsonl")
    assert diagnostics == []
    assert corpus is not None and len(corpus.records) > 100
    assert all(r.has_snippets for r in corpus.records)
