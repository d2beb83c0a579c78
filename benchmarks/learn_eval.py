"""Measure `cleaner clean --learn` on the hand-labelled news-crawl documents (issue 14).

    .venv/bin/python benchmarks/learn_eval.py              # quality on the labelled documents
    .venv/bin/python benchmarks/learn_eval.py --timing     # also whole-crawl time and peak RSS, CLI runs
    .venv/bin/python benchmarks/learn_eval.py --json OUT   # the figures as JSON
    .venv/bin/python benchmarks/learn_eval.py --evidence   # both runs with the weighed evidence on

Reads ../shared/corpora/news-crawl (crawl.jsonl.gz and labelled/labels.jsonl) and the label
files benchmarks/labels/news-crawl/batch-*.jsonl (else ../labels/batch-*.jsonl); prints
"skipped: ..." and exits 0 when the corpus is absent. Labels give residue line numbers in
``text.split("\\n")`` of the crawl text; every other non-blank line is content.

The whole crawl is learned from (as `cleaner clean --learn crawl.jsonl` does), then every
labelled document is cleaned twice, with the built-in rules alone and with what was learned,
and scored line by line (a line counts as removed when a removal takes it whole):

- residue lines removed (recall), on the documents whose site has >= 20 pages in the crawl
  and on all;
- content tokens kept: case-folded ``\\w+`` tokens of the content lines found in the output
  (bag overlap), the figure `cleaner bench` calls token recall;
- content lines removed with --learn that the built-in rules alone keep (must be none), with
  each one printed;
- a control: the first page of each site, 20 sites at a time, learned as if one site (nothing
  should be learned).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared/corpora/news-crawl"
LABEL_DIRS = (ROOT / "benchmarks/labels/news-crawl", ROOT.parent / "labels")
BIG_SITE = 20
TOKEN = re.compile(r"\w+")


def label_files() -> list[Path]:
    """The shared sample's labels, then the batch files (from the repository when committed there)."""
    files = [CORPUS / "labelled/labels.jsonl"]
    for folder in LABEL_DIRS:
        found = sorted(folder.glob("batch-*.jsonl"))
        if found:
            return files + found
    return files


def read_labels() -> dict[str, set[int]]:
    labels: dict[str, set[int]] = {}
    for path in label_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                labels[record["id"]] = {int(entry[0]) for entry in record["deleted"]}
    return labels


def crawl() -> Iterator[dict[str, str]]:
    with gzip.open(CORPUS / "crawl.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def removed_lines(raw: str, result: object) -> set[int]:
    """Indices into ``raw.split("\\n")`` of the lines the result's whole-line removals took."""
    from cleaner.core.model import CleanResult

    assert isinstance(result, CleanResult)
    if result.skipped:
        return set()
    normal = result.normalized.split("\n")
    gone = {i for r in result.removals if r.columns is None for i in range(r.start, r.end)}
    # Normalising strips lines and collapses blank runs: non-blank lines keep their order.
    raw_nonblank = [i for i, line in enumerate(raw.split("\n")) if line.strip()]
    normal_nonblank = [i for i, line in enumerate(normal) if line]
    if len(raw_nonblank) != len(normal_nonblank):
        raise SystemExit("a normalised document lost or gained a non-blank line; cannot map labels")
    mapping = dict(zip(normal_nonblank, raw_nonblank, strict=True))
    return {mapping[i] for i in gone if i in mapping}


def tokens(lines: list[str]) -> Counter[str]:
    return Counter(token for line in lines for token in TOKEN.findall(line.casefold()))


def score(docs: list[tuple[str, str, set[int], set[int]]]) -> dict[str, float | int]:
    """Residue recall and content tokens kept over (id, raw, residue, removed) documents."""
    residue = removed = content_tokens = kept_tokens = content_lost = 0
    for _, raw, labelled, gone in docs:
        lines = raw.split("\n")
        content = [i for i, line in enumerate(lines) if line.strip() and i not in labelled]
        residue += len(labelled)
        removed += len(labelled & gone)
        gold = tokens([lines[i] for i in content])
        out = tokens([lines[i] for i in content if i not in gone])
        content_tokens += sum(gold.values())
        kept_tokens += sum((gold & out).values())
        content_lost += sum(1 for i in content if i in gone)
    return {
        "documents": len(docs), "residue_lines": residue, "residue_removed": removed,
        "residue_recall": round(removed / residue, 4) if residue else 1.0,
        "content_tokens": content_tokens, "content_tokens_kept": round(kept_tokens / content_tokens, 5),
        "content_lines_removed": content_lost,
    }


def quality(*, evidence: bool = False) -> dict[str, object]:
    from cleaner import Cleaner, Config

    labels = read_labels()
    records = list(crawl())
    pages = Counter(record["site"] for record in records)
    plain = Cleaner.default(Config(evidence=evidence))
    started = time.perf_counter()
    learned = plain.learn((record["text"], record["url"]) for record in records)
    learn_seconds = time.perf_counter() - started
    assert learned.learned is not None
    by_id = {record["id"]: record for record in records}
    rows: dict[str, list[tuple[str, str, set[int], set[int]]]] = {"plain": [], "learn": []}
    big: set[str] = set()
    new_losses: list[str] = []
    for doc_id, residue in sorted(labels.items()):
        record = by_id[doc_id]
        raw = record["text"]
        if pages[record["site"]] >= BIG_SITE:
            big.add(doc_id)
        results = {}
        for name, cleaner in (("plain", plain), ("learn", learned)):
            result = cleaner.clean_and_explain(raw, url=record["url"])
            results[name] = result
            rows[name].append((doc_id, raw, residue, removed_lines(raw, result)))
        lines = raw.split("\n")
        for i in sorted(rows["learn"][-1][3] - rows["plain"][-1][3] - residue):
            rule = next((r.rule for r in results["learn"].removals
                         if r.columns is None and lines[i].strip() in r.text.split("\n")), "?")
            new_losses.append(f"{doc_id}:{i}: {rule}: {lines[i][:90]!r}")
    report: dict[str, object] = {
        "evidence": evidence,
        "labelled_documents": len(labels),
        "learned_rules": len(learned.learned.rules),
        "learned_sites": len(learned.learned.by_site()),
        "learn_seconds_in_process": round(learn_seconds, 2),
        "content_lines_lost_to_learning": new_losses,
    }
    for name in ("plain", "learn"):
        report[f"{name}, sites with >= {BIG_SITE} pages"] = score([d for d in rows[name] if d[0] in big])
        report[f"{name}, all labelled"] = score(rows[name])
    report["control"] = control(records)
    return report


def control(records: list[dict[str, str]], group: int = 20) -> dict[str, object]:
    """Pages of different sites learned as if one site (the miner's control): nothing should be learned."""
    from cleaner.engine.learn import learn

    first: dict[str, dict[str, str]] = {}
    for record in records:
        first.setdefault(record["site"], record)
    pages = [first[site] for site in sorted(first)]
    groups = [pages[i : i + group] for i in range(0, len(pages) - group + 1, group)]
    learned = [learn(((r["text"], r["url"]) for r in g), site="control.example") for g in groups]
    return {
        "groups": len(groups), "pages_per_group": group,
        "rules_learned": sum(len(result.rules) for result in learned),
        "examples": [rule.examples.match[0] for result in learned for rule in result.rules][:10],
    }


def _measure(argv: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (KiB) of one CLI run, from /usr/bin/time."""
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%e %U %S %M", *argv], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, check=True,
    )
    wall, user, system, rss = done.stderr.decode().strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(rss)


def timing(workdir: Path, rounds: int = 3, *, evidence: bool = False) -> dict[str, object]:
    """Whole-crawl CLI runs, plain cleaning and --learn taking turns (both with --evidence when
    asked); CPU time is the steady figure."""
    crawl_path = workdir / "crawl.jsonl"
    if not crawl_path.exists():
        with gzip.open(CORPUS / "crawl.jsonl.gz", "rb") as source:
            crawl_path.write_bytes(source.read())
    cleaner = str(Path(sys.executable).parent / "cleaner")
    base = [cleaner, "clean", "--jsonl", "--no-progress", *(["--evidence"] if evidence else []), str(crawl_path)]
    runs: dict[str, list[tuple[float, float, int]]] = {"plain": [], "learn": []}
    for _ in range(rounds):
        runs["plain"].append(_measure(base))
        runs["learn"].append(_measure([*base, "--learn"]))
    cpu = {name: statistics.median(c for _, c, _ in found) for name, found in runs.items()}
    wall = {name: statistics.median(w for w, _, _ in found) for name, found in runs.items()}
    return {
        "crawl_mb": round(crawl_path.stat().st_size / 1e6, 1), "rounds": rounds,
        "plain_wall_s": [w for w, _, _ in runs["plain"]], "learn_wall_s": [w for w, _, _ in runs["learn"]],
        "plain_cpu_s": [round(c, 2) for _, c, _ in runs["plain"]],
        "learn_cpu_s": [round(c, 2) for _, c, _ in runs["learn"]],
        "plain_peak_rss_mb": round(max(r for _, _, r in runs["plain"]) / 1024, 1),
        "learn_peak_rss_mb": round(max(r for _, _, r in runs["learn"]) / 1024, 1),
        "learn_over_plain_cpu": round(cpu["learn"] / cpu["plain"], 2),
        "learn_over_plain_wall": round(wall["learn"] / wall["plain"], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timing", action="store_true", help="also time whole-crawl CLI runs (a few minutes)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the figures here")
    parser.add_argument("--evidence", action="store_true", help="clean with the weighed evidence on (both runs)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/cleaner-learn-eval"))
    args = parser.parse_args(argv)
    if not (CORPUS / "crawl.jsonl.gz").exists():
        print(f"skipped: {CORPUS} not found")
        return 0
    report = quality(evidence=args.evidence)
    if args.timing:
        args.workdir.mkdir(parents=True, exist_ok=True)
        report["timing"] = timing(args.workdir, evidence=args.evidence)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
