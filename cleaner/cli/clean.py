"""``cleaner clean``: the shell filter (text, HTML or JSONL in; cleaned text out)."""

from __future__ import annotations

import argparse
import contextlib
import difflib
import sys
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from cleaner.cli import learning
from cleaner.cli.common import (
    add_input_options,
    add_rule_options,
    cleaner_from_args,
    jobs_count,
    read_input,
    share,
)
from cleaner.cli.streaming import Spilled
from cleaner.core.errors import InputError, UnreadableInput
from cleaner.io.html import DEFAULT_MODE, MODES
from cleaner.io.inputs import BadRecord, decode_line, handle_bad_record, parse_record, too_big

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
  cleaner clean --jsonl --learn crawl.jsonl > out.jsonl  learn each site's recurring lines, then clean
  cleaner clean --jsonl --learn --save-learned packs/ crawl.jsonl > out.jsonl
  cleaner clean --jsonl --rules packs/ more.jsonl        reuse learned packs without learning again

With no FILE, or FILE is -, read standard input. Without --url or --site the site is
recognised from fingerprints in the text when a site pack defines them. --learn reads the
input twice (standard input is spooled to a temporary file first); a site is the registered
domain of each record's URL, or --site; per-site counts are capped (see README, "Learning
from the crawl"), so memory stays flat.

exit codes: 0 ok, 2 usage error, unreadable input or invalid rules. An input that cannot be
read (missing, binary, invalid UTF-8 with --encoding-errors strict) is reported in its place,
the other inputs are cleaned, and the exit code is 2 at the end.
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "clean", help=HELP, description=HELP, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", metavar="FILE", default=["-"], help="input files; - or none for stdin")
    parser.add_argument("--url", help="the page's URL: selects the site pack")
    parser.add_argument("--site", help="a site pack by name (e.g. thehill.com), overriding --url")
    parser.add_argument("--html", action="store_true", help="input is HTML: extract the text with trafilatura first")
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
        "--jobs", "-j", type=jobs_count, default=1, metavar="N",
        help="clean in N processes (0: one per core; at most 4 per core); output is identical and in input order",
    )
    speed.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    add_input_options(parser)
    add_rule_options(parser)
    learning.add_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.jsonl and (args.diff or args.html):
        raise InputError("--jsonl cannot be combined with --diff or --html")
    if args.save_learned is not None and not args.learn:
        raise InputError("--save-learned writes what --learn learned: add --learn")
    cleaner = cleaner_from_args(args)
    with contextlib.ExitStack() as stack:
        if args.learn:
            cleaner, args.files = learning.learned_cleaner(args, cleaner, stack)
        return _run(args, cleaner)


def _run(args: argparse.Namespace, cleaner: Cleaner) -> int:
    # Imported here: building the parsers (`cleaner --help`, other commands) must not load these.
    from cleaner.cli import progress, streaming

    show = progress.wanted() and not args.no_progress
    total = streaming.total_size(args.files)
    if args.jsonl:
        spills: streaming.Spills = {}
        records = streaming.jsonl_items(args.files, args.max_record_bytes, spills, args.max_input_bytes)
        unreadable = streaming.run(
            cleaner, partial(_clean_line, args), records, jobs=args.jobs, total=total, progress=show, spills=spills
        )
    else:
        read = partial(read_input, errors=args.encoding_errors, force=args.force, max_bytes=args.max_input_bytes)
        files = streaming.file_items(args.files, read)
        unreadable = streaming.run(
            cleaner, partial(_clean_file, args), files, jobs=args.jobs, total=total, progress=show
        )
    if unreadable:
        if len(args.files) > 1:
            print(f"cleaner: {unreadable} of {len(args.files)} inputs could not be read (see above); "
                  "the others were cleaned", file=sys.stderr)
        return 2
    return 0


def _clean_file(args: argparse.Namespace, cleaner: Cleaner, item: tuple[str, str | UnreadableInput]) -> str:
    # Runs in worker processes with --jobs: returns its output, diagnostics go to stderr.
    name, text = item
    if isinstance(text, UnreadableInput):
        raise text  # reported in its place, after the inputs before it are written
    if args.html:
        # Imported here: trafilatura (and lxml) load only when HTML is given.
        from cleaner.io.html import extract_text

        text = extract_text(text, url=args.url, mode=args.html_mode)
    result = cleaner.clean_and_explain(text, url=args.url, site=args.site)
    _report(name, result, args.explain, cleaner)
    if args.diff:
        return "".join(_diff(name, result))
    return result.text + "\n" if result.text else ""


def _clean_line(
    args: argparse.Namespace, cleaner: Cleaner, item: tuple[str, bytes | Spilled | UnreadableInput]
) -> str | Spilled:
    # Runs in worker processes with --jobs; its warnings are replayed in record order.
    where, data = item
    if isinstance(data, UnreadableInput):
        raise data
    if isinstance(data, Spilled):
        # Too big to read: the policy applies as to any bad record, the bytes stay on disk.
        bad = BadRecord(where, too_big(data.size, args.max_record_bytes), "")
        kept, message = handle_bad_record(bad, args.on_error)
        print(f"cleaner: {message}", file=sys.stderr)
        return replace(data, keep=kept is not None)
    line, warning = decode_line(data, where, args.encoding_errors)
    if warning:
        print(f"cleaner: {warning}", file=sys.stderr)
    out = _clean_record(cleaner, args, where, line)
    return "" if out is None else out + "\n"


def _report(name: str, result: CleanResult, explain: bool, cleaner: Cleaner) -> None:
    if result.skipped:
        print(f"cleaner: {name}: {result.skipped}", file=sys.stderr)
    for diagnostic in result.diagnostics:
        print(f"cleaner: {name}: {diagnostic.code} {diagnostic.message}", file=sys.stderr)
    if not explain:
        return
    site = result.site or "no site pack"
    if result.skipped:
        print(f"{name}: 0 removal(s), {len(result.refused)} refused, site: {site}", file=sys.stderr)
    else:
        print(f"{name}: {len(result.removals)} removal(s), site: {site}", file=sys.stderr)
    for removal in result.removals or result.refused:
        text = removal.text.replace("\n", " ⏎ ")
        if len(text) > 100:
            text = text[:97] + "..."
        note = learning.support_note(cleaner, removal.rule)
        print(f"  {name}:{removal.lines}: {removal.rule}: {text!r}{note}", file=sys.stderr)
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
    _report(where, result, args.explain, cleaner)
    return record.with_text(args.text_field, result.text)
