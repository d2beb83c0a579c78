"""Translate a ``regex`` pattern into an RE2 pattern that matches a superset of it (never less).

The engine's candidate selection (cleaner.engine.prefilter) puts these translations into RE2
sets: a rule whose gate matches no line of a document cannot match it, so it need not run.
Patterns the translation cannot vouch for (regex-only syntax such as possessive fuzzy
matching, ``\\p{..}`` inside a negated set, ``(?V1)``, inline flags past the start...) raise
:class:`Unsupported`, and their rules are simply not gated.

How a pattern is widened into a superset:

- assertions (``\\b``, ``^``, ``$``, lookarounds) become empty: dropping a condition only
  lets more through;
- ``\\w``, ``\\d``, ``\\s`` and their negations become ASCII classes plus every non-ASCII
  character (RE2's own ``\\w`` is ASCII-only, which would be *narrower*);
- case-insensitive characters become explicit classes of every case the ``regex`` module
  itself folds them to (``k`` also matches the Kelvin sign);
- a back-reference becomes "anything", atomic groups and possessive repeats plain ones.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Sequence
from typing import Any, Literal

from cleaner.match.sitenames import bind_site_names
from cleaner.util.diskcache import own_source

# Where a gated pattern must match: a whole stripped line, or anywhere in a line.
Scope = Literal["line", "search"]

# This module's source as the running process loaded it, read at import: the cache of RE2
# translations (cleaner.match.re2cache) is keyed by it. A file edited after start-up (a long
# run, forked --jobs workers) must not label this process's translations as the new code's.
SOURCE = own_source(__file__)

_MAX = 0x10FFFF
_NONASCII = (0x80, _MAX)
_SURROGATES = (0xD800, 0xDFFF)
# Beyond this many code points a case closure is widened instead of computed.
_CLOSURE_LIMIT = 2000
# RE2 refuses counted repetitions above 1000.
_RE2_REPEAT_LIMIT = 1000

Interval = tuple[int, int]


class Unsupported(ValueError):
    """The pattern uses something the translation cannot widen faithfully."""


# Over- and under-approximations of the Unicode classes ``regex`` uses for str patterns.
_WORD_ASCII: list[Interval] = [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]
_DIGIT_ASCII: list[Interval] = [(0x30, 0x39)]
# ``regex``'s \s (Unicode White_Space) and everything str.isspace() accepts (a superset that
# adds the separators U+001C..U+001F); tests check both against the running interpreter.
_UNICODE_SPACES = [0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
_SPACE_SURE: list[Interval] = [(0x09, 0x0D), (0x20, 0x20), *((c, c) for c in _UNICODE_SPACES)]
_SPACE_MAYBE: list[Interval] = [(0x09, 0x0D), (0x1C, 0x20), *((c, c) for c in _UNICODE_SPACES)]


def _complement(intervals: Sequence[Interval], within: Interval = (0, _MAX)) -> list[Interval]:
    out, at = [], within[0]
    for lo, hi in _merge(intervals):
        if hi < within[0] or lo > within[1]:
            continue
        if lo > at:
            out.append((at, lo - 1))
        at = max(at, hi + 1)
    if at <= within[1]:
        out.append((at, within[1]))
    return out


def _merge(intervals: Sequence[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


_ASCII = (0, 0x7F)
# name -> (over-approximation, under-approximation) of the class's true set of characters.
_CATEGORIES: dict[str, tuple[list[Interval], list[Interval]]] = {
    "CATEGORY_WORD": ([*_WORD_ASCII, _NONASCII], _WORD_ASCII),
    "CATEGORY_NOT_WORD": (_complement(_WORD_ASCII), _complement(_WORD_ASCII, _ASCII)),
    "CATEGORY_DIGIT": ([*_DIGIT_ASCII, _NONASCII], _DIGIT_ASCII),
    "CATEGORY_NOT_DIGIT": (_complement(_DIGIT_ASCII), _complement(_DIGIT_ASCII, _ASCII)),
    "CATEGORY_SPACE": (_SPACE_MAYBE, _SPACE_SURE),
    "CATEGORY_NOT_SPACE": (_complement(_SPACE_SURE), _complement(_SPACE_MAYBE)),
}


@functools.lru_cache(maxsize=4096)
def cases(cp: int) -> tuple[int, ...]:
    """Every character ``regex`` treats as equal to ``cp`` under IGNORECASE."""
    # Imported here: regex (~13 ms) loads with the first pattern analysed, not at start-up.
    import regex
    from regex import _regex as _regex_impl

    get_all_cases: Any = getattr(_regex_impl, "get_all_cases")  # noqa: B009 (untyped C function)
    return (*get_all_cases(regex.IGNORECASE | regex.UNICODE, cp), cp)


@functools.cache
def _ascii_with_wide_cases() -> tuple[Interval, ...]:
    """ASCII characters with a non-ASCII case partner (``k``/Kelvin sign, ``s``/long s)."""
    return tuple((c, c) for c in range(0x80) if any(other >= 0x80 for other in cases(c)))


def _case_closure(intervals: Sequence[Interval], *, widen: bool) -> list[Interval]:
    """Add every case partner; a huge interval is widened (or left as is when narrowing)."""
    out = list(intervals)
    for lo, hi in intervals:
        if hi - lo < _CLOSURE_LIMIT:
            out += [(c, c) for cp in range(lo, hi + 1) for c in cases(cp)]
            continue
        ascii_hi = min(hi, 0x7F)
        out += [(c, c) for cp in range(lo, ascii_hi + 1) for c in cases(cp)]
        if widen and hi >= 0x80:
            out += [_NONASCII, *_ascii_with_wide_cases()]
    return _merge(out)


def _class(intervals: Sequence[Interval], *, negate: bool = False) -> str:
    """An RE2 character class; surrogates cannot occur in UTF-8 text and are left out."""
    merged = _complement(intervals) if negate else _merge(intervals)
    parts = []
    for lo, hi in merged:
        for a, b in _minus_surrogates(lo, hi):
            parts.append(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}")
    # An empty class is written as "not anything", which RE2 accepts and never matches.
    return "[" + "".join(parts) + "]" if parts else "[^\\x00-\\x{10ffff}]"


def _minus_surrogates(lo: int, hi: int) -> list[Interval]:
    s_lo, s_hi = _SURROGATES
    if hi < s_lo or lo > s_hi:
        return [(lo, hi)]
    return [(a, b) for a, b in ((lo, s_lo - 1), (s_hi + 1, hi)) if a <= b]


def _set_items(items: Sequence[tuple[Any, Any]], *, widen: bool) -> list[Interval]:
    out: list[Interval] = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out.append((av, av))
        elif name == "RANGE":
            out.append((av[0], av[1]))
        elif name == "CATEGORY" and str(av) in _CATEGORIES:
            over, under = _CATEGORIES[str(av)]
            out += over if widen else under
        else:
            raise Unsupported(f"set item {name} {av}")
    return out


def _translate_set(items: Sequence[tuple[Any, Any]], ignorecase: bool) -> str:
    negate = bool(items) and str(items[0][0]) == "NEGATE"
    if negate:
        # [^S] matches what no case of S matches: narrowing S (and its closure) widens the class.
        inner = _set_items(items[1:], widen=False)
        return _class(_case_closure(inner, widen=False) if ignorecase else inner, negate=True)
    inner = _set_items(items, widen=True)
    return _class(_case_closure(inner, widen=True) if ignorecase else inner)


@functools.lru_cache(maxsize=4096)
def _literal(cp: int, ignorecase: bool) -> str:
    if not ignorecase:
        return re.escape(chr(cp)) if 0x20 < cp < 0x7F else _class([(cp, cp)])
    return _class(_case_closure([(cp, cp)], widen=True))


_LINE_START = frozenset({"AT_BEGINNING", "AT_BEGINNING_STRING", "AT_BEGINNING_LINE"})
_LINE_END = frozenset({"AT_END", "AT_END_STRING", "AT_END_LINE"})


def _translate(data: Sequence[tuple[Any, Any]], flags: int, anchors: bool = False) -> str:
    ignorecase = bool(flags & re.IGNORECASE)
    out = []
    for op, av in data:
        name = str(op)
        if name == "LITERAL":
            out.append(_literal(av, ignorecase))
        elif name == "NOT_LITERAL":
            chars = _case_closure([(av, av)], widen=False) if ignorecase else [(av, av)]
            out.append(_class(chars, negate=True))
        elif name == "ANY":
            out.append("(?s:.)" if flags & re.DOTALL else "[^\\n]")
        elif name == "IN":
            out.append(_translate_set(av, ignorecase))
        elif name == "CATEGORY":
            out.append(_translate_set([(op, av)], ignorecase))
        elif name == "BRANCH":
            out.append("(?:" + "|".join(_translate(branch.data, flags, anchors) for branch in av[1]) + ")")
        elif name == "SUBPATTERN":
            _group, add, remove, sub = av
            out.append("(?:" + _translate(sub.data, (flags | add) & ~remove, anchors) + ")")
        elif name == "ATOMIC_GROUP":
            out.append("(?:" + _translate(av.data, flags, anchors) + ")")
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = av
            out.append("(?:" + _translate(sub.data, flags, anchors) + ")" + _repeat(low, high))
        elif name == "AT" and anchors and str(av) in _LINE_START:
            out.append("^")
        elif name == "AT" and anchors and str(av) in _LINE_END:
            out.append("$")
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        elif name == "GROUPREF":
            out.append("(?s:.*)")
        elif name == "GROUPREF_EXISTS":
            _group, yes, no = av
            no_text = _translate(no.data, flags) if no is not None else ""
            out.append("(?:" + _translate(yes.data, flags) + "|" + no_text + ")")
        else:
            raise Unsupported(f"construct {name}")
    return "".join(out)


def _repeat(low: int, high: int) -> str:
    from re._constants import MAXREPEAT  # type: ignore[import-not-found]

    low = min(low, _RE2_REPEAT_LIMIT)
    if high == MAXREPEAT or high > _RE2_REPEAT_LIMIT:
        return "*" if low == 0 else "+" if low == 1 else f"{{{low},}}"
    if high - low > 3:
        # Wide counted repeats multiply RE2 DFA states (a set of rules with [^\n]{0,120} ran at
        # 2 MB/s); unbounded is a superset, which is all a prefilter needs.
        return "*" if low == 0 else "+" if low == 1 else f"{{{low},}}"
    return f"{{{low},{high}}}"


# Braces that are not a plain counted repeat mean something else to ``regex`` (fuzzy
# matching ``{e<=1}``) than to ``re`` (literal text), so such patterns are not gated.
_BRACE = re.compile(r"\\.|\{(?!\d*,?\d*\})", re.DOTALL)
# ``regex`` reads POSIX classes (``[[:digit:]]``) even inside a set, where ``re`` sees literals.
_POSIX_CLASS = re.compile(r"\[:\^?\w+:\]")


def to_re2(pattern: str, *, line_anchors: bool = False) -> str:
    """The RE2 pattern matching a superset of what ``regex`` pattern ``pattern`` matches.

    Raises :class:`Unsupported` when no faithful widening is known. ``line_anchors`` keeps
    ``^ $ \\A \\Z`` as RE2's ``^ $``: exact for a search of one line at a time (the
    evidence signals); otherwise they are dropped, as for the prefilter's sets.

    >>> to_re2(r"(?i)ok\\b")
    '[\\\\x{4f}\\\\x{6f}][\\\\x{4b}\\\\x{6b}\\\\x{212a}]'
    """
    data, flags = parse_pattern(pattern)
    return _translate(data, flags, line_anchors)


def parse_pattern(pattern: str) -> tuple[Sequence[tuple[Any, Any]], int]:
    r"""Python's parse of a ``regex`` pattern (items, flags), refusing what ``re`` reads differently.

    ``\p{..}`` classes are widened to any character first (see ``_widen_properties``).
    Raises :class:`Unsupported` for regex-only syntax, where the parse would not be faithful.
    """
    pattern = _widen_properties(pattern)
    if any(m.group(0).startswith("{") for m in _BRACE.finditer(pattern)):
        raise Unsupported("brace that is not a counted repeat")
    if _POSIX_CLASS.search(pattern):
        raise Unsupported("possible POSIX character class")
    import re._parser as sre_parse  # type: ignore[import-not-found]

    try:
        with warnings.catch_warnings():
            # "Possible nested set" and similar: regex reads these differently.
            warnings.simplefilter("error")
            parsed = sre_parse.parse(pattern)
    except (re.error, Warning, RecursionError, OverflowError) as exc:
        raise Unsupported(str(exc)) from exc
    flags = int(parsed.state.flags)
    if flags & re.LOCALE:
        raise Unsupported("locale flag")
    return parsed.data, flags


def required_literal(pattern: str, shortest: int = 4) -> str | None:
    r"""A piece of text, case and all, that every match of ``pattern`` contains; None if unknown.

    The longest run of plain characters in the pattern's top-level sequence: each of those
    is matched by itself, in order, whatever the rest does. Case-insensitive patterns and
    syntax the RE2 translation refuses get None. A cheap ``in`` test of the literal can
    then skip a regex search that could not succeed.

    >>> required_literal(r"(?m)^.{10,300}\s[-|]\s(?:The )?Times of India$")
    'Times of India'
    """
    try:
        data, flags = parse_pattern(pattern)
    except Unsupported:
        return None
    if flags & re.IGNORECASE:
        return None
    best, run = "", ""
    for op, av in [*data, (None, None)]:
        if str(op) == "LITERAL":
            run += chr(av)
            continue
        if len(run) > len(best):
            best = run
        run = ""
    return best if len(best) >= shortest else None


_PROPERTY = re.compile(r"\\[pP]\{\^?[\w .=&-]+\}|\\[pP][A-Z]")
_ANY_CHAR = "\\x00-\\U0010ffff"


def _widen_properties(pattern: str) -> str:
    r"""Replace Unicode property classes (``\p{Lu}``, ``\P{P}``) by "any character".

    ``re`` cannot parse them; any character is a superset of one property's characters.
    Inside a negated set the widening would narrow the set instead, so that is refused.
    """
    if "\\p" not in pattern and "\\P" not in pattern:
        return pattern
    out, i, in_set, negated, set_start = [], 0, False, False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            match = _PROPERTY.match(pattern, i)
            if match:
                if in_set and negated:
                    raise Unsupported("Unicode property inside a negated set")
                out.append(_ANY_CHAR if in_set else f"[{_ANY_CHAR}]")
                i = match.end()
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if not in_set and char == "[":
            in_set, negated = True, pattern.startswith("[^", i)
            set_start = i + (2 if negated else 1)
        elif in_set and char == "]" and i > set_start:
            in_set = False
        out.append(char)
        i += 1
    return "".join(out)


@functools.cache
def _edge() -> str:
    """What str.strip() takes off a line's edges, as an RE2 class."""
    return _class(_SPACE_MAYBE)


@functools.lru_cache(maxsize=8192)
def gate_pattern(pattern: str, scope: Scope, site_names: tuple[str, ...]) -> str | None:
    """The RE2 pattern that gates one pattern over a text, or None if it cannot be gated.

    A ``search`` pattern is found anywhere in a line; a ``line`` pattern fullmatches a
    stripped line, so its gate is anchored at line edges and allows what ``str.strip()``
    removes.
    """
    try:
        body = to_re2(bind_site_names(pattern, site_names))
    except Unsupported:
        return None
    if scope == "search":
        return f"(?:{body})"
    return f"(?m:^){_edge()}*(?:{body}){_edge()}*(?m:$)"
