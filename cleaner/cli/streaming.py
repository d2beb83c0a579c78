"""Feed ``cleaner clean`` inputs through :mod:`cleaner.util.parallel` and write what comes back.

Inputs are read lazily (a JSONL file line by line, text files one at a time), each item
carrying its size in bytes; results are written as they arrive, in input order, so memory
stays flat whatever the input size and ``--jobs N`` prints exactly what one job prints,
on stdout and on stderr alike.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TextIO, TypeVar

from cleaner.cli.common import STDIN_LABEL, label
from cleaner.core.errors import CleanerError, InputError

if TYPE_CHECKING:
    from cleaner.engine.cleaner import Cleaner

P = TypeVar("P")

# An item is its payload and the number of input bytes it came from (for batching and progress).
SizedItem = tuple[P, int]
# What the work function returns for one item: its output text, what became of it (an outcome
# counted for the summary: "cleaned", "unchanged", "refused", "bad") and the input it came from
# (the file an --output-dir output goes to).
Done = tuple[str, str, str]
# What one item gives back: output text, stderr text, its input size, outcome, source, and the
# error that stopped it (re-raised once everything before it is written, as one job would).
Output = tuple[str | bytes, str, int, str, str, CleanerError | None]
WARNING_PREFIX = "cleaner: "
"""Lines on stderr that start so are diagnostics (capped by ``max_warnings``); others, such as
``--explain`` output, were asked for and are always written."""


@dataclass(frozen=True, slots=True)
class Captured(Generic[P]):
    """A work function that also returns what it printed on stderr, so it can be replayed in order.

    ``work(cleaner, payload)`` returns the item's stdout text and may print diagnostics on
    ``sys.stderr``; in a worker process those would otherwise interleave at random. With
    ``encoding`` (stdout's encoding and error handler) the text comes back encoded: the
    worker does the encoding, and the process writing everything in order only copies bytes.
    """

    work: Callable[[Cleaner, P], Done]
    encoding: tuple[str, str] | None = None

    def __call__(self, cleaner: Cleaner, item: SizedItem[P]) -> Output:
        payload, size = item
        buffer = io.StringIO()
        try:
            with contextlib.redirect_stderr(buffer):
                out, outcome, source = self.work(cleaner, payload)
        except CleanerError as exc:
            # Not raised here: the items batched before this one must still be written.
            return "", buffer.getvalue(), size, "", "", exc
        except BaseException:
            sys.stderr.write(buffer.getvalue())
            raise
        if self.encoding is not None:
            return out.encode(*self.encoding), buffer.getvalue(), size, outcome, source, None
        return out, buffer.getvalue(), size, outcome, source, None


def jsonl_items(names: Sequence[str]) -> Iterator[SizedItem[tuple[str, bytes]]]:
    """Yield ``((where, raw_line), size)`` for every non-blank line of the named JSONL inputs.

    ``where`` is ``name:line_number`` for messages (``<stdin>:3`` for standard input). Lines
    stay bytes: they are decoded where they are cleaned, so a decoding warning is printed in
    order with the record's own output.
    """
    for name in names:
        if name == "-":
            # A replaced sys.stdin (tests, embedding) may be text only.
            raw = getattr(sys.stdin, "buffer", None)
            yield from _lines(STDIN_LABEL, raw if raw is not None else _encoded(sys.stdin))
            continue
        try:
            handle = open(name, "rb")  # noqa: SIM115 - closed by the with below, after the checked open
        except OSError as exc:
            raise InputError(f"cannot read {name}: {exc.strerror or exc}") from exc
        with handle:
            yield from _lines(name, handle)


def _lines(name: str, handle: Iterable[bytes]) -> Iterator[SizedItem[tuple[str, bytes]]]:
    for number, raw in enumerate(handle, 1):
        if raw.isspace():
            continue
        yield (f"{name}:{number}", raw), len(raw)


def _encoded(lines: Iterable[str]) -> Iterator[bytes]:
    for line in lines:
        yield line.encode("utf-8", "surrogateescape")


def file_items(names: Sequence[str], read: Callable[[str], str]) -> Iterator[SizedItem[tuple[str, str]]]:
    """Yield ``((name, text), size)`` for each named text input, reading one file at a time."""
    for name in names:
        text = read(name)
        size = _file_size(name)
        yield (label(name), text), size if size is not None else len(text.encode("utf-8", "replace"))


def total_size(names: Sequence[str]) -> int | None:
    """The inputs' total size in bytes, or None when one is a pipe (no ETA then)."""
    sizes = [_file_size(name) for name in names]
    return None if any(s is None for s in sizes) else sum(s for s in sizes if s is not None)


def _file_size(name: str) -> int | None:
    if name == "-":
        return None
    try:
        info = os.stat(name)
    except OSError:
        return None  # the read reports it, with the path
    return info.st_size if stat.S_ISREG(info.st_mode) else None


class Sink:
    """Where outputs go: a text stream (stdout, an ``-o`` file) or one file per input (``--output-dir``)."""

    encoding: tuple[str, str] | None = None
    """When set, workers encode their output and :meth:`write` receives bytes."""

    def write(self, source: str, data: str | bytes) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Flush what was written; close what this sink opened."""


class StreamSink(Sink):
    """All outputs, in input order, to one text stream."""

    def __init__(self, out: TextIO, *, jobs: int, owned: bool = False) -> None:
        self.out, self.owned = out, owned
        # With several jobs the writing process is the bottleneck to spare: it copies the
        # bytes the workers encoded instead of decoding and encoding every result again.
        self.raw = _byte_stream(out) if jobs != 1 else None
        if self.raw is not None:
            out.flush()  # anything already written as text goes first
            self.encoding = (out.encoding, out.errors or "strict")

    def write(self, source: str, data: str | bytes) -> None:
        if isinstance(data, bytes):
            assert self.raw is not None
            self.raw.write(data)
        else:
            self.out.write(data)

    def close(self) -> None:
        if self.raw is not None:
            self.raw.flush()
        if self.owned:
            self.out.close()
        else:
            self.out.flush()


class DirSink(Sink):
    """Each input's output to ``directory / its file name`` (UTF-8), like ``ruff format``'s one file per input."""

    encoding = ("utf-8", "strict")

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.source: str | None = None
        self.handle: io.BufferedWriter | None = None

    def write(self, source: str, data: str | bytes) -> None:
        if source != self.source:
            self.close()
            self.source = source
            self.handle = open(self.directory / Path(source).name, "wb")  # noqa: SIM115 - closed by close()
        assert self.handle is not None
        self.handle.write(data.encode(*self.encoding) if isinstance(data, str) else data)

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


@dataclass
class Tally:
    """What a run did: outcomes counted, and diagnostics written and held back by the cap."""

    outcomes: Counter[str] = field(default_factory=Counter)
    warnings: int = 0
    hidden: int = 0

    def keep(self, messages: str, limit: int) -> str:
        """``messages`` less the diagnostic lines past the first ``limit`` of the run."""
        kept = []
        for line in messages.splitlines(keepends=True):
            if line.startswith(WARNING_PREFIX):
                self.warnings += 1
                if self.warnings > limit:
                    self.hidden += 1
                    continue
            kept.append(line)
        return "".join(kept)


def run(
    cleaner: Cleaner, work: Callable[[Cleaner, P], Done], items: Iterable[SizedItem[P]], *, jobs: int,
    total: int | None, progress: bool, sink: Sink | None = None, max_warnings: int | None = None,
) -> Tally:
    """Clean ``items`` with ``work`` over ``jobs`` processes; write results in order as they come.

    Outputs go to ``sink`` (stdout by default); diagnostics past ``max_warnings`` are counted,
    not written.
    """
    # Imported here: the progress bar and the process pool load only when a stream is cleaned.
    from cleaner.cli.progress import StreamProgress
    from cleaner.util.parallel import ordered_map_batches

    sink = sink if sink is not None else StreamSink(sys.stdout, jobs=jobs)
    tally = Tally()
    limit = max_warnings if max_warnings is not None else sys.maxsize
    batches: Generator[list[Output], None, None] = ordered_map_batches(
        cleaner, Captured(work, sink.encoding), items, jobs=jobs, weigh=_size
    )
    try:
        with StreamProgress(total, enabled=progress) as bar, contextlib.closing(batches):
            for results in batches:
                nbytes = 0
                for text, messages, size, outcome, source, error in results:
                    if messages:
                        bar.message(tally.keep(messages, limit))
                    if error is not None:
                        raise error
                    sink.write(source, text)
                    tally.outcomes[outcome] += 1
                    nbytes += size
                bar.advance(len(results), nbytes)
    finally:
        sink.close()
    return tally


def _byte_stream(out: object) -> io.BufferedIOBase | None:
    """The binary stream under a text stdout, when writing encoded bytes to it is the same.

    With several jobs the writing process is the bottleneck to spare: writing the workers'
    bytes saves it decoding every result and encoding it again. Not when newlines would be
    translated (Windows) or stdout is not a plain text file wrapper (tests, embedding).
    """
    if not isinstance(out, io.TextIOWrapper) or os.linesep != "\n":
        return None
    buffer = out.buffer
    return buffer if isinstance(buffer, io.BufferedIOBase) else None


def _size(item: SizedItem[object]) -> int:
    return item[1]
