"""Issue 15's bad-input sweep (benchmarks/hostile.py) at a small size: every hostile record and
file through the real CLI, 1 and 2 jobs, each --on-error policy; no traceback, records in ==
records out, valid UTF-8 out."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import hostile  # noqa: E402


def test_hostile_records_and_files_lose_nothing(tmp_path: Path) -> None:
    counts = hostile.Counts()
    hostile.sweep_records(counts, 30)
    hostile.sweep_files(counts, tmp_path)
    assert counts.failures == []
    assert counts.tracebacks == 0
    assert counts.records_in == counts.records_out == 4 * 30
