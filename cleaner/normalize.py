"""Repair damage in input text without restyling it.

ftfy fixes mojibake and stray control characters; curly quotes, dashes, ligatures and
widths are typography and stay as written. Lines are stripped of edge whitespace (no-break
spaces included), line endings become ``\\n`` and runs of blank lines collapse to one.
"""

from __future__ import annotations

from collections.abc import Iterable

import ftfy
import regex

# Repairs only: every restyling fix is off, and no Unicode normalisation form is imposed.
FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    fix_line_breaks=False,
    normalization=None,
    explain=False,
)
_NEWLINES = regex.compile(r"\r\n?|[\u2028\u2029\x85\v\f]")
# Characters ftfy may act on. Text without any of them is returned untouched by ftfy, so
# skipping it is exact, not a heuristic.
MAX_REPAIR_PASSES = 4
_SUSPICIOUS = regex.compile(r"[^\x0a\x20-\x7e]")


def repair_unicode(text: str) -> str:
    """Run ftfy's repairs on ``text`` when it contains anything ftfy could change."""
    if _SUSPICIOUS.search(text) is None:
        return text
    return ftfy.fix_text(text, FTFY_CONFIG)


def normalize_text(text: str) -> str:
    """Return the canonical form every rule and every removal refers to.

    >>> normalize_text("Title\\r\\n\\r\\n\\r\\n\\u00a0Body  \\n")
    'Title\\n\\nBody'
    """
    text = _strip_lines(_NEWLINES.sub("\n", text.lstrip("\ufeff")))
    # ftfy is not idempotent on every input: a repair can expose another (an edge space
    # stripped, a surrogate replaced, a new mojibake sequence formed). Repeating until
    # nothing changes makes normalisation idempotent; real text settles in one pass, and
    # text ftfy leaves alone costs no second pass.
    for _ in range(MAX_REPAIR_PASSES):
        repaired = repair_unicode(text)
        if repaired == text:
            break
        text = _strip_lines(_NEWLINES.sub("\n", repaired))
    return collapse_blank_lines(text.split("\n"))


def _strip_lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.split("\n"))


def collapse_blank_lines(lines: Iterable[str]) -> str:
    """Join lines, keeping at most one blank line in a row and none at either end."""
    out: list[str] = []
    blank = False
    for line in lines:
        if not line:
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(line)
    return "\n".join(out)

