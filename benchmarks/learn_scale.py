"""Memory of crawl learning over a generated 1 GB stream: flat, whatever the crawl size.

    .venv/bin/python benchmarks/learn_scale.py               # learning pass, in process, 1 GB (~1-2 min)
    .venv/bin/python benchmarks/learn_scale.py --mb 100      # a quick look
    .venv/bin/python benchmarks/learn_scale.py --cli         # also `cleaner clean --jsonl --learn -` on the stream

The stream is generated on the fly (nothing is read from ../shared, nothing is written to the
repository but ``benchmarks/results/learn-scale-<date>.json``): 20 big sites (a quarter of the
pages each get furniture lines the learner must find) and 4,000 small ones, every page with
varying prose and five short lines drawn from a pool of 60,000 (tags, photo credits, captions),
so that the per-site tables and the table in all fill up and are pruned (LearnOptions:
``max_shapes_per_site``, ``max_shapes``). Their labels ("Tag:", "Photo:") recur on every page:
thousands of sites learn them as prefixes, which also shows the memory of many learned sites.

The learning pass runs in this process: its peak RSS is sampled at every tenth of the stream,
with the number of shapes held and how far counts were lowered. ``--cli`` then pipes the same
stream into the CLI (stdin spooled to a temporary file, learned, cleaned) and samples its RSS
from /proc. Learning must find every big site's furniture, caps or not, and learn no varying
line whole, or the script exits 1.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIG_SITES = 20
SMALL_SITES = 4000
WORDS = [
    "the", "council", "harbour", "winter", "report", "budget", "river", "school", "plan", "vote", "market", "bridge",
    "road", "water", "court", "health", "police", "study", "energy", "farm", "station", "museum", "library", "county",
    "mayor", "board", "workers", "families", "people", "said", "would", "could", "after", "before", "during",
    "because", "while", "against", "between", "through", "announced", "approved",
]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(16, 30))]
    return " ".join(words).capitalize() + "."


def pages(megabytes: float, seed: int = 14) -> Iterator[tuple[str, str]]:
    """(text, url) pages until ``megabytes`` of text have been produced."""
    rng = random.Random(seed)
    sentences = [_sentence(rng) for _ in range(20_000)]
    shorts = [f"{rng.choice(['Tag', 'Photo', 'Filed under', 'Credit'])}: "
              + " ".join(rng.choice(WORDS).title() for _ in range(3)) for _ in range(60_000)]
    budget, produced, n = megabytes * 1e6, 0, 0
    while produced < budget:
        n += 1
        big = n % 2 == 0
        site = f"big{n // 2 % BIG_SITES}.example" if big else f"small{n // 2 % SMALL_SITES}.example"
        furnished = big and rng.random() < 0.25
        head = [f"{site} desk"] if furnished else []
        tail = [f"Follow {site} for more", "Share this page"] if furnished else []
        body = [rng.choice(sentences) + " " + rng.choice(sentences) for _ in range(rng.randint(8, 14))]
        title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize()
        lines = [*head, title, *body[:3], *rng.sample(shorts, 5), *body[3:], *tail]
        text = "\n\n".join(lines)
        produced += len(text)
        yield text, f"https://www.{site}/story/{n}"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def learning_pass(megabytes: float) -> dict[str, object]:
    from cleaner.engine.learn import Learner

    learner = Learner()
    checkpoints = []
    step, next_mark, produced, count = megabytes * 1e6 / 10, megabytes * 1e6 / 10, 0, 0
    start, cpu = time.perf_counter(), time.process_time()
    for text, url in pages(megabytes):
        learner.add(text, url=url)
        produced += len(text)
        count += 1
        if produced >= next_mark:
            next_mark += step
            checkpoints.append({
                "mb": round(produced / 1e6), "pages": count, "peak_rss_mb": round(_rss_mb(), 1),
                "shapes": sum(len(site.shapes) for site in learner.sites.values()),
                "max_lowered": max(site.lowered for site in learner.sites.values()),
            })
            print(f"  {checkpoints[-1]}", file=sys.stderr)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    learned = learner.result()
    missing = [
        f"big{i}.example" for i in range(BIG_SITES)
        if {"Share this page", f"Follow big{i}.example for more"} - {
            line for rule in learned.by_site().get(f"big{i}.example", []) for line in rule.examples.match
        }
    ]
    # The short lines vary after their label: the label may be learned as a prefix
    # ("Tag:\s+\S.*", furniture of every page), a whole line never.
    varying = ("Tag:", "Photo:", "Filed under:", "Credit:")
    content = [
        r.qualified_id for r in learned.rules
        if r.examples.match[0].startswith(varying) and not (r.pattern or "").endswith(r"\s+\S.*")
    ]
    return {
        "megabytes": megabytes, "pages": count, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
        "mb_per_cpu_s": round(produced / 1e6 / cpu, 2), "checkpoints": checkpoints,
        "learned_rules": len(learned.rules), "learned_sites": len(learned.by_site()),
        "big_sites_missing_furniture": missing,
        "rules_on_varying_lines": content,
    }


def cli_pass(megabytes: float) -> dict[str, object]:
    """The whole CLI over the generated stream on stdin, RSS sampled from /proc."""
    cleaner = str(Path(sys.executable).parent / "cleaner")
    proc = subprocess.Popen([cleaner, "clean", "--jsonl", "--learn", "--no-progress", "-"],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    assert proc.stdin is not None
    stdin = proc.stdin

    def feed() -> None:
        with stdin:
            for text, url in pages(megabytes):
                stdin.write((json.dumps({"text": text, "url": url}) + "\n").encode("utf-8"))

    feeder = threading.Thread(target=feed)
    start = time.perf_counter()
    feeder.start()
    samples = []
    while proc.poll() is None:
        try:
            with open(f"/proc/{proc.pid}/status", encoding="ascii") as status:
                rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
            samples.append((round(time.perf_counter() - start, 1), round(rss / 1024, 1)))
        except (OSError, StopIteration):
            pass
        time.sleep(0.5)
    feeder.join()
    return {
        "exit_code": proc.returncode, "seconds": round(time.perf_counter() - start, 1),
        "peak_rss_mb": max((r for _, r in samples), default=0.0),
        "rss_by_tenth_of_run_mb": [samples[i * len(samples) // 10][1] for i in range(10)] if samples else [],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=1000.0, help="megabytes of text to stream (default 1000)")
    parser.add_argument("--cli", action="store_true", help="also run the whole CLI over the stream")
    args = parser.parse_args()
    report: dict[str, object] = {"date": datetime.now(UTC).isoformat(timespec="seconds")}
    report["learning_pass"] = learning_pass(args.mb)
    if args.cli:
        report["cli"] = cli_pass(args.mb)
    text = json.dumps(report, indent=2)
    print(text)
    out = ROOT / "benchmarks" / "results" / f"learn-scale-{datetime.now(UTC).date()}.json"
    out.write_text(text + "\n", encoding="utf-8")
    learning = report["learning_pass"]
    assert isinstance(learning, dict)
    return 1 if learning["big_sites_missing_furniture"] or learning["rules_on_varying_lines"] else 0


if __name__ == "__main__":
    sys.exit(main())
