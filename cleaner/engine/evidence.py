"""Which signals fire on which kept line, and whether the line's evidence reaches the threshold.

Finding the pattern signals is most of the cost, so it is done in steps: one RE2 set scan of
the whole document names the patterns that may match somewhere (the RE2 translations are
supersets of the ``regex`` patterns: never a miss), each of those finds the lines it may match
with its own RE2 regexp, and the ``regex`` pattern itself then confirms only those lines.
Signals sharing a pattern (the same keywords with other guards) share the scan. Facts are
computed only for lines that can reach the threshold (see ``_plain_prose_best``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cleaner.engine.prefilter import compile_gate, matching_lines, re2_options
from cleaner.match.re2 import to_re2
from cleaner.text.linefacts import (
    COSTLY_FACTS,
    LINK_FACTS,
    PLAIN_PROSE_FACTS,
    SHAPE_WORDS,
    cheap_facts,
    costly_facts,
    line_facts,
    outline,
)

if TYPE_CHECKING:
    from cleaner.rules.signals import EvidenceModel, Signal


# A line's site facts (cleaner.text.linefacts.SITE_FACTS), from what a crawl taught.
SiteFacts = Callable[[str], frozenset[str]]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The evidence on one line: its score (bias + fired weights) and the signals that fired."""

    score: float
    fired: tuple[tuple[str, float], ...]
    remove: bool


@dataclass(frozen=True, slots=True)
class _Pattern:
    regex: Any  # the signal's own pattern: the truth
    signals: tuple[Signal, ...]


# Room for the DFA of every keyword family at once (RE2's default 8 MB runs out, and the set
# then falls back to its slow path on every line).
_GATE_MEMORY = 256 << 20


def _widened(pattern: str) -> str | None:
    """The RE2 pattern matching a superset of ``pattern`` on a line; None if none is known."""
    try:
        return to_re2(pattern, line_anchors=True)
    except Exception:  # Unsupported: no faithful widening known
        return None


def _plain_prose_best(signals: Sequence[Signal], bias: float) -> float:
    """The highest score a plain prose line without a pattern hit can reach.

    The line before is missing (first-line and prev-none together), short or prose, never two
    of these; the same after it; every other fact adds its weight if positive.
    """
    weight: dict[str, float] = {}
    for signal in signals:
        if signal.test in PLAIN_PROSE_FACTS:
            weight[signal.test] = weight.get(signal.test, 0.0) + signal.weight
    before = ("first-line", "prev-none"), ("prev-short",), ("prev-prose",)
    after = ("last-line", "next-none"), ("next-short",), ("next-prose",)
    grouped = {name for group in (*before, *after) for name in group}
    best = bias + sum(max(0.0, w) for name, w in weight.items() if name not in grouped)
    for choices in (before, after):
        best += max(0.0, *(sum(weight.get(name, 0.0) for name in choice) for choice in choices))
    return best


class Judge:
    """An evidence model compiled for use; immutable, picklable by recipe."""

    __slots__ = (
        "_always",
        "_by_fact",
        "_costly_room",
        "_gate",
        "_line_gates",
        "_order",
        "_patterns",
        "_skip_plain_prose",
        "_widened",
        "model",
    )

    def __init__(self, model: EvidenceModel) -> None:
        import regex  # here: the engine imports regex with its first compiled pattern

        self.model = model
        # Every signal is tested, weight 0 too: the fit and bench's mass-check count its hits
        # (a new signal starts at 0); a removal's explanation leaves zero weights out.
        weighed = list(model.signals)
        texts = sorted({s.pattern for s in weighed if s.pattern is not None})
        try:
            import re2  # here: optional (without it every pattern searches every line)
        except ImportError:
            re2 = None
        self._gate: Any = None
        self._order: list[int] = []  # the set's pattern n (from 1) is texts[self._order[n - 1]]
        self._widened: list[str] = []  # the RE2 pattern of the set's pattern n is self._widened[n - 1]
        # One RE2 regexp per pattern the set names, compiled the first time it does.
        self._line_gates: dict[int, Any] = {}
        if re2 is not None:
            self._gate = re2.Set.SearchSet(re2_options(_GATE_MEMORY))
            self._gate.Add("")  # index 0 matches always: its absence means RE2 gave up
            for index, text in enumerate(texts):
                widened = _widened(text)
                if widened is None:
                    continue
                # Multi-line: ^ and $ at line ends, so one scan of the document (lines joined
                # by newlines; never_nl keeps every match inside one line) answers for each line.
                widened = "(?m)" + widened
                try:
                    self._gate.Add(widened)
                except Exception:  # re2.error: beyond RE2's limits; searched line by line
                    continue
                self._order.append(index)
                self._widened.append(widened)
            self._gate.Compile()
        gated = set(self._order)
        # Patterns the set does not hold are searched on every line.
        self._always = [i for i in range(len(texts)) if i not in gated]
        self._patterns = tuple(
            _Pattern(regex.compile(text), tuple(s for s in weighed if s.pattern == text)) for text in texts
        )
        by_fact: dict[str, list[Signal]] = {}
        for signal in weighed:
            if signal.test is not None:
                by_fact.setdefault(signal.test, []).append(signal)
        self._by_fact = {fact: tuple(signals) for fact, signals in by_fact.items()}
        # Exact pruning: when the bias and every positive weight a plain prose line could
        # collect stay below the threshold, such a line without a pattern hit is never removed.
        self._skip_plain_prose = _plain_prose_best(weighed, model.bias) < model.threshold
        fact_weight = {fact: sum(s.weight for s in signals) for fact, signals in self._by_fact.items()}
        # The most the costly facts can add to a line without and with "@" or a link in it.
        room = [max(0.0, fact_weight.get(fact, 0.0)) for fact in COSTLY_FACTS - LINK_FACTS]
        link_room = [max(0.0, fact_weight.get(fact, 0.0)) for fact in LINK_FACTS]
        self._costly_room = (sum(room), sum(room) + sum(link_room))

    def __reduce__(self) -> tuple[object, ...]:
        return (Judge, (self.model,))

    def _gated_lines(self, lines: Sequence[str]) -> dict[int, list[int]] | None:
        """For each line, the patterns the RE2 gates say may match it (a superset); None if RE2
        cannot answer (no RE2, a text it cannot read, a set that gave up).

        One set scan of the whole document names the patterns that may match somewhere; each
        of those then finds its lines with its own regexp (as the prefilter's line gates do):
        a few calls per document instead of one per line.
        """
        gate = self._gate
        if gate is None:
            return None
        data = "\n".join(lines).encode("utf-8", "surrogatepass")
        hits = gate.Match(data)
        if hits is None or 0 not in hits:
            return None
        out: dict[int, list[int]] = {}
        for n in sorted(hits):
            if not n:
                continue
            if n not in self._line_gates:  # compiled once; None (refused by RE2) is remembered too
                self._line_gates[n] = compile_gate(self._widened[n - 1], _GATE_MEMORY)
            regexp = self._line_gates[n]
            if regexp is None:
                return None  # beyond RE2's limits alone: the caller scans line by line
            index = self._order[n - 1]
            for line in matching_lines(regexp, data):
                found = out.setdefault(line, [])
                if not found or found[-1] != index:
                    found.append(index)
        return out

    def _pattern_hits(
        self,
        lines: Sequence[str],
        time_left: Callable[[], float] | None = None,
        memo: dict[str, tuple[int, ...]] | None = None,
    ) -> dict[int, list[int]]:
        """For each line that some pattern matches, the indices of those patterns.

        ``memo`` maps line texts already searched (in an earlier evidence pass over the same
        document) to their hits, and learns the new ones: only unseen lines are searched.
        """
        if memo is None:
            return self._search(lines, time_left)
        unseen = [i for i, line in enumerate(lines) if line not in memo]
        if unseen:
            found = self._search([lines[i] for i in unseen], time_left)
            for k, i in enumerate(unseen):
                memo[lines[i]] = tuple(found.get(k, ()))
        return {i: list(memo[line]) for i, line in enumerate(lines) if memo[line]}

    def _search(self, lines: Sequence[str], time_left: Callable[[], float] | None = None) -> dict[int, list[int]]:
        """For each of ``lines`` that some pattern matches, the indices of those patterns."""
        everything = range(len(self._patterns))
        out: dict[int, list[int]] = {}
        always = self._always
        gated = self._gated_lines(lines)
        if gated is not None:
            for i in range(len(lines)) if always else sorted(gated):
                for index in [*always, *gated.get(i, ())]:
                    found = self._patterns[index].regex.search(lines[i], timeout=time_left() if time_left else None)
                    if found is not None:
                        out.setdefault(i, []).append(index)
            return out
        gate, order = self._gate, self._order
        for i, line in enumerate(lines):
            # One RE2 set scan of the line names the patterns that may match it (a superset);
            # a set that gave up (no sentinel 0) or no RE2 at all: every pattern may.
            hits = gate.Match(line.encode("utf-8", "surrogatepass")) if gate is not None else None
            if hits is None or 0 not in hits:
                candidates: Sequence[int] = everything
            elif len(hits) == 1 and not always:
                continue
            else:
                candidates = [*always, *(order[h - 1] for h in hits if h)]
            for index in candidates:
                found = self._patterns[index].regex.search(line, timeout=time_left() if time_left else None)
                if found is not None:
                    out.setdefault(i, []).append(index)
        return out

    def fired(
        self,
        lines: Sequence[str],
        *,
        complete: bool = False,
        time_left: Callable[[], float] | None = None,
        site: SiteFacts | None = None,
        memo: dict[str, tuple[int, ...]] | None = None,
    ) -> list[list[Signal]]:
        """The signals that fire on each of ``lines`` (kept non-blank lines, stripped, in order).

        ``site`` gives a line's site facts (SITE_FACTS, from a learned crawl); it is asked only
        about lines that are not plain prose, which the learning never counts. ``memo``: the
        pattern hits of lines an earlier call over the same document searched (see
        ``_pattern_hits``).

        Unless ``complete``, a line the model proves cannot reach the threshold gets an empty
        list, found as cheaply as can be: a plain prose line no pattern hits (see
        ``_plain_prose_best``) is not looked at at all, and the costly facts of a line are only
        computed when the cheap facts and its patterns leave the threshold within their reach.
        """
        shape = outline(lines)
        hits = self._pattern_hits(lines, time_left, memo) if self._patterns else {}
        if complete:
            every = line_facts(lines, None, shape)
            if site is not None:
                every = {i: f | site(lines[i]) if not shape.plain(i) else f for i, f in every.items()}
            return [self._signals(lines[i], every[i], hits.get(i, ()), shape.words[i]) for i in range(len(lines))]
        only = None
        if self._skip_plain_prose:
            only = [i for i in range(len(lines)) if i in hits or not shape.plain(i)]
        cheap = cheap_facts(lines, only, shape)
        model = self.model
        out: list[list[Signal]] = [[] for _ in lines]
        for i, facts in cheap.items():
            if site is not None and not shape.plain(i):
                facts = facts | site(lines[i])
            found = self._signals(lines[i], facts, hits.get(i, ()), shape.words[i])
            score = model.bias + sum(s.weight for s in found)
            if shape.words[i] <= SHAPE_WORDS:
                room = self._costly_room[1] if shape.link[i] else self._costly_room[0]
                if score + room < model.threshold:
                    continue
                costly = costly_facts(lines[i], shape.words[i])
                found += [s for fact in costly for s in self._by_fact.get(fact, ())]
            out[i] = found
        return out

    def _signals(self, line: str, facts: Collection[str], hits: Sequence[int], words: int) -> list[Signal]:
        """The fact signals of ``facts`` and the pattern signals of ``hits`` whose guards hold."""
        found = [s for fact in facts for s in self._by_fact.get(fact, ())]
        for index in hits:
            for signal in self._patterns[index].signals:
                if signal.zone == "head" and "before-prose" not in facts:
                    continue
                if signal.zone == "tail" and "after-prose" not in facts:
                    continue
                if signal.fits(words):
                    found.append(signal)
        return found

    def verdicts(self, lines: Sequence[str]) -> list[Verdict]:
        """Each line's verdict; a line is removed when its score reaches the threshold."""
        return [self._verdict(signals) for signals in self.fired(lines, complete=True)]

    def removals(
        self,
        lines: Sequence[str],
        time_left: Callable[[], float] | None = None,
        site: SiteFacts | None = None,
        memo: dict[str, tuple[int, ...]] | None = None,
    ) -> dict[int, Verdict]:
        """The verdicts of the lines to remove only, by index (the engine's fast path).

        ``time_left`` gives each pattern search its time limit (the document's budget); a search
        that runs out raises TimeoutError, and the caller drops the evidence for the document.
        ``site``, ``memo``: see :meth:`fired`.
        """
        threshold = self.model.threshold
        out: dict[int, Verdict] = {}
        for i, signals in enumerate(self.fired(lines, time_left=time_left, site=site, memo=memo)):
            if signals and self.model.bias + sum(s.weight for s in signals) >= threshold:
                out[i] = self._verdict(signals)
        return out

    def _verdict(self, signals: Sequence[Signal]) -> Verdict:
        weighed = ((s.qualified_id, s.weight) for s in signals if s.weight)
        fired = tuple(sorted(weighed, key=lambda f: (-f[1], f[0])))
        score = self.model.bias + sum(weight for _, weight in fired)
        return Verdict(round(score, 6), fired, score >= self.model.threshold)
