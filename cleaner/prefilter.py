"""A linear-time prefilter that picks, per document, the few rules that could match it.

Every pattern a plan can gate is translated into an RE2 pattern that matches a *superset*
of what the ``regex`` pattern matches on a line (never less), and all of them go into one
RE2 ``Set``. One pass of the set over the document says which rules have a line that might
match; only those run, and they run with their own ``regex`` pattern, its full semantics and
its time limit. A rule the set leaves out cannot match anywhere in the document, so skipping
it changes nothing: the removals are the same as running every rule.

Patterns the translation cannot vouch for (regex-only syntax such as possessive fuzzy
matching, ``\\p{..}``, ``(?V1)``, inline flags past the start...) are simply not gated:
their rule runs on every document, as before. Without google-re2 installed nothing is gated.

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
import importlib.util
import re
import warnings
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cleaner.model import Kind

if TYPE_CHECKING:
    from cleaner.kinds import Matcher

# The kinds whose matcher finds nothing unless its pattern matches some live line of the
# document as it was at the start of the plan. ``repeat`` compares lines as the span stage
# left them (and its pattern is optional), so it always runs. A ``run`` rule with a pattern
# starts only at a line its heading pattern fully matches, within its max_chars (one without
# a pattern always runs).
_LINE_KINDS: frozenset[str] = frozenset({"line", "tail", "head", "block", "run"})

_SEARCH_KINDS: frozenset[str] = frozenset({"span"})


def _own_source() -> bytes | None:
    try:
        with open(__file__, "rb") as handle:
            return handle.read()
    except OSError:
        return None


# This module's source as the running process loaded it, read at import: the cache of RE2
# translations (cleaner.gatecache) is keyed by it. A file edited after start-up (a long run,
# forked --jobs workers) must not label this process's translations as the new code's.
SOURCE = _own_source()

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
def _cases(cp: int) -> tuple[int, ...]:
    """Every character ``regex`` treats as equal to ``cp`` under IGNORECASE."""
    import regex
    from regex import _regex as _regex_impl

    get_all_cases: Any = getattr(_regex_impl, "get_all_cases")  # noqa: B009 (untyped C function)
    return (*get_all_cases(regex.IGNORECASE | regex.UNICODE, cp), cp)


@functools.cache
def _ascii_with_wide_cases() -> tuple[Interval, ...]:
    """ASCII characters with a non-ASCII case partner (``k``/Kelvin sign, ``s``/long s)."""
    return tuple((c, c) for c in range(0x80) if any(other >= 0x80 for other in _cases(c)))


def _case_closure(intervals: Sequence[Interval], *, widen: bool) -> list[Interval]:
    """Add every case partner; a huge interval is widened (or left as is when narrowing)."""
    out = list(intervals)
    for lo, hi in intervals:
        if hi - lo < _CLOSURE_LIMIT:
            out += [(c, c) for cp in range(lo, hi + 1) for c in _cases(cp)]
            continue
        ascii_hi = min(hi, 0x7F)
        out += [(c, c) for cp in range(lo, ascii_hi + 1) for c in _cases(cp)]
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
    ``^ $ \\A \\Z`` as RE2's ``^ $``: exact for a search of one line at a time, or of lines
    joined by newlines under RE2's ``(?m)`` with ``never_nl`` (the evidence signals).

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


def _bind_site_names(pattern: str, site_names: Sequence[str]) -> str:
    r"""Replace ``\L<site_names>`` by an alternation of the names, escaped."""
    from cleaner.kinds import SITE_NAMES_LIST

    if SITE_NAMES_LIST not in pattern:
        return pattern
    names = list(site_names) or ["\x00no site names\x00"]
    return pattern.replace(SITE_NAMES_LIST, "(?:" + "|".join(re.escape(n) for n in names) + ")")


@functools.cache
def _edge() -> str:
    """What str.strip() takes off a line's edges, as an RE2 class."""
    return _class(_SPACE_MAYBE)


@functools.lru_cache(maxsize=8192)
def gate_pattern(pattern: str, kind: Kind, site_names: tuple[str, ...]) -> str | None:
    """The RE2 pattern that gates one rule over a text, or None if it cannot be gated.

    ``span`` rules search anywhere; the line kinds fullmatch a stripped line, so their gate
    is anchored at line edges and allows what ``str.strip()`` removes.
    """
    if kind not in _LINE_KINDS and kind not in _SEARCH_KINDS:
        return None
    try:
        body = to_re2(_bind_site_names(pattern, site_names))
    except Unsupported:
        return None
    if kind in _SEARCH_KINDS:
        return f"(?:{body})"
    return f"(?m:^){_edge()}*(?:{body}){_edge()}*(?m:$)"


Stages = tuple[tuple[Kind, tuple["Matcher", ...]], ...]


class _Set:
    """An RE2 set with a sentinel, so that a failed match reads as "everything may match"."""

    def __init__(self, patterns: Sequence[str]) -> None:
        import re2

        # never_nl (see _options) also keeps the DFA small: no match runs on past a newline,
        # so fewer states mix threads from two lines (a ``\s*`` running into the next line).
        # 1,000 rules, 20 MB, first pass: 0.76 s in the line set instead of 2.07; warm 0.17
        # instead of 0.23. It also refuses hits no single line could give.
        self._set = re2.Set.SearchSet(_options(set_memory(len(patterns))))
        # Index 0 matches every text: if it is missing from an answer the set failed (RE2's
        # DFA ran out of memory) and the caller runs every rule, rather than none.
        self._set.Add("")
        self.indices = [_add(self._set, p) for p in patterns]
        self._set.Compile()

    def match(self, data: bytes) -> list[int] | None:
        """Indices (1-based, as added) that match somewhere, or None if RE2 gave up."""
        hits = self._set.Match(data)
        return hits if hits and 0 in hits else None


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A prefilter's sets, built on first use."""

    limit: int | None
    line: _Set | None
    line_where: dict[int, tuple[int, int]]
    search: _Set | None
    search_where: dict[int, tuple[int, int]]
    always: tuple[tuple[int, ...], ...]
    # The gate of each line-kind rule the line set holds, by (stage, position); compiled
    # alone (see Prefilter.lines) when the set names the rule for a text.
    line_gates: dict[tuple[int, int], str]


@dataclass(frozen=True, slots=True)
class Selection:
    """The rules worth running on one text, and for line rules the lines worth trying.

    ``maybe`` maps ``id(matcher)`` to the indices of the lines its pattern may match (any
    other line cannot match it); a matcher missing from it may match any line.
    """

    stages: Stages
    maybe: dict[int, frozenset[int]]
    # Positions chosen in each of the plan's stages (None: every rule, nothing was gated).
    chosen: tuple[frozenset[int], ...] | None = None


class Prefilter:
    """RE2 sets over a plan's gateable rules; picks the matchers worth running per text.

    Nothing is translated or compiled until the first ``select``: a process that uses one
    site's plan pays for that plan only (start-up stays small). Pickled by recipe (stages
    and site names); compiled RE2 objects cannot be pickled and are rebuilt where used.
    Threads racing on the first build each build the same sets; one of them is kept.
    """

    __slots__ = ("_compiled", "_gates", "_memo", "_names", "_rules", "_seen", "_stages")

    def __init__(self, stages: Stages, site_names: Sequence[str]) -> None:
        self._stages = stages
        self._names = tuple(site_names)
        self._compiled: _Compiled | None = None
        self._rules = sum(len(matchers) for _, matchers in stages)
        self._seen = 0
        # One RE2 regexp per line rule, compiled the first time the set names that rule.
        self._gates: dict[tuple[int, int], Any] = {}
        self._memo: dict[tuple[frozenset[int], ...], Stages] = {}

    def __reduce__(self) -> tuple[object, ...]:
        return (Prefilter, (self._stages, self._names))

    @property
    def gated(self) -> int:
        """How many rules the sets gate (the others run on every text)."""
        state = self._state()
        return len(state.line_where) + len(state.search_where)

    def _state(self) -> _Compiled:
        if self._compiled is None:
            self._compiled = _compile(self._stages, self._names)
        return self._compiled

    def select(self, text: str) -> Stages:
        """The plan's stages with the rules that cannot match ``text`` left out."""
        return self.select_lines(text.split("\n") if text else []).stages

    def select_lines(
        self, lines: Sequence[str], *, only: AbstractSet[int] | None = None, base: Selection | None = None
    ) -> Selection:
        """The rules that may match some of ``lines``, and for line rules the lines they may match.

        With ``only`` just those lines are read and the answer is added to ``base``, the
        selection made earlier for the same document: after a pass cut spans from a few lines
        and removed others, the rest of the text is what ``base`` was chosen on, minus lines.

        Until a plan has seen enough text for building the sets to pay off (characters x
        rules below ``_BUILD_BUDGET``), the rules are picked by the literals they require
        (``cleaner.literalgate``) and try every line: a one-off ``cleaner clean`` on a small
        file does not wait for the translation. Same output either way.
        """
        everything = Selection(self._stages, {})
        if self._compiled is None:
            self._seen += sum(map(len, lines)) + len(lines)
            if self._seen * self._rules < _BUILD_BUDGET:
                # Below the budget a gate on required literals picks the rules instead (same
                # output, and rules it leaves out are never compiled).
                from cleaner.literalgate import select_lines

                return select_lines(self._stages, lines, self._names, only=only, base=base)
        if base is not None and base.chosen is None:
            return base
        state = self._state()
        read = range(len(lines)) if only is None else sorted(only)
        short = _short(lines, read, state.limit)
        try:
            short_data = "\n".join([lines[i] for i in short]).encode("utf-8")
            data = "\n".join([lines[i] for i in read]).encode("utf-8") if state.search is not None else b""
        except UnicodeEncodeError:
            # Lone surrogates have no UTF-8 form; RE2 cannot read the text, so run everything.
            return everything
        chosen = [set(js) for js in (state.always if base is None or base.chosen is None else base.chosen)]
        maybe = dict(base.maybe) if base is not None else {}
        sets = ((state.line, state.line_where, short_data), (state.search, state.search_where, data))
        for rset, where, target in sets:
            if rset is None:
                continue
            hits = rset.match(target)
            if hits is None:
                return everything
            for index in hits:
                if not index:
                    continue
                k, j = where[index]
                key = id(self._stages[k][1][j])
                new = j not in chosen[k]
                chosen[k].add(j)
                if rset is not state.line or (not new and key not in maybe):
                    continue  # a span rule, or a line rule already free to try every line
                found = self._lines(state, (k, j), short_data, short)
                if found is None:
                    maybe.pop(key, None)
                else:
                    maybe[key] = found | maybe[key] if key in maybe else found
        frozen = tuple(frozenset(js) for js in chosen)
        stages = self._memo.get(frozen)
        if stages is None:
            stages = tuple(
                (kind, tuple(stage[j] for j in sorted(js)))
                for (kind, stage), js in zip(self._stages, chosen, strict=True)
                if js
            )
            # Texts keep choosing the same few combinations of rules: build each plan once.
            if len(self._memo) < _MEMO_SIZE:
                self._memo[frozen] = stages
        return Selection(stages, maybe, frozen)

    def _lines(
        self, state: _Compiled, where: tuple[int, int], data: bytes, short: list[int]
    ) -> frozenset[int] | None:
        """Indices of the lines whose whole text the rule's gate matches (None: any line may).

        The gate is compiled with RE2's ``never_nl``: a match lies within one line, and
        being anchored at both ends it covers that line, so the matches name the lines.
        """
        gate = self._gates.get(where, _UNCOMPILED)
        if gate is _UNCOMPILED:
            gate = self._gates[where] = _compile_gate(state.line_gates[where])
        if gate is None:
            return None
        out, line, at = [], 0, 0
        for match in gate.finditer(data):
            start = match.start()
            line += data.count(b"\n", at, start)
            at = start
            out.append(short[line])
        return frozenset(out)


def _short(lines: Sequence[str], read: Sequence[int], limit: int | None) -> list[int]:
    """Indices (among ``read``) of the lines short enough for some line rule to look at."""
    if limit is None:
        return list(read)
    return [i for i in read if len(lines[i]) <= limit or len(lines[i].strip()) <= limit]


_UNCOMPILED = object()


def _options(max_mem: int) -> Any:
    """RE2 options for the sets and gates: quiet, no captures, no match across lines, a memory ceiling.

    Every rule reads one line at a time (the text is lines joined by newlines), so a match
    that crosses a newline is never a rule's match (never_nl).
    """
    import re2

    options = re2.Options()
    options.log_errors = False
    options.max_mem = max_mem
    options.never_capture = True
    options.never_nl = True
    return options


def _compile_gate(pattern: str) -> Any:
    """One rule's gate as an RE2 regexp that never matches across lines; None if RE2 refuses it."""
    import re2

    try:
        return re2.compile(pattern, _options(_RE2_MAX_MEM))
    except Exception:  # re2.error: beyond RE2's limits alone; the rule tries every line
        return None


def _compile(stages: Stages, names: tuple[str, ...]) -> _Compiled:
    from cleaner.gatecache import translations

    where: list[tuple[int, int]] = []
    requests: list[tuple[str, Kind, tuple[str, ...]]] = []
    for k, (kind, matchers) in enumerate(stages):
        for j, matcher in enumerate(matchers):
            if kind in _SEARCH_KINDS and matcher.rule.option("where") == "title":
                # It reads one line, the title: running it costs less than a pass of the
                # search set over the whole text would.
                continue
            if matcher.rule.pattern and (kind in _LINE_KINDS or kind in _SEARCH_KINDS):
                where.append((k, j))
                requests.append((matcher.rule.pattern, kind, names))
    line_patterns: list[str] = []
    line_pos: list[tuple[int, int]] = []
    search_patterns: list[str] = []
    search_pos: list[tuple[int, int]] = []
    limits: list[int | None] = []
    # Translating is most of the cost of building the sets: the translations are cached.
    for (k, j), pattern in zip(where, translations(requests), strict=True):
        if pattern is None:
            continue
        kind, matcher = stages[k][0], stages[k][1][j]
        if kind in _LINE_KINDS:
            max_chars = matcher.rule.option("max_chars")
            line_patterns.append(pattern)
            line_pos.append((k, j))
            limits.append(max_chars if isinstance(max_chars, int) and max_chars > 0 else None)
        else:
            search_patterns.append(pattern)
            search_pos.append((k, j))
    # Line rules never look at a stripped line longer than their max_chars: only lines
    # short enough for some line rule need to go through the line set.
    limit = None if not limits or None in limits else max(x for x in limits if x is not None)
    try:
        line, line_where = _build(line_patterns, line_pos)
        search, search_where = _build(search_patterns, search_pos)
    except Exception:  # re2.error from Compile (the set is too large): every rule runs
        line, line_where, search, search_where = None, {}, None, {}
    gated = set(line_where.values()) | set(search_where.values())
    always = tuple(
        tuple(j for j in range(len(matchers)) if (k, j) not in gated) for k, (_, matchers) in enumerate(stages)
    )
    line_gates = dict(zip(line_pos, line_patterns, strict=True))
    return _Compiled(limit, line, line_where, search, search_where, always, line_gates)


def _build(
    patterns: Sequence[str], positions: Sequence[tuple[int, int]]
) -> tuple[_Set | None, dict[int, tuple[int, int]]]:
    if not patterns:
        return None, {}
    rset = _Set(patterns)
    return rset, {index: pos for index, pos in zip(rset.indices, positions, strict=True) if index is not None}


# Distinct rule combinations whose stages are kept for reuse (a few KB each at most).
_MEMO_SIZE = 4096
# Characters x rules after which a plan builds its sets: about where the rule-by-rule path
# (~3 us per KB per rule) has cost what translating and compiling the patterns costs.
_BUILD_BUDGET = 4_000_000
# RE2's default (8 MiB) leaves too little room to compile a thousand patterns into one set.
# The ceiling (not an allocation) grows with the set: the program of a thousand case-folded
# patterns left the DFA so little cache at 64 MiB that it kept discarding states (1,000
# rules, 50 MB: 7.5 MB/s warm; 11.8 at 256 MiB, same peak RSS), while a small set's cache
# stays small over a long stream (worker RSS is what --jobs N multiplies).
_RE2_MAX_MEM = 64 << 20
_RE2_MEM_PER_PATTERN = 256 << 10
_RE2_MAX_MEM_CEILING = 512 << 20


def set_memory(patterns: int) -> int:
    """RE2's memory ceiling for a set of ``patterns`` patterns.

    >>> set_memory(40) >> 20, set_memory(1000) >> 20
    (64, 282)
    """
    return min(_RE2_MAX_MEM_CEILING, max(_RE2_MAX_MEM, (32 << 20) + patterns * _RE2_MEM_PER_PATTERN))


def _add(rset: Any, pattern: str) -> int | None:
    try:
        return int(rset.Add(pattern))
    except Exception:  # re2.error: the pattern is beyond RE2 (size limits): run the rule always
        return None


def build_prefilter(stages: Stages, site_names: Sequence[str]) -> Prefilter | None:
    """A prefilter for ``stages``, or None without google-re2 or with nothing to gate."""
    if not any(m.rule.pattern and kind in _LINE_KINDS | _SEARCH_KINDS for kind, ms in stages for m in ms):
        return None
    # find_spec, not import: importing google-re2 waits until the sets are built.
    if importlib.util.find_spec("re2") is None:
        return None
    return Prefilter(stages, site_names)
