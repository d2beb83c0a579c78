"""A progress bar on stderr (records, MB/s, ETA) that never touches stdout.

rich is imported only when the bar is actually shown: runs shorter than ``delay`` seconds,
and runs whose stderr is not a terminal, never pay for it.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any


def wanted() -> bool:
    """Show a bar only when a person watches stderr and stdout goes elsewhere.

    When stdout is the same terminal, the records themselves show progress, and a bar
    redrawn between them would garble both.
    """
    return _isatty(sys.stderr) and not _isatty(sys.stdout)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class StreamProgress:
    """Count records and bytes; once ``delay`` has passed, draw them as a rich bar on stderr.

    ``total`` is the input size in bytes when known (files), which gives a bar and an ETA;
    for a pipe the bar shows records, bytes and MB/s only.
    """

    # Redraw at most this often: updating rich per record would cost more than cleaning it.
    _EVERY = 0.1

    def __init__(self, total: int | None, *, enabled: bool, delay: float = 0.5) -> None:
        self.total = total
        self.enabled = enabled
        self.delay = delay
        self.records = 0
        self.nbytes = 0
        self._started = time.monotonic()
        self._last = 0.0
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> StreamProgress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def advance(self, records: int, nbytes: int) -> None:
        """Add finished records and the bytes they came from."""
        self.records += records
        self.nbytes += nbytes
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < self._EVERY:
            return
        self._last = now
        if self._bar is None and now - self._started >= self.delay:
            self._start()
        if self._bar is not None:
            self._bar.update(self._task, completed=self.nbytes, records=self.records, rate=self._rate())

    def message(self, text: str) -> None:
        """Write a diagnostic to stderr, above the bar when one is drawn."""
        if not text:
            return
        if self._bar is None:
            sys.stderr.write(text)
        else:
            self._bar.console.out(text, end="", highlight=False)

    def close(self) -> None:
        """Draw the final counts and stop the bar (if it was shown)."""
        if self._bar is not None:
            self._bar.update(self._task, completed=self.nbytes, records=self.records, rate=self._rate())
            self._bar.stop()
            self._bar = None

    def _rate(self) -> str:
        # The mean since the start: steadier than rich's windowed speed, and still known at the end.
        elapsed = max(time.monotonic() - self._started, 1e-9)
        return f"{self.nbytes / elapsed / 1e6:.1f} MB/s"

    def _start(self) -> None:
        # Imported here: rich costs start-up time; only a terminal view needs it.
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        bar = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[records]:,} records"),
            DownloadColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            # Never capture the process's streams: stdout carries the records and must
            # receive them untouched, and stderr diagnostics go through message().
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._task = bar.add_task(
            "cleaning", total=self.total, completed=self.nbytes, records=self.records, rate=self._rate()
        )
        bar.start()
        self._bar = bar
