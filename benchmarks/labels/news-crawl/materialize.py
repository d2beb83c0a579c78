"""Build the labelled news-crawl corpus for `cleaner bench` and the evidence fit, outside git.

    python benchmarks/labels/news-crawl/materialize.py [OUT_DIR]     # default build/news-crawl

Texts stay in ../shared (they are never committed); the repository holds only labels: the
shared sample's ``labels.jsonl`` (120 documents) and this folder's ``batch-*.jsonl`` (420 more,
labelled by hand by reading, LABELLING.md). For every labelled document this writes
``<id>.txt`` (the crawl text), ``<id>.gold.txt`` (the text minus its residue lines, blank runs
collapsed as the shared gold files are) and three manifests: ``manifest.jsonl`` (all),
``fit.jsonl`` and ``check.jsonl``, split by site as ``split.json`` fixes it. Each manifest line
also carries ``residue`` (the residue line numbers of ``text.split("\\n")``) and ``families``.
Prints "skipped" and exits 0 when ../shared is absent.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
# scripts/gate passes its corpora root (CLEANER_SHARED_CORPORA) on; ../shared by default.
CORPUS = Path(os.environ.get("CLEANER_SHARED_CORPORA") or ROOT.parent / "shared/corpora") / "news-crawl"


def label_files() -> list[Path]:
    return [CORPUS / "labelled/labels.jsonl", *sorted(HERE.glob("batch-*.jsonl"))]


def gold_of(text: str, residue: set[int]) -> str:
    kept = "\n".join(line for i, line in enumerate(text.split("\n")) if i not in residue)
    kept = re.sub(r"\n{3,}", "\n\n", kept).strip("\n")
    return kept + "\n" if text.endswith("\n") else kept


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "build/news-crawl"
    if not (CORPUS / "crawl.jsonl.gz").is_file():
        print(f"skipped: {CORPUS} not found")
        return 0
    labels: dict[str, dict[str, object]] = {}
    for path in label_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                labels.setdefault(record["id"], record)
    split = json.loads((HERE / "split.json").read_text(encoding="utf-8"))
    half = {site: name for name in ("fit", "check") for site in split[name]}
    out.mkdir(parents=True, exist_ok=True)
    manifests: dict[str, list[str]] = {"manifest": [], "fit": [], "check": []}
    with gzip.open(CORPUS / "crawl.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            label = labels.get(record["id"])
            if label is None:
                continue
            deleted = label["deleted"]
            assert isinstance(deleted, list)
            residue = {int(n) for n, _ in deleted}
            doc = record["id"]
            (out / f"{doc}.txt").write_text(record["text"], encoding="utf-8")
            (out / f"{doc}.gold.txt").write_text(gold_of(record["text"], residue), encoding="utf-8")
            entry = json.dumps(
                {
                    "id": doc,
                    "input": f"{doc}.txt",
                    "gold": f"{doc}.gold.txt",
                    "url": record["url"],
                    "site": record["site"],
                    "residue": sorted(residue),
                    "families": {str(n): family for n, family in deleted},
                },
                ensure_ascii=False,
            )
            manifests["manifest"].append(entry)
            manifests[half[record["site"]]].append(entry)
    for name, entries in manifests.items():
        (out / f"{name}.jsonl").write_text("".join(e + "\n" for e in sorted(entries)), encoding="utf-8")
    print(
        f"{out}: {len(manifests['manifest'])} documents ({len(manifests['fit'])} fit, {len(manifests['check'])} check)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
