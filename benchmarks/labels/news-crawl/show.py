"""Print news-crawl documents with numbered lines, for labelling by hand (LABELLING.md).

    python benchmarks/labels/news-crawl/show.py ID [ID...]

Line numbers are indexes into text.split("\\n"), as the label files use them. Blank lines are
shown as "L<i>:" with nothing after them.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3].parent / "shared/corpora/news-crawl"


def main(ids: list[str]) -> None:
    wanted = set(ids)
    found: dict[str, dict[str, str]] = {}
    with gzip.open(CORPUS / "crawl.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["id"] in wanted:
                found[record["id"]] = record
    for doc in ids:
        record = found.get(doc)
        if record is None:
            print(f"### {doc}: not in the crawl", file=sys.stderr)
            continue
        print(f"### {doc}  site={record['site']}  url={record['url']}")
        for number, text in enumerate(record["text"].split("\n")):
            print(f"L{number}: {text}")
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
