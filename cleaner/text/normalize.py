"""Repair damage in input text without restyling it.

ftfy fixes mojibake and stray control characters; curly quotes, dashes, ligatures and
widths are typography and stay as written. Lines are stripped of edge whitespace (no-break
spaces included), line endings become ``\\n`` and runs of blank lines collapse to one.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# Plain ASCII and line-separator characters: Python's re reads this as regex would.
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85\v\f]")


@functools.cache
def _configs() -> tuple[Any, Any]:
    """ftfy's configurations, built on first use: importing ftfy costs ~0.1 s of start-up."""
    # Imported here: ftfy loads only when some line needs repair, not at start-up.
    import ftfy

    # Repairs only: every restyling fix is off, and no Unicode normalisation form is imposed.
    config = ftfy.TextFixerConfig(
        uncurl_quotes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        fix_line_breaks=False,
        normalization=None,
        explain=False,
    )
    return config, config._replace(unescape_html=False)


def __getattr__(name: str) -> Any:
    # FTFY_CONFIG stays importable from here without importing ftfy with this module.
    if name == "FTFY_CONFIG":
        return _configs()[0]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _fix_text(text: str, *, html: bool) -> str:
    # Imported here: ftfy loads only when some line needs repair, not at start-up.
    import ftfy

    return str(ftfy.fix_text(text, _configs()[0 if html else 1]))


# ASCII characters ftfy acts on: controls it removes and the escape of terminal sequences.
_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _trigger_source() -> str:
    """What can make ftfy change a line; a line with none of it comes back unchanged.

    ftfy fixes text line by line, and with our configuration a line changes only if
    - an HTML entity is unescaped (``&...;``; not in a line holding ``<``, see below),
    - ``fix_encoding`` finds mojibake, which it only tries when ftfy's own ``BADNESS_RE``
      matches the line (that regex has no look-arounds; its one ``^`` means line start
      here, written out below since the whole text is searched, not each line),
    - or a C1 control, a surrogate, an escape or a control character ftfy removes occurs.
    """
    # Imported here: ftfy loads only when some line needs repair, not at start-up.
    from ftfy.badness import BADNESS_RE
    from ftfy.chardata import CONTROL_CHARS

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


def ftfy_fingerprint() -> str:
    """A hash of the ftfy sources the trigger is derived from, read without importing ftfy."""
    import hashlib  # here: only repairs need it, and it loads OpenSSL

    spec = importlib.util.find_spec("ftfy")
    if spec is None or spec.origin is None:
        return ""
    folder = Path(spec.origin).parent
    digest = hashlib.sha256()
    for name in ("__init__.py", "badness.py", "chardata.py"):
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


def fast_trigger_source() -> str:
    """The trigger widened into one RE2 pattern (translating it needs ftfy imported)."""
    # Imported here: start-up time: the translator loads only when the repair trigger is built.
    from cleaner.match.re2 import to_re2

    return to_re2("(?x)" + _trigger_source())


def write_trigger_cache(path: Path | None = None) -> Path:
    """Regenerate ``cleaner/text/ftfy_trigger.py`` for the installed ftfy."""
    path = path or Path(__file__).with_name("ftfy_trigger.py")
    path.write_text(
        '"""Generated: ftfy\'s repair trigger translated to RE2 (see cleaner.text.normalize._fast_trigger).\n\n'
        "Regenerate after upgrading ftfy (tests/text/test_normalize_repair.py says when):\n"
        "    python -c 'import cleaner.text.normalize as n; n.write_trigger_cache()'\n"
        '"""\n\n'
        f"FTFY_SOURCES_SHA256 = {ftfy_fingerprint()!r}\n"
        f"TRIGGER_RE2 = {fast_trigger_source()!r}  # noqa: E501\n",
        encoding="utf-8",
    )
    return path


@functools.cache
def _fast_trigger() -> Any:
    """The trigger as one RE2 regex (linear time, ~10x faster than ``re``), or None.

    The translated pattern is stored in ``cleaner/text/ftfy_trigger.py`` for the ftfy sources
    it came from; with other ftfy sources it is translated afresh.
    """
    try:
        # Imported here: google-re2 and the translator load only when the repair trigger is built.
        import re2

        from cleaner.match.re2 import Unsupported
    except ImportError:
        return None
    from cleaner.text import ftfy_trigger  # 17 KB of pattern: read only when a repair needs it

    fresh = ftfy_fingerprint() == ftfy_trigger.FTFY_SOURCES_SHA256
    try:
        options = re2.Options()
        options.log_errors = False
        source = ftfy_trigger.TRIGGER_RE2 if fresh else fast_trigger_source()
        return re2.compile(source.encode("utf-8"), options)
    except (Unsupported, re2.error):
        return None


# ftfy's default max_decode_length (a test checks it): it cuts longer lines into pieces.
_LONGEST_SEGMENT = 1_000_000


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
# ftfy is not idempotent on every input (see normalize_text); this bounds the repeats.
MAX_REPAIR_PASSES = 4


def repair_unicode(text: str) -> str:
    """ftfy's repairs, run only on the lines that need them; same result as on the whole text.

    ``ftfy.fix_text`` works line by line (segments end at ``\\n``), except for one piece of
    state: once a line containing ``<`` has been seen, it no longer unescapes HTML entities in
    later lines (``unescape_html="auto"``). That state is *not* carried here: each line is
    decided by itself (a line holding ``<`` keeps its entities), so that deleting a line
    cannot change how another one normalises, and cleaning stays idempotent (``AT&amp;T``
    after a removed ``<`` line was ``AT&T`` on a second run). A trigger (see
    ``_trigger_source``) picks the lines ftfy could change; the others are returned as they
    are, which is exactly what ftfy would return for them.
    """
    if text.isascii() and "&" not in text and not _ASCII_CONTROLS.search(text):
        return text
    if len(text) > _LONGEST_SEGMENT and max(map(len, text.split("\n"))) >= _LONGEST_SEGMENT:
        # ftfy cuts such a line into pieces whose edges the line-level trigger cannot see.
        return _fix_text(text, html=True)
    spans = _lines_to_repair(text)
    if spans is not None:
        if not spans:
            return text
        data = text.encode("utf-8")
        pieces, done = [], 0
        for start, end in spans:
            pieces.append(data[done:start].decode("utf-8"))
            pieces.append(_fix_text(data[start:end].decode("utf-8"), html=True))
            done = end
        pieces.append(data[done:].decode("utf-8"))
        return "".join(pieces)
    return _repair_by_str(text)


def _repair_by_str(text: str) -> str:
    """The same line selection with Python's ``re`` over the str (surrogates, no RE2)."""
    trigger = _trigger()
    match = trigger.search(text)
    out: list[str] = []
    done = 0
    while match is not None:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start()) + 1 or len(text)
        out.append(text[done:start])
        out.append(_fix_text(text[start:end], html=True))
        done = end
        match = trigger.search(text, end) if end < len(text) else None
    out.append(text[done:])
    return "".join(out)


def normalize_text(text: str) -> str:
    """Return the canonical form every rule and every removal refers to.

    >>> normalize_text("Title\\r\\n\\r\\n\\r\\n\\u00a0Body  \\n")
    'Title\\n\\nBody'
    """
    text = text.lstrip("\ufeff")
    if any(mark in text for mark in _NEWLINE_MARKS):
        text = _NEWLINES.sub("\n", text)
    collapsed = _is_collapsed(text)
    if not collapsed:
        text = _strip_lines(text)
    # ftfy is not idempotent on every input: a repair can expose another (an edge space
    # stripped, a surrogate replaced, a new mojibake sequence formed). Repeating until
    # nothing changes makes normalisation idempotent; real text settles in one pass, and
    # text ftfy leaves alone costs no second pass.
    for _ in range(MAX_REPAIR_PASSES):
        repaired = repair_unicode(text)
        if repaired == text:
            break
        text = _strip_lines(_NEWLINES.sub("\n", repaired))
        collapsed = False
    # Text that was collapsed and came back from the repair unchanged is still collapsed.
    if collapsed or _is_collapsed(text):
        return text
    return collapse_blank_lines(text.split("\n"))


def _strip_lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.split("\n"))


# Characters _NEWLINES rewrites; ``in`` tests are far cheaper than a regex pass.
_NEWLINE_MARKS = ("\r", "\u2028", "\u2029", "\x85", "\v", "\f")


def _is_collapsed(text: str) -> bool:
    """Whether ``text`` is already what the strip-and-collapse step would make of it.

    True when no line has edge whitespace, no two blank lines follow each other, and the
    text neither starts nor ends with whitespace (a blank line at either end).
    """
    if not text:
        return True
    if text[0].isspace() or text[-1].isspace() or "\n\n\n" in text:
        return False
    # A line loop with str.strip is ~15x faster here than a regex for whitespace by a newline.
    return all(line == line.strip() for line in text.split("\n"))


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

