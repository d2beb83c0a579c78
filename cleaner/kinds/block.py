"""The ``block`` kind: from a ``start`` line through an ``end`` line, or a run of up to ``max_lines`` short lines."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cleaner.core.model import Removal
from cleaner.kinds.base import MarkerMatcher, opt_int, range_removal
from cleaner.text.document import DocState

if TYPE_CHECKING:
    from cleaner.kinds.base import Pattern


@dataclass(frozen=True, slots=True)
class BlockMatcher(MarkerMatcher):
    """``block``: from a ``start`` line through an ``end`` line, or ``max_lines`` lines."""

    end: Pattern | None

    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        max_lines = opt_int(self.rule, "max_lines") or 12
        max_chars = opt_int(self.rule, "max_chars") or 200
        live = doc.live()
        out: list[Removal] = []
        k = 0
        while k < len(live):
            i = live[k]
            if (maybe is not None and i not in maybe) or not self.matches_line(doc.lines[i], timeout):
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
                if len(line) <= max_chars and self.end.fullmatch(line, timeout=timeout):
                    return j
            return None
        # Without an end marker the block is a run of short lines: a long line is content.
        last = window[0]
        for j in window[1:]:
            if len(doc.lines[j]) > max_chars:
                break
            last = j
        return last
