"""The progress bar: on stderr only when it is a terminal, and never a byte of it on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from cleaner.cli.progress import StreamProgress

pty = pytest.importorskip("pty")  # POSIX only

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _records() -> list[bytes]:
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    lines = [json.dumps({"id": i, "text": texts[i % len(texts)]}).encode() + b"\n" for i in range(120)]
    lines.insert(7, b"not json\n")  # a warning that must reach the terminal above the bar
    return lines


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FORCE_", "TTY_", "NO_COLOR"))}
    env.update(TERM="xterm-256color", COLUMNS="120", LINES="40")
    return env


def _run(args: list[str], *, stderr_on_pty: bool) -> tuple[bytes, bytes]:
    """Run ``cleaner clean`` feeding stdin slowly (so the run outlasts the bar's delay)."""
    cmd = [sys.executable, "-m", "cleaner", "clean", *args]
    master, slave = pty.openpty() if stderr_on_pty else (-1, -1)
    with subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=slave if stderr_on_pty else subprocess.PIPE, env=_env(),
    ) as proc:
        if stderr_on_pty:
            os.close(slave)
        seen: list[bytes] = []
        reader = threading.Thread(target=_drain, args=(master if stderr_on_pty else proc.stderr, seen), daemon=True)
        reader.start()
        out: list[bytes] = []
        collector = threading.Thread(target=_drain, args=(proc.stdout, out), daemon=True)
        collector.start()
        assert proc.stdin is not None
        for i, line in enumerate(_records()):
            proc.stdin.write(line)
            if i % 20 == 0:
                proc.stdin.flush()
                time.sleep(0.15)
        proc.stdin.close()
        assert proc.wait(timeout=300) == 0
        collector.join(timeout=60)
        reader.join(timeout=60)
    if stderr_on_pty:
        os.close(master)
    return b"".join(out), b"".join(seen)


def _drain(source: object, into: list[bytes]) -> None:
    """Read a pipe or a pty master (an fd) to its end."""
    read = (lambda: os.read(source, 65536)) if isinstance(source, int) else source.read1  # type: ignore[attr-defined]
    while True:
        try:
            chunk = read()
        except OSError:  # EIO on a pty: the child closed its end
            return
        if not chunk:
            return
        into.append(chunk)


@pytest.fixture(scope="module")
def expected() -> bytes:
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "--jsonl"], input=b"".join(_records()),
        capture_output=True, check=True, timeout=300,
    )
    return done.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bar_on_a_terminal_stderr_and_records_only_on_stdout(expected: bytes, jobs: str) -> None:
    stdout, terminal = _run(["--jsonl", "--jobs", jobs], stderr_on_pty=True)
    assert stdout == expected
    assert b"records" in terminal
    assert b"cleaning" in terminal
    assert b"not JSON" in terminal
    assert b"records" not in stdout


def test_no_bar_when_stderr_is_not_a_terminal(expected: bytes) -> None:
    stdout, stderr = _run(["--jsonl"], stderr_on_pty=False)
    assert stdout == expected
    assert b"not JSON" in stderr
    assert b"records" not in stderr
    assert b"\x1b[" not in stderr


def test_no_progress_flag_silences_the_bar(expected: bytes) -> None:
    stdout, terminal = _run(["--jsonl", "--no-progress"], stderr_on_pty=True)
    assert stdout == expected
    assert b"records" not in terminal


def test_counts_without_drawing_when_disabled() -> None:
    bar = StreamProgress(100, enabled=False, delay=0.0)
    bar.advance(3, 40)
    bar.advance(2, 60)
    bar.close()
    assert (bar.records, bar.nbytes) == (5, 100)
    assert "rich.progress" not in sys.modules or bar._bar is None
