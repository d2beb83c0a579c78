"""The ``line`` kind: drop a whole line the pattern fully matches (after edge stripping)."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cleaner.core.model import Removal, Rule
from cleaner.kinds.base import matches_stripped_line, opt_int, range_removal
from cleaner.text.document import DocState

if TYPE_CHECKING:
    from cleaner.kinds.base import Pattern


@dataclass(frozen=True, slots=True)
class LineMatcher:
    """``line``: drop a whole line the pattern fully matches (after edge stripping)."""

    rule: Rule
    regex: Pattern

    def matches_line(self, line: str, timeout: float) -> bool:
        return matches_stripped_line(self.rule, self.regex, line, timeout)

    @property
    def context_free(self) -> bool:
        """Whether a line's match depends on that line alone (not on position or window)."""
        return not (self.rule.option("where", "any") in ("first", "last") and opt_int(self.rule, "within"))

    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        if self.context_free:
            return self._find_anywhere(doc, timeout, maybe)
        within = opt_int(self.rule, "within")
        live = doc.live()
        # "The first N lines" are counted among the lines that stay: a removed label does
        # not use up the window (stacked labels all go, as a second run would see).
        order = live if self.rule.option("where") == "first" else live[::-1]
        out, kept = [], 0
        for i in order:
            if (maybe is None or i in maybe) and self.matches_line(doc.lines[i], timeout):
                out.append(range_removal(self.rule, doc, i, i + 1))
            else:
                kept += 1
                if within and kept >= within:
                    break
        return sorted(out, key=lambda r: r.start)

    def _find_anywhere(self, doc: DocState, timeout: float, maybe: Set[int] | None) -> list[Removal]:
        # The length guard is checked here once per line, before any call: most lines are
        # prose far longer than a rule's max_chars.
        limit = opt_int(self.rule, "max_chars") or 0
        lines = doc.lines
        return [
            range_removal(self.rule, doc, i, i + 1)
            for i in doc.live_among(maybe)
            if (not limit or len(lines[i]) <= limit or len(lines[i].strip()) <= limit)
            and self.matches_line(lines[i], timeout)
        ]
