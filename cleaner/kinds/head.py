"""The ``head`` kind: everything before a marker near the top of the text (and the marker if asked)."""

from __future__ import annotations

from collections.abc import Sequence, Set

from cleaner.core.model import Removal, Rule
from cleaner.kinds.base import (
    KindSpec,
    MarkerMatcher,
    Option,
    Options,
    fraction,
    int_setting,
    max_chars_option,
    opt,
    opt_float,
    pattern_option,
    positive,
    range_removal,
)
from cleaner.match.lazy import compile_pattern
from cleaner.text.document import DocState

OPTIONS: Options = {
    "pattern": pattern_option("the marker line, fully matched after stripping its edges"),
    "max_chars": max_chars_option(200, "never a marker longer than this"),
    "max_position": Option((int, float), 0.3, fraction, doc="the marker sits before this share of the text"),
    "within": Option(int, 5, positive, doc="the marker is among the first N lines that stay"),
    "include_marker": Option(bool, False, doc="drop the marker line too"),
}


class HeadMatcher(MarkerMatcher):
    """``head``: everything before a marker near the top (and the marker if asked)."""

    __slots__ = ()
    OPTIONS = OPTIONS

    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        max_position = opt_float(self.rule, OPTIONS, "max_position")
        within = int_setting(self.rule, OPTIONS, "within")
        for i in doc.live()[:within]:
            if doc.position(i) > max_position:
                break
            if (maybe is None or i in maybe) and self.matches_line(doc.lines[i], doc.time_left(timeout)):
                end = i + 1 if opt(self.rule, OPTIONS, "include_marker") else i
                return [range_removal(self.rule, doc, 0, end)] if end > 0 else []
        return []


def _build(rule: Rule, site_names: Sequence[str]) -> HeadMatcher:
    assert rule.pattern is not None, rule.qualified_id
    return HeadMatcher(rule, compile_pattern(rule.pattern, site_names, lazy=True))


SPEC = KindSpec("head", "everything before a marker line near the top", OPTIONS, "line", _build)
