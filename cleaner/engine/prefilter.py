"""Candidate selection: per document, the few rules that could match it, and the lines they could match.

One gate design, in two sizes, both sound (a rule left out cannot match: the removals are
the same as running every rule) and both fed by cleaner.match:

1. Required literals (:func:`select_by_literals`, cleaner.match.literals): each pattern's
   and/or formula of literal strings that any match contains; a rule whose formula fails on
   the folded document is left out, and is never even compiled. Cheap to set up, so a plan
   starts with it.
2. RE2 sets (:class:`Prefilter`): every gateable pattern translated into an RE2 pattern that
   matches a superset of it (cleaner.match.re2, cached on disk by cleaner.match.re2cache),
   all in one set; one linear pass over the document names the rules that may match, and for
   line rules a second look names the lines. Building the sets costs translation time, so a
   plan switches to them once it has seen enough text (characters x rules past
   ``_BUILD_BUDGET``).

Which kinds are gated, and how, is each kind's gate fact (cleaner.kinds): ``line`` gated
kinds fullmatch a stripped line, ``search`` gated kinds search inside a line; the others
always run. A third, per-call form of the same literal reasoning lives in
cleaner.match.lazy: a pattern not yet compiled refutes single lines without compiling.
Without google-re2 installed only the literal gate is used.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cleaner.core.model import Kind
from cleaner.kinds import LINE_GATED, SEARCH_GATED
from cleaner.match.literals import fold, may_match, required_literals

if TYPE_CHECKING:
    from cleaner.kinds.base import Matcher
    from cleaner.match.re2cache import Request

Stages = tuple[tuple[Kind, tuple["Matcher", ...]], ...]


class _Set:
    """An RE2 set with a sentinel, so that a failed match reads as "everything may match"."""

    def __init__(self, patterns: Sequence[str]) -> None:
        # Imported here: google-re2 loads only when sets or gates are built, not at start-up.
        import re2

        # never_nl (see re2_options) also keeps the DFA small: no match runs on past a newline,
        # so fewer states mix threads from two lines (a ``\s*`` running into the next line).
        # 1,000 rules, 20 MB, first pass: 0.76 s in the line set instead of 2.07; warm 0.17
        # instead of 0.23. It also refuses hits no single line could give.
        self._set = re2.Set.SearchSet(re2_options(set_memory(len(patterns))))
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
        (``cleaner.match.literals``) and try every line: a one-off ``cleaner clean`` on a small
        file does not wait for the translation. Same output either way.
        """
        everything = Selection(self._stages, {})
        if self._compiled is None:
            self._seen += sum(map(len, lines)) + len(lines)
            if self._seen * self._rules < _BUILD_BUDGET:
                # Below the budget a gate on required literals picks the rules instead (same
                # output, and rules it leaves out are never compiled).
                return select_by_literals(self._stages, lines, self._names, only=only, base=base)
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
            gate = self._gates[where] = compile_gate(state.line_gates[where])
        if gate is None:
            return None
        return frozenset(short[line] for line in matching_lines(gate, data))


def matching_lines(gate: Any, data: bytes) -> Iterator[int]:
    """The line of each match of ``gate`` in ``data`` (lines joined by newlines), in order.

    A gate compiled by :func:`compile_gate` never matches across a newline, so each match
    lies within the line it starts on (a line with several matches comes up several times).
    """
    line, at = 0, 0
    for match in gate.finditer(data):
        start = match.start()
        line += data.count(b"\n", at, start)
        at = start
        yield line


def _short(lines: Sequence[str], read: Sequence[int], limit: int | None) -> list[int]:
    """Indices (among ``read``) of the lines short enough for some line rule to look at."""
    if limit is None:
        return list(read)
    return [i for i in read if len(lines[i]) <= limit or len(lines[i].strip()) <= limit]


_UNCOMPILED = object()


def re2_options(max_mem: int) -> Any:
    """RE2 options for the sets and gates: quiet, no captures, no match across lines, a memory ceiling.

    Every rule reads one line at a time (the text is lines joined by newlines), so a match
    that crosses a newline is never a rule's match (never_nl).
    """
    # Imported here: google-re2 loads only when sets or gates are built, not at start-up.
    import re2

    options = re2.Options()
    options.log_errors = False
    options.max_mem = max_mem
    options.never_capture = True
    options.never_nl = True
    return options


def compile_gate(pattern: str, max_mem: int | None = None) -> Any:
    """One pattern's gate as an RE2 regexp that never matches across lines; None if RE2 refuses it."""
    # Imported here: google-re2 loads only when sets or gates are built, not at start-up.
    import re2

    try:
        return re2.compile(pattern, re2_options(max_mem or _RE2_MAX_MEM))
    except Exception:  # re2.error: beyond RE2's limits alone; the rule tries every line
        return None


def _compile(stages: Stages, names: tuple[str, ...]) -> _Compiled:
    # Imported here: the translation cache is needed only when the sets are built.
    from cleaner.match.re2cache import translations

    where: list[tuple[int, int]] = []
    requests: list[Request] = []
    for k, (kind, matchers) in enumerate(stages):
        for j, matcher in enumerate(matchers):
            if kind in SEARCH_GATED and matcher.rule.option("where") == "title":
                # It reads one line, the title: running it costs less than a pass of the
                # search set over the whole text would.
                continue
            if matcher.rule.pattern and (kind in LINE_GATED or kind in SEARCH_GATED):
                where.append((k, j))
                requests.append((matcher.rule.pattern, "line" if kind in LINE_GATED else "search", names))
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
        if kind in LINE_GATED:
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
    if not any(m.rule.pattern and kind in LINE_GATED | SEARCH_GATED for kind, ms in stages for m in ms):
        return None
    # find_spec, not import: importing google-re2 waits until the sets are built.
    if importlib.util.find_spec("re2") is None:
        return None
    return Prefilter(stages, site_names)


def select_by_literals_in(stages: Stages, text: str, site_names: Sequence[str]) -> Stages:
    """``stages`` without the line and span rules whose literals are all absent from ``text``."""
    return select_by_literals(stages, text.split("\n") if text else [], site_names).stages


def select_by_literals(
    stages: Stages,
    lines: Sequence[str],
    site_names: Sequence[str],
    *,
    only: AbstractSet[int] | None = None,
    base: Selection | None = None,
) -> Selection:
    """The rules of ``stages`` that may match some of ``lines`` (see Prefilter.select_lines).

    The same kinds are gated as by the RE2 prefilter, on the same reasoning: such a rule
    finds nothing unless its pattern matches inside some line. With ``only``, just those
    lines are read and the rules they may need are added to ``base``'s: the other lines are
    what ``base`` was chosen on, minus some.
    """
    if base is not None and base.chosen is None:
        return base  # every rule already
    read = lines if only is None else [lines[i] for i in sorted(only)]
    folded = fold("\n".join(read))
    earlier = base.chosen if base is not None and base.chosen is not None else tuple(frozenset() for _ in stages)
    chosen = [set(js) for js in earlier]
    for k, (kind, matchers) in enumerate(stages):
        gated = kind in LINE_GATED or kind in SEARCH_GATED
        for j, matcher in enumerate(matchers):
            pattern = matcher.rule.pattern
            if j in chosen[k] or not gated or not pattern or may_match(required_literals(pattern, site_names), folded):
                chosen[k].add(j)
    picked = tuple(
        (kind, tuple(matchers[j] for j in sorted(js)))
        for (kind, matchers), js in zip(stages, chosen, strict=True)
        if js
    )
    return Selection(picked, dict(base.maybe) if base is not None else {}, tuple(frozenset(js) for js in chosen))
