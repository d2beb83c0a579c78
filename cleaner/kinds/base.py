"""What every rule kind shares: the Matcher protocol and small helpers over a rule's options.

A matcher looks at the document as the previous stage left it and proposes removals; it
never edits the document. The engine unions the proposals of a stage before the next
stage runs, so the result does not depend on the order rules were loaded in.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from cleaner.core.model import Removal, Rule
from cleaner.text.document import DocState

if TYPE_CHECKING:
    import regex

    # A compiled pattern, or a LazyPattern standing in for one. ``regex`` itself is imported
    # where a pattern is compiled: a short run that needs none does not load it (~13 ms).
    Pattern = regex.Pattern[str]


class Matcher(Protocol):
    """What every kind provides to the engine."""

    @property
    def rule(self) -> Rule:
        """The validated rule this matcher was compiled from."""
        ...

    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        """Propose removals for ``doc``; may raise TimeoutError from a regex match.

        ``maybe``, when given, holds the indices of the only lines the rule's pattern may
        match (the prefilter's answer): every other line is known not to match it.
        """
        ...

    def matches_line(self, line: str, timeout: float) -> bool:
        """Whether a single line is what this rule catches (for examples and markers)."""
        ...

    @property
    def context_free(self) -> bool:
        """Whether the rule's verdict on a line depends on that line's text alone.

        The engine's later passes then show it only the lines whose text changed.
        """
        ...


# The kinds whose matcher finds nothing unless its pattern matches some live line of the
# document as it was at the start of the plan (gate facts of the candidate selection,
# cleaner.engine.prefilter). ``repeat`` compares lines as the span stage left them (and its
# pattern is optional), so it always runs. A ``run`` rule with a pattern starts only at a
# line its heading pattern fully matches, within its max_chars (one without a pattern always
# runs). ``span`` rules search inside a line.
LINE_GATED: frozenset[str] = frozenset({"line", "tail", "head", "block", "run"})
SEARCH_GATED: frozenset[str] = frozenset({"span"})


def range_removal(rule: Rule, doc: DocState, start: int, end: int) -> Removal:
    """The removal of lines ``start..end`` of ``doc`` by ``rule``."""
    return Removal(rule.qualified_id, start, end, "\n".join(doc.lines[start:end]))


def opt_int(rule: Rule, name: str) -> int | None:
    """The rule's integer option ``name``, or None."""
    value = rule.option(name)
    return value if isinstance(value, int) else None


def opt_float(rule: Rule, name: str, default: float) -> float:
    """The rule's numeric option ``name`` as a float, or ``default``."""
    value = rule.option(name, default)
    return float(value) if isinstance(value, (int, float)) else default


def matches_stripped_line(rule: Rule, pattern: Pattern, line: str, timeout: float) -> bool:
    """Whether ``pattern`` fully matches the stripped ``line``, within the rule's ``max_chars``.

    The line test of ``line`` rules and of the markers of ``tail``, ``head`` and ``block``.
    """
    line = line.strip()
    max_chars = opt_int(rule, "max_chars")
    if not line or (max_chars and len(line) > max_chars):
        return False
    return pattern.fullmatch(line, timeout=timeout) is not None


@dataclass(frozen=True, slots=True)
class MarkerMatcher:
    """A kind that acts around a marker line its pattern fully matches (``tail``, ``head``, ``block``)."""

    # Positions, windows or other lines decide its verdict: every pass shows it every line.
    context_free = False

    rule: Rule
    regex: Pattern

    def matches_line(self, line: str, timeout: float) -> bool:
        return matches_stripped_line(self.rule, self.regex, line, timeout)
