"""The ``head`` kind: everything before a marker near the top of the text (and the marker if asked)."""

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
class HeadMatcher(MarkerMatcher):
    """``head``: everything before a marker near the top (and the marker if asked)."""


    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        max_position = opt_float(self.rule, "max_position", 0.3)
        within = opt_int(self.rule, "within") or 5
        for i in doc.live()[:within]:
            if doc.position(i) > max_position:
                break
            if (maybe is None or i in maybe) and self.matches_line(doc.lines[i], timeout):
                end = i + 1 if self.rule.option("include_marker") else i
                return [range_removal(self.rule, doc, 0, end)] if end > 0 else []
        return []
