"""``cleaner clean --learn``: the first pass over the inputs, and what it says on stderr.

The inputs are read twice: once to learn each site's recurring lines (:mod:`cleaner.engine.learn`),
once to clean. Standard input (or a pipe) cannot be read twice, so it is first copied to a
temporary file, removed when the command ends.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from cleaner.core.errors import InputError

if TYPE_CHECKING:
    from cleaner.engine.cleaner import Cleaner
    from cleaner.engine.learn import Learner


def add_options(parser: argparse.ArgumentParser) -> None:
    """--learn and --save-learned."""
    group = parser.add_argument_group("learning from the crawl")
    group.add_argument(
        "--learn", action="store_true",
        help="two passes: first learn each site's recurring lines (its furniture) from all the inputs, "
        "then clean with the rules plus what was learned (learned/<site>/<id>); standard input is "
        "spooled to a temporary file to be read twice",
    )
    group.add_argument(
        "--save-learned", metavar="DIR", type=Path,
        help="with --learn: write the learned packs to DIR/learned/<site>.yaml for review; "
        "reuse them later with --rules DIR, without learning again",
    )


def learned_cleaner(
    args: argparse.Namespace, cleaner: Cleaner, stack: contextlib.ExitStack
) -> tuple[Cleaner, list[str]]:
    """The first pass: learn from ``args.files``; return the learned cleaner and the files to clean."""
    # Imported here: `cleaner clean` without --learn (and every --help) must not load them.
    from cleaner.engine.cleaner import Cleaner
    from cleaner.engine.learn import Learner, with_learned

    if args.html:
        raise InputError("--learn reads text or JSONL; extract HTML first (--html is a single pass)")
    files = [name if _regular(name) else _spooled(stack, name) for name in args.files]
    learner = Learner()
    for text, url in _texts(args, files):
        learner.add(text, url=url, site=args.site)
    learned = learner.result()
    if args.save_learned is not None:
        # Imported here: writing packs loads the miner's YAML writer, needed only with this option.
        from cleaner.mine.learned import save_learned

        for path in save_learned(learned, learner.sites, args.save_learned):
            print(f"cleaner: wrote {path}", file=sys.stderr)
    if args.explain:
        _summary(learner, learned)
    if "-" in args.files:
        # The cleaning pass reads standard input as "-" (messages name it so): now the spooled copy.
        spool = files[args.files.index("-")]
        stdin = open(spool, encoding="utf-8", errors="surrogateescape")  # noqa: SIM115 - closed by the stack
        stack.enter_context(stdin)
        previous, sys.stdin = sys.stdin, stdin
        stack.callback(setattr, sys, "stdin", previous)
        files = [name if name != spool else "-" for name in files]
    return Cleaner(with_learned(cleaner.rules, learned), cleaner.config, learned), files


def _regular(name: str) -> bool:
    # A regular file can be read twice; stdin, a pipe or a process substitution cannot.
    try:
        return name != "-" and stat.S_ISREG(os.stat(name).st_mode)
    except OSError:
        return True  # reading it reports the error, with the path


def _spooled(stack: contextlib.ExitStack, source: str) -> str:
    # Here: start-up time: `cleaner clean` without --learn never spools (tempfile loads random, bz2, lzma).
    import shutil
    import tempfile

    handle, name = tempfile.mkstemp(prefix="cleaner-learn-", suffix=".spool")
    stack.callback(os.unlink, name)
    with os.fdopen(handle, "wb") as out:
        if source != "-":
            with open(source, "rb") as stream:
                shutil.copyfileobj(stream, out, 1 << 20)
            return name
        raw = getattr(sys.stdin, "buffer", None)
        if raw is not None:
            shutil.copyfileobj(raw, out, 1 << 20)
        else:
            for line in sys.stdin:  # a replaced, text-only stdin (tests, embedding)
                out.write(line.encode("utf-8", "surrogateescape"))
    return name


def _texts(args: argparse.Namespace, files: list[str]) -> Iterator[tuple[str, str | None]]:
    # Imported here, as the cleaning pass does: only the input kind given is read.
    from cleaner.cli.common import read_input
    from cleaner.core.errors import UnreadableInput

    if not args.jsonl:
        for name in files:
            try:
                yield read_input(name, errors="replace", force=args.force), args.url
            except UnreadableInput:
                continue  # reported in its place by the cleaning pass
        return
    # Imported here, as the cleaning pass does: only the input kind given is read.
    from cleaner.cli.streaming import Spills, jsonl_items
    from cleaner.io.inputs import BadRecord, decode_line, parse_record

    spills: Spills = {}
    try:
        for (where, data), _ in jsonl_items(files, args.max_record_bytes, spills):
            # Over-long records (spilled to disk) and unreadable inputs teach nothing; the
            # cleaning pass reports them.
            if not isinstance(data, bytes):
                continue
            line, _warning = decode_line(data, where, "replace")
            record = parse_record(line, where, args.text_field, args.url_field, max_bytes=args.max_record_bytes)
            # Bad records are reported once, by the cleaning pass.
            if not isinstance(record, BadRecord):
                yield record.text, record.url or args.url
    finally:
        for spool in spills.values():
            spool.close()


def _summary(learner: Learner, learned: object) -> None:
    # Imported here: `cleaner clean` without --learn must not load the learning code.
    from cleaner.engine.learn import Learned

    assert isinstance(learned, Learned)
    pages = sum(site.pages for site in learner.sites.values())
    copies = sum(site.copies for site in learner.sites.values())
    print(
        f"cleaner: learned {len(learned.rules)} rule(s) for {len(learned.by_site())} site(s) from {pages} page(s) "
        f"of {len(learner.sites)} site(s) ({copies} copies of a seen body and {learner.unsited} page(s) "
        "without a URL or --site not counted)",
        file=sys.stderr,
    )
    for rule in learned.rules:
        print(f"  {rule.qualified_id}: {rule.examples.match[0]!r}: {learned.support[rule.qualified_id]}",
              file=sys.stderr)
    for rejected in learned.rejected:
        print(f"  not learned: {rejected.site}: {rejected.text[:70]!r} ({rejected.pages} pages): {rejected.reason}",
              file=sys.stderr)


def support_note(cleaner: Cleaner, rule: str) -> str:
    """`` [support: ...]`` for a learned rule's removal, else nothing."""
    if not rule.startswith("learned/"):
        return ""
    if cleaner.learned is not None and rule in cleaner.learned.support:
        return f" [support: {cleaner.learned.support[rule]}]"
    # A learned pack loaded with --rules keeps its support in the summary.
    summary = cleaner.rules.matcher(rule).rule.summary
    return f" [{summary[summary.index('support:'):]}]" if "support:" in summary else ""
