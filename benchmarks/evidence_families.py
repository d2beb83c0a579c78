"""Residue removed per family on the labelled news-crawl documents, without and with the
weighed evidence: lines and words, and content words kept.

    python benchmarks/labels/news-crawl/materialize.py          # once: build/news-crawl/
    python benchmarks/evidence_families.py [build/news-crawl/check.jsonl]

The labels' line numbers index the raw text; they are carried to the normalised text by the
order of non-blank lines (a document whose normalisation joined or split lines is left out and
counted). Says "skipped" when the manifest is absent.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from cleaner import Cleaner


def measure(manifest: Path) -> None:
    off = Cleaner.default()
    on = off.with_config(evidence=True)
    lines: dict[str, Counter[str]] = {"off": Counter(), "on": Counter()}
    words: dict[str, Counter[str]] = {"off": Counter(), "on": Counter()}
    total_lines: Counter[str] = Counter()
    total_words: Counter[str] = Counter()
    content = {"off": 0, "on": 0}
    content_total = 0
    left_out = 0
    for entry in manifest.read_text(encoding="utf-8").splitlines():
        record = json.loads(entry)
        raw = (manifest.parent / record["input"]).read_text(encoding="utf-8")
        families = {int(n): f for n, f in record["families"].items()}
        raw_nonblank = [i for i, text in enumerate(raw.split("\n")) if text.strip()]
        results = {name: c.clean_and_explain(raw, url=record["url"]) for name, c in (("off", off), ("on", on))}
        normal = results["off"].normalized.split("\n")
        nonblank = [i for i, text in enumerate(normal) if text]
        if len(nonblank) != len(raw_nonblank):
            left_out += 1
            continue
        to_normal = dict(zip(raw_nonblank, nonblank, strict=True))
        residue = {to_normal[i]: f for i, f in families.items() if i in to_normal}
        for i in nonblank:
            count = len(normal[i].split())
            if i in residue:
                total_lines[residue[i]] += 1
                total_words[residue[i]] += count
            else:
                content_total += count
        for name, result in results.items():
            gone = {k for r in result.removals if r.columns is None for k in range(r.start, r.end)}
            if result.skipped:
                gone = set()
            for i in gone:
                count = len(normal[i].split())
                if i in residue:
                    lines[name][residue[i]] += 1
                    words[name][residue[i]] += count
                elif normal[i]:
                    content[name] += count

    def share(part: int, whole: int) -> str:
        return f"{part / whole:.0%}" if whole else "-"

    print(f"{manifest}: residue lines and words removed by family, evidence off -> on")
    print(f"{'family':14} {'lines':>6} {'off':>5} {'on':>5} {'words':>6} {'off':>5} {'on':>5}")
    for family, count in total_lines.most_common():
        print(
            f"{family:14} {count:6} {share(lines['off'][family], count):>5} {share(lines['on'][family], count):>5} "
            f"{total_words[family]:6} {share(words['off'][family], total_words[family]):>5} "
            f"{share(words['on'][family], total_words[family]):>5}"
        )
    all_lines, all_words = sum(total_lines.values()), sum(total_words.values())
    print(
        f"{'all':14} {all_lines:6} {share(sum(lines['off'].values()), all_lines):>5} "
        f"{share(sum(lines['on'].values()), all_lines):>5} {all_words:6} "
        f"{share(sum(words['off'].values()), all_words):>5} {share(sum(words['on'].values()), all_words):>5}"
    )
    for name in ("off", "on"):
        print(f"content words kept, evidence {name}: {1 - content[name] / content_total:.4%}")
    print(f"documents left out (normalising changed their lines): {left_out}")


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build/news-crawl/check.jsonl")
    if not path.is_file():
        print(f"skipped: {path} not found (run benchmarks/labels/news-crawl/materialize.py)")
    else:
        measure(path)
