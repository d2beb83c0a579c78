"""``cleaner mine``: propose a site pack from many pages of one site, for a person to review."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from cleaner.cli.common import read_input, share, whole_number, writing
from cleaner.core.errors import CleanerError, InputError

# The miner, its pack writer and the schema are imported where used: `cleaner clean` and
# every `--help` build this parser and must not pay for them (start-up time).
if TYPE_CHECKING:
    from cleaner.mine.miner import MineResult, Page
    from cleaner.mine.options import MineOptions

HELP = "propose a site pack (preview rules) from many pages of one site"
EPILOG = """\
examples:
  cleaner mine pages/ --site example.com                      folder of .txt pages; pack on stdout
  cleaner mine pages/a.txt pages/b.txt pages/c.txt --site example.com
  cleaner mine manifest.jsonl --site example.com -o rules/sites/example.com.yaml
  cleaner mine crawl.jsonl --by-host -o proposed/sites/ --explain
  cleaner mine crawl.jsonl --site example.com --text-field body --url-field link

Input: .txt files, a folder of them, a manifest.jsonl (id, input path relative to it, url) or a
JSONL of records with a text field. With --site, records whose URL is on another host are
left out. Every proposed rule has `status: preview`: review it (README, "Mining site rules"),
then check the pack with `cleaner rules validate DIR` and `cleaner rules test DIR`.

exit codes: 0 a pack was proposed, 1 nothing recurs enough to propose, 2 usage or input errors.
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    # Imported here: only this command needs it; `cleaner clean` and --help start without it.
    from cleaner.mine.options import MineOptions

    defaults = MineOptions()
    parser = sub.add_parser(
        "mine", help=HELP, description=HELP, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sources", nargs="+", metavar="MANIFEST|DIR|JSONL", type=Path,
                        help="the pages: .txt files, folders of them, a manifest.jsonl or a JSONL of records")
    parser.add_argument("--site", help="the site the pages belong to (e.g. example.com)")
    parser.add_argument(
        "--by-host", action="store_true",
        help="group the pages by the host of their URL; write one pack per host into -o DIR",
    )
    parser.add_argument("-o", "--output", type=Path, help="write the pack here (with --by-host: a directory)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing pack file")
    parser.add_argument("--min-docs", type=partial(whole_number, low=1), default=defaults.min_docs, metavar="N",
                        help="a line must recur in at least N pages (default %(default)s)")
    parser.add_argument("--min-share", type=share, default=defaults.min_share, metavar="S",
                        help="... and in at least this share of the pages (default %(default)s)")
    parser.add_argument("--explain", action="store_true", help="print the evidence for each proposal on stderr")
    parser.add_argument("--text-field", default="text", metavar="NAME",
                        help="JSONL field holding the text (default: text)")
    parser.add_argument("--url-field", default="url", metavar="NAME", help="JSONL field holding the URL (default: url)")
    parser.set_defaults(run=run)


def read_pages(source: Path, *, text_field: str = "text", url_field: str = "url") -> list[Page]:
    """Pages from a .txt file, a folder of them, a manifest.jsonl or a JSONL of records."""
    # Imported here: only this command needs it; `cleaner clean` and --help start without it.
    from cleaner.mine.miner import Page

    if source.is_dir():
        files = sorted(source.glob("*.txt"))
        if not files:
            raise InputError(f"{source}: no .txt files in this folder")
        return [Page(path.name, read_input(str(path))) for path in files]
    if source.suffix == ".txt":
        return [Page(source.name, read_input(str(source)))]
    try:
        lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror or exc}") from exc
    pages = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{source}:{number}: not JSON ({exc.msg}); pass a folder of .txt files or JSONL") from exc
        if not isinstance(record, dict):
            raise InputError(f"{source}:{number}: expected a JSON object")
        url = record.get(url_field)
        page_id = str(record.get("id") or f"{source.name}:{number}")
        text = record.get(text_field)
        if not isinstance(text, str) and isinstance(record.get("input"), str):
            # A manifest line: the text lives in a file next to the manifest.
            text = read_input(str(source.parent / record["input"]))
        if not isinstance(text, str):
            raise InputError(f"{source}:{number}: no string field '{text_field}' and no 'input' file")
        pages.append(Page(page_id, text, url if isinstance(url, str) else None))
    return pages


def _on_site(page: Page, site: str) -> bool:
    # Imported here: only this command needs it; `cleaner clean` and --help start without it.
    from cleaner.text.hosts import host_of

    if page.url is None:
        return True
    host = host_of(page.url)
    return host == site or host.endswith("." + site)


def run(args: argparse.Namespace) -> int:
    # Imported here: only this command needs it; `cleaner clean` and --help start without it.
    from cleaner.mine.miner import mine
    from cleaner.mine.options import MineOptions
    from cleaner.rules.schema import SITE_RE

    if args.by_host == bool(args.site):
        raise InputError("give either --site SITE or --by-host (with -o DIR)")
    if args.by_host and args.output is None:
        raise InputError("--by-host writes one pack per host: give the directory with -o DIR")
    if args.site:
        # Imported here, as in _on_site: only --site needs host names.
        from cleaner.text.hosts import host_of

        # As `clean` does: www.example.com is the site example.com (hosts are compared without www.).
        args.site = host_of(args.site) or args.site
    if args.site and not SITE_RE.fullmatch(args.site):
        raise InputError(f"--site must be a domain like example.com, got {args.site!r}")
    pages = [page for source in args.sources for page in read_pages(
        source, text_field=args.text_field, url_field=args.url_field)]
    options = MineOptions(min_docs=args.min_docs, min_share=args.min_share)
    if args.site:
        kept = [page for page in pages if _on_site(page, args.site)]
        if len(kept) < options.min_docs:
            raise InputError(
                f"{len(kept)} page(s) of {args.site} found; mining needs at least --min-docs {options.min_docs}"
            )
        result = mine(kept, args.site, options)
        _report(result, args.explain)
        if not result.proposals:
            return 1
        _write(result, args.output, args.force)
        return 0
    return _run_by_host(pages, args, options)


def _run_by_host(pages: Sequence[Page], args: argparse.Namespace, options: MineOptions) -> int:
    # Imported here: only this command needs it; `cleaner clean` and --help start without it.
    from cleaner.mine.miner import mine
    from cleaner.rules.schema import SITE_RE
    from cleaner.text.hosts import host_of

    groups: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        host = host_of(page.url) if page.url else ""
        if host and SITE_RE.fullmatch(host):
            groups[host].append(page)
    skipped = len(pages) - sum(len(group) for group in groups.values())
    if skipped:
        print(f"cleaner mine: {skipped} page(s) without a usable URL left out", file=sys.stderr)
    written = 0
    with writing(args.output):
        args.output.mkdir(parents=True, exist_ok=True)
    for host, group in sorted(groups.items()):
        if len(group) < options.min_docs:
            continue
        result = mine(group, host, options)
        _report(result, args.explain)
        if result.proposals:
            _write(result, args.output / f"{host}.yaml", args.force)
            written += 1
    small = sum(1 for group in groups.values() if len(group) < options.min_docs)
    print(
        f"cleaner mine: {len(groups)} host(s), {small} with fewer than {options.min_docs} pages; "
        f"{written} pack(s) written to {args.output}",
        file=sys.stderr,
    )
    return 0 if written else 1


def _write(result: MineResult, output: Path | None, force: bool) -> None:
    # Imported here: only this command needs it; `cleaner clean` and --help start without it.
    from cleaner.mine.pack import check_pack, render_pack

    text = render_pack(result)
    problems = [d for d in check_pack(text, result.site) if d.severity == "error"]
    if problems:
        # A pack mining wrote must load as written; if not, that is a bug here, not in the input.
        details = "\n".join(d.format() for d in problems)
        raise CleanerError(f"the proposed pack for {result.site} does not validate (please report):\n{details}")
    if output is None:
        sys.stdout.write(text)
        return
    if output.is_dir():
        # `-o rules/sites/` names the folder; the pack takes the site's name, as the loader expects.
        output = output / f"{result.site}.yaml"
    if output.exists() and not force:
        raise InputError(f"{output} exists; a reviewed pack would be overwritten. Use --force or another -o")
    with writing(output):
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    print(f"cleaner mine: wrote {output} ({len(result.proposals)} preview rule(s))", file=sys.stderr)


def _report(result: MineResult, explain: bool) -> None:
    kinds = Counter(proposal.kind for proposal in result.proposals)
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "nothing recurs enough"
    duplicates = f" ({result.duplicates} duplicate page(s) skipped)" if result.duplicates else ""
    print(f"cleaner mine: {result.site}: {result.documents} pages{duplicates}, "
          f"{len(result.proposals)} proposal(s) ({counts})", file=sys.stderr)
    if not explain:
        return
    for proposal in result.proposals:
        print(f"  {proposal.kind} {result.site}/{proposal.id}: {proposal.match[0]!r}", file=sys.stderr)
        print(f"    pattern: {proposal.pattern}", file=sys.stderr)
        print(f"    support: {proposal.support()}", file=sys.stderr)
        print(f"    pages:   {', '.join(proposal.example_docs)}", file=sys.stderr)
        if proposal.covers:
            print(f"    also removes: {', '.join(repr(text) for text in proposal.covers)}", file=sys.stderr)
    if result.names:
        print(f"  names (title suffixes): {', '.join(result.names)}", file=sys.stderr)
    for rejected in result.rejected:
        print(f"  not proposed: {rejected.text[:80]!r} ({rejected.docs} pages): {rejected.reason}", file=sys.stderr)
