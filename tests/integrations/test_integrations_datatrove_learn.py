"""Crawl learning in datatrove: per-task counts, one merge, then the clean step reads the packs."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

pytest.importorskip("datatrove")
pytest.importorskip("orjson")

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter
from mine_fixtures import article

from cleaner.engine.cleaner import Cleaner
from cleaner.integrations.datatrove import CleanerStep, LearnStep, MergeLearnedStep

FURNITURE = ("Riverside Desk", "Keep scrolling, more below", "Tips go to the night editor")


def _crawl(folder: Path, shards: int = 3, per_shard: int = 6) -> list[tuple[str, str, str]]:
    """Pages of two sites spread over ``shards`` files: (id, text, url)."""
    folder.mkdir(parents=True)
    pages = []
    for n in range(shards * per_shard):
        site = "example.com" if n % 2 else "example.org"
        head, body, tail = FURNITURE if site == "example.com" else ("Metro", "Read on below", "Send us a tip today")
        text = "\n\n".join([head, *article(n)[:3], body, *article(n)[3:], tail])
        pages.append((f"doc-{n}", text, f"https://news.{site}/{n}"))
    for shard in range(shards):
        lines = [json.dumps({"id": i, "text": t, "url": u}) for i, t, u in pages[shard::shards]]
        (folder / f"shard-{shard}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return pages


def _read(folder: Path) -> dict[str, str]:
    docs = {}
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                docs[record["id"]] = record["text"]
    return docs


def _stats(logs: Path, name: str) -> dict[str, int]:
    blocks = json.loads((logs / "stats.json").read_text(encoding="utf-8"))
    (step,) = [b for b in blocks if name in b["name"]]
    return {key: value["total"] if isinstance(value, dict) else value for key, value in step["stats"].items()}


def test_learn_merge_clean_over_several_tasks(tmp_path: Path) -> None:
    pages = _crawl(tmp_path / "raw")
    counts, rules = tmp_path / "counts", tmp_path / "rules"
    learn = LocalPipelineExecutor(
        pipeline=[JsonlReader(str(tmp_path / "raw")), LearnStep(counts, options=None)],
        tasks=3, logging_dir=str(tmp_path / "logs/learn"),
    )
    merge = LocalPipelineExecutor(
        pipeline=[MergeLearnedStep(counts, rules)], tasks=1, logging_dir=str(tmp_path / "logs/merge"), depends=learn,
    )
    clean = LocalPipelineExecutor(
        pipeline=[JsonlReader(str(tmp_path / "raw")), CleanerStep(rules=[rules]), JsonlWriter(str(tmp_path / "clean"))],
        tasks=3, logging_dir=str(tmp_path / "logs/clean"), depends=merge,
    )
    clean.run()
    assert sorted(p.name for p in counts.iterdir()) == [f"0000{r}.learn.json.gz" for r in range(3)]
    learned = sorted(p.name for p in (rules / "learned").iterdir())
    assert learned == ["example.com.yaml", "example.org.yaml", "recurrence.json"]
    assert _stats(tmp_path / "logs/learn", "learn")["pages"] == 18
    # The same as learning in one process from every page, and the furniture is gone.
    in_process = Cleaner.default().learn((text, url) for _, text, url in pages)
    out = _read(tmp_path / "clean")
    assert len(out) == 18
    for doc_id, text, url in pages:
        assert out[doc_id] == in_process.clean(text, url=url) == "\n\n".join(article(int(doc_id[4:])))
    removed = _stats(tmp_path / "logs/clean", "cleaner")
    assert removed["removed/learned/example.com/riverside-desk"] == 9
    assert removed["removed/learned/example.org/metro"] == 9
