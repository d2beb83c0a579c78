"""The ``cleaner`` command: argparse wiring only; each subcommand lives in cleaner.commands.

Exit codes follow ruff: 0 ok, 1 findings (failing examples, a gate below its floor),
2 usage errors, invalid rules or unreadable input.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from cleaner.commands import COMMANDS
from cleaner.errors import CleanerError, RuleError

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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cleaner", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    from cleaner import __version__

    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
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
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
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
