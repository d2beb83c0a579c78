"""Options and helpers several subcommands share."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cleaner.engine import Cleaner
from cleaner.errors import InputError
from cleaner.model import Config


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    """--rules DIR (repeatable), --no-builtin-rules, --preview."""
    group = parser.add_argument_group("rules")
    group.add_argument(
        "--rules", metavar="DIR", action="append", default=[], type=Path,
        help="a rules directory (common/*.yaml, sites/*.yaml) added to the built-ins; repeatable",
    )
    group.add_argument("--no-builtin-rules", action="store_true", help="use only the --rules directories")
    group.add_argument("--preview", action="store_true", help="also run rules marked `status: preview`")


def cleaner_from_args(args: argparse.Namespace) -> Cleaner:
    """Build the Cleaner the options describe; raises RuleError on invalid rules."""
    config = Config(preview=getattr(args, "preview", False))
    max_share = getattr(args, "max_removed_share", None)
    if max_share is not None:
        config = Config(preview=config.preview, max_removed_share=max_share)
    return Cleaner.from_paths(args.rules, include_builtin=not args.no_builtin_rules, config=config)


def read_input(name: str) -> str:
    """Read a file (or ``-`` for stdin) as UTF-8; undecodable bytes are replaced with a warning."""
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        print(
            f"cleaner: warning: {name}: invalid UTF-8 at byte {exc.start}; bad bytes replaced with U+FFFD",
            file=sys.stderr,
        )
        return data.decode("utf-8", errors="replace")
