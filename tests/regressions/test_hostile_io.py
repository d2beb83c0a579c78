"""Issue 15, item 14: an I/O error is a clear message and exit 2 (usage/unreadable), never a
traceback with exit 1 (which means "findings")."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_cc55f22e054cb396.txt"
FULL = Path("/dev/full")
pytestmark = pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full")


def run_to(stdout: Path, *args: str, stdin: bytes = b"") -> tuple[int, str]:
    with stdout.open("wb") as out:
        done = subprocess.run(
            [sys.executable, "-m", "cleaner", *args], input=stdin, stdout=out, stderr=subprocess.PIPE, cwd=ROOT,
            timeout=300, check=False,
        )
    err = done.stderr.decode()
    assert "Traceback" not in err and "Exception ignored" not in err, err
    return done.returncode, err


@pytest.mark.parametrize("args", [("clean", str(SEED)), ("clean", "--jsonl", "-j", "2"), ("rules", "docs")])
def test_item14_disk_full_on_stdout(args: tuple[str, ...]) -> None:
    records = b"".join(json.dumps({"text": f"Story {n}\n\nBody."}).encode() + b"\n" for n in range(3000))
    code, err = run_to(FULL, *args, stdin=records)
    assert code == 2
    assert "cleaner: error: cannot write standard output: No space left on device" in err


def test_item14_rules_docs_to_a_missing_folder(tmp_path: Path) -> None:
    code, err = run_to(tmp_path / "out", "rules", "docs", "-o", "/nonexistent/x.md")
    assert code == 2
    assert "cannot write /nonexistent/x.md: No such file or directory" in err


def test_item14_mine_to_dev_full(tmp_path: Path) -> None:
    from mine_fixtures import FIXTURES

    site = "riverbend-gazette.example"
    pages = [str(FIXTURES / site / "pages" / f"synthetic-{n:02d}.txt") for n in range(1, 5)]
    code, err = run_to(tmp_path / "out", "mine", *pages, "--site", site, "-o", str(FULL), "--force")
    assert code == 2
    assert "cannot write /dev/full: No space left on device" in err


def test_item14_a_killed_worker_is_exit_2() -> None:
    from tests.regressions.test_hostile_processes import _children, _wait_for

    with subprocess.Popen(
        [sys.executable, "-m", "cleaner", "clean", "--jsonl", "--jobs", "2", "--no-progress"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
    ) as proc:
        assert proc.stdin is not None
        try:
            proc.stdin.write(b"".join(json.dumps({"text": f"Story {n}"}).encode() + b"\n" for n in range(500)))
            proc.stdin.flush()
            assert _wait_for(lambda: len(_children(proc.pid)) >= 2), "the workers never started"
            os.kill(_children(proc.pid)[0], signal.SIGKILL)
            # More work, so that the parent meets the broken pool.
            proc.stdin.write(b"".join(json.dumps({"text": f"Story {n}"}).encode() + b"\n" for n in range(5000)))
        except BrokenPipeError:
            pass
        _, stderr = proc.communicate(timeout=120)
    err = stderr.decode()
    assert "Traceback" not in err, err
    assert proc.returncode == 2
    assert "a worker process died" in err
