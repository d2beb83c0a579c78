"""``cleaner explain``: the document with removed lines struck through and labelled by rule."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

from cleaner.cli.common import (
    add_color_option,
    add_rule_options,
    cleaner_from_args,
    color_wanted,
    label,
    read_input,
    warn_unknown_site,
)
from cleaner.core.model import CleanResult, Removal

HELP = "show a document with each removal struck through and labelled with its rule"
EPILOG = """\
examples:
  cleaner explain seeds/001_4d15d51bd2204061.txt
  cleaner explain article.txt --url https://thehill.com/policy/123
  cleaner explain page.txt --site countercurrents.org --color always | less -R

On a terminal removed text is struck through in colour; in a pipe or file each removed
line starts with "- " and kept lines with "  ", and a rule label follows the removal.
--color always keeps the colour in a pipe (less -R); NO_COLOR=1 turns it off, FORCE_COLOR=1 on.
exit codes: 0 ok, 2 unreadable input or invalid rules.
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "explain", help=HELP, description=HELP, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("file", metavar="FILE", help="a text file, or - for stdin")
    parser.add_argument("--url", help="the page's URL: selects the site pack")
    parser.add_argument("--site", help="a site pack by name, overriding --url")
    add_color_option(parser)
    add_rule_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    cleaner = cleaner_from_args(args)
    warn_unknown_site(cleaner, args.site)
    result = cleaner.clean_and_explain(read_input(args.file), url=args.url, site=args.site)
    summaries = {rule.qualified_id: rule.summary for rule in cleaner.rules.rules}
    header = f"{label(args.file)}: {len(result.removals)} removal(s), site: {result.site or 'no site pack'}"
    if result.skipped:
        header += f"; {result.skipped}; what would have gone is marked"
    if color_wanted(args.color, sys.stdout):
        _render_rich(result, summaries, header)
    else:
        sys.stdout.write(header + "\n")
        sys.stdout.writelines(line + "\n" for line in plain_view(result, summaries))
    return 0


def _by_line(result: CleanResult) -> tuple[dict[int, Removal], dict[int, list[Removal]]]:
    whole: dict[int, Removal] = {}
    spans: dict[int, list[Removal]] = {}
    # A refused document shows what would have gone (its text itself is unchanged).
    for removal in result.removals or result.refused:
        if removal.columns is None:
            for i in range(removal.start, removal.end):
                whole[i] = removal
        else:
            spans.setdefault(removal.start, []).append(removal)
    return whole, spans


def _label(removal: Removal, summaries: dict[str, str], first: bool) -> str:
    summary = removal.why or summaries.get(removal.rule, "")
    return f"[{removal.rule}: {summary}]" if first else f"[{removal.rule}]"


def plain_view(result: CleanResult, summaries: dict[str, str]) -> Iterator[str]:
    """The document as plain lines: ``- `` for removed lines, cut text in ``[-...-]``."""
    whole, spans = _by_line(result)
    for i, line in enumerate(result.normalized.split("\n")):
        if i in whole:
            removal = whole[i]
            # Blank lines inside a removed block are marked but not labelled: less noise.
            yield f"- {line}    {_label(removal, summaries, i == removal.start)}" if line else "-"
        elif i in spans:
            text, labels = line, []
            for removal in sorted(spans[i], key=lambda r: r.columns or (0, 0), reverse=True):
                start, end = removal.columns or (0, 0)
                text = f"{text[:start]}[-{text[start:end]}-]{text[end:]}"
                labels.append(_label(removal, summaries, True))
            yield f"~ {text}    {' '.join(labels)}"
        else:
            yield f"  {line}".rstrip()


def _render_rich(result: CleanResult, summaries: dict[str, str], header: str) -> None:
    # Imported here: rich costs start-up time; only a terminal view needs it.
    from rich.console import Console
    from rich.text import Text

    # Colour was decided by --color (and NO_COLOR / FORCE_COLOR): rich must not decide again.
    console = Console(highlight=False, force_terminal=True, no_color=False)
    console.print(Text(header, style="bold"))
    whole, spans = _by_line(result)
    for i, line in enumerate(result.normalized.split("\n")):
        text = Text()
        if i in whole:
            removal = whole[i]
            text.append(line, style="strike red")
            if i == removal.start:
                why = removal.why or summaries.get(removal.rule, "")
                text.append(f"  ← {removal.rule}: {why}", style="italic cyan")
        elif i in spans:
            cuts = sorted((r.columns or (0, 0), r) for r in spans[i])
            pos = 0
            for (start, end), _ in cuts:
                text.append(line[pos:start])
                text.append(line[start:end], style="strike red")
                pos = end
            text.append(line[pos:])
            for _, removal in cuts:
                why = removal.why or summaries.get(removal.rule, "")
                text.append(f"  ← {removal.rule}: {why}", style="italic cyan")
        else:
            text.append(line)
        console.print(text, soft_wrap=True)
