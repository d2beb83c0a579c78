"""The ``line`` kind: drop a whole line the pattern fully matches (after edge stripping)."""

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
    matches_stripped_line,
    max_chars_option,
    opt,
    opt_int,
    pattern_option,
    positive,
    range_removal,
)
from cleaner.match.lazy import compile_pattern
from cleaner.text.document import DocState

if TYPE_CHECKING:
    from cleaner.kinds.base import Pattern  # noqa: F401 (named in the base class below)


OPTIONS: Options = {
    "pattern": pattern_option("the line, fully matched after stripping its edges (write .* to mean contains)"),
    "max_chars": max_chars_option(200),
    "where": Option(str, "any", choice("any", "first", "last"), doc="any line, or only among the first or last lines"),
    "within": Option(int, None, positive, doc="with `where: first|last`: the window, in lines that stay"),
    "keep_between_prose": Option(
        bool, False, doc="keep a matching line whose nearest kept lines on both sides read as sentences"
    ),
}


class LineMatcher(RuleMatcher["Pattern"]):
    """``line``: drop a whole line the pattern fully matches (after edge stripping)."""

    __slots__ = ()

    def matches_line(self, line: str, timeout: float) -> bool:
        return matches_stripped_line(self.rule, OPTIONS, self.regex, line, timeout)

    @property
    def _windowed(self) -> bool:
        """Only among the first or last ``within`` lines that stay."""
        return bool(opt_int(self.rule, OPTIONS, "within")) and opt(self.rule, OPTIONS, "where") in ("first", "last")

    @property
    def context_free(self) -> bool:
        """Whether a line's match depends on that line alone (not on position or window)."""
        # A window or the neighbours make the verdict depend on the lines around.
        return not (self._windowed or opt(self.rule, OPTIONS, "keep_between_prose"))

    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        if not self._windowed:
            return self._find_anywhere(doc, timeout, maybe)
        within = opt_int(self.rule, OPTIONS, "within")
        live = doc.live()
        # "The first N lines" are counted among the lines that stay: a removed label does
        # not use up the window (stacked labels all go, as a second run would see).
        order = live if self.rule.option("where") == "first" else live[::-1]
        out, kept = [], 0
        for i in order:
            if (maybe is None or i in maybe) and self.matches_line(doc.lines[i], doc.time_left(timeout)):
                out.append(range_removal(self.rule, doc, i, i + 1))
            else:
                kept += 1
                if within and kept >= within:
                    break
        return sorted(out, key=lambda r: r.start)

    def _find_anywhere(self, doc: DocState, timeout: float, maybe: Set[int] | None) -> list[Removal]:
        # The length guard is checked here once per line, before any call: most lines are
        # prose far longer than a rule's max_chars.
        limit = opt_int(self.rule, OPTIONS, "max_chars") or 0
        lines = doc.lines
        found = [
            i
            for i in doc.live_among(maybe)
            if (not limit or len(lines[i]) <= limit or len(lines[i].strip()) <= limit)
            and self.matches_line(lines[i], doc.time_left(timeout))
        ]
        if found and opt(self.rule, OPTIONS, "keep_between_prose"):
            live = doc.live()
            at = {line: k for k, line in enumerate(live)}
            found = [i for i in found if not _between_prose(doc.lines, live, at[i])]
        return [range_removal(self.rule, doc, i, i + 1) for i in found]


def _between_prose(lines: Sequence[str], live: Sequence[int], at: int) -> bool:
    """Whether the kept lines before and after ``live[at]`` both read as sentences.

    A divider ("***", "• • •") between two paragraphs is the author's section break; the same
    line among buttons or at the text's edge is page furniture.
    """
    if at == 0 or at == len(live) - 1:
        return False
    return _reads_as_sentence(lines[live[at - 1]]) and _reads_as_sentence(lines[live[at + 1]])


# What may close a sentence after its end mark: quotes and brackets (as text.prose.SENTENCE_END
# reads it; spelled out here because importing that module loads regex, which the engine's
# import does not).
_CLOSERS = "\"'\u201d\u2019\u00bb)]"


def _reads_as_sentence(line: str) -> bool:
    text = line.strip()
    return len(text.split()) > 12 and text.rstrip(_CLOSERS)[-1:] in (".", "!", "?", "\u2026")


def _build(rule: Rule, site_names: Sequence[str]) -> LineMatcher:
    assert rule.pattern is not None, rule.qualified_id
    return LineMatcher(rule, compile_pattern(rule.pattern, site_names, lazy=True))


SPEC = KindSpec("line", "a whole line the pattern fully matches", OPTIONS, "line", _build)
