"""One SHA-256 over what the cleaner does to every seed and every shared-corpus document.

    python benchmarks/behaviour_hash.py          # prints one line per corpus, then the hash and the count

Run it before and after a refactor that must not change behaviour: the hash and the count must
be identical. Each document is cleaned with the built-in rules through the public API
(``clean_and_explain``, with the document's url when it has one), and the hash covers its id,
the output text, every removal (rule, start, end, text, and the columns of a span), the site and
the skip reason. Corpora that are absent (``../shared/corpora`` is not part of the repository) are reported as skipped.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

from cleaner import clean_and_explain

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
MANIFESTS = ("tiptopjaw/manifest.jsonl", "trafilatura-eval/manifest.jsonl", "news-crawl/labelled/manifest.jsonl")
CRAWL = "news-crawl/crawl.jsonl.gz"

Doc = tuple[str, str, str | None]  # id, text, url


def seeds() -> Iterator[Doc]:
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        meta_path = path.with_suffix(".meta.yaml")
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        yield f"seeds/{path.name}", path.read_text(encoding="utf-8"), (meta or {}).get("url")


def manifest(rel: str) -> Iterator[Doc]:
    path = CORPORA / rel
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        text = (path.parent / record["input"]).read_text(encoding="utf-8")
        yield f"{rel}:{record['id']}", text, record.get("url")


def crawl(rel: str) -> Iterator[Doc]:
    with gzip.open(CORPORA / rel, "rt", encoding="utf-8") as stream:
        for n, line in enumerate(stream):
            if not line.strip():
                continue
            record = json.loads(line)
            yield f"{rel}:{record.get('id', n)}", record["text"], record.get("url")


def sources() -> Iterator[tuple[str, Iterator[Doc] | None]]:
    yield "seeds", seeds()
    for rel in MANIFESTS:
        yield rel, manifest(rel) if (CORPORA / rel).exists() else None
    yield CRAWL, crawl(CRAWL) if (CORPORA / CRAWL).exists() else None


def _feed(digest: hashlib._Hash, *fields: object) -> None:
    # Length-prefixed JSON so that no two different field sequences hash alike.
    blob = json.dumps(fields, ensure_ascii=False).encode("utf-8")
    digest.update(len(blob).to_bytes(8, "big"))
    digest.update(blob)


def main() -> int:
    total = hashlib.sha256()
    count = 0
    for name, docs in sources():
        if docs is None:
            print(f"{name}: skipped (absent)")
            continue
        part = 0
        for doc_id, text, url in docs:
            result = clean_and_explain(text, url=url)
            removals = [(r.rule, r.start, r.end, r.text, r.columns) for r in result.removals]
            _feed(total, doc_id, result.text, removals, result.site, result.skipped)
            part += 1
        count += part
        print(f"{name}: {part} documents")
    print(f"documents: {count}")
    print(f"sha256: {total.hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
