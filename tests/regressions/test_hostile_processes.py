"""Issue 15, item 9: SIGTERM ends the workers as Ctrl-C does; --jobs has an upper bound."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.core.errors import ConfigError
from cleaner.util.parallel import max_jobs

ROOT = Path(__file__).resolve().parents[2]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(condition: object, seconds: float = 60.0) -> bool:
    # A bound on how long to wait for the processes to appear or go, not a speed check.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_item9_sigterm_ends_the_workers_too() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleaner", "clean", "--jsonl", "--jobs", "2", "--no-progress"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )
    assert proc.stdin is not None
    workers: list[int] = []
    try:
        # Records, then no end of input: the run is under way, its workers waiting for more.
        proc.stdin.write(b"".join(json.dumps({"text": f"Line {n}\n\nSource link"}).encode() + b"\n"
                                  for n in range(2000)))
        proc.stdin.flush()
        assert _wait_for(lambda: len(_children(proc.pid)) >= 2), "the workers never started"
        workers = _children(proc.pid)
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
        assert _wait_for(lambda: not any(_running(pid) for pid in workers)), (
            f"workers {[pid for pid in workers if _running(pid)]} outlived their parent"
        )
        assert code == 143  # 128 + SIGTERM, as if the signal had killed it
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in workers:  # orphans hold stdout open: communicate() would wait for them forever
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err


@pytest.mark.parametrize("jobs", ["2000", "99999999999999999999", "-3", "two"])
def test_item9_jobs_has_bounds(jobs: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "--jobs", jobs], input=b"Text\n", capture_output=True,
        cwd=ROOT, timeout=120, check=False,
    )
    assert done.returncode == 2
    assert b"argument --jobs/-j: expected" in done.stderr
    assert b"Traceback" not in done.stderr


def test_item9_clean_many_has_the_same_bound() -> None:
    with pytest.raises(ConfigError, match="jobs must be between 0"):
        list(Cleaner.default().clean_many(["a"], jobs=max_jobs() + 1))


@pytest.mark.parametrize("option", ["--max-record-bytes", "--max-input-bytes"])
def test_size_limits_must_be_positive(option: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", option, "-5"], input=b"Text\n", capture_output=True,
        cwd=ROOT, timeout=120, check=False,
    )
    assert done.returncode == 2
    assert b"expected 1 or more bytes, got -5" in done.stderr
