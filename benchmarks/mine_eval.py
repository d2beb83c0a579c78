"""What ``cleaner mine`` does on the synthetic sites and on the real shared corpora, measured.

First the synthetic split (tests/fixtures/mine, 3 made-up sites x 8 pages): mine from pages
01-04, clean 05-08 with the mined pack alone, with the pack plus the built-in rules, and with
the built-in rules alone; then the other direction. Scores are per line (cleaner.mine.evaluate).

Mining needs several pages of one site. The script then groups each real corpus by host (the ``url``;
web.archive.org addresses are unwrapped to the archived host; trafilatura-eval's ``hard::``
URLs fall back to the host spelled in the id), drops pages whose text is an exact duplicate,
and then:

1. held-out: for hosts with at least 4 distinct pages, mines from the first half and cleans the
   other half with the mined pack alone (``--preview``, no built-in rules);
2. in-sample: for hosts with 2-3 distinct pages, mines from all of them with ``--min-docs 2
   --min-share 1.0`` and cleans the same pages (no held-out page exists; this only shows what
   would be proposed and whether it hits gold content);
3. pooled control: pages of *different* sites taken 16 at a time as if they were one site,
   mined from 8 and applied to the other 8, with the default thresholds and with loose ones. Anything removed there
   is cross-site residue or a false positive; its gold hits measure the content guards on real
   prose.

Every removed line is checked against the labels: tiptopjaw's gold text (a hit when the line
is a gold line, or a 20+ character substring of the gold), trafilatura-eval's snippets (a
"with" snippet inside the line, or the line inside one, is content; a "without" snippet is
residue).

usage: .venv/bin/python benchmarks/mine_eval.py [--corpora DIR] [--json OUT] [--show N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import regex

from cleaner.core.model import Config
from cleaner.engine.cleaner import Cleaner
from cleaner.mine.evaluate import LineScore, removed_lines, score_pages
from cleaner.mine.miner import MineOptions, Page, mine
from cleaner.mine.pack import render_pack
from cleaner.rules.schema import SITE_RE
from cleaner.text.hosts import host_of
from cleaner.text.normalize import normalize_text

DEFAULT_CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
ARCHIVE = regex.compile(r"^https?://web\.archive\.org/web/[^/]+/(.+)$")
# trafilatura-eval ids start with the host, then a slug after "-" or "." (jamaicaobserver.com-attacks).
ID_HOST = regex.compile(
    r"^(?:archive\.(?:org\.)?)?([a-z0-9-]+(?:\.[a-z0-9-]+)*?"
    r"\.(?:com|org|net|de|at|ch|fr|it|pl|hn|pa|cu|jm|vc|gov|edu|io|co\.uk|com\.pa|net\.pa))(?:[.-]|$)"
)


@dataclass(frozen=True)
class Doc:
    """One page of a corpus with what it is labelled with."""

    corpus: str
    id: str
    host: str
    text: str
    gold: str | None
    with_snippets: tuple[str, ...]
    without_snippets: tuple[str, ...]


@dataclass
class Tally:
    """Removed lines and how they compare with the labels."""

    pages: int = 0
    lines: int = 0
    removed: int = 0
    gold_hits: int = 0
    with_hits: int = 0
    without_hits: int = 0
    proposals: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("pages", "lines", "removed", "gold_hits", "with_hits", "without_hits", "proposals"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.examples += other.examples


def real_host(url: str, doc_id: str) -> str:
    """The host a page belongs to, looking through web.archive.org and ``hard::`` ids."""
    archived = ARCHIVE.match(url)
    if archived:
        inner = archived.group(1)
        return host_of(inner if "//" in inner else "//" + inner)
    host = host_of(url) if "://" in url else ""
    if host and SITE_RE.fullmatch(host):
        return host
    found = ID_HOST.match(doc_id.lower())
    return host_of(found.group(1)) if found else ""


def load(corpora: Path) -> list[Doc]:
    docs = []
    for name in ("tiptopjaw", "trafilatura-eval"):
        folder = corpora / name
        manifest = folder / "manifest.jsonl"
        if not manifest.exists():
            continue
        seen: set[str] = set()
        for line in manifest.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            text = (folder / record["input"]).read_text(encoding="utf-8", errors="replace")
            digest = hashlib.sha1(text.encode()).hexdigest()
            if digest in seen:
                continue  # tiptopjaw lists some pages twice under two ids
            seen.add(digest)
            gold = (folder / record["gold"]).read_text(encoding="utf-8") if record.get("gold") else None
            snippets: dict[str, list[str]] = {}
            if record.get("snippets"):
                snippets = json.loads((folder / record["snippets"]).read_text(encoding="utf-8"))
            docs.append(Doc(
                name, record["id"], real_host(record.get("url") or "", record["id"]), text, gold,
                tuple(snippets.get("with", [])), tuple(snippets.get("without", [])),
            ))
    return docs


def _squash(text: str) -> str:
    return " ".join(text.split())


def score_removed(doc: Doc, removed: Sequence[str]) -> Tally:
    """Compare removed lines with the page's labels."""
    tally = Tally(pages=1, removed=len(removed))
    tally.lines = len([line for line in normalize_text(doc.text).split("\n") if line])
    gold = _squash(normalize_text(doc.gold)) if doc.gold is not None else None
    gold_lines = {_squash(line) for line in normalize_text(doc.gold).split("\n")} if doc.gold else set()
    for line in removed:
        text = _squash(line)
        if gold is not None and (text in gold_lines or (len(text) >= 20 and text in gold)):
            tally.gold_hits += 1
            tally.examples.append(f"{doc.id}: GOLD {text[:90]!r}")
        if any(_squash(s) in text or (len(text) >= 20 and text in _squash(s)) for s in doc.with_snippets):
            tally.with_hits += 1
            tally.examples.append(f"{doc.id}: WITH {text[:90]!r}")
        if any(_squash(s) in text for s in doc.without_snippets):
            tally.without_hits += 1
    return tally


def apply_mined(site: str, mine_from: Sequence[Doc], apply_to: Sequence[Doc], options: MineOptions) -> Tally:
    """Mine a pack from ``mine_from``, clean ``apply_to`` with it alone and score the removals."""
    result = mine([Page(d.id, d.text) for d in mine_from], site, options)
    tally = Tally(proposals=len(result.proposals))
    if not result.proposals:
        for doc in apply_to:
            tally.add(score_removed(doc, []))
        return tally
    with tempfile.TemporaryDirectory() as tmp:
        sites = Path(tmp) / "sites"
        sites.mkdir()
        (sites / f"{site}.yaml").write_text(render_pack(result), encoding="utf-8")
        cleaner = Cleaner.from_paths([Path(tmp)], include_builtin=False, config=Config(preview=True))
        for doc in apply_to:
            lines = [line for line in normalize_text(doc.text).split("\n") if line]
            gone = removed_lines(cleaner, doc.text, site=site)
            tally.add(score_removed(doc, [lines[i] for i in sorted(gone)]))
    tally.examples += [f"{site}: proposed {p.kind} {p.pattern[:70]!r} ({p.support()})" for p in result.proposals]
    return tally


FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "mine"


def synthetic_split(report: dict[str, object]) -> None:
    """Mine each synthetic site from one half, score on the other half, both ways."""
    sites = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())

    def pair(site: str, n: int) -> tuple[str, str]:
        name = f"synthetic-{n:02d}.txt"
        return ((FIXTURES / site / "pages" / name).read_text(encoding="utf-8"),
                (FIXTURES / site / "expected" / name).read_text(encoding="utf-8"))

    for mined, held in ((range(1, 5), range(5, 9)), (range(5, 9), range(1, 5))):
        label = f"synthetic: mine {mined.start:02d}-{mined.stop - 1:02d}, clean {held.start:02d}-{held.stop - 1:02d}"
        totals = {"pack alone": LineScore(), "pack + built-in": LineScore(), "built-in alone": LineScore()}
        for site in sites:
            pages = [Page(f"synthetic-{n:02d}.txt", pair(site, n)[0]) for n in mined]
            with tempfile.TemporaryDirectory() as tmp:
                (Path(tmp) / "sites").mkdir()
                (Path(tmp) / "sites" / f"{site}.yaml").write_text(render_pack(mine(pages, site)), encoding="utf-8")
                cleaners = {
                    "pack alone": Cleaner.from_paths([Path(tmp)], include_builtin=False, config=Config(preview=True)),
                    "pack + built-in": Cleaner.from_paths([Path(tmp)], config=Config(preview=True)),
                    "built-in alone": Cleaner.default(),
                }
                for name, cleaner in cleaners.items():
                    score = score_pages(cleaner, [pair(site, n) for n in held], site=site)
                    totals[name] = totals[name] + score
        for name, score in totals.items():
            print(f"{label}, {name}: residue lines removed {score.residue_removed}/{score.residue} "
                  f"(recall {score.recall:.3f}), content lines removed {score.content_removed}/{score.content}; "
                  f"left: {list(score.missed)}")
            report[f"{label}, {name}"] = {"residue": score.residue, "residue_removed": score.residue_removed,
                                          "content": score.content, "content_removed": score.content_removed}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    parser.add_argument("--show", type=int, default=15, help="print up to N example lines per experiment")
    args = parser.parse_args(argv)
    report: dict[str, object] = {}
    synthetic_split(report)
    docs = load(args.corpora)
    if not docs:
        print(f"no corpora under {args.corpora}", file=sys.stderr)
        return 2
    for corpus in ("tiptopjaw", "trafilatura-eval"):
        pages = [d for d in docs if d.corpus == corpus]
        hosts = Counter(d.host for d in pages if d.host)
        sizes = Counter(hosts.values())
        multi = sorted((h, n) for h, n in hosts.items() if n >= 2)
        report[corpus] = {"pages": len(pages), "hosts": len(hosts), "pages_per_host": dict(sorted(sizes.items())),
                          "no_host": sum(1 for d in pages if not d.host), "multi_page_hosts": multi}
        print(f"{corpus}: {len(pages)} distinct pages, {len(hosts)} hosts; hosts by page count: "
              f"{dict(sorted(sizes.items()))}; multi-page hosts: {multi}")

    by_host: dict[str, list[Doc]] = defaultdict(list)
    for doc in docs:
        if doc.host:
            by_host[doc.host].append(doc)
    # A host may have one page in each corpus: those count as two pages of one site too.
    both = sorted((h, [d.id for d in g]) for h, g in by_host.items() if len(g) >= 2)
    largest = max((len(g) for g in by_host.values()), default=0)
    report["both corpora"] = {"hosts": len(by_host), "multi_page_hosts": both, "largest_host": largest}
    print(f"both corpora: {len(by_host)} hosts, {len(both)} with 2+ distinct pages, the largest has {largest}: {both}")
    experiments: dict[str, Tally] = {}

    held = Tally()
    for host, group in sorted(by_host.items()):
        if len(group) >= 4:
            group = sorted(group, key=lambda d: d.id)
            cut = (len(group) + 1) // 2
            held.add(apply_mined(host, group[:cut], group[cut:], MineOptions()))
    experiments["held-out (hosts with >= 4 pages)"] = held

    small = Tally()
    for host, group in sorted(by_host.items()):
        if 2 <= len(group) <= 3:
            small.add(apply_mined(host, group, group, MineOptions(min_docs=2, min_share=1.0)))
    experiments["in-sample (hosts with 2-3 pages, --min-docs 2 --min-share 1.0)"] = small

    for corpus in ("tiptopjaw", "trafilatura-eval"):
        pool = sorted((d for d in docs if d.corpus == corpus), key=lambda d: d.id)
        for label, options in (("defaults", MineOptions()), ("--min-docs 2 --min-share 0.2", MineOptions(2, 0.2))):
            pooled = Tally()
            for start in range(0, len(pool) - 15, 16):
                chunk = pool[start : start + 16]
                pooled.add(apply_mined("pooled.example", chunk[:8], chunk[8:], options))
            experiments[f"pooled control ({corpus}, 8 unrelated pages mined, 8 cleaned, {label})"] = pooled

    for name, tally in experiments.items():
        print(f"\n{name}: {tally.pages} pages cleaned, {tally.proposals} rules proposed, "
              f"{tally.removed} of {tally.lines} lines removed; of those, {tally.gold_hits} in tiptopjaw gold, "
              f"{tally.with_hits} hold a 'with' snippet, {tally.without_hits} hold a 'without' snippet")
        for line in tally.examples[: args.show]:
            print(f"  {line}")
        report[name] = {k: v for k, v in asdict(tally).items() if k != "examples"} | {"examples": tally.examples[:50]}
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
