"""The bad-input and bad-rule suites of issue 15, as one sweep with counts.

    python benchmarks/hostile.py            # prints the counts; exit 1 on any failure

Bad input: hostile JSONL records (huge integers, 1E400, lone surrogates, deep nesting, bad
JSON, non-objects, non-string texts, 200 KB URLs, control characters, invalid UTF-8, lines
over --max-record-bytes, backtracking bait) through `cleaner clean --jsonl` with 1 and 2 jobs
and each --on-error policy; hostile text files (binary, invalid UTF-8, empty, missing, a
FIFO-free /dev/null) in one run. Bad rules: every fixture under tests/fixtures/rules plus
symlinks, a FIFO and deep nesting, through `rules validate`, `rules test` and `clean --rules`.
Counted: inputs tried, tracebacks (must be 0), records in vs records out.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "Title of the story\n\nThe article says something worth keeping.\n\nSource link"


@dataclass
class Counts:
    inputs: int = 0
    runs: int = 0
    tracebacks: int = 0
    records_in: int = 0
    records_out: int = 0
    failures: list[str] = field(default_factory=list)


def _cli(args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "cleaner", *args], input=stdin, capture_output=True,
                          cwd=ROOT, timeout=600, check=False)


def hostile_records(count: int, seed: int = 15) -> list[bytes]:
    """``count`` JSONL lines, each hostile in one or more ways (some are good records)."""
    rng = random.Random(seed)
    text = json.dumps(ARTICLE)
    shapes = [
        lambda: '{"text": ' + text + ', "n": ' + "9" * rng.randrange(4301, 6000) + "}",
        lambda: '{"big": 1E400, "tiny": 1e-400, "z": -0, "f": 3.141592653589793238462643383279, "text": ' + text + "}",
        lambda: '{"title": "\\ud800 x", "low": "\\udc80", "text": ' + text + "}",
        lambda: '{"text": "Title \\ud800\\n\\nBody &amp; more <b>\\n\\nSource link"}',
        lambda: '{"deep": ' + "[" * 5000 + "]" * 5000 + ', "text": ' + text + "}",
        lambda: '{"text": ' + text + ', "url": "https://' + "a." * 100_000 + 'example.org/"}',
        lambda: '{"text": "unterminated',
        lambda: "[1, 2, 3]",
        lambda: '{"text": 42}',
        lambda: '{"no_text": true}',
        lambda: '{"text": ' + json.dumps(("x" + " " * 19 + ">") * 7 + " " * 19 + ".\n" * 3 + "Body.") + "}",
        lambda: '{"text": ' + json.dumps("".join(chr(rng.randrange(0, 0x2FFF)) for _ in range(200))) + "}",
        lambda: '{"text": ' + json.dumps("©<\n&nbsp;\nAT&amp;T") + "}",
        lambda: '{"text": ' + text + ', "dup": 1, "dup": 2, "text": ' + text + "}",
        lambda: '{"text": ' + json.dumps("w " * 700_000) + "}",  # over the 1 MB limit used below
    ]
    out = []
    for i in range(count):
        line = shapes[i % len(shapes)]().encode("utf-8", "surrogatepass")
        if i % 7 == 3:
            line = line.replace(b"Title", b"Ti\xfftle")  # invalid UTF-8
        if i % 11 == 5:
            line = line + b"\r"
        out.append(line + b"\n")
    return out


def sweep_records(counts: Counts, count: int) -> None:
    lines = hostile_records(count)
    stdin = b"".join(lines)
    for jobs in ("1", "2"):
        for policy in ("passthrough", "skip"):
            done = _cli(["clean", "--jsonl", "-j", jobs, "--on-error", policy, "--max-record-bytes", "1000000"],
                        stdin)
            counts.runs += 1
            counts.inputs += len(lines)
            err = done.stderr.decode("utf-8", "replace")
            counts.tracebacks += err.count("Traceback")
            out = done.stdout.splitlines()
            bad = sum(1 for line in err.splitlines() if "record skipped" in line)
            counts.records_in += len(lines)
            counts.records_out += len(out) + (bad if policy == "skip" else 0)
            try:
                done.stdout.decode("utf-8")
            except UnicodeDecodeError:
                counts.failures.append(f"-j {jobs} {policy}: output is not valid UTF-8")
            if done.returncode != 0:
                counts.failures.append(f"-j {jobs} {policy}: exit {done.returncode}")
            if len(out) + (bad if policy == "skip" else 0) != len(lines):
                counts.failures.append(f"-j {jobs} {policy}: {len(lines)} records in, {len(out)} out, {bad} skipped")


def sweep_files(counts: Counts, folder: Path) -> None:
    files = {
        "good.txt": ARTICLE.encode(),
        "binary.bin": b"\x00\x01binary",
        "latin1.txt": "caf\xe9 au lait\n".encode("latin-1"),
        "empty.txt": b"",
        "crlf.txt": ARTICLE.replace("\n", "\r\n").encode(),
        "controls.txt": b"Title\x07\x1b[31m\n\nBody\x0c text.\n",
    }
    names = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        names.append(str(folder / name))
    names[3:3] = [str(folder / "missing.txt"), "/dev/null"]
    for jobs in ("1", "2"):
        done = _cli(["clean", "-j", jobs, *names])
        counts.runs += 1
        counts.inputs += len(names)
        err = done.stderr.decode("utf-8", "replace")
        counts.tracebacks += err.count("Traceback")
        if done.returncode != 2 or done.stdout.count(b"Title") < 3:
            counts.failures.append(f"files -j {jobs}: exit {done.returncode}, output {done.stdout[:80]!r}")


def sweep_rules(counts: Counts, folder: Path) -> None:
    cases = sorted(p for p in (ROOT / "tests" / "fixtures" / "rules").iterdir() if p.is_dir())
    extra = folder / "hostile-rules"
    (extra / "common").mkdir(parents=True)
    (extra / "common" / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(extra / "common" / "pipe.yaml")
    (extra / "common" / "deep.yaml").write_text("id: deep\nexamples: " + "[" * 10000 + "]" * 10000 + "\n")
    for case in [*cases, extra]:
        dirs = [str(p) for p in sorted(case.iterdir()) if p.is_dir() and p.name not in ("common", "sites")]
        dirs = dirs or [str(case)]
        for args in (["rules", "validate", "--builtin", *dirs], ["rules", "test", *dirs],
                     ["clean", *[a for d in dirs for a in ("--rules", d)]]):
            done = _cli(args, ARTICLE.encode())
            counts.runs += 1
            counts.inputs += 1
            err = done.stderr.decode("utf-8", "replace")
            counts.tracebacks += err.count("Traceback")
            if done.returncode not in (0, 1, 2):
                counts.failures.append(f"{case.name} {args[0]}: exit {done.returncode}")


def main() -> int:
    records, files, rules = Counts(), Counts(), Counts()
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory() as tmp:
        sweep_records(records, count)
        sweep_files(files, Path(tmp))
        sweep_rules(rules, Path(tmp))
    for name, c in (("bad-input records", records), ("bad-input files", files), ("bad-rule dirs", rules)):
        print(f"{name}: {c.inputs} inputs tried in {c.runs} runs, {c.tracebacks} tracebacks"
              + (f", records in {c.records_in} == out {c.records_out}" if c.records_in else "")
              + (f", FAILURES: {c.failures}" if c.failures else ""))
    return 1 if any(c.failures or c.tracebacks for c in (records, files, rules)) else 0


if __name__ == "__main__":
    raise SystemExit(main())
