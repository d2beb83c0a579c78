"""Repair damage in input text without restyling it.

ftfy fixes mojibake and stray control characters; curly quotes, dashes, ligatures and
widths are typography and stay as written. Lines are stripped of edge whitespace (no-break
spaces included), line endings become ``\\n`` and runs of blank lines collapse to one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

import ftfy
import regex
from ftfy.badness import BADNESS_RE
from ftfy.chardata import CONTROL_CHARS

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
_NO_HTML = FTFY_CONFIG._replace(unescape_html=False)
# ASCII characters ftfy acts on: controls it removes and the escape of terminal sequences.
_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _trigger_source() -> str:
    """What can make ftfy change a line; a line with none of it comes back unchanged.

    ftfy fixes text line by line, and with our configuration a line changes only if
    - an HTML entity is unescaped (``&...;``; only while no ``<`` was seen, see below),
    - ``fix_encoding`` finds mojibake, which it only tries when ftfy's own ``BADNESS_RE``
      matches the line (that regex has no look-arounds; its one ``^`` means line start
      here, written out below since the whole text is searched, not each line),
    - or a C1 control, a surrogate, an escape or a control character ftfy removes occurs.
    """
    controls = "".join(f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" for c in sorted(CONTROL_CHARS))
    return (
        f"(?:{BADNESS_RE.pattern})"
        f"|(?:\\A|(?<=\\n))[ÃÂ][ ]"
        f"|&\\#?[0-9A-Za-z]{{1,24}};"
        f"|[{controls}\\x1b\\x80-\\x9f\\ud800-\\udfff]"
    )


@functools.cache
def _trigger() -> re.Pattern[str]:
    return re.compile(_trigger_source(), re.VERBOSE)


@functools.cache
def _fast_trigger() -> Any:
    """The trigger widened into one RE2 regex (linear time, ~10x faster), or None."""
    try:
        import re2

        from cleaner.prefilter import Unsupported, to_re2
    except ImportError:
        return None
    try:
        options = re2.Options()
        options.log_errors = False
        return re2.compile(to_re2("(?x)" + _trigger_source()).encode("utf-8"), options)
    except (Unsupported, re2.error):
        return None


_LONGEST_SEGMENT = FTFY_CONFIG.max_decode_length


def _lines_to_repair(text: str) -> list[tuple[int, int]] | None:
    """``(start, end)`` of every line (with its newline) the trigger finds, in ``text``'s
    UTF-8 bytes; None when the bytes route is not available (then the caller scans str)."""
    fast = _fast_trigger()
    if fast is None:
        return None
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    spans, pos = [], 0
    while (match := fast.search(data, pos)) is not None:
        start = data.rfind(b"\n", 0, match.start()) + 1
        end = data.find(b"\n", match.start()) + 1 or len(data)
        spans.append((start, end))
        pos = end
        if pos >= len(data):
            break
    return spans


def repair_unicode(text: str) -> str:
    """ftfy's repairs, run only on the lines that need them; same result as on the whole text.

    ``ftfy.fix_text`` already works line by line (segments end at ``\\n``), except for one
    piece of state: once a line containing ``<`` has been seen, HTML entities are no longer
    unescaped in later lines (``unescape_html="auto"``). That state is carried here too.
    A trigger (see ``_trigger_source``) picks the lines ftfy could change; the others are
    returned as they are, which is exactly what ftfy would return for them.
    """
    if text.isascii() and "&" not in text and not _ASCII_CONTROLS.search(text):
        return text
    if len(text) > _LONGEST_SEGMENT and max(map(len, text.split("\n"))) >= _LONGEST_SEGMENT:
        # ftfy cuts such a line into pieces whose edges the line-level trigger cannot see.
        return str(ftfy.fix_text(text, FTFY_CONFIG))
    spans = _lines_to_repair(text)
    if spans is not None:
        if not spans:
            return text
        data = text.encode("utf-8")
        first_lt = data.find(b"<")
        pieces, done = [], 0
        for start, end in spans:
            config = FTFY_CONFIG if first_lt < 0 or first_lt >= start else _NO_HTML
            pieces.append(data[done:start].decode("utf-8"))
            pieces.append(ftfy.fix_text(data[start:end].decode("utf-8"), config))
            done = end
        pieces.append(data[done:].decode("utf-8"))
        return "".join(pieces)
    return _repair_by_str(text)


def _repair_by_str(text: str) -> str:
    """The same line selection with Python's ``re`` over the str (surrogates, no RE2)."""
    trigger = _trigger()
    match = trigger.search(text)
    first_lt = text.find("<")
    out: list[str] = []
    done = 0
    while match is not None:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start()) + 1 or len(text)
        config = FTFY_CONFIG if first_lt < 0 or first_lt >= start else _NO_HTML
        out.append(text[done:start])
        out.append(ftfy.fix_text(text[start:end], config))
        done = end
        match = trigger.search(text, end) if end < len(text) else None
    out.append(text[done:])
    return "".join(out)


def normalize_text(text: str) -> str:
    """Return the canonical form every rule and every removal refers to.

    >>> normalize_text("Title\\r\\n\\r\\n\\r\\n\\u00a0Body  \\n")
    'Title\\n\\nBody'
    """
    text = _NEWLINES.sub("\n", text.lstrip("\ufeff"))
    text = repair_unicode(text)
    return collapse_blank_lines(line.strip() for line in text.split("\n"))


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

