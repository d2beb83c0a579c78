"""Choose the news-crawl documents to label by hand (issue 13), reproducibly.

Run from the repository root with ../shared present:

    python benchmarks/labels/news-crawl/sample.py > benchmarks/labels/news-crawl/sample.json

The choice: one document from every site not yet labelled in the shared sample, three more from
each site with 20 or more pages (so crawl learning has labelled pages on its big sites), then
more documents of the unlabelled sites (then of the big sites), round by round, until 420. A
fixed seed makes it the same list on every machine. Only ids go into the repository, never the texts.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3].parent / "shared/corpora/news-crawl"
TOTAL = 420
PER_BIG_SITE = 3
BIG_SITE_PAGES = 20


def main() -> None:
    by_site: dict[str, list[str]] = defaultdict(list)
    with gzip.open(CORPUS / "crawl.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            by_site[record["site"]].append(record["id"])
    with open(CORPUS / "labelled/labels.jsonl", encoding="utf-8") as labels:
        labelled = {json.loads(line)["id"] for line in labels}
    labelled_sites = {site for site, ids in by_site.items() if labelled & set(ids)}
    rng = random.Random(13)
    pools = {
        site: rng.sample(sorted(set(ids) - labelled), len(set(ids) - labelled)) for site, ids in sorted(by_site.items())
    }
    chosen: list[str] = []

    def take(site: str, count: int) -> None:
        pool = pools[site]
        for _ in range(min(count, len(pool))):
            chosen.append(pool.pop())

    unlabelled_sites = sorted(set(by_site) - labelled_sites)
    for site in unlabelled_sites:
        take(site, 1)
    for site in sorted(by_site):
        if len(by_site[site]) >= BIG_SITE_PAGES:
            already = 1 if site in unlabelled_sites else 0
            take(site, PER_BIG_SITE - already)
    # Fill: more pages of the unlabelled sites, round by round, then of the big sites.
    for group in (unlabelled_sites, sorted(s for s in by_site if len(by_site[s]) >= BIG_SITE_PAGES)):
        while len(chosen) < TOTAL and any(pools[site] for site in group):
            for site in group:
                if len(chosen) >= TOTAL:
                    break
                take(site, 1)
    site_of = {doc: site for site, ids in by_site.items() for doc in ids}
    json.dump(
        {"documents": [{"id": doc, "site": site_of[doc]} for doc in chosen]},
        sys.stdout,
        indent=1,
    )
    print()
    print(
        f"{len(chosen)} documents, {len({site_of[d] for d in chosen})} sites, "
        f"{len(unlabelled_sites)} not labelled before",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
