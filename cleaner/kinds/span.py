"""The ``span`` kind: delete the matched text inside a line (a title's site suffix), never the whole line."""

from __future__ import annotations

from collections.abc import Sequence, Set
from typing import TYPE_CHECKING

from cleaner.core.model import Removal, Rule
from cleaner.kinds.base import (
    KindSpec,
    Option,
    Options,
    RuleMatcher,
    choice,
    max_chars_option,
    opt,
    opt_int,
    pattern_option,
)
from cleaner.match.lazy import compile_pattern
from cleaner.text.document import DocState

if TYPE_CHECKING:
    from cleaner.kinds.base import Pattern  # noqa: F401 (named in the base class below)


OPTIONS: Options = {
    "pattern": pattern_option("the text to delete, searched inside the line"),
    "max_chars": max_chars_option(1000),
    "where": Option(str, "any", choice("any", "title"), doc="any line, or only the title (the first line that stays)"),
}


class SpanMatcher(RuleMatcher["Pattern"]):
    """``span``: delete the matched text inside a line, e.g. a title's site suffix."""

    __slots__ = ()

    def matches_line(self, line: str, timeout: float) -> bool:
        return bool(self.spans(line, timeout))

    def spans(self, line: str, timeout: float) -> list[tuple[int, int]]:
        max_chars = opt_int(self.rule, OPTIONS, "max_chars")
        if not line or (max_chars and len(line) > max_chars):
            return []
        found = [m.span() for m in self.regex.finditer(line, timeout=timeout) if m.end() > m.start()]
        # A span that would leave nothing of the line is not a span; leave it to line rules.
        if sum(end - start for start, end in found) >= len(line.strip()):
            return []
        return found

    @property
    def context_free(self) -> bool:
        """Whether a line's spans depend on that line alone (not on which line is the title)."""
        return opt(self.rule, OPTIONS, "where") != "title"

    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        if opt(self.rule, OPTIONS, "where") == "title":
            title = doc.title_index()
            indices = [] if title is None else [title]
        else:
            indices = doc.live_among(maybe)
        out = []
        for i in indices:
            line = doc.lines[i]
            for start, end in self.spans(line, doc.time_left(timeout)):
                out.append(Removal(self.rule.qualified_id, i, i + 1, line[start:end], (start, end)))
        return out


def _build(rule: Rule, site_names: Sequence[str]) -> SpanMatcher:
    assert rule.pattern is not None, rule.qualified_id
    return SpanMatcher(rule, compile_pattern(rule.pattern, site_names, lazy=True))


SPEC = KindSpec("span", "matched text inside a line (never the whole line)", OPTIONS, "search", _build)
