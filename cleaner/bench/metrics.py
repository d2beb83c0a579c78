"""Pure scoring functions of the benchmark harness: counts that add up, ratios read off them.

Every figure is kept as counts (true positives, totals) so that corpus figures are micro
averages, summed over documents before dividing, and per-document figures come from the
same code. A ratio with an empty denominator is 1.0: removing nothing has no false
positives, and a document without residue has nothing left to find.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

import regex

_WORD = regex.compile(r"\w+")


def ratio(part: int, whole: int) -> float:
    """``part / whole``, or 1.0 when ``whole`` is 0 (nothing to get wrong)."""
    return part / whole if whole else 1.0


def f1(precision: float, recall: float) -> float:
    """Harmonic mean; 0.0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def squash(text: str) -> str:
    """Whitespace-normalised text: runs of whitespace become one space, edges stripped.

    >>> squash("  a\\n\\n b\\tc ")
    'a b c'
    """
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """Word tokens, case-folded: the unit of extraction benchmarks' bag-of-words scores.

    >>> tokens("Don't stop—READ ALSO: 3 ways")
    ['don', 't', 'stop', 'read', 'also', '3', 'ways']
    """
    return _WORD.findall(text.casefold())


@dataclass(frozen=True, slots=True)
class TokenCounts:
    """Bag-of-tokens overlap of an output with the gold: ``overlap`` tokens in common."""

    overlap: int = 0
    output: int = 0
    gold: int = 0

    def __add__(self, other: TokenCounts) -> TokenCounts:
        return TokenCounts(self.overlap + other.overlap, self.output + other.output, self.gold + other.gold)

    @property
    def precision(self) -> float:
        return ratio(self.overlap, self.output)

    @property
    def recall(self) -> float:
        return ratio(self.overlap, self.gold)

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)


def token_counts(output: str, gold: str) -> TokenCounts:
    """Count the multiset intersection of the output's and the gold's word tokens.

    >>> token_counts("a b b c", "a b d")
    TokenCounts(overlap=2, output=4, gold=3)
    """
    out, ref = Counter(tokens(output)), Counter(tokens(gold))
    return TokenCounts(sum((out & ref).values()), sum(out.values()), sum(ref.values()))


@dataclass(frozen=True, slots=True)
class LineTruth:
    """What the gold says about one non-blank input line.

    ``gold_chars`` is how many of its ``chars`` the gold keeps: 0 for a residue line,
    ``chars`` for a content line, in between for a line the gold shortened (a title whose
    site-name suffix is residue).
    """

    index: int
    chars: int
    gold_chars: int

    @property
    def residue(self) -> bool:
        return self.gold_chars == 0

    @property
    def residue_chars(self) -> int:
        return self.chars - self.gold_chars


@dataclass(frozen=True, slots=True)
class RemovalCounts:
    """How well the removals hit the residue, by whole lines and by characters.

    Line figures count whole-line removals of whole residue lines; a cut inside a line
    (a span rule) only shows in the character figures.
    """

    residue_lines: int = 0
    removed_lines: int = 0
    removed_residue_lines: int = 0
    residue_chars: int = 0
    removed_chars: int = 0
    removed_residue_chars: int = 0

    def __add__(self, other: RemovalCounts) -> RemovalCounts:
        return RemovalCounts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def line_precision(self) -> float:
        return ratio(self.removed_residue_lines, self.removed_lines)

    @property
    def line_recall(self) -> float:
        return ratio(self.removed_residue_lines, self.residue_lines)

    @property
    def char_precision(self) -> float:
        return ratio(self.removed_residue_chars, self.removed_chars)

    @property
    def char_recall(self) -> float:
        return ratio(self.removed_residue_chars, self.residue_chars)


def removal_counts(truth: Sequence[LineTruth], removed: Mapping[int, int]) -> RemovalCounts:
    """Score removals against the gold.

    ``removed`` maps a line index to the characters removed from it (the line's length
    when the whole line went). Inside one line the removed characters are assumed to hit
    the residue first, which is exact for whole lines and for a title whose suffix the
    gold drops.
    """
    counts = [0] * 6
    for line in truth:
        cut = min(removed.get(line.index, 0), line.chars)
        whole = cut == line.chars
        counts[0] += line.residue
        counts[1] += whole
        counts[2] += whole and line.residue
        counts[3] += line.residue_chars
        counts[4] += cut
        counts[5] += min(cut, line.residue_chars)
    return RemovalCounts(*counts)


@dataclass(frozen=True, slots=True)
class SnippetCounts:
    """``with`` snippets that must survive and ``without`` snippets that must not."""

    with_total: int = 0
    with_kept: int = 0
    without_total: int = 0
    without_removed: int = 0

    def __add__(self, other: SnippetCounts) -> SnippetCounts:
        return SnippetCounts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def with_kept_share(self) -> float:
        return ratio(self.with_kept, self.with_total)

    @property
    def without_removed_share(self) -> float:
        return ratio(self.without_removed, self.without_total)


def snippet_counts(text: str, with_: Iterable[str], without: Iterable[str]) -> SnippetCounts:
    """A snippet is present when it is a substring of the whitespace-normalised text.

    >>> snippet_counts("Body text.\\nShare this", ["Body text."], ["Share this", "Newsletter"])
    SnippetCounts(with_total=1, with_kept=1, without_total=2, without_removed=1)
    """
    flat = squash(text)
    keep = [squash(s) for s in with_ if squash(s)]
    drop = [squash(s) for s in without if squash(s)]
    return SnippetCounts(
        len(keep), sum(s in flat for s in keep), len(drop), sum(s not in flat for s in drop)
    )


def exact(output: str, gold: str) -> bool:
    """Whether output and gold are the same text after whitespace normalisation."""
    return squash(output) == squash(gold)
