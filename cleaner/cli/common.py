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
        help="a rules directory (common/*.yaml, sites/*.yaml) added to the built-ins; repeatable "
        "(default: [tool.cleaner] rules in ./pyproject.toml)",
    )
    group.add_argument("--no-builtin-rules", action="store_true", help="use only the --rules directories")
    group.add_argument("--preview", action="store_true", help="also run rules marked `status: preview`")
    group.add_argument(
        "--evidence", action="store_true",
        help="also remove kept lines whose weighed signals (rules/signals/, rules/evidence.yaml) reach the "
        "threshold; each such removal lists its signals (slower: see CHANGELOG)",
    )


def project_rules(folder: Path | None = None) -> list[Path] | None:
    """The rules directories named by ``[tool.cleaner] rules`` in ``./pyproject.toml``, or None.

    Paths are relative to the pyproject.toml. Only the current directory is read (no walk up),
    so a command means the same wherever its project's CI or pre-commit runs it.
    """
    path = (folder or Path()) / "pyproject.toml"
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"[tool.cleaner]" not in data:  # most pyproject.toml files: no TOML parse on every start
        return None
    # Imported here: only a pyproject.toml with [tool.cleaner] is parsed.
    import tomllib

    try:
        table = tomllib.loads(data.decode("utf-8")).get("tool", {}).get("cleaner", {})
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: {exc}") from exc
    unknown = sorted(set(table) - {"rules"})
    if unknown:
        raise InputError(f"{path}: [tool.cleaner] has unknown key(s) {', '.join(unknown)}; known: rules")
    rules = table.get("rules", [])
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        raise InputError(f'{path}: [tool.cleaner] rules must be a list of directories, like rules = ["my-rules"]')
    return [path.parent / r for r in rules]


def cleaner_from_args(args: argparse.Namespace) -> Cleaner:
    """Build the Cleaner the options describe; raises RuleError on invalid rules."""
    # Imported here: building every subcommand's parser must not load the engine.
    from cleaner.engine.cleaner import Cleaner

    config = Config(preview=getattr(args, "preview", False), evidence=getattr(args, "evidence", False))
    max_share = getattr(args, "max_removed_share", None)
    if max_share is not None:
        config = Config(preview=config.preview, evidence=config.evidence, max_removed_share=max_share)
    rules = args.rules or project_rules() or []
    return Cleaner.from_paths(rules, include_builtin=not args.no_builtin_rules, config=config)


def warn_unknown_site(cleaner: Cleaner, site: str | None) -> None:
    """Warn on stderr when ``--site`` names no pack (a typo cleans with the common rules only)."""
    if not site or cleaner.rules.resolve_site(site) is not None:
        return
    # Imported here: only a --site that names no pack needs them.
    import difflib

    from cleaner.text.hosts import host_of

    names = sorted({host for pack in cleaner.rules.packs for host in pack.hosts})
    close = difflib.get_close_matches(host_of(site) or site, names, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(close)}?" if close else f"; packs: {', '.join(names)}"
    print(f"cleaner: warning: no site pack for --site {site!r}: cleaning with the common rules only, "
          f"without site detection{hint}", file=sys.stderr)


STDIN_LABEL = "<stdin>"


def label(name: str) -> str:
    """How messages name an input: standard input (``-``) is ``<stdin>``, as Python and ruff say."""
    return STDIN_LABEL if name == "-" else name


def add_color_option(parser: argparse.ArgumentParser) -> None:
    """--color auto|always|never."""
    parser.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto",
        help="colour: auto (on a terminal, unless NO_COLOR is set or FORCE_COLOR asks for it), always, never",
    )


def color_wanted(choice: str, stream: object) -> bool:
    """Whether to colour ``stream``: the option first, then NO_COLOR and FORCE_COLOR, then is it a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):  # no-color.org: set and not empty
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


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
        raise UnreadableInput(f"cannot read {label(name)}: {exc.strerror or exc}") from exc
    try:
        decoded = decode_input(data, label(name), errors=errors, force=force)
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
