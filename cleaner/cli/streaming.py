"""Feed ``cleaner clean`` inputs through :mod:`cleaner.util.parallel` and write what comes back.

Inputs are read lazily (a JSONL file line by line, text files one at a time), each item
carrying its size in bytes; results are written as they arrive, in input order, so memory
stays flat whatever the input size and ``--jobs N`` prints exactly what one job prints,
on stdout and on stderr alike.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import stat
import sys
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Generic, TextIO, TypeVar

from cleaner.cli.common import STDIN_LABEL, label
from cleaner.core.errors import CleanerError, OutputError, UnreadableInput
from cleaner.io.inputs import MAX_INPUT_BYTES, MAX_RECORD_BYTES

if TYPE_CHECKING:
    from cleaner.engine.cleaner import Cleaner

P = TypeVar("P")

# An item is its payload and the number of input bytes it came from (for batching and progress).
SizedItem = tuple[P, int]
# What the work function returns for one item: its output (text, or an over-long record
# spilled to disk), what became of it (an outcome counted for the summary: "cleaned",
# "unchanged", "refused", "bad") and the input it came from (the file an --output-dir
# output goes to).
Done = tuple["str | Spilled", str, str]
# What one item gives back: output, stderr text, its input size, outcome, source, and the
# error that stopped it (re-raised once everything before it is written, as one job would).
Output = tuple["str | bytes | Spilled", str, int, str, str, CleanerError | None]
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
        if self.encoding is not None and isinstance(out, str):
            return out.encode(*self.encoding), buffer.getvalue(), size, outcome, source, None
        return out, buffer.getvalue(), size, outcome, source, None


@dataclass(frozen=True, slots=True)
class Spilled:
    """A JSONL line over ``--max-record-bytes``, never held in memory.

    Its bytes wait in a temporary file of the reading process (``spills[key]``), and only
    this marker travels to a worker and back; ``keep`` says whether to write the line out.
    """

    key: int
    size: int
    keep: bool = True


Spills = dict[int, BinaryIO]


def jsonl_items(
    names: Sequence[str], max_bytes: int = MAX_RECORD_BYTES, spills: Spills | None = None,
    max_line_bytes: int = MAX_INPUT_BYTES,
) -> Iterator[SizedItem[tuple[str, bytes | Spilled | UnreadableInput]]]:
    """Yield ``((where, raw_line), size)`` for every non-blank line of the named JSONL inputs.

    ``where`` is ``name:line_number`` for messages (``<stdin>:3`` for standard input). Lines
    stay bytes: they are decoded where they are cleaned, so a decoding warning is printed in
    order with the record's own output. A line over ``max_bytes`` is read with a bound into a
    temporary file in ``spills`` (a :class:`Spilled` item); one over ``max_line_bytes``
    (``/dev/zero``: no line end) ends the reading of its file with an error. A file that
    cannot be opened is one item holding the error, reported in its place.
    """
    spills = {} if spills is None else spills
    keys = itertools.count()
    for name in names:
        if name == "-":
            # A replaced sys.stdin (tests, embedding) may be text only.
            raw = getattr(sys.stdin, "buffer", None)
            stdin = raw if raw is not None else io.BytesIO(_encoded(sys.stdin))
            yield from _lines(STDIN_LABEL, stdin, max_bytes, spills, keys, max_line_bytes)
            continue
        try:
            handle = open(name, "rb")  # noqa: SIM115 - closed by the with below, after the checked open
        except OSError as exc:
            yield (name, UnreadableInput(f"cannot read {name}: {exc.strerror or exc}")), 0
            continue
        with handle:
            yield from _lines(name, handle, max_bytes, spills, keys, max_line_bytes)


def _lines(
    name: str, handle: BinaryIO, max_bytes: int, spills: Spills, keys: Iterator[int], max_line_bytes: int
) -> Iterator[SizedItem[tuple[str, bytes | Spilled | UnreadableInput]]]:
    # A line of max_bytes plus "\r\n" still fits: parse_record measures it without them.
    limit = max_bytes + 2
    number = 0
    while raw := handle.readline(limit):
        number += 1
        if len(raw) == limit and not raw.endswith(b"\n"):
            key = next(keys)
            size = _spill(raw, handle, spills, key, max_line_bytes)
            if size is None:
                problem = (f"{name}:{number}: a line over {max_line_bytes:,} bytes (--max-input-bytes); "
                           "the rest of the file is not read")
                yield (f"{name}:{number}", UnreadableInput(problem)), 0
                return
            yield (f"{name}:{number}", Spilled(key, size)), size
        elif not raw.isspace():
            yield (f"{name}:{number}", raw), len(raw)


def _spill(first: bytes, handle: BinaryIO, spills: Spills, key: int, max_line_bytes: int) -> int | None:
    """Copy an over-long line to a temporary file; return its size without ``\\r\\n``.

    None (and nothing kept) when the line goes on past ``max_line_bytes``.
    """
    # Imported here: only an over-long line needs a temporary file (start-up time).
    import tempfile

    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the writer (or at exit)
    chunk = first
    while chunk:
        if chunk.endswith(b"\n"):
            spool.write(chunk[:-1])
            break
        spool.write(chunk)
        if spool.tell() > max_line_bytes + 1:
            spool.close()
            return None
        chunk = handle.readline(1 << 20)
    size = spool.tell()
    if size:
        spool.seek(-1, os.SEEK_END)
        if spool.read(1) == b"\r":
            size -= 1
            spool.truncate(size)
    spool.seek(0)
    spills[key] = spool
    return size


def _encoded(lines: Iterable[str]) -> bytes:
    return "".join(lines).encode("utf-8", "surrogateescape")


def file_items(
    names: Sequence[str], read: Callable[[str], str]
) -> Iterator[SizedItem[tuple[str, str | UnreadableInput]]]:
    """Yield ``((name, text), size)`` for each named text input, reading one file at a time.

    A file ``read`` refuses (UnreadableInput) is an item holding the error, so the files
    after it are still cleaned and the error is reported in its place.
    """
    for name in names:
        try:
            text = read(name)
        except UnreadableInput as exc:
            yield (name, exc), 0
            continue
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

    def write_spilled(self, source: str, spilled: Spilled, spills: Spills) -> None:
        """An over-long record waiting in a temporary file: copied out (when kept), then dropped."""
        with spills.pop(spilled.key) as spool:
            if not spilled.keep:
                return
            while chunk := spool.read(1 << 20):
                self.write_bytes(source, chunk)
            self.write_bytes(source, b"\n")

    def write_bytes(self, source: str, data: bytes) -> None:
        """Write UTF-8 bytes as they are (a spilled record is never decoded whole)."""
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

    def write_bytes(self, source: str, data: bytes) -> None:
        target = self.raw if self.raw is not None else _byte_stream(self.out)
        if target is None:  # a text-only stream (tests, embedding)
            self.out.write(data.decode("utf-8", "replace"))
            return
        if target is not self.raw:
            self.out.flush()  # text written before goes first
        target.write(data)
        if target is not self.raw:
            target.flush()

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

    def write_bytes(self, source: str, data: bytes) -> None:
        self.write(source, data)

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
    # Inputs that could not be read (reported in place; the command exits 2 at the end).
    unreadable: int = 0

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
    total: int | None, progress: bool, spills: Spills | None = None, sink: Sink | None = None,
    max_warnings: int | None = None,
) -> Tally:
    """Clean ``items`` with ``work`` over ``jobs`` processes; write results in order as they come.

    Outputs go to ``sink`` (stdout by default); diagnostics past ``max_warnings`` are counted,
    not written. An input that cannot be read (UnreadableInput) is reported in its place and
    counted (``tally.unreadable``, outcome "bad"), and the run goes on; any other error stops
    the run once everything before it is written.
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
        with StreamProgress(total, enabled=progress) as bar, contextlib.closing(batches), _worker_deaths():
            for results in batches:
                nbytes = 0
                for text, messages, size, outcome, source, error in results:
                    if messages:
                        bar.message(tally.keep(messages, limit))
                    nbytes += size
                    if isinstance(error, UnreadableInput):
                        bar.message(f"cleaner: error: {error}\n")
                        tally.unreadable += 1
                        tally.outcomes["bad"] += 1
                        continue
                    if error is not None:
                        raise error
                    if isinstance(text, Spilled):
                        sink.write_spilled(source, text, spills if spills is not None else {})
                    else:
                        sink.write(source, text)
                    tally.outcomes[outcome] += 1
                bar.advance(len(results), nbytes)
    finally:
        sink.close()
    return tally


@contextlib.contextmanager
def _worker_deaths() -> Iterator[None]:
    """A killed --jobs worker (OOM killer, kill -9) is an OutputError with exit 2, not a traceback."""
    try:
        yield
    except RuntimeError as exc:
        # Looked up, not imported: a one-job run never loads the process pool (start-up time).
        pools = sys.modules.get("concurrent.futures.process")
        if pools is None or not isinstance(exc, pools.BrokenProcessPool):
            raise
        raise OutputError(
            "a worker process died (killed, or out of memory?); the output is complete up to the last "
            "record written; run again, with fewer --jobs or more memory"
        ) from None


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
