"""The ``tail`` kind: from the first marker line past ``min_position`` to the end of the text."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cleaner.core.model import Removal
from cleaner.kinds.base import MarkerMatcher, opt_float, opt_int, range_removal
from cleaner.text.document import DocState

if TYPE_CHECKING:
    pass


@dataclass(frozen=True, slots=True)
class TailMatcher(MarkerMatcher):
    """``tail``: from the first marker line past ``min_position`` to the end of the text."""


    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        min_position = opt_float(self.rule, "min_position", 0.5)
        max_share = opt_float(self.rule, "max_share", 0.5)
        within = opt_int(self.rule, "within")
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
            if doc.position(i) < min_position or not self.matches_line(doc.lines[i], timeout):
                continue
            cut = cut_from[i]
            # A marker that would cut a large share of the text is more likely prose than a
            # footer; a later marker may still be safe to cut from.
            if cut / total <= max_share:
                return [range_removal(self.rule, doc, i, len(doc.lines))]
        return []
