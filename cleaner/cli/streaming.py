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
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO, Generic, TextIO, TypeVar

from cleaner.core.errors import CleanerError, OutputError, UnreadableInput
from cleaner.io.inputs import MAX_INPUT_BYTES, MAX_RECORD_BYTES

if TYPE_CHECKING:
    from cleaner.engine.cleaner import Cleaner

P = TypeVar("P")

# An item is its payload and the number of input bytes it came from (for batching and progress).
SizedItem = tuple[P, int]
# What one item gives back: stdout text, stderr text, its input size, and the error that
# stopped it (re-raised once everything before it is written, as one job would).
Output = tuple["str | bytes | Spilled", str, int, CleanerError | None]


@dataclass(frozen=True, slots=True)
class Captured(Generic[P]):
    """A work function that also returns what it printed on stderr, so it can be replayed in order.

    ``work(cleaner, payload)`` returns the item's stdout text and may print diagnostics on
    ``sys.stderr``; in a worker process those would otherwise interleave at random. With
    ``encoding`` (stdout's encoding and error handler) the text comes back encoded: the
    worker does the encoding, and the process writing everything in order only copies bytes.
    """

    work: Callable[[Cleaner, P], str | Spilled]
    encoding: tuple[str, str] | None = None

    def __call__(self, cleaner: Cleaner, item: SizedItem[P]) -> Output:
        payload, size = item
        buffer = io.StringIO()
        try:
            with contextlib.redirect_stderr(buffer):
                out = self.work(cleaner, payload)
        except CleanerError as exc:
            # Not raised here: the items batched before this one must still be written.
            return "", buffer.getvalue(), size, exc
        except BaseException:
            sys.stderr.write(buffer.getvalue())
            raise
        if self.encoding is not None and isinstance(out, str):
            return out.encode(*self.encoding), buffer.getvalue(), size, None
        return out, buffer.getvalue(), size, None


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

    ``where`` is ``name:line_number`` for messages. Lines stay bytes: they are decoded where
    they are cleaned, so a decoding warning is printed in order with the record's own output.
    A line over ``max_bytes`` is read with a bound into a temporary file in ``spills``
    (a :class:`Spilled` item); one over ``max_line_bytes`` (``/dev/zero``: no line end) ends
    the reading of its file with an error. A file that cannot be opened is one item holding
    the error, reported in its place.
    """
    spills = {} if spills is None else spills
    keys = itertools.count()
    for name in names:
        if name == "-":
            # A replaced sys.stdin (tests, embedding) may be text only.
            raw = getattr(sys.stdin, "buffer", None)
            stdin = raw if raw is not None else io.BytesIO(_encoded(sys.stdin))
            yield from _lines(name, stdin, max_bytes, spills, keys, max_line_bytes)
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
        yield (name, text), size if size is not None else len(text.encode("utf-8", "replace"))


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


def run(
    cleaner: Cleaner, work: Callable[[Cleaner, P], str | Spilled], items: Iterable[SizedItem[P]], *, jobs: int,
    total: int | None, progress: bool, spills: Spills | None = None,
) -> int:
    """Clean ``items`` with ``work`` over ``jobs`` processes; write results in order as they come.

    Returns how many inputs could not be read (UnreadableInput: reported in place, the run goes
    on); any other error stops the run once everything before it is written.
    """
    # Imported here: the progress bar and the process pool load only when a stream is cleaned.
    from cleaner.cli.progress import StreamProgress
    from cleaner.util.parallel import ordered_map_batches

    out = sys.stdout
    raw = _byte_stream(out) if jobs != 1 else None
    if raw is not None:
        out.flush()  # anything already written as text goes first
    encoding = (out.encoding, out.errors or "strict") if raw is not None else None
    batches: Generator[list[Output], None, None] = ordered_map_batches(
        cleaner, Captured(work, encoding), items, jobs=jobs, weigh=_size
    )
    unreadable = 0
    with StreamProgress(total, enabled=progress) as bar, contextlib.closing(batches), _worker_deaths():
        for results in batches:
            nbytes = 0
            for text, messages, size, error in results:
                if messages:
                    bar.message(messages)
                if isinstance(error, UnreadableInput):
                    bar.message(f"cleaner: error: {error}\n")
                    unreadable += 1
                elif error is not None:
                    raise error
                if isinstance(text, Spilled):
                    _write_spilled(text, spills or {}, out, raw)
                elif isinstance(text, bytes):
                    assert raw is not None
                    raw.write(text)
                else:
                    out.write(text)
                nbytes += size
            bar.advance(len(results), nbytes)
    if raw is not None:
        raw.flush()
    return unreadable


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


def _write_spilled(spilled: Spilled, spills: Spills, out: TextIO, raw: io.BufferedIOBase | None) -> None:
    """Copy an over-long line from its temporary file to stdout (when kept), then drop the file."""
    with spills.pop(spilled.key) as spool:
        if not spilled.keep:
            return
        target = raw if raw is not None else _byte_stream(out)
        if target is not None:
            out.flush()
            while chunk := spool.read(1 << 20):
                target.write(chunk)
            target.write(b"\n")
            return
        while chunk := spool.read(1 << 20):  # a text-only stdout (tests, embedding)
            out.write(chunk.decode("utf-8", "replace"))
        out.write("\n")


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
