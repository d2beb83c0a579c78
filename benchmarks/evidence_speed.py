"""The text path with and without the weighed evidence, in one run, as a ratio.

    python benchmarks/evidence_speed.py [--size-mb 20] [--repeat 3]

Same corpus as benchmarks/perf.py (seeds and ../shared corpora inputs with residue lines
added); built-in rules; the two settings take turns, so machine drift hits both alike. Prints
CPU seconds per setting (median) and MB/s, and the speed of "evidence on" as a share of "off"
(the issue's budget: at least 0.80). Also the news-crawl texts when ../shared is present.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import perf  # noqa: E402

from cleaner import Cleaner  # noqa: E402


def _crawl(limit_mb: float) -> list[str]:
    path = perf.CORPORA / "news-crawl" / "crawl.jsonl.gz"
    if not path.is_file():
        return []
    docs, total = [], 0
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            text = json.loads(line)["text"]
            docs.append(text)
            total += len(text.encode("utf-8"))
            if total >= limit_mb * 1e6:
                break
    return docs


def _time(cleaner: Cleaner, docs: list[str]) -> float:
    start = time.process_time()
    for doc in docs:
        cleaner.clean(doc)
    return time.process_time() - start


def measure(name: str, docs: list[str], repeat: int) -> dict[str, float]:
    off = Cleaner.default()
    on = off.with_config(evidence=True)
    for cleaner in (off, on):  # warm: compiled patterns, RE2 DFAs
        _time(cleaner, docs[: max(1, len(docs) // 10)])
    runs: dict[str, list[float]] = {"off": [], "on": []}
    for round_ in range(repeat):
        for label, cleaner in (("off", off), ("on", on)) if round_ % 2 == 0 else (("on", on), ("off", off)):
            runs[label].append(_time(cleaner, docs))
    mb = perf._mb(docs)
    off_s, on_s = statistics.median(runs["off"]), statistics.median(runs["on"])
    result = {"mb": round(mb, 2), "off_cpu_s": round(off_s, 3), "on_cpu_s": round(on_s, 3),
              "off_mb_s": round(mb / off_s, 2), "on_mb_s": round(mb / on_s, 2),
              "speed_share": round(off_s / on_s, 3)}
    print(f"{name}: {json.dumps(result)}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=20.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    measure("perf corpus", perf.build_corpus(args.size_mb), args.repeat)
    crawl = _crawl(args.size_mb)
    if crawl:
        measure("news-crawl", crawl, args.repeat)
    else:
        print("news-crawl: skipped (../shared/corpora/news-crawl not found)")


if __name__ == "__main__":
    main()
