"""The document as rules see it: normalised lines, which are still alive, and positions."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Set
from dataclasses import dataclass, field, replace
from time import monotonic


@dataclass(slots=True)
class DocState:
    """Mutable working state of one cleaning run; never escapes the engine.

    ``ranked`` lists the live non-blank lines as they were when positions were last counted
    (at the start of a pass), so positions ("past the middle", "within the first five
    lines") do not depend on blank lines nor on what earlier stages of the same pass took.
    """

    lines: tuple[str, ...]
    alive: list[bool] = field(default_factory=list)
    ranked: list[int] = field(default_factory=list)
    # Word counts by line text, shared by every matcher and pass over this document: tail
    # rules need them for every line, and a huge line should be counted once.
    word_counts: dict[str, int] = field(default_factory=dict)
    # Repeat rules' comparison keys by line text, kept across passes for the same reason.
    similarity_keys: dict[str, str] = field(default_factory=dict)
    similar_pairs: dict[tuple[str, str, float], bool] = field(default_factory=dict)
    # live(), computed once per change of ``alive``: every matcher of a stage asks for it.
    live_lines: list[int] | None = None
    # When this document's matching time runs out (time.monotonic()); inf: no budget. Every
    # match takes at most what is left (time_left), so near-limit matches cannot add up.
    deadline: float = math.inf

    def time_left(self, cap: float) -> float:
        """How long the next match may take: ``cap`` (the match limit), within the document's budget.

        >>> DocState.from_text("a").time_left(0.5)
        0.5
        """
        left = self.deadline - monotonic()  # inf - now is inf: no budget, the cap
        # Never 0: the regex module takes a positive timeout; a spent budget times out at once.
        return cap if left >= cap else (left if left > 0.001 else 0.001)

    @classmethod
    def from_text(cls, text: str) -> DocState:
        lines = tuple(text.split("\n")) if text else ()
        live = [i for i, line in enumerate(lines) if line]
        return cls(lines, [True] * len(lines), live, live_lines=live)

    def reranked(self) -> DocState:
        """The same lines, positions counted over the lines still alive (a cleaned text's view)."""
        live = self.live()
        return replace(self, ranked=live, live_lines=live)

    @property
    def nonblank(self) -> int:
        """How many lines positions are counted over."""
        return len(self.ranked)

    def position(self, index: int) -> float:
        """Where line ``index`` sits among non-blank lines: 0.0 first, 1.0 last."""
        # The number of counted lines before ``index`` is its rank.
        return bisect_left(self.ranked, index) / (len(self.ranked) - 1) if len(self.ranked) > 1 else 0.0

    def words(self, index: int) -> int:
        """The word count of line ``index``, counted once per distinct line."""
        line = self.lines[index]
        count = self.word_counts.get(line)
        if count is None:
            count = self.word_counts[line] = words(line)
        return count

    def live(self) -> list[int]:
        """Indices of the non-blank lines no earlier stage removed, in order (do not modify)."""
        if self.live_lines is None:
            self.live_lines = [i for i, line in enumerate(self.lines) if line and self.alive[i]]
        return self.live_lines

    def live_among(self, maybe: Set[int] | None) -> list[int]:
        """The live lines, or only those in ``maybe`` when given (the prefilter's candidates)."""
        if maybe is None:
            return self.live()
        return sorted(i for i in maybe if self.lines[i] and self.alive[i])

    def remove(self, start: int, end: int) -> None:
        """Mark lines ``start`` to ``end`` (exclusive) as removed."""
        for i in range(start, end):
            self.alive[i] = False
        self.live_lines = None

    def title_index(self) -> int | None:
        """The title is the first live non-blank line."""
        live = self.live()
        return live[0] if live else None


# Counting words chunk by chunk keeps memory flat on a huge line: ``str.split`` on 100 MB of
# prose would build millions of word objects at once.
_WORDS_CHUNK = 1 << 20
_SPLIT_IS_CHEAPER = 4096


def words(text: str) -> int:
    """Whitespace-separated word count, the unit of the removal-share guard.

    >>> words("one two\\n three")
    3
    """
    if len(text) <= _WORDS_CHUNK:
        # On a line, splitting is cheaper than the checks the count from spaces needs.
        fast = _count_by_spaces(text) if len(text) > _SPLIT_IS_CHEAPER else None
        return len(text.split()) if fast is None else fast
    count = 0
    previous_ends_in_word = False
    for start in range(0, len(text), _WORDS_CHUNK):
        chunk = text[start : start + _WORDS_CHUNK]
        count += len(chunk.split())
        # A word cut by the chunk boundary was counted once in each chunk.
        if previous_ends_in_word and not chunk[0].isspace():
            count -= 1
        previous_ends_in_word = not chunk[-1].isspace()
    return count


def _count_by_spaces(text: str) -> int | None:
    """The word count of ``text`` from its spaces, when it is simply spaced; else None.

    Splitting builds a string per word, the main cost of the guard on a long text. Text
    whose only whitespace is single spaces between words (newlines, blank lines between
    stripped lines read as such a space) has one more word than spaces. ``isprintable`` is
    False for every whitespace character but the space (a test checks every code point),
    so it proves there is no other.
    """
    if not text:
        return 0
    flat = text.replace("\n\n", "\n").replace("\n", " ")
    if flat[0] == " " or flat[-1] == " " or "  " in flat or not flat.isprintable():
        return None
    return flat.count(" ") + 1
