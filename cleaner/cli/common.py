"""Options and helpers several subcommands share."""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from cleaner.core.errors import InputError, OutputError, UnreadableInput
from cleaner.core.model import Config
from cleaner.io.inputs import (
    BINARY_SNIFF_BYTES,
    ENCODING_ERROR_CHOICES,
    MAX_INPUT_BYTES,
    MAX_RECORD_BYTES,
    ON_ERROR_CHOICES,
    EncodingErrors,
    decode_input,
)

if TYPE_CHECKING:
    from cleaner.engine.cleaner import Cleaner


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    """--rules DIR (repeatable), --no-builtin-rules, --preview."""
    group = parser.add_argument_group("rules")
    group.add_argument(
        "--rules", metavar="DIR", action="append", default=[], type=Path,
        help="a rules directory (common/*.yaml, sites/*.yaml) added to the built-ins; repeatable",
    )
    group.add_argument("--no-builtin-rules", action="store_true", help="use only the --rules directories")
    group.add_argument("--preview", action="store_true", help="also run rules marked `status: preview`")
    group.add_argument(
        "--evidence", action="store_true",
        help="also remove kept lines whose weighed signals (rules/signals/, rules/evidence.yaml) reach the "
        "threshold; each such removal lists its signals (slower: see CHANGELOG)",
    )


def cleaner_from_args(args: argparse.Namespace) -> Cleaner:
    """Build the Cleaner the options describe; raises RuleError on invalid rules."""
    # Imported here: building every subcommand's parser must not load the engine.
    from cleaner.engine.cleaner import Cleaner

    config = Config(preview=getattr(args, "preview", False), evidence=getattr(args, "evidence", False))
    max_share = getattr(args, "max_removed_share", None)
    if max_share is not None:
        config = Config(preview=config.preview, evidence=config.evidence, max_removed_share=max_share)
    return Cleaner.from_paths(args.rules, include_builtin=not args.no_builtin_rules, config=config)


def read_input(
    name: str, *, errors: EncodingErrors = "replace", force: bool = False, max_bytes: int = MAX_INPUT_BYTES
) -> str:
    """Read a file (or ``-`` for stdin) as UTF-8; see :func:`cleaner.io.inputs.decode_input`.

    Read with a bound: an input over ``max_bytes`` (a huge file, ``/dev/zero``, an endless
    pipe) is refused once that many bytes were read, and binary data is refused from its
    first chunk, before the rest is read.
    """
    try:
        data = _read_bounded(name, max_bytes, force)
    except OSError as exc:
        raise UnreadableInput(f"cannot read {name}: {exc.strerror or exc}") from exc
    try:
        decoded = decode_input(data, name, errors=errors, force=force)
    except InputError as exc:
        raise UnreadableInput(str(exc)) from None
    for warning in decoded.warnings:
        print(f"cleaner: warning: {warning}", file=sys.stderr)
    return decoded.text


def _read_bounded(name: str, max_bytes: int, force: bool) -> bytes:
    if name == "-":
        return _read_handle(sys.stdin.buffer, name, max_bytes, force)
    with open(name, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            raise UnreadableInput(_over(name, info.st_size, max_bytes))
        return _read_handle(handle, name, max_bytes, force)


def _read_handle(handle: BinaryIO, name: str, max_bytes: int, force: bool) -> bytes:
    first = handle.read(min(max_bytes + 1, BINARY_SNIFF_BYTES))
    if not force and b"\x00" in first:
        return first  # decode_input refuses it, naming the offset; the rest is never read
    chunks = [first]
    total = len(first)
    while total <= max_bytes:
        chunk = handle.read(min(1 << 24, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > max_bytes:
        raise UnreadableInput(_over(name, None, max_bytes))
    return b"".join(chunks)


def _over(name: str, size: int | None, max_bytes: int) -> str:
    what = f"is {size:,} bytes" if size is not None else "is longer than that"
    return (f"{name}: input {what}, over the limit of {max_bytes:,} bytes; "
            "split it, or raise the limit with --max-input-bytes")
def add_input_options(parser: argparse.ArgumentParser) -> None:
    """--encoding-errors, --force, --on-error, --max-record-bytes: what to do with bad input."""
    group = parser.add_argument_group("bad input")
    group.add_argument(
        "--encoding-errors", choices=ENCODING_ERROR_CHOICES, default="replace",
        help="invalid UTF-8: replace bad bytes with U+FFFD and warn (default), or stop with exit 2 (strict)",
    )
    group.add_argument("--force", action="store_true", help="clean input that looks binary (holds NUL bytes)")
    group.add_argument(
        "--on-error", choices=ON_ERROR_CHOICES, default="passthrough",
        help="a JSONL record that is not JSON, lacks a string text field or is too big: write it unchanged "
        "with a warning (passthrough, default), drop it (skip), or stop with exit 2 (fail)",
    )
    group.add_argument(
        "--max-record-bytes", type=byte_count, default=MAX_RECORD_BYTES, metavar="N",
        help=f"JSONL records larger than this are bad records, never held in memory (default {MAX_RECORD_BYTES:,})",
    )
    group.add_argument(
        "--max-input-bytes", type=byte_count, default=MAX_INPUT_BYTES, metavar="N",
        help=f"a text input larger than this is refused; read with this bound (default {MAX_INPUT_BYTES:,})",
    )


def share(value: str) -> float:
    """argparse type for a share (of words, of pages): a number between 0 and 1."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {value!r}")
    return number


def whole_number(value: str, *, low: int, high: int | None = None, unit: str = "") -> int:
    """``value`` as an int from ``low`` to ``high`` (no upper bound when None), for argparse types.

    >>> whole_number("3", low=1)
    3
    """
    what = f" {unit}" if unit else ""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of{what or ' them'}, got {value!r}") from None
    if number < low or (high is not None and number > high):
        bounds = f"{low} to {high}" if high is not None else f"{low} or more"
        raise argparse.ArgumentTypeError(f"expected {bounds}{what}, got {value}")
    return number


def jobs_count(value: str) -> int:
    """argparse type for --jobs: 0 (one per core) up to :func:`cleaner.util.parallel.max_jobs`."""
    # Imported here: the parser is built for every command; only --jobs needs the bound.
    from cleaner.util.parallel import max_jobs

    return whole_number(value, low=0, high=max_jobs(), unit="processes (0: one per core; at most 4 per core)")


def byte_count(value: str) -> int:
    """argparse type for a size limit: a whole number of bytes, at least 1."""
    return whole_number(value, low=1, unit="bytes")


@contextlib.contextmanager
def writing(path: Path | str) -> Iterator[None]:
    """Turn an OSError while writing ``path`` into an OutputError naming it (exit 2, no traceback).

    >>> with writing("/nonexistent/x.md"):
    ...     Path("/nonexistent/x.md").write_text("x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    cleaner.core.errors.OutputError: cannot write /nonexistent/x.md: No such file or directory; ...
    """
    try:
        yield
    except OSError as exc:
        raise OutputError(
            f"cannot write {path}: {exc.strerror or exc}; check that its folder exists and is writable "
            "and that the disk has room"
        ) from None
