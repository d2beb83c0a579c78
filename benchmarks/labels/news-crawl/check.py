"""Check label files against the crawl: known ids, line numbers in range, no blank line
labelled, family names from LABELLING.md, no document labelled twice.

    .venv/bin/python benchmarks/labels/news-crawl/check.py benchmarks/labels/news-crawl/batch-*.jsonl

Exit 1 with one message a problem, 0 when every file is sound.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from cleaner.rules.signals import LABEL_FAMILIES as FAMILIES

CORPUS = Path(__file__).resolve().parents[3].parent / "shared/corpora/news-crawl"


def main(paths: list[str]) -> int:
    texts: dict[str, str] = {}
    with gzip.open(CORPUS / "crawl.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            texts[record["id"]] = record["text"]
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                label = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append(f"{where}: not JSON ({error})")
                continue
            doc = label.get("id")
            if doc not in texts:
                problems.append(f"{where}: unknown id {doc!r}")
                continue
            if doc in seen:
                problems.append(f"{where}: {doc} already labelled at {seen[doc]}")
            seen[doc] = where
            lines = texts[doc].split("\n")
            numbers = [entry[0] for entry in label.get("deleted", [])]
            if len(numbers) != len(set(numbers)):
                problems.append(f"{where}: {doc} lists a line twice")
            for entry in label.get("deleted", []) + label.get("mixed", []):
                if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], int)):
                    problems.append(f"{where}: {doc}: entry {entry!r} is not [line, text]")
                    continue
                if not 0 <= entry[0] < len(lines):
                    problems.append(f"{where}: {doc}: line {entry[0]} out of range")
                elif not lines[entry[0]].strip():
                    problems.append(f"{where}: {doc}: line {entry[0]} is blank")
            for line_number, family in label.get("deleted", []):
                if family not in FAMILIES:
                    problems.append(f"{where}: {doc}: line {line_number}: family {family!r}")
    for problem in problems:
        print(problem)
    print(f"{len(seen)} documents checked, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
