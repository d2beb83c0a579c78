"""The ``block`` kind: from a ``start`` line through an ``end`` line, or a run of up to ``max_lines`` short lines."""

from __future__ import annotations

from collections.abc import Sequence, Set
from typing import TYPE_CHECKING

from cleaner.core.model import Removal, Rule
from cleaner.kinds.base import (
    KindSpec,
    MarkerMatcher,
    Option,
    Options,
    int_setting,
    max_chars_option,
    pattern_option,
    positive,
    range_removal,
)
from cleaner.match.lazy import compile_pattern
from cleaner.text.document import DocState

if TYPE_CHECKING:
    from cleaner.kinds.base import Pattern


OPTIONS: Options = {
    "start": pattern_option("the line that opens the block, fully matched after stripping its edges"),
    "end": pattern_option("the line that closes it; without one, the block is a run of short lines", required=False),
    "max_chars": max_chars_option(200, "no line of the block (start, end or between) is longer than this"),
    "max_lines": Option(int, 12, positive, doc="at most this many lines, the start line included"),
}


class BlockMatcher(MarkerMatcher):
    """``block``: from a ``start`` line through an ``end`` line, or ``max_lines`` lines."""

    __slots__ = ("end",)
    OPTIONS = OPTIONS

    def __init__(self, rule: Rule, regex: Pattern, end: Pattern | None) -> None:
        super().__init__(rule, regex)
        self.end = end

    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        max_lines = int_setting(self.rule, OPTIONS, "max_lines")
        max_chars = int_setting(self.rule, OPTIONS, "max_chars")
        live = doc.live()
        out: list[Removal] = []
        k = 0
        while k < len(live):
            i = live[k]
            if (maybe is not None and i not in maybe) or not self.matches_line(
                doc.lines[i], doc.time_left(timeout)
            ):
                k += 1
                continue
            window = live[k : k + max_lines]
            last = self._last_line(doc, window, max_chars, timeout)
            if last is None:
                k += 1
                continue
            out.append(range_removal(self.rule, doc, i, last + 1))
            k += window.index(last) + 1
        return out

    def _last_line(self, doc: DocState, window: list[int], max_chars: int, timeout: float) -> int | None:
        if self.end is not None:
            for j in window[1:]:
                line = doc.lines[j]
                if len(line) <= max_chars and self.end.fullmatch(line, timeout=doc.time_left(timeout)):
                    return j
            return None
        # Without an end marker the block is a run of short lines: a long line is content.
        last = window[0]
        for j in window[1:]:
            if len(doc.lines[j]) > max_chars:
                break
            last = j
        return last


def _build(rule: Rule, site_names: Sequence[str]) -> BlockMatcher:
    assert rule.pattern is not None, rule.qualified_id
    end = rule.option("end")
    return BlockMatcher(
        rule,
        compile_pattern(rule.pattern, site_names, lazy=True),
        compile_pattern(end, site_names, lazy=True) if isinstance(end, str) else None,
    )


SPEC = KindSpec("block", "a `start` line through an `end` line, or a run of short lines", OPTIONS, "line", _build)
