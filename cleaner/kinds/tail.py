"""The ``tail`` kind: from the first marker line past ``min_position`` to the end of the text."""

from __future__ import annotations

from collections.abc import Sequence, Set

from cleaner.core.model import Removal, Rule
from cleaner.kinds.base import (
    KindSpec,
    MarkerMatcher,
    Option,
    Options,
    fraction,
    max_chars_option,
    opt_float,
    opt_int,
    pattern_option,
    positive,
    range_removal,
)
from cleaner.match.lazy import compile_pattern
from cleaner.text.document import DocState

OPTIONS: Options = {
    "pattern": pattern_option("the marker line, fully matched after stripping its edges"),
    "max_chars": max_chars_option(200, "never a marker longer than this"),
    "min_position": Option((int, float), 0.5, fraction, doc="the marker sits past this share of the text"),
    "within": Option(int, None, positive, doc="the marker is among the last N lines that stay"),
    "max_share": Option((int, float), 0.5, fraction, doc="never cut more than this share of the words"),
}


class TailMatcher(MarkerMatcher):
    """``tail``: from the first marker line past ``min_position`` to the end of the text."""

    __slots__ = ()
    OPTIONS = OPTIONS

    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        min_position = opt_float(self.rule, OPTIONS, "min_position")
        max_share = opt_float(self.rule, OPTIONS, "max_share")
        within = opt_int(self.rule, OPTIONS, "within")
        live = doc.live()
        candidates = live[-within:] if within else live
        # Words from each live line to the end, summed once: a document with many marker
        # lines would otherwise recount its tail for every one of them.
        cut_from: dict[int, int] = {}
        running = 0
        for i in reversed(live):
            running += doc.words(i)
            cut_from[i] = running
        total = running or 1
        for i in candidates:
            if maybe is not None and i not in maybe:
                continue
            if doc.position(i) < min_position or not self.matches_line(doc.lines[i], doc.time_left(timeout)):
                continue
            cut = cut_from[i]
            # A marker that would cut a large share of the text is more likely prose than a
            # footer; a later marker may still be safe to cut from.
            if cut / total <= max_share:
                return [range_removal(self.rule, doc, i, len(doc.lines))]
        return []


def _build(rule: Rule, site_names: Sequence[str]) -> TailMatcher:
    assert rule.pattern is not None, rule.qualified_id
    return TailMatcher(rule, compile_pattern(rule.pattern, site_names, lazy=True))


SPEC = KindSpec("tail", "a marker line and everything after it", OPTIONS, "line", _build)
