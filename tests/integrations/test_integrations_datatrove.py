"""The datatrove step, run by datatrove's own LocalPipelineExecutor on a small JSONL shard."""

from __future__ import annotations

import gzip
import json
import pickle
from pathlib import Path

import pytest

pytest.importorskip("datatrove")
pytest.importorskip("orjson")

from datatrove.data import Document
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

from cleaner.engine.cleaner import Cleaner
from cleaner.integrations.datatrove import CleanerStep

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
REFUSED_TEXT = "Source link\n\nBack to top button\n\nSpread the love"
TEASER = (
    "A council voted on Tuesday to repair the old bridge.\n\nREAD ALSO: Mayor opens new library\n\n"
    "Work starts in May."
)


def _shard(folder: Path) -> list[dict[str, object]]:
    records: list[dict[str, object]] = [
        {"id": seed.stem, "text": seed.read_text(encoding="utf-8")} for seed in SEEDS
    ]
    records += [
        {"id": "teaser", "text": TEASER, "url": "https://example.org/news/bridge"},
        {"id": "refused", "text": REFUSED_TEXT},
        {"id": "clean", "text": "Nothing to remove here.\n\nJust two paragraphs of prose."},
    ]
    folder.mkdir(parents=True)
    with (folder / "shard-000.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")
    return records


def _read(folder: Path) -> dict[str, dict[str, object]]:
    docs = {}
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                docs[record["id"]] = record
    return docs


def _stats(logs: Path) -> dict[str, int]:
    """Totals per stat of the cleaner step, from datatrove's merged stats.json."""
    blocks = json.loads((logs / "stats.json").read_text(encoding="utf-8"))
    (step,) = [b for b in blocks if "cleaner" in b["name"]]
    return {key: value["total"] if isinstance(value, dict) else value for key, value in step["stats"].items()}


def test_local_executor_cleans_counts_per_rule_and_excludes_refused(tmp_path: Path) -> None:
    records = _shard(tmp_path / "raw")
    cleaner = Cleaner.default()
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(tmp_path / "raw")),
            CleanerStep(exclusion_writer=JsonlWriter(str(tmp_path / "refused"))),
            JsonlWriter(str(tmp_path / "clean")),
        ],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    clean, refused = _read(tmp_path / "clean"), _read(tmp_path / "refused")
    assert set(refused) == {"refused"}
    assert refused["refused"]["text"] == REFUSED_TEXT
    assert refused["refused"]["metadata"]["filter_reason"] == "cleaner_refused"
    assert set(clean) == {r["id"] for r in records} - {"refused"}
    for record in records:
        if record["id"] != "refused":
            url = record.get("url")
            assert clean[str(record["id"])]["text"] == cleaner.clean(str(record["text"]), url=url)  # type: ignore[arg-type]
    assert "READ ALSO" not in str(clean["teaser"]["text"])

    stats = _stats(tmp_path / "logs")
    expected: dict[str, int] = {}
    for record in records:
        result = cleaner.clean_and_explain(str(record["text"]))
        if not result.skipped:
            for removal in result.removals:
                expected[f"removed/{removal.rule}"] = expected.get(f"removed/{removal.rule}", 0) + 1
    assert expected, "the shard should exercise some rules"
    assert {k: v for k, v in stats.items() if k.startswith("removed/")} == expected
    assert stats["refused"] == 1
    assert stats["dropped_cleaner_refused"] == 1
    assert stats["unchanged"] == 1


def test_refused_documents_stay_unchanged_without_a_writer() -> None:
    step = CleanerStep()
    doc = Document(text=REFUSED_TEXT, id="x")
    kept = list(step.run(iter([doc, Document(text=TEASER, id="y")])))
    assert [d.id for d in kept] == ["x", "y"]
    assert kept[0].text == REFUSED_TEXT
    assert "READ ALSO" not in kept[1].text
    assert step.stats["refused"].total == 1
    assert step.stats["removed/common/read-also"].total == 1


def test_step_pickles_its_recipe_not_its_compiled_rules(tmp_path: Path) -> None:
    step = CleanerStep(url_key="link")
    list(step.run(iter([Document(text=TEASER, id="y")])))
    assert step._compiled is not None
    copy = pickle.loads(pickle.dumps(step))
    assert copy._compiled is None
    assert copy.url_key == "link"
    assert copy.cleaner.clean(TEASER) == step.cleaner.clean(TEASER)


def test_two_tasks_in_worker_processes(tmp_path: Path) -> None:
    # workers=2 runs each task in a process of its own: the step travels pickled (by dill).
    raw = tmp_path / "raw"
    raw.mkdir()
    for shard in range(2):
        lines = [json.dumps({"id": f"{shard}-{i}", "text": TEASER}) for i in range(3)]
        (raw / f"shard-{shard}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    LocalPipelineExecutor(
        pipeline=[JsonlReader(str(raw)), CleanerStep(), JsonlWriter(str(tmp_path / "clean"))],
        tasks=2, workers=2, logging_dir=str(tmp_path / "logs"),
    ).run()
    clean = _read(tmp_path / "clean")
    assert len(clean) == 6
    assert {doc["text"] for doc in clean.values()} == {Cleaner.default().clean(TEASER)}
    assert _stats(tmp_path / "logs")["removed/common/read-also"] == 6
