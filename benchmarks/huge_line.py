"""Measure time and peak memory of cleaning one huge line (default 100 MB) through the API.

Run: .venv/bin/python benchmarks/huge_line.py [MEGABYTES] [--shape words|noword|mojibake|toi]
Prints seconds and peak RSS; used to check the single-huge-line guarantee, never a test.
"""

from __future__ import annotations

import argparse
import resource
import time

from cleaner import Cleaner


def make_line(megabytes: int, shape: str) -> str:
    size = megabytes * 1_000_000
    unit = {
        "words": "lorem ipsum dolor sit amet ",
        "noword": "a",
        "mojibake": "caf\u00c3\u00a9 \u00e2\u0080\u0094 ",
        "toi": "Some headline words - Times of India ",
    }[shape]
    return (unit * (size // len(unit) + 1))[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("megabytes", type=int, nargs="?", default=100)
    parser.add_argument("--shape", default="words", choices=["words", "noword", "mojibake", "toi"])
    parser.add_argument("--title", action="store_true", help="put a short title line and prose before the huge line")
    args = parser.parse_args()
    cleaner = Cleaner.default()
    text = make_line(args.megabytes, args.shape)
    if args.title:
        text = "A short title for the story\n\nA paragraph of prose.\n\n" + text + "\n\nSource link"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = cleaner.clean_and_explain(text)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"{args.megabytes} MB shape={args.shape} title={args.title}: {seconds:.2f}s, "
        f"peak RSS {peak / 1024:.0f} MB (input built: {before / 1024:.0f} MB), "
        f"out {len(result.text):,} chars, {len(result.removals)} removals, skipped={result.skipped!r}, "
        f"diagnostics={[d.code for d in result.diagnostics]}"
    )


if __name__ == "__main__":
    main()
