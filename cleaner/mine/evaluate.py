"""Score mined rules on held-out pages: which residue lines went, which content lines stayed.

A page's lines are labelled against its expected (hand-cleaned) text: a line of the expected
text is content, and so is a page line that starts with one (a title that still carries its
" | Site" suffix); every other non-blank line is residue. Scoring is by line: mining proposes
whole-line rules, and a line either survives or does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cleaner.engine.cleaner import Cleaner
from cleaner.text.normalize import normalize_text

# An expected line shorter than this is not trusted as a prefix (a one-word line starts many lines).
MIN_PREFIX = 15


@dataclass(frozen=True, slots=True)
class LineScore:
    """Line counts over a set of pages: residue found and removed, content kept and lost."""

    residue: int = 0
    residue_removed: int = 0
    content: int = 0
    content_removed: int = 0
    lost: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()

    @property
    def recall(self) -> float:
        """Share of residue lines removed (1.0 when there was none)."""
        return self.residue_removed / self.residue if self.residue else 1.0

    @property
    def precision(self) -> float:
        """Share of removed lines that were residue (1.0 when nothing was removed)."""
        removed = self.residue_removed + self.content_removed
        return self.residue_removed / removed if removed else 1.0

    def __add__(self, other: LineScore) -> LineScore:
        return LineScore(
            self.residue + other.residue,
            self.residue_removed + other.residue_removed,
            self.content + other.content,
            self.content_removed + other.content_removed,
            self.lost + other.lost,
            self.missed + other.missed,
        )


def _lines(text: str) -> list[str]:
    return [line for line in normalize_text(text).split("\n") if line]


def is_content(line: str, expected: set[str]) -> bool:
    """Whether ``line`` is in the expected text (or is an expected line plus a suffix)."""
    return line in expected or any(len(e) >= MIN_PREFIX and line.startswith(e) for e in expected)


def removed_lines(cleaner: Cleaner, text: str, *, site: str | None = None, url: str | None = None) -> set[int]:
    """Indices (among non-blank lines) of the lines the cleaner dropped whole."""
    result = cleaner.clean_and_explain(text, site=site, url=url)
    if result.skipped:
        return set()
    lines = result.normalized.split("\n")
    rank: dict[int, int] = {}
    for i, line in enumerate(lines):
        if line:
            rank[i] = len(rank)
    gone: set[int] = set()
    for removal in result.removals:
        if removal.columns is None:
            gone.update(rank[i] for i in range(removal.start, removal.end) if i in rank)
    return gone


def score_page(cleaner: Cleaner, text: str, expected_text: str, *, site: str | None = None) -> LineScore:
    """Line score of cleaning one page whose hand-cleaned version is ``expected_text``."""
    expected = set(_lines(expected_text))
    gone = removed_lines(cleaner, text, site=site)
    residue = removed_residue = content = removed_content = 0
    lost: list[str] = []
    missed: list[str] = []
    for i, line in enumerate(_lines(text)):
        if is_content(line, expected):
            content += 1
            if i in gone:
                removed_content += 1
                lost.append(line)
        else:
            residue += 1
            if i in gone:
                removed_residue += 1
            else:
                missed.append(line)
    return LineScore(residue, removed_residue, content, removed_content, tuple(lost), tuple(missed))


def score_pages(cleaner: Cleaner, pairs: Iterable[tuple[str, str]], *, site: str | None = None) -> LineScore:
    """Sum of :func:`score_page` over ``(page text, expected text)`` pairs."""
    total = LineScore()
    for text, expected in pairs:
        total = total + score_page(cleaner, text, expected, site=site)
    return total


def split_half(items: Sequence[object]) -> tuple[list[object], list[object]]:
    """The first half (rounded up) to mine from, the rest to test on; order is kept."""
    cut = (len(items) + 1) // 2
    return list(items[:cut]), list(items[cut:])
