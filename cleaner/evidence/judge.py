"""Which signals fire on which kept line, and whether the line's evidence reaches the threshold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cleaner.evidence.facts import line_facts, word_count
from cleaner.evidence.signals import EvidenceModel, Signal


@dataclass(frozen=True, slots=True)
class Verdict:
    """The evidence on one line: its score (bias + fired weights) and the signals that fired."""

    score: float
    fired: tuple[tuple[str, float], ...]
    remove: bool


def _gate(patterns: Sequence[str]) -> tuple[Any, list[int], list[int]]:
    """An RE2 set over ``patterns`` widened to RE2 (index 0 matches always: a missing 0 means
    RE2 gave up and every pattern is searched), and the patterns RE2 cannot take at all."""
    try:
        import re2
    except ImportError:  # without google-re2 every pattern is searched on every line
        return None, [], list(range(len(patterns)))
    from cleaner.prefilter import Unsupported, to_re2

    options = re2.Options()
    options.log_errors = False
    options.never_capture = True
    options.never_nl = True
    # Room for the DFA of every keyword family: with RE2's default 8 MB the set falls back to
    # its slow path on every line (measured: 115 µs a line against a few µs).
    options.max_mem = 256 << 20
    gate = re2.Set.SearchSet(options)
    order = [-1]  # the set's index -> the pattern's; 0 is the always-matching sentinel
    gate.Add("")
    always: list[int] = []
    for index, pattern in enumerate(patterns):
        try:
            # (?m): the set scans the document once, and ^ $ then mean a line's edges as they
            # do in the per-line search it stands in for.
            gate.Add("(?m)" + to_re2(pattern))
        except Exception:  # Unsupported, re2.error: beyond RE2, searched on every line
            always.append(index)
            continue
        order.append(index)
    gate.Compile()
    return gate, order, always


class Judge:
    """An evidence model compiled for use; immutable and picklable by recipe."""

    __slots__ = ("_always", "_by_fact", "_gate", "_order", "_patterns", "model")

    def __init__(self, model: EvidenceModel) -> None:
        import regex  # here: the engine imports regex with its first compiled pattern

        self.model = model
        # A signal of weight 0 changes no score: it is not tested at all.
        weighed = [s for s in model.signals if s.weight]
        # Signals sharing a pattern (the same keywords with other guards) search it once.
        texts = sorted({s.pattern for s in weighed if s.pattern is not None})
        self._patterns: tuple[tuple[Any, tuple[Signal, ...]], ...] = tuple(
            (regex.compile(text), tuple(s for s in weighed if s.pattern == text)) for text in texts
        )
        self._gate, self._order, self._always = _gate(texts)
        by_fact: dict[str, list[Signal]] = {}
        for signal in weighed:
            if signal.test is not None:
                by_fact.setdefault(signal.test, []).append(signal)
        self._by_fact = {fact: tuple(signals) for fact, signals in by_fact.items()}

    def __reduce__(self) -> tuple[object, ...]:
        return (Judge, (self.model,))

    def fired(self, lines: Sequence[str]) -> list[list[Signal]]:
        """The signals that fire on each of ``lines`` (kept non-blank lines, stripped, in order)."""
        facts = line_facts(lines)
        count = len(lines)
        out: list[list[Signal]] = []
        # The RE2 set names the patterns that may match some line (a superset), in one scan of
        # the document; only those are searched line by line.
        hits = self._gate.Match("\n".join(lines)) if self._gate is not None else None
        if hits is None or 0 not in hits:
            candidates: Sequence[int] = range(len(self._patterns))
        else:
            candidates = sorted({*self._always, *(self._order[h] for h in hits if h)})
        for i, line in enumerate(lines):
            found = [s for fact in facts[i] for s in self._by_fact.get(fact, ())]
            words = -1
            for index in candidates:
                pattern, signals = self._patterns[index]
                if pattern.search(line) is None:
                    continue
                for signal in signals:
                    if signal.zone == "head" and "before-prose" not in facts[i]:
                        continue
                    if signal.zone == "tail" and "after-prose" not in facts[i]:
                        continue
                    if signal.min_words is not None or signal.max_words is not None:
                        words = word_count(line) if words < 0 else words
                        if signal.min_words is not None and words < signal.min_words:
                            continue
                        if signal.max_words is not None and words > signal.max_words:
                            continue
                    found.append(signal)
            out.append(sorted(found, key=lambda s: s.id))
        assert len(out) == count
        return out

    def verdicts(self, lines: Sequence[str]) -> list[Verdict]:
        """Each line's verdict; a line is removed when its score reaches the threshold."""
        model = self.model
        out = []
        for signals in self.fired(lines):
            fired = tuple(sorted(((s.qualified_id, s.weight) for s in signals), key=lambda f: (-f[1], f[0])))
            score = model.bias + sum(weight for _, weight in fired)
            out.append(Verdict(round(score, 6), fired, score >= model.threshold))
        return out
