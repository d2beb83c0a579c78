"""Options and helpers several subcommands share."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cleaner.core.errors import InputError
from cleaner.core.model import Config
from cleaner.io.inputs import (
    ENCODING_ERROR_CHOICES,
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


def read_input(name: str, *, errors: EncodingErrors = "replace", force: bool = False) -> str:
    """Read a file (or ``-`` for stdin) as UTF-8; see :func:`cleaner.io.inputs.decode_input`."""
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {label(name)}: {exc.strerror or exc}") from exc
    decoded = decode_input(data, label(name), errors=errors, force=force)
    for warning in decoded.warnings:
        print(f"cleaner: warning: {warning}", file=sys.stderr)
    return decoded.text


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
        "--max-record-bytes", type=int, default=MAX_RECORD_BYTES, metavar="N",
        help=f"JSONL records larger than this are bad records (default {MAX_RECORD_BYTES:,})",
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
