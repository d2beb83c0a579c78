"""The ``cleaner`` command: argparse wiring only; each subcommand lives in cleaner.cli.commands.

Exit codes follow ruff: 0 ok, 1 findings (failing examples, a gate below its floor),
2 usage errors, invalid rules or unreadable input.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from cleaner.cli.commands import COMMANDS
from cleaner.core.errors import CleanerError, RuleError
from cleaner.core.version import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

DESCRIPTION = """\
Strip boilerplate residue (donation boxes, READ ALSO teasers, share prompts, comment forms,
copyright footers, site names after titles) from scraped article text, and say which rule
removed what.

examples:
  trafilatura -u "$URL" | cleaner clean --url "$URL" > article.txt
  cleaner clean --explain seeds/*.txt
  cleaner clean --jsonl --text-field body < pages.jsonl > clean.jsonl
  cleaner rules validate my-rules/ && cleaner rules test my-rules/
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse exits 2 too; this keeps the message short and points to --help.
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\nrun '{self.prog} --help' for examples\n")
        raise SystemExit(EXIT_ERROR)

    def _get_formatter(self) -> argparse.HelpFormatter:
        # The width argparse would take, without its `import shutil` (~3 ms of every start-up:
        # add_argument makes a formatter to check each argument).
        formatter: argparse.HelpFormatter = self.formatter_class(prog=self.prog, width=_columns() - 2)  # type: ignore[call-arg]
        return formatter


def _columns() -> int:
    """``shutil.get_terminal_size().columns``: $COLUMNS, else the terminal's width, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        columns = 0
    return columns or 80


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``cleaner`` parser; with ``argv`` naming a command, only that command's is complete.

    The other commands are then listed by name and help only: their options would never be
    parsed, and building them all costs a few milliseconds of every start-up.
    """
    parser = _Parser(
        prog="cleaner", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    names = {_name(command): command for command in COMMANDS}
    chosen = argv[0] if argv and argv[0] in names else None
    for name, command in names.items():
        if chosen is None or name == chosen:
            command.add_parser(sub)
        else:
            sub.add_parser(name, help=command.HELP)
    return parser


def _name(command: ModuleType) -> str:
    # cleaner.cli.clean is `cleaner clean`.
    return command.__name__.rsplit(".", 1)[-1].removesuffix("_cmd")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        code: int = args.run(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # `cleaner ... | head` closed the pipe: stop quietly, as cat does.
        _drop_stdout()
        return EXIT_OK
    except RuleError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        return EXIT_ERROR
    except CleanerError as exc:
        print(f"cleaner: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        # Writing failed (disk full, a device that refuses): exit 2 with what and where, never a
        # traceback with exit 1 ("findings"). Files the commands write name themselves
        # (OutputError); what is left is standard output.
        where = exc.filename if exc.filename is not None else "standard output"
        print(f"cleaner: error: cannot write {where}: {exc.strerror or exc}; check the disk has room "
              "and the output is writable", file=sys.stderr)
        _drop_stdout()
        return EXIT_ERROR


def _drop_stdout() -> None:
    # What is still buffered for stdout cannot be written either: drop it, so that flushing at
    # exit raises nothing more.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # a replaced sys.stdout (tests, embedding)
        pass
