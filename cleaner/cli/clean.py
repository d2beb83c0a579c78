"""``cleaner clean``: the shell filter (text, HTML or JSONL in; cleaned text out)."""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import sys
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from cleaner.cli import learning
from cleaner.cli.common import (
    add_input_options,
    add_rule_options,
    cleaner_from_args,
    jobs_count,
    read_input,
    share,
    warn_unknown_site,
)
from cleaner.cli.streaming import Spilled
from cleaner.core.errors import InputError, UnreadableInput
from cleaner.io.html import DEFAULT_MODE, MODES
from cleaner.io.inputs import BadRecord, decode_line, handle_bad_record, parse_record, too_big

if TYPE_CHECKING:
    from cleaner.cli.streaming import Done, Sink, Tally
    from cleaner.core.model import CleanResult
    from cleaner.engine.cleaner import Cleaner

HELP = "clean text files, stdin or JSONL records"
MAX_WARNINGS = 20
EPILOG = """\
examples:
  trafilatura -u "$URL" | cleaner clean --url "$URL"     clean stdin, pick the site pack by URL
  cleaner clean --explain seeds/*.txt                    show every removal and its rule on stderr
  cleaner clean --explain-format json a.txt 2>why.jsonl  the removals as JSON lines, for scripts
  cleaner clean --diff article.txt                       unified diff instead of the text
  cleaner clean --check articles/*.txt                   write nothing; exit 1 if anything would be removed
  cleaner clean -j 2 --output-dir clean/ articles/*.txt  one cleaned file per input: clean/<its name>
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

Several documents (files or records) end with a summary on stderr: how many were cleaned,
unchanged, refused by the guard or bad; --quiet drops it and every warning. An input that
cannot be read (missing, binary, invalid UTF-8 with --encoding-errors strict) is reported in
its place and the other inputs are cleaned.

exit codes:
  0  done (also when something was cleaned: cleaning is the job)
  1  --check, or --diff with --exit-code: something would be removed
  2  usage error, unreadable input (at the end of the run), invalid rules, a missing extra (--html)
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
    show.add_argument(
        "--explain-format", choices=("text", "json"), default="text",
        help="json: each document's removals as one JSON object a line on stderr (implies --explain; "
        "warnings there start with 'cleaner: ')",
    )
    show.add_argument("--diff", action="store_true", help="print a unified diff of the normalised input and the output")
    show.add_argument(
        "--exit-code", action="store_true", help="with --diff: exit 1 when the diff is not empty, as git diff does"
    )
    show.add_argument(
        "--check", action="store_true",
        help="write no cleaned text; name each document that would change on stderr and exit 1 if any would",
    )
    where = show.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="FILE", type=Path, help="write the output to FILE instead of stdout")
    where.add_argument(
        "--output-dir", metavar="DIR", type=Path,
        help="write each input's output to DIR/<its file name> (created if needed); inputs must have distinct names",
    )
    show.add_argument(
        "--quiet", "-q", action="store_true", help="no warnings and no summary on stderr (errors still go there)"
    )
    show.add_argument(
        "--max-warnings", type=int, default=MAX_WARNINGS, metavar="N",
        help=f"show the first N warnings of a run, then only their count (default {MAX_WARNINGS})",
    )
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
    if args.exit_code and not args.diff:
        raise InputError("--exit-code goes with --diff (for the exit code alone, use --check)")
    if args.check and (args.output or args.output_dir):
        raise InputError("--check writes no output: drop -o/--output-dir")
    if args.max_warnings < 0:
        raise InputError(f"--max-warnings takes a number >= 0, got {args.max_warnings}")
    sink = _sink(args)
    cleaner = cleaner_from_args(args)
    warn_unknown_site(cleaner, args.site)
    with contextlib.ExitStack() as stack:
        if args.learn:
            cleaner, args.files = learning.learned_cleaner(args, cleaner, stack)
        return _run(args, cleaner, sink)


def _run(args: argparse.Namespace, cleaner: Cleaner, sink: Sink | None) -> int:
    # Imported here: building the parsers (`cleaner --help`, other commands) must not load these.
    from cleaner.cli import progress, streaming

    show = progress.wanted() and not args.no_progress
    total = streaming.total_size(args.files)
    limit = 0 if args.quiet else args.max_warnings
    if args.jsonl:
        spills: streaming.Spills = {}
        records = streaming.jsonl_items(args.files, args.max_record_bytes, spills, args.max_input_bytes)
        tally = streaming.run(
            cleaner, partial(_clean_line, args), records, jobs=args.jobs, total=total, progress=show,
            spills=spills, sink=sink, max_warnings=limit,
        )
    else:
        read = partial(read_input, errors=args.encoding_errors, force=args.force, max_bytes=args.max_input_bytes)
        files = streaming.file_items(args.files, read)
        tally = streaming.run(
            cleaner, partial(_clean_file, args), files, jobs=args.jobs, total=total, progress=show, sink=sink,
            max_warnings=limit,
        )
    if not args.quiet:
        _summarise(args, tally)
    if tally.unreadable:
        if len(args.files) > 1:
            print(f"cleaner: {tally.unreadable} of {len(args.files)} inputs could not be read (see above); "
                  "the others were cleaned", file=sys.stderr)
        return 2
    changed = tally.outcomes["cleaned"] > 0
    return 1 if changed and (args.check or args.exit_code) else 0


def _sink(args: argparse.Namespace) -> Sink | None:
    """Where the output goes, checked before anything is read: stdout (None), -o FILE or --output-dir DIR."""
    # Imported here: the streaming machinery loads only when a stream is cleaned.
    from cleaner.cli.streaming import DirSink, StreamSink

    inputs = {Path(name).resolve() for name in args.files if name != "-"}
    if args.output is not None:
        if args.output.resolve() in inputs:
            raise InputError(f"-o {args.output}: that is an input, and writing would destroy it")
        try:
            handle = open(args.output, "w", encoding="utf-8")  # noqa: SIM115 - the sink closes it
        except OSError as exc:
            raise InputError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
        return StreamSink(handle, jobs=args.jobs, owned=True)
    if args.output_dir is None:
        return None
    if "-" in args.files:
        raise InputError("--output-dir names each output after its input file: standard input has no name")
    seen: dict[str, str] = {}
    for name in args.files:
        base = Path(name).name
        if base in seen:
            raise InputError(f"--output-dir: {seen[base]} and {name} would both be written to {base}")
        seen[base] = name
        if (args.output_dir / base).resolve() in inputs:
            raise InputError(f"--output-dir {args.output_dir}: writing {base} there would overwrite the input {name}")
    try:
        args.output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {args.output_dir}: {exc.strerror or exc}") from exc
    return DirSink(args.output_dir)


def _summarise(args: argparse.Namespace, tally: Tally) -> None:
    """One line on stderr at the end of a run over several documents."""
    counts = tally.outcomes
    documents = sum(counts.values())
    if tally.hidden:
        print(f"cleaner: {tally.hidden:,} more warning(s) not shown (--max-warnings {args.max_warnings})",
              file=sys.stderr)
    if args.jsonl and documents and counts["bad"] == documents:
        print(f"cleaner: hint: no record could be cleaned; do they hold their text in a string field "
              f"{args.text_field!r}? (--text-field)", file=sys.stderr)
    if documents <= 1:
        return  # one document's own messages say it all; a filter stays quiet
    unit = "record" if args.jsonl else "document"
    cleaned = "would be cleaned" if args.check else "cleaned"
    parts = [f"{counts['cleaned']:,} {cleaned}", f"{counts['unchanged']:,} unchanged",
             f"{counts['refused']:,} refused", f"{counts['bad']:,} bad"]
    print(f"cleaner: {documents:,} {unit}(s): {', '.join(parts)}", file=sys.stderr)


def _clean_file(args: argparse.Namespace, cleaner: Cleaner, item: tuple[str, str | UnreadableInput]) -> Done:
    # Runs in worker processes with --jobs: returns its output, diagnostics go to stderr.
    name, text = item
    if isinstance(text, UnreadableInput):
        raise text  # reported in its place, after the inputs before it are written
    if args.html:
        # Imported here: trafilatura (and lxml) load only when HTML is given.
        from cleaner.io.html import extract_text

        text = extract_text(text, url=args.url, mode=args.html_mode)
    result = cleaner.clean_and_explain(text, url=args.url, site=args.site)
    _report(name, result, args, cleaner)
    outcome = _outcome(result)
    if args.diff:
        return "".join(_diff(name, result)), outcome, name
    if args.check:
        return "", outcome, name
    return (result.text + "\n" if result.text else ""), outcome, name


def _clean_line(
    args: argparse.Namespace, cleaner: Cleaner, item: tuple[str, bytes | Spilled | UnreadableInput]
) -> Done:
    # Runs in worker processes with --jobs; its warnings are replayed in record order.
    where, data = item
    if isinstance(data, UnreadableInput):
        raise data
    if isinstance(data, Spilled):
        # Too big to read: the policy applies as to any bad record, the bytes stay on disk.
        bad = BadRecord(where, too_big(data.size, args.max_record_bytes), "")
        kept, message = handle_bad_record(bad, args.on_error)
        print(f"cleaner: {message}", file=sys.stderr)
        source = where.rsplit(":", 1)[0]
        return ("" if args.check else replace(data, keep=kept is not None)), "bad", source
    line, warning = decode_line(data, where, args.encoding_errors)
    if warning:
        print(f"cleaner: {warning}", file=sys.stderr)
    out, outcome = _clean_record(cleaner, args, where, line)
    source = where.rsplit(":", 1)[0]
    if args.check:
        return "", outcome, source
    return ("" if out is None else out + "\n"), outcome, source


def _outcome(result: CleanResult) -> str:
    if result.skipped:
        return "refused"
    return "cleaned" if result.removals else "unchanged"


def _report(name: str, result: CleanResult, args: argparse.Namespace, cleaner: Cleaner) -> None:
    if result.skipped:
        print(f"cleaner: {name}: {result.skipped}", file=sys.stderr)
    for diagnostic in result.diagnostics:
        print(f"cleaner: {name}: {diagnostic.code} {diagnostic.message}", file=sys.stderr)
    if args.check and result.removals and not result.skipped:
        print(f"cleaner: would clean {name}: {len(result.removals)} removal(s)", file=sys.stderr)
    if args.explain_format == "json":
        print(json.dumps(explanation(name, result), ensure_ascii=False), file=sys.stderr)
        return
    if not args.explain:
        return
    site = result.site or "no site pack"
    if result.skipped:
        print(f"{name}: 0 removal(s), {len(result.refused)} refused, site: {site}", file=sys.stderr)
    else:
        print(f"{name}: {len(result.removals)} removal(s), site: {site}", file=sys.stderr)
    for removal in result.removals or result.refused:
        text = shown(removal.text.replace("\n", " ⏎ "))
        if len(text) > 100:
            text = text[:97] + "..."
        note = learning.support_note(cleaner, removal.rule)
        print(f"  {name}:{removal.lines}: {removal.rule}: {text}{note}", file=sys.stderr)
        if removal.why:
            print(f"    {removal.why}", file=sys.stderr)


def explanation(name: str, result: CleanResult) -> dict[str, object]:
    """One document's removals as JSON data (``--explain-format json``); lines 1-based, inclusive.

    ``columns`` (0-based, end exclusive) is set for a cut inside one line, null for whole lines;
    ``why`` holds the weighed signals behind a removal by evidence (null for a decisive rule).
    """
    return {
        "input": name, "site": result.site, "skipped": result.skipped,
        "removals": [
            {"rule": r.rule, "first_line": r.start + 1, "last_line": r.end,
             "columns": list(r.columns) if r.columns else None, "text": r.text, "why": r.why or None}
            for r in result.removals
        ],
    }


def shown(text: str) -> str:
    """Text as a person reads it: control characters escaped (``\\x1b``), everything else as is.

    >>> shown("READ ALSO:\xa0 New\x1b[0m")
    'READ ALSO:\xa0 New\\x1b[0m'
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in "\xa0\u202f" else ch.encode("unicode_escape").decode()
                   for ch in text)


def _diff(name: str, result: CleanResult) -> Iterator[str]:
    before = result.normalized.splitlines(keepends=True)
    after = result.text.splitlines(keepends=True)
    return difflib.unified_diff(
        [line if line.endswith("\n") else line + "\n" for line in before],
        [line if line.endswith("\n") else line + "\n" for line in after],
        fromfile=f"{name} (normalised)", tofile=f"{name} (cleaned)",
    )


def _clean_record(cleaner: Cleaner, args: argparse.Namespace, where: str, line: str) -> tuple[str | None, str]:
    record = parse_record(line, where, args.text_field, args.url_field, max_bytes=args.max_record_bytes)
    if isinstance(record, BadRecord):
        out, warning = handle_bad_record(record, args.on_error)
        print(f"cleaner: {warning}", file=sys.stderr)
        return out, "bad"
    result = cleaner.clean_and_explain(record.text, url=record.url or args.url, site=args.site)
    _report(where, result, args, cleaner)
    return record.with_text(args.text_field, result.text), _outcome(result)
