"""Choose trafilatura's settings for the HTML path by measurement, and record the comparison.

Usage: ``python benchmarks/html_modes.py [--manifest ../shared/corpora/tiptopjaw/manifest.jsonl]
[--limit N] [--out benchmarks/results]``

For every page with gold and HTML, extract the text with each trafilatura mode, clean it with
the built-in rules, and score both against the gold (bag-of-words token precision / recall /
F1, micro-averaged). Writes ``html-modes-<date>.json`` and ``html-modes-<date>.md`` (the table)
to ``--out``. The mode with the best F1 after cleaning is the one ``cleaner.io.html`` uses.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

import regex

from cleaner import Cleaner
from cleaner.io.html import MODES, extract_text

TOKEN_RE = regex.compile(r"\w+")


def tokens(text: str) -> Counter[str]:
    return Counter(TOKEN_RE.findall(text.casefold()))


def overlap(output: str, gold: Counter[str]) -> tuple[int, int, int]:
    out = tokens(output)
    return sum((out & gold).values()), sum(out.values()), sum(gold.values())


def prf(counts: list[int]) -> dict[str, float]:
    hit, n_out, n_gold = counts
    p = hit / n_out if n_out else 0.0
    r = hit / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=Path("../shared/corpora/tiptopjaw/manifest.jsonl"))
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (0: all)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()
    if not args.manifest.exists():
        print(f"no manifest at {args.manifest}", file=sys.stderr)
        return 2
    cleaner = Cleaner.default()
    records = [json.loads(line) for line in args.manifest.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [r for r in records if r.get("gold") and r.get("html")]
    if args.limit:
        records = records[: args.limit]
    alone = {mode: [0, 0, 0] for mode in MODES}
    cleaned = {mode: [0, 0, 0] for mode in MODES}
    seconds = dict.fromkeys(MODES, 0.0)
    empty = dict.fromkeys(MODES, 0)
    root = args.manifest.parent
    for n, record in enumerate(records, 1):
        html = gzip.decompress((root / record["html"]).read_bytes())
        gold = tokens((root / record["gold"]).read_text(encoding="utf-8"))
        url = record.get("url")
        for mode in MODES:
            start = time.perf_counter()
            text = extract_text(html, url=url, mode=mode)
            seconds[mode] += time.perf_counter() - start
            empty[mode] += not text.strip()
            for k, v in enumerate(overlap(text, gold)):
                alone[mode][k] += v
            for k, v in enumerate(overlap(cleaner.clean(text, url=url), gold)):
                cleaned[mode][k] += v
        if n % 50 == 0:
            print(f"{n}/{len(records)} pages", file=sys.stderr)
    rows = [
        {
            "mode": mode,
            "settings": MODES[mode],
            "trafilatura": prf(alone[mode]),
            "trafilatura+cleaner": prf(cleaned[mode]),
            "empty_extractions": empty[mode],
            "extract_seconds": round(seconds[mode], 1),
        }
        for mode in MODES
    ]
    best = max(rows, key=lambda row: row["trafilatura+cleaner"]["f1"])  # type: ignore[index]
    today = datetime.date.today().isoformat()
    result = {"manifest": str(args.manifest), "pages": len(records), "date": today, "best": best["mode"], "modes": rows}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"html-modes-{today}.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    table = markdown(result)
    (args.out / f"html-modes-{today}.md").write_text(table, encoding="utf-8")
    print(table)
    return 0


def markdown(result: dict[str, object]) -> str:
    lines = [
        f"HTML path on {result['pages']} pages of `{result['manifest']}` ({result['date']}): token scores vs gold.",
        "",
        "| mode | trafilatura P | R | F1 | + cleaner P | R | F1 | empty | seconds |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in result["modes"]:  # type: ignore[attr-defined]
        a, c = row["trafilatura"], row["trafilatura+cleaner"]
        lines.append(
            f"| {row['mode']} | {a['precision']:.4f} | {a['recall']:.4f} | {a['f1']:.4f} "
            f"| {c['precision']:.4f} | {c['recall']:.4f} | {c['f1']:.4f} | {row['empty_extractions']} "
            f"| {row['extract_seconds']} |"
        )
    lines += ["", f"Best after cleaning: `{result['best']}`."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
