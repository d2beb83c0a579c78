"""Throughput of ``cleaner clean --jsonl`` at 1 and N jobs, and peak RSS over a long stream.

    .venv/bin/python benchmarks/scale.py                    # ~80 MB corpus, 3 repeats, 1 GB stream
    .venv/bin/python benchmarks/scale.py --mb 20 --rss-mb 100 --repeats 1   # a quick look

The corpus is built from the seeds and, when present, ../shared/corpora inputs (their
trafilatura text), cycled to the requested size in a temporary folder; nothing is written to
the repository but the results file ``benchmarks/results/scale-<date>.json``.

Throughput: each run is the whole CLI (start-up included) over the corpus file, stdout to a
file; runs alternate between job counts so that load from other processes on a shared machine
hits both alike, and the medians are reported with the load average. The outputs of every run
must be byte-identical, or the script exits 1.

Memory: records are generated on the fly into the CLI's stdin (no file), stdout is read and
discarded, and the resident set of the CLI process and its workers is sampled from /proc.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"


def base_documents() -> list[dict[str, str | None]]:
    """The seeds, then every corpus page's input text (when the corpora are present)."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    docs: list[dict[str, str | None]] = [
        {"id": p.stem, "url": None, "text": p.read_text(encoding="utf-8")} for p in seeds
    ]
    for manifest in sorted(CORPORA.glob("*/manifest.jsonl")):
        with manifest.open(encoding="utf-8") as handle:
            for line in handle:
                entry = json.loads(line)
                text = (manifest.parent / entry["input"]).read_text(encoding="utf-8")
                docs.append({"id": f"{manifest.parent.name}/{entry['id']}", "url": entry.get("url"), "text": text})
    return docs


def records(docs: list[dict[str, str | None]]) -> Iterator[bytes]:
    """Endless JSONL lines cycling over ``docs``, each with a distinct id."""
    encoded = [json.dumps(doc, ensure_ascii=False).encode("utf-8") for doc in docs]
    ids = [json.dumps(doc["id"]).encode() for doc in docs]
    round_ = 0
    while True:
        for doc_id, line in zip(ids, encoded, strict=True):
            # Same content, new id: `"id": "x"` -> `"id": "x#round"`, cheap enough for 1 GB.
            yield line.replace(b'"id": ' + doc_id, b'"id": ' + doc_id[:-1] + f'#{round_}"'.encode(), 1) + b"\n"
        round_ += 1


def build_corpus(path: Path, docs: list[dict[str, str | None]], megabytes: float) -> tuple[int, int]:
    """Write about ``megabytes`` of JSONL to ``path``; return (bytes, records)."""
    limit, size, count = int(megabytes * 1e6), 0, 0
    with path.open("wb") as out:
        for line in records(docs):
            out.write(line)
            size += len(line)
            count += 1
            if size >= limit:
                break
    return size, count


def cli(jobs: int) -> list[str]:
    return [sys.executable, "-m", "cleaner", "clean", "--jsonl", "--no-progress", "--jobs", str(jobs)]


def timed_run(corpus: Path, out: Path, jobs: int) -> dict[str, object]:
    """One CLI run over ``corpus``: wall seconds, CPU seconds (in all and per process), output hash."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    per_process: dict[int, float] = {}
    with corpus.open("rb") as stdin, out.open("wb") as stdout:
        proc = subprocess.Popen([*cli(jobs), "-"], stdin=stdin, stdout=stdout)
        while proc.poll() is None:
            # The last value seen per process: up to one interval short, a fraction of a percent.
            for pid in [proc.pid, *_descendants(proc.pid)]:
                per_process[pid] = max(per_process.get(pid, 0.0), _cpu_s(pid))
            time.sleep(0.25)
    if proc.returncode != 0:
        raise SystemExit(f"cleaner exited {proc.returncode}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "sha256": _sha256(out),
        "cpu_by_process_s": sorted((round(c, 2) for c in per_process.values()), reverse=True),
    }


def _cpu_s(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    # utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the command name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def throughput(corpus: Path, size: int, job_counts: list[int], repeats: int, work: Path) -> dict[str, object]:
    runs: dict[int, list[dict[str, object]]] = {jobs: [] for jobs in job_counts}
    capacity = [machine_capacity(job_counts[-1])]
    for round_ in range(repeats):
        # Alternate the order each round so that drifting load from others hits both alike.
        for jobs in job_counts if round_ % 2 == 0 else job_counts[::-1]:
            run = timed_run(corpus, work / f"out-{jobs}.jsonl", jobs)
            run["mb_s"] = round(size / 1e6 / float(run["wall_s"]), 3)  # type: ignore[arg-type]
            run["load_avg_1m"] = round(os.getloadavg()[0], 2)
            runs[jobs].append(run)
            print(f"  jobs={jobs} round={round_ + 1}: {run['wall_s']} s, {run['mb_s']} MB/s, "
                  f"cpu {run['cpu_s']} s, load {run['load_avg_1m']}", file=sys.stderr)
    capacity.append(machine_capacity(job_counts[-1]))
    print(f"  machine capacity for {job_counts[-1]} processes (before, after): {capacity}", file=sys.stderr)
    hashes = {str(run["sha256"]) for rs in runs.values() for run in rs}
    medians = {jobs: statistics.median(_num(r["mb_s"]) for r in rs) for jobs, rs in runs.items()}
    base = medians[job_counts[0]]
    cpu = {jobs: statistics.median(_num(r["cpu_s"]) for r in rs) for jobs, rs in runs.items()}
    busiest = {
        jobs: statistics.median(max(r["cpu_by_process_s"]) for r in rs)  # type: ignore[call-overload]
        for jobs, rs in runs.items()
    }
    return {
        "runs": {str(jobs): rs for jobs, rs in runs.items()},
        "median_mb_s": {str(jobs): round(m, 3) for jobs, m in medians.items()},
        "speedup_vs_1_job": {str(jobs): round(m / base, 3) for jobs, m in medians.items()},
        # Wall-clock speed-up needs idle cores. On a shared machine the CPU seconds spent per
        # run (the CLI and its workers) still show what parallelism costs: at ratio r, N jobs
        # on N idle cores can at best reach N / r of one job's speed.
        "median_cpu_s": {str(jobs): round(c, 3) for jobs, c in cpu.items()},
        "cpu_ratio_vs_1_job": {str(jobs): round(c / cpu[job_counts[0]], 3) for jobs, c in cpu.items()},
        # The CPU seconds of the busiest process (a worker, or the reader) bound the wall time
        # on idle cores; the ratio of that bound at 1 job (where one process does it all) and
        # at N jobs is the speed-up idle cores would allow. An estimate from CPU accounting
        # (sampled from /proc, the same way for both), not a wall-clock measurement.
        "median_busiest_process_cpu_s": {str(jobs): round(b, 3) for jobs, b in busiest.items()},
        "critical_path_speedup_estimate": {
            str(jobs): round(busiest[job_counts[0]] / b, 3) for jobs, b in busiest.items()
        },
        "outputs_identical": len(hashes) == 1,
        # CPU that N busy processes got relative to one, before and after the runs: near N on
        # idle cores, near 1 when other work saturates the machine (then no speed-up can show).
        "machine_capacity": capacity,
    }


def _spin(n: int) -> float:
    start = time.perf_counter()
    total = 0
    for i in range(n):
        total += i * i
    return time.perf_counter() - start


def machine_capacity(processes: int = 2, n: int = 10_000_000) -> float:
    """How much more CPU ``processes`` busy processes get than one, right now (ideal: ``processes``).

    On a machine shared with other work this is what bounds any N-job speed-up measured here.
    """
    import multiprocessing

    one = _spin(n)
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        pool.map(_spin, [n] * processes)
    return round(processes * one / (time.perf_counter() - start), 2)


def _num(value: object) -> float:
    assert isinstance(value, int | float)
    return float(value)


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as handle:
                children = [int(c) for c in handle.read().split()]
        except OSError:
            children = []
        out += children
        todo += children
    return out


def rss_stream(docs: list[dict[str, str | None]], megabytes: float, jobs: int) -> dict[str, object]:
    """Stream ``megabytes`` of generated JSONL through the CLI; sample its RSS (and its workers')."""
    if not Path("/proc/self/status").exists():
        return {"skipped": "needs /proc (Linux)"}
    limit = int(megabytes * 1e6)
    fed = [0]
    proc = subprocess.Popen([*cli(jobs), "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    stdin, stdout = proc.stdin, proc.stdout

    def feed() -> None:
        try:
            for line in records(docs):
                stdin.write(line)
                fed[0] += len(line)
                if fed[0] >= limit:
                    break
        finally:
            stdin.close()

    written = [0]

    def drain() -> None:
        for block in iter(lambda: stdout.read(1 << 20), b""):
            written[0] += len(block)

    threads = [threading.Thread(target=feed, daemon=True), threading.Thread(target=drain, daemon=True)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    samples: list[tuple[float, float, int, int]] = []  # (seconds, MB fed, main kB, total kB)
    while proc.poll() is None:
        main = _rss_kb(proc.pid)
        total = main + sum(_rss_kb(child) for child in _descendants(proc.pid))
        samples.append((round(time.perf_counter() - start, 1), round(fed[0] / 1e6, 1), main, total))
        time.sleep(0.25)
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    peak_main = max((s[2] for s in samples), default=0)
    peak_total = max((s[3] for s in samples), default=0)
    # RSS at each tenth of the input: flat means memory does not grow with input size.
    by_decile = []
    for tenth in range(1, 11):
        at = next((s for s in samples if s[1] >= megabytes * tenth / 10), None)
        if at:
            by_decile.append({"mb_fed": at[1], "main_mb": round(at[2] / 1024, 1), "total_mb": round(at[3] / 1024, 1)})
    return {
        "jobs": jobs,
        "input_mb": round(fed[0] / 1e6, 1),
        "output_mb": round(written[0] / 1e6, 1),
        "wall_s": round(wall, 1),
        "mb_s": round(fed[0] / 1e6 / wall, 3),
        "exit_code": proc.returncode,
        "peak_rss_main_mb": round(peak_main / 1024, 1),
        "peak_rss_any_process_so_far_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "peak_rss_total_mb": round(peak_total / 1024, 1),
        "rss_by_tenth_of_input": by_decile,
        "samples": len(samples),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=80.0, help="throughput corpus size in MB (default 80)")
    parser.add_argument("--jobs", type=int, default=2, help="the parallel job count to compare with 1 (default 2)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per job count; medians reported (default 3)")
    parser.add_argument("--rss-mb", type=float, default=1000.0, help="MB streamed for the RSS check; 0 skips it")
    parser.add_argument("--rss-jobs", type=int, nargs="+", default=[2], help="job counts for the RSS check")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--out", type=Path, help="results file (default benchmarks/results/scale-<date>.json)")
    parser.add_argument(
        "--update", action="store_true", help="keep the sections of an existing results file that this run skips"
    )
    args = parser.parse_args()

    docs = base_documents()
    date = datetime.now(UTC).strftime("%Y-%m-%d")
    out = args.out or ROOT / "benchmarks" / "results" / f"scale-{date}.json"
    result: dict[str, object] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_avg_at_start": [round(x, 2) for x in os.getloadavg()]},
        "base_documents": len(docs),
        "corpora_present": CORPORA.is_dir(),
    }
    ok = True
    with tempfile.TemporaryDirectory(prefix="cleaner-scale-") as tmp:
        work = Path(tmp)
        if not args.skip_throughput:
            corpus = work / "corpus.jsonl"
            size, count = build_corpus(corpus, docs, args.mb)
            print(f"corpus: {size / 1e6:.1f} MB, {count} records", file=sys.stderr)
            result["corpus"] = {"mb": round(size / 1e6, 1), "records": count}
            result["throughput"] = throughput(corpus, size, [1, args.jobs], args.repeats, work)
            ok = bool(result["throughput"]["outputs_identical"])  # type: ignore[index]
        if args.rss_mb > 0:
            result["rss"] = []
            for jobs in args.rss_jobs:
                print(f"rss: streaming {args.rss_mb:.0f} MB through --jobs {jobs}", file=sys.stderr)
                result["rss"].append(rss_stream(docs, args.rss_mb, jobs))  # type: ignore[attr-defined]
    result["load_avg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    if args.update and out.exists():
        previous = json.loads(out.read_text(encoding="utf-8"))
        for section in ("corpus", "throughput", "rss"):
            if section in previous and section not in result:
                result[section] = previous[section]
                result.setdefault("kept_from_earlier_run", []).append(  # type: ignore[attr-defined]
                    {"section": section, "date": previous.get("date")}
                )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    summary = {k: result[k] for k in ("throughput", "rss") if k in result}
    for value in summary.values():
        if isinstance(value, dict):
            value.pop("runs", None)
    print(json.dumps(summary, indent=2))
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}", file=sys.stderr)
    if not ok:
        print("outputs differ between job counts", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
