"""Throughput benchmark: text path by rule count, the naive loop, HTML path, CLI start-up.

    python benchmarks/perf.py                  # full run (>= 50 MB corpus), writes benchmarks/results/perf-<date>.json
    python benchmarks/perf.py --quick          # a smoke run of ~30 s (CI may run this, not the full one)
    python benchmarks/perf.py --size-mb 200 --repeat 5 --out /tmp/perf.json

The corpus is the seeds plus the inputs of ../shared/corpora (when present), with residue
lines the generated rules catch sprinkled in, repeated and shuffled up to ``--size-mb``.
Rule sets of 10, 100 and 1,000 generated rules (benchmarks/rulegen.py) are loaded on top of
the built-in rules. Every figure is the median of ``--repeat`` runs in one process, on one
core; the machine may be shared, so compare figures from the same run.

Hooks for measurements another change adds (``--jobs``): :func:`bench_cli_jsonl` runs
``cleaner clean --jsonl`` on a JSONL stream with ``jobs`` processes when the CLI has
``--jobs`` (it reports "skipped" otherwise) and records wall time and the peak RSS of the
child process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
sys.path.insert(0, str(ROOT / "benchmarks"))

import rulegen  # noqa: E402

from cleaner import Cleaner  # noqa: E402

RULE_COUNTS = (10, 100, 1000)


def _manifest_records() -> list[tuple[Path, dict[str, Any]]]:
    out = []
    for manifest in sorted(CORPORA.glob("*/manifest.jsonl")):
        for line in manifest.read_text(encoding="utf-8").splitlines():
            out.append((manifest.parent, json.loads(line)))
    return out


def source_documents() -> list[str]:
    """The seeds and, when present, every corpus input text."""
    docs = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    for folder, record in _manifest_records():
        path = folder / record["input"]
        if path.exists():
            docs.append(path.read_text(encoding="utf-8"))
    return docs


def build_corpus(size_mb: float, seed: int = 11) -> list[str]:
    """Documents totalling at least ``size_mb`` MB (UTF-8), with residue lines added."""
    rng = random.Random(seed)
    sources = source_documents()
    residue = rulegen.residue_lines(2000, seed)
    docs: list[str] = []
    total = 0
    while total < size_mb * 1e6:
        order = sources[:]
        rng.shuffle(order)
        for text in order:
            lines = text.split("\n")
            for _ in range(rng.randrange(0, 4)):
                lines.insert(rng.randrange(len(lines) + 1), rng.choice(residue))
            doc = "\n".join(lines)
            docs.append(doc)
            total += len(doc.encode("utf-8"))
            if total >= size_mb * 1e6:
                break
    return docs


def _mb(docs: Sequence[str]) -> float:
    return sum(len(d.encode("utf-8")) for d in docs) / 1e6


def _median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_text(cleaner: Cleaner, docs: Sequence[str], repeat: int) -> dict[str, float]:
    """MB/s and docs/s of ``Cleaner.clean`` over ``docs`` in this process (one core)."""
    runs = [_clean_all(cleaner, docs) for _ in range(repeat)]
    return _text_figures(docs, runs)


def _clean_all(cleaner: Cleaner, docs: Sequence[str]) -> tuple[float, float]:
    """Wall and CPU seconds of cleaning every document once."""
    wall, cpu = time.perf_counter(), time.process_time()
    for doc in docs:
        cleaner.clean(doc)
    return time.perf_counter() - wall, time.process_time() - cpu


def _text_figures(docs: Sequence[str], runs: Sequence[tuple[float, float]]) -> dict[str, float]:
    seconds = statistics.median(wall for wall, _ in runs)
    cpu = statistics.median(cpu for _, cpu in runs)
    mb = _mb(docs)
    return {"mb": round(mb, 2), "docs": len(docs), "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
            "mb_per_s": round(mb / seconds, 2), "docs_per_s": round(len(docs) / seconds, 1)}


def bench_rule_counts(docs: Sequence[str], naive_docs: Sequence[str], repeat: int, work: Path) -> list[dict[str, Any]]:
    """The text path at each rule count, prefiltered and naive (on a slice), same process.

    The warm runs take turns (10, 100, 1,000 rules, then again): on a shared machine whose
    speed drifts over minutes, every rule count sees the same drift, so their ratio holds.
    """
    rows: list[dict[str, Any]] = []
    cleaners: list[Cleaner] = []
    for count in RULE_COUNTS:
        rules = rulegen.write(count, work / f"rules-{count}")
        start = time.perf_counter()
        cleaner = Cleaner.from_paths([rules])
        plan = cleaner.rules.for_site(None)
        load = time.perf_counter() - start
        # The RE2 sets, built on first use (translations cached after the first process).
        start = time.perf_counter()
        gated = plan.prefilter.gated if plan.prefilter else 0
        sets = time.perf_counter() - start
        rules_total = sum(len(ms) for _, ms in plan.stages)
        row: dict[str, Any] = {
            "rules": count, "rules_in_plan": rules_total, "load_seconds": round(load, 2),
            "sets_seconds": round(sets, 2), "gated": gated,
        }
        # The first pass also builds RE2's DFA states lazily; it is part of the cost, so it
        # is timed too (as its own figure) rather than hidden in a warm-up.
        row["first_pass"] = bench_text(cleaner, docs, 1)
        row["naive"] = bench_text(cleaner.with_config(prefilter=False), naive_docs, 1)
        rows.append(row)
        cleaners.append(cleaner)
    runs: list[list[tuple[float, float]]] = [[] for _ in cleaners]
    for round_ in range(repeat):
        # Each round starts at another count, so no count always runs first or last.
        for step in range(len(cleaners)):
            k = (round_ + step) % len(cleaners)
            runs[k].append(_clean_all(cleaners[k], docs))
    for row, timed in zip(rows, runs, strict=True):
        row["prefilter"] = _text_figures(docs, timed)
        print(f"  {row['rules']} rules: {row['prefilter']['mb_per_s']} MB/s prefiltered, "
              f"{row['naive']['mb_per_s']} MB/s naive", file=sys.stderr)
    return rows


def bench_fallback(docs: Sequence[str], repeat: int, work: Path, fallback: int = 10) -> dict[str, Any]:
    """1,000 rules of which ``fallback`` use syntax RE2 cannot take (they run on every text)."""
    cleaner = Cleaner.from_paths([rulegen.write(1000, work / "rules-fallback", fallback=fallback)])
    return {"rules": 1000, "fallback_rules": fallback, **bench_text(cleaner, docs, repeat)}


def bench_unicode(docs: Sequence[str], repeat: int) -> dict[str, Any]:
    """Gated unicode repair against ftfy on every whole text (same configuration)."""
    import ftfy

    from cleaner.text.normalize import FTFY_CONFIG, repair_unicode

    mb = _mb(docs)
    gated = _median_seconds(lambda: [repair_unicode(d) for d in docs], repeat)
    whole = _median_seconds(lambda: [ftfy.fix_text(d, FTFY_CONFIG) for d in docs], 1)
    return {"mb": round(mb, 2), "gated_mb_per_s": round(mb / gated, 1), "ftfy_whole_mb_per_s": round(mb / whole, 2)}


def bench_html(pages: int, repeat: int) -> dict[str, Any] | None:
    """trafilatura.extract alone against extract + clean, on corpus HTML pages."""
    from cleaner.io.html import extract_text

    records = [(f, r) for f, r in _manifest_records() if r.get("html") and (f / r["html"]).exists()]
    if not records:
        return None
    random.Random(5).shuffle(records)
    htmls = [(gzip.decompress((f / r["html"]).read_bytes()), r.get("url")) for f, r in records[:pages]]
    cleaner = Cleaner.default()
    extracted: list[tuple[str, str | None]] = []

    def extract_only() -> None:
        extracted.clear()
        extracted.extend((extract_text(html, url=url), url) for html, url in htmls)

    def clean_only() -> None:
        for text, url in extracted:
            cleaner.clean(text, url=url)

    extract_s = _median_seconds(extract_only, repeat)
    clean_s = _median_seconds(clean_only, repeat)
    return {"pages": len(htmls), "extract_seconds": round(extract_s, 3), "clean_seconds": round(clean_s, 4),
            "extract_pages_per_s": round(len(htmls) / extract_s, 1),
            "cleaner_adds_percent": round(100 * clean_s / extract_s, 2)}


def _cleaner_command() -> list[str]:
    exe = Path(sys.executable).with_name("cleaner")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "cleaner"]


def bench_startup(runs: int, work: Path, cache: str = "warm") -> dict[str, Any]:
    """Wall and CPU time of ``cleaner clean`` on a 2 KB input, start to exit (median of runs).

    CPU time (user + system of the child) is the steadier figure on a shared machine, where
    wall time includes waiting for a core. Also lists which heavy modules were imported.
    ``cache``: "warm" runs over a rules cache primed by one unmeasured run, "cold" gives every
    run an empty cache directory (the first run after installing or editing rules).

    Python's bytecode cache is primed too (one run with PYTHONDONTWRITEBYTECODE unset), as
    ``pip install`` or a first run leaves it: with that variable set and no ``__pycache__``,
    every run compiles every module from source (~50 ms more here), which no installed
    command pays.
    """
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8")
    path = work / "small.txt"
    path.write_text(seed[:2048], encoding="utf-8")
    env = dict(os.environ, CLEANER_CACHE_DIR=str(work / f"cache-{cache}"))
    env.pop("CLEANER_NO_CACHE", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([*_cleaner_command(), "clean", str(path)], check=True, stdout=subprocess.DEVNULL, env=env)
    walls, cpus = [], []
    for run in range(runs):
        if cache == "cold":
            env["CLEANER_CACHE_DIR"] = str(work / f"cache-cold-{run}")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([*_cleaner_command(), "clean", str(path)], check=True, stdout=subprocess.DEVNULL, env=env)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    trace = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cleaner", "clean", str(path)],
        capture_output=True, text=True, check=True, env=env,
    ).stderr
    heavy = ("trafilatura", "ftfy", "rich", "lxml", "justext", "htmldate", "yaml")
    imported = sorted({name for name in heavy if f"| {name}\n" in trace + "\n" or f" {name}\n" in trace})
    return {"runs": runs, "cache": cache, "input_bytes": len(seed[:2048].encode("utf-8")),
            "median_ms": round(1000 * statistics.median(walls), 1), "min_ms": round(1000 * min(walls), 1),
            "median_cpu_ms": round(1000 * statistics.median(cpus), 1), "heavy_modules_imported": imported}


def write_jsonl(docs: Sequence[str], path: Path) -> Path:
    """The corpus as a JSONL stream (``{"id", "text"}`` per line)."""
    with path.open("w", encoding="utf-8") as out:
        for i, doc in enumerate(docs):
            out.write(json.dumps({"id": i, "text": doc}, ensure_ascii=False) + "\n")
    return path


def _cli_has(flag: str) -> bool:
    help_text = subprocess.run([*_cleaner_command(), "clean", "--help"], capture_output=True, text=True).stdout
    return flag in help_text


def bench_cli_jsonl(path: Path, jobs: int = 1) -> dict[str, Any]:
    """``cleaner clean --jsonl [--jobs N]`` over a JSONL file: MB/s and the child's peak RSS.

    Hook for the ``--jobs`` change: with ``jobs > 1`` it runs only when the CLI has ``--jobs``.
    Peak RSS is the largest resident size of the cleaner process and its children (workers).
    """
    if jobs > 1 and not _cli_has("--jobs"):
        return {"jobs": jobs, "skipped": "this cleaner has no --jobs option"}
    command = [*_cleaner_command(), "clean", "--jsonl", str(path)] + (["--jobs", str(jobs)] if jobs > 1 else [])
    # A small launcher forks the command, so the child's peak RSS is its own, not a copy of
    # this process (which holds the whole corpus) taken at fork time.
    launcher = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", launcher, *command], check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    mb = path.stat().st_size / 1e6
    peak_kb = int(done.stdout.split()[-1])
    return {"jobs": jobs, "mb": round(mb, 1), "seconds": round(seconds, 2), "mb_per_s": round(mb / seconds, 2),
            "peak_rss_mb": round(peak_kb / 1024, 1)}


def markdown(result: dict[str, Any]) -> str:
    """The README table."""
    rows = ["| measurement | MB/s | docs/s | note |", "|---|---:|---:|---|"]
    for row in result["rule_counts"]:
        p, n, f = row["prefilter"], row["naive"], row["first_pass"]
        rows.append(f"| text path, {row['rules']} generated + built-in rules, 1 core | {p['mb_per_s']} | "
                    f"{p['docs_per_s']} | first pass (cold RE2 DFA) {f['mb_per_s']} MB/s; "
                    f"load {row['load_seconds']} s, sets {row.get('sets_seconds', '?')} s |")
        rows.append(f"| naive per-rule loop, {row['rules']} rules (reference) | {n['mb_per_s']} | {n['docs_per_s']} | "
                    f"on a {n['mb']} MB slice |")
    fb = result.get("fallback")
    if fb:
        rows.append(f"| text path, 1,000 rules of which {fb['fallback_rules']} RE2 cannot take | {fb['mb_per_s']} | "
                    f"{fb['docs_per_s']} | those (fuzzy) run rule by rule; {fb['mb']} MB |")
    uni = result["unicode"]
    rows.append(f"| unicode repair, gated per line | {uni['gated_mb_per_s']} | | ftfy on whole texts: "
                f"{uni['ftfy_whole_mb_per_s']} MB/s, same output |")
    html = result.get("html")
    if html:
        rows.append(f"| HTML path: trafilatura.extract alone | | {html['extract_pages_per_s']} | "
                    f"cleaning adds {html['cleaner_adds_percent']}% ({html['pages']} pages) |")
    for cli in result.get("cli_jsonl", []):
        if "skipped" in cli:
            rows.append(f"| `cleaner clean --jsonl --jobs {cli['jobs']}` | | | skipped: {cli['skipped']} |")
        else:
            rows.append(f"| `cleaner clean --jsonl` ({cli['jobs']} job) | {cli['mb_per_s']} | | {cli['mb']} MB stream, "
                        f"peak RSS {cli['peak_rss_mb']} MB |")
    s = result["startup"]
    rows.append(f"| `cleaner clean` on {s['input_bytes']} B | | | wall median {s['median_ms']} ms (min "
                f"{s['min_ms']}), CPU median {s['median_cpu_ms']} ms, {s['runs']} runs; heavy imports: "
                f"{', '.join(s['heavy_modules_imported']) or 'none'} |")
    cold = result.get("startup_cold")
    if cold:
        rows.append(f"| `cleaner clean` on {cold['input_bytes']} B, empty rules cache | | | wall median "
                    f"{cold['median_ms']} ms (min {cold['min_ms']}), CPU median {cold['median_cpu_ms']} ms, "
                    f"{cold['runs']} runs |")
    ratio = result.get("ratio_1000_to_10")
    if ratio:
        cpu_ratio = result.get("cpu_ratio_1000_to_10")
        cpu = f" (CPU time: {cpu_ratio})" if cpu_ratio else ""
        rows.append(f"| time at 1,000 rules / time at 10 rules | | | {ratio}{cpu}; warm runs taking turns |")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=50.0, help="corpus size for the text path (default 50)")
    parser.add_argument("--naive-mb", type=float, default=1.0, help="slice for the naive loop (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is kept")
    parser.add_argument("--html-pages", type=int, default=300)
    parser.add_argument("--startup-runs", type=int, default=15)
    parser.add_argument("--startup-only", action="store_true",
                        help="measure only `cleaner clean` start-up (warm and cold rules cache); print JSON")
    parser.add_argument("--quick", action="store_true", help="smoke run (~30 s): 2 MB, one repeat, few pages")
    parser.add_argument("--out", type=Path, help="results JSON (default benchmarks/results/perf-<date>.json)")
    args = parser.parse_args(argv)
    if args.quick:
        args.size_mb, args.naive_mb, args.repeat, args.html_pages, args.startup_runs = 2.0, 0.2, 1, 10, 3
    if args.startup_only:
        with tempfile.TemporaryDirectory() as tmp:
            startup = {cache: bench_startup(args.startup_runs, Path(tmp), cache) for cache in ("warm", "cold")}
        print(json.dumps({"loadavg": os.getloadavg(), **startup}, indent=1))
        return 0
    out = args.out or ROOT / "benchmarks" / "results" / f"perf-{dt.date.today().isoformat()}.json"
    corpus = build_corpus(args.size_mb)
    naive = build_corpus(args.naive_mb, seed=12)
    print(f"corpus: {len(corpus)} docs, {_mb(corpus):.1f} MB (corpora present: {CORPORA.is_dir()})", file=sys.stderr)
    result: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(), "loadavg_at_start": os.getloadavg()},
        "corpus": {"docs": len(corpus), "mb": round(_mb(corpus), 1), "corpora_present": CORPORA.is_dir()},
        "options": vars(args) | {"out": str(out)},
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        result["startup"] = bench_startup(args.startup_runs, work)
        result["startup_cold"] = bench_startup(args.startup_runs, work, "cold")
        result["cli_jsonl"] = [bench_cli_jsonl(write_jsonl(corpus, work / "stream.jsonl"), jobs) for jobs in (1, 2)]
        result["rule_counts"] = bench_rule_counts(corpus, naive, args.repeat, work)
        # Fuzzy rules are slow by nature: a smaller corpus keeps this row to a minute.
        result["fallback"] = bench_fallback(build_corpus(min(args.size_mb, 5.0), seed=14), args.repeat, work)
    ten, thousand = result["rule_counts"][0], result["rule_counts"][-1]
    result["ratio_1000_to_10"] = round(thousand["prefilter"]["seconds"] / ten["prefilter"]["seconds"], 2)
    result["cpu_ratio_1000_to_10"] = round(
        thousand["prefilter"]["cpu_seconds"] / ten["prefilter"]["cpu_seconds"], 2
    )
    result["unicode"] = bench_unicode(build_corpus(min(args.size_mb, 10.0), seed=13), args.repeat)
    result["html"] = bench_html(args.html_pages, args.repeat)
    result["machine"]["loadavg_at_end"] = os.getloadavg()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(markdown(result))
    print(f"\nresults: {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
