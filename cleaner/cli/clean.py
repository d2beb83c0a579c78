"""``cleaner clean``: the shell filter (text, HTML or JSONL in; cleaned text out)."""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from cleaner.cli.common import add_input_options, add_rule_options, cleaner_from_args, read_input, share
from cleaner.core.errors import InputError
from cleaner.io.html import DEFAULT_MODE, MODES
from cleaner.io.inputs import BadRecord, decode_line, handle_bad_record, parse_record

if TYPE_CHECKING:
    from cleaner.core.model import CleanResult
    from cleaner.engine.cleaner import Cleaner

HELP = "clean text files, stdin or JSONL records"
EPILOG = """\
examples:
  trafilatura -u "$URL" | cleaner clean --url "$URL"     clean stdin, pick the site pack by URL
  cleaner clean --explain seeds/*.txt                    show every removal and its rule on stderr
  cleaner clean --diff article.txt                       unified diff instead of the text
  cleaner clean --html --url "$URL" page.html            extract with trafilatura, then clean
  cleaner clean --jsonl < in.jsonl > out.jsonl           replace each record's "text", keep the rest
  cleaner clean --jsonl --text-field body --url-field link pages.jsonl
  cleaner clean --jsonl --jobs 2 big.jsonl > out.jsonl   two processes, same output in the same order

With no FILE, or FILE is -, read standard input. Without --url or --site the site is
recognised from fingerprints in the text when a site pack defines them.

exit codes: 0 ok, 2 usage error, unreadable input or invalid rules.
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "clean", help=HELP, description=HELP, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", metavar="FILE", default=["-"], help="input files; - or none for stdin")
    parser.add_argument("--url", help="the page's URL: selects the site pack")
    parser.add_argument("--site", help="a site pack by name (e.g. thehill.com), overriding --url")
    parser.add_argument(
        "--html", action="store_true", help="input is HTML: extract the text with trafilatura first (the html extra)"
    )
    parser.add_argument(
        "--html-mode", choices=sorted(MODES), default=DEFAULT_MODE, metavar="MODE",
        help=f"trafilatura settings for --html: {', '.join(MODES)} (default: {DEFAULT_MODE}, measured best)",
    )
    show = parser.add_argument_group("output")
    show.add_argument("--explain", action="store_true", help="print each removal (rule id, lines, text) on stderr")
    show.add_argument("--diff", action="store_true", help="print a unified diff of the normalised input and the output")
    records = parser.add_argument_group("JSONL records")
    records.add_argument("--jsonl", action="store_true", help="input is one JSON object per line; output likewise")
    records.add_argument("--text-field", default="text", metavar="NAME", help="field holding the text (default: text)")
    records.add_argument("--url-field", default="url", metavar="NAME", help="field holding the URL (default: url)")
    parser.add_argument(
        "--max-removed-share", type=share, metavar="SHARE",
        help="refuse to clean a document when more than this share of its words would go (default 0.6)",
    )
    speed = parser.add_argument_group("speed")
    speed.add_argument(
        "--jobs", "-j", type=int, default=1, metavar="N",
        help="clean in N processes (0: one per core); output is identical and in input order",
    )
    speed.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    add_input_options(parser)
    add_rule_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.jsonl and (args.diff or args.html):
        raise InputError("--jsonl cannot be combined with --diff or --html")
    cleaner = cleaner_from_args(args)
    # Imported here: building the parsers (`cleaner --help`, other commands) must not load these.
    from cleaner.cli import progress, streaming

    show = progress.wanted() and not args.no_progress
    total = streaming.total_size(args.files)
    if args.jsonl:
        records = streaming.jsonl_items(args.files)
        streaming.run(cleaner, partial(_clean_line, args), records, jobs=args.jobs, total=total, progress=show)
    else:
        read = partial(read_input, errors=args.encoding_errors, force=args.force)
        files = streaming.file_items(args.files, read)
        streaming.run(cleaner, partial(_clean_file, args), files, jobs=args.jobs, total=total, progress=show)
    return 0


def _clean_file(args: argparse.Namespace, cleaner: Cleaner, item: tuple[str, str]) -> str:
    # Runs in worker processes with --jobs: returns its output, diagnostics go to stderr.
    name, text = item
    if args.html:
        # Imported here: trafilatura (and lxml) load only when HTML is given.
        from cleaner.io.html import extract_text

        text = extract_text(text, url=args.url, mode=args.html_mode)
    result = cleaner.clean_and_explain(text, url=args.url, site=args.site)
    _report(name, result, args.explain)
    if args.diff:
        return "".join(_diff(name, result))
    return result.text + "\n" if result.text else ""


def _clean_line(args: argparse.Namespace, cleaner: Cleaner, item: tuple[str, bytes]) -> str:
    # Runs in worker processes with --jobs; its warnings are replayed in record order.
    where, data = item
    line, warning = decode_line(data, where, args.encoding_errors)
    if warning:
        print(f"cleaner: {warning}", file=sys.stderr)
    out = _clean_record(cleaner, args, where, line)
    return "" if out is None else out + "\n"


def _report(name: str, result: CleanResult, explain: bool) -> None:
    if result.skipped:
        print(f"cleaner: {name}: {result.skipped}", file=sys.stderr)
    for diagnostic in result.diagnostics:
        print(f"cleaner: {name}: {diagnostic.code} {diagnostic.message}", file=sys.stderr)
    if not explain:
        return
    site = result.site or "no site pack"
    print(f"{name}: {len(result.removals)} removal(s), site: {site}", file=sys.stderr)
    for removal in result.removals:
        text = removal.text.replace("\n", " ⏎ ")
        if len(text) > 100:
            text = text[:97] + "..."
        print(f"  {name}:{removal.lines}: {removal.rule}: {text!r}", file=sys.stderr)
        if removal.why:
            print(f"    {removal.why}", file=sys.stderr)


def _diff(name: str, result: CleanResult) -> Iterator[str]:
    before = result.normalized.splitlines(keepends=True)
    after = result.text.splitlines(keepends=True)
    return difflib.unified_diff(
        [line if line.endswith("\n") else line + "\n" for line in before],
        [line if line.endswith("\n") else line + "\n" for line in after],
        fromfile=f"{name} (normalised)", tofile=f"{name} (cleaned)",
    )


def _clean_record(cleaner: Cleaner, args: argparse.Namespace, where: str, line: str) -> str | None:
    record = parse_record(line, where, args.text_field, args.url_field, max_bytes=args.max_record_bytes)
    if isinstance(record, BadRecord):
        out, warning = handle_bad_record(record, args.on_error)
        print(f"cleaner: {warning}", file=sys.stderr)
        return out
    result = cleaner.clean_and_explain(record.text, url=record.url or args.url, site=args.site)
    _report(where, result, args.explain)
    return record.with_text(args.text_field, result.text)
