"""One matcher per rule kind, all behind one small protocol.

A matcher looks at the document as the previous stage left it and proposes removals; it
never edits the document. The engine unions the proposals of a stage before the next
stage runs, so the result does not depend on the order rules were loaded in.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Protocol, cast

from cleaner.core.model import Removal, Rule
from cleaner.match.lazy import LazyPattern
from cleaner.text.document import DocState

if TYPE_CHECKING:
    import regex

    # A compiled pattern, or a LazyPattern standing in for one. ``regex`` itself is imported
    # where a pattern is compiled: a short run that needs none does not load it (~13 ms).
    Pattern = regex.Pattern[str]


class Matcher(Protocol):
    """What every kind provides to the engine."""

    @property
    def rule(self) -> Rule:
        """The validated rule this matcher was compiled from."""
        ...

    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        """Propose removals for ``doc``; may raise TimeoutError from a regex match.

        ``maybe``, when given, holds the indices of the only lines the rule's pattern may
        match (the prefilter's answer): every other line is known not to match it.
        """
        ...

    def matches_line(self, line: str, timeout: float) -> bool:
        """Whether a single line is what this rule catches (for examples and markers)."""
        ...

    @property
    def context_free(self) -> bool:
        """Whether the rule's verdict on a line depends on that line's text alone.

        The engine's later passes then show it only the lines whose text changed.
        """
        ...


SITE_NAMES_LIST = "\\L<site_names>"


def compile_pattern(pattern: str, site_names: Sequence[str], *, lazy: bool = False) -> Pattern:
    """Compile, binding ``\\L<site_names>`` to the display names of the known site packs.

    ``lazy``: compile on first use instead (see :mod:`cleaner.match.lazy`).
    """
    # An empty named list would match the empty string; a name nobody writes stands in.
    names = None if SITE_NAMES_LIST not in pattern else tuple(site_names) or ("\x00no site names\x00",)
    lazy_pattern = LazyPattern(pattern, names)
    return cast("Pattern", lazy_pattern if lazy else lazy_pattern.compiled())


def _range_removal(rule: Rule, doc: DocState, start: int, end: int) -> Removal:
    return Removal(rule.qualified_id, start, end, "\n".join(doc.lines[start:end]))


def _opt_int(rule: Rule, name: str) -> int | None:
    value = rule.option(name)
    return value if isinstance(value, int) else None


def _opt_float(rule: Rule, name: str, default: float) -> float:
    value = rule.option(name, default)
    return float(value) if isinstance(value, (int, float)) else default


@dataclass(frozen=True, slots=True)
class LineMatcher:
    """``line``: drop a whole line the pattern fully matches (after edge stripping)."""

    rule: Rule
    regex: Pattern

    def matches_line(self, line: str, timeout: float) -> bool:
        line = line.strip()
        max_chars = _opt_int(self.rule, "max_chars")
        if not line or (max_chars and len(line) > max_chars):
            return False
        return self.regex.fullmatch(line, timeout=timeout) is not None

    @property
    def context_free(self) -> bool:
        """Whether a line's match depends on that line alone (not on position or window)."""
        return not (self.rule.option("where", "any") in ("first", "last") and _opt_int(self.rule, "within"))

    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        if self.context_free:
            return self._find_anywhere(doc, timeout, maybe)
        within = _opt_int(self.rule, "within")
        live = doc.live()
        # "The first N lines" are counted among the lines that stay: a removed label does
        # not use up the window (stacked labels all go, as a second run would see).
        order = live if self.rule.option("where") == "first" else live[::-1]
        out, kept = [], 0
        for i in order:
            if (maybe is None or i in maybe) and self.matches_line(doc.lines[i], timeout):
                out.append(_range_removal(self.rule, doc, i, i + 1))
            else:
                kept += 1
                if within and kept >= within:
                    break
        return sorted(out, key=lambda r: r.start)

    def _find_anywhere(self, doc: DocState, timeout: float, maybe: Set[int] | None) -> list[Removal]:
        # The length guard is checked here once per line, before any call: most lines are
        # prose far longer than a rule's max_chars.
        limit = _opt_int(self.rule, "max_chars") or 0
        lines = doc.lines
        return [
            _range_removal(self.rule, doc, i, i + 1)
            for i in doc.live_among(maybe)
            if (not limit or len(lines[i]) <= limit or len(lines[i].strip()) <= limit)
            and self.matches_line(lines[i], timeout)
        ]


@dataclass(frozen=True, slots=True)
class SpanMatcher:
    """``span``: delete the matched text inside a line, e.g. a title's site suffix."""

    rule: Rule
    regex: Pattern

    def matches_line(self, line: str, timeout: float) -> bool:
        return bool(self.spans(line, timeout))

    def spans(self, line: str, timeout: float) -> list[tuple[int, int]]:
        max_chars = _opt_int(self.rule, "max_chars")
        if not line or (max_chars and len(line) > max_chars):
            return []
        found = [m.span() for m in self.regex.finditer(line, timeout=timeout) if m.end() > m.start()]
        # A span that would leave nothing of the line is not a span; leave it to line rules.
        if sum(end - start for start, end in found) >= len(line.strip()):
            return []
        return found

    @property
    def context_free(self) -> bool:
        """Whether a line's spans depend on that line alone (not on which line is the title)."""
        return self.rule.option("where") != "title"

    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        if self.rule.option("where") == "title":
            title = doc.title_index()
            indices = [] if title is None else [title]
        else:
            indices = doc.live_among(maybe)
        out = []
        for i in indices:
            line = doc.lines[i]
            for start, end in self.spans(line, timeout):
                out.append(Removal(self.rule.qualified_id, i, i + 1, line[start:end], (start, end)))
        return out


@dataclass(frozen=True, slots=True)
class TailMatcher:
    """``tail``: from the first marker line past ``min_position`` to the end of the text."""

    # Positions, windows or other lines decide its verdict: every pass shows it every line.
    context_free = False

    rule: Rule
    regex: Pattern

    def matches_line(self, line: str, timeout: float) -> bool:
        return LineMatcher(self.rule, self.regex).matches_line(line, timeout)

    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        min_position = _opt_float(self.rule, "min_position", 0.5)
        max_share = _opt_float(self.rule, "max_share", 0.5)
        within = _opt_int(self.rule, "within")
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
                return [_range_removal(self.rule, doc, i, len(doc.lines))]
        return []


@dataclass(frozen=True, slots=True)
class HeadMatcher:
    """``head``: everything before a marker near the top (and the marker if asked)."""

    # Positions, windows or other lines decide its verdict: every pass shows it every line.
    context_free = False

    rule: Rule
    regex: Pattern

    def matches_line(self, line: str, timeout: float) -> bool:
        return LineMatcher(self.rule, self.regex).matches_line(line, timeout)

    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        max_position = _opt_float(self.rule, "max_position", 0.3)
        within = _opt_int(self.rule, "within") or 5
        for i in doc.live()[:within]:
            if doc.position(i) > max_position:
                break
            if (maybe is None or i in maybe) and self.matches_line(doc.lines[i], timeout):
                end = i + 1 if self.rule.option("include_marker") else i
                return [_range_removal(self.rule, doc, 0, end)] if end > 0 else []
        return []


@dataclass(frozen=True, slots=True)
class BlockMatcher:
    """``block``: from a ``start`` line through an ``end`` line, or ``max_lines`` lines."""

    # Positions, windows or other lines decide its verdict: every pass shows it every line.
    context_free = False

    rule: Rule
    regex: Pattern
    end: Pattern | None

    def matches_line(self, line: str, timeout: float) -> bool:
        return LineMatcher(self.rule, self.regex).matches_line(line, timeout)

    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        max_lines = _opt_int(self.rule, "max_lines") or 12
        max_chars = _opt_int(self.rule, "max_chars") or 200
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
            out.append(_range_removal(self.rule, doc, i, last + 1))
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


# A line this long is content, never a repeated title; the gate also keeps difflib and the
# key computation away from huge lines (a 100 MB line took minutes).
REPEAT_MAX_CHARS = 2000


def _similar(a: str, b: str, threshold: float) -> bool:
    """``SequenceMatcher(None, a, b).ratio() >= threshold``, refuted by cheap upper bounds first."""
    # ratio() is 2*M/(len(a)+len(b)) with M <= min(len(a), len(b)): a paragraph compared with
    # a short title fails on lengths alone (difflib's real_quick_ratio, same arithmetic),
    # before difflib indexes the line and runs its quadratic matching.
    length = len(a) + len(b)
    if (2.0 * min(len(a), len(b)) / length if length else 1.0) < threshold:
        return False
    # difflib's quick_ratio (characters in common, ignoring order), without its b2j index.
    if length and 2.0 * sum((Counter(a) & Counter(b)).values()) / length < threshold:
        return False
    matcher = difflib.SequenceMatcher(None, a, b)
    return (
        matcher.real_quick_ratio() >= threshold
        and matcher.quick_ratio() >= threshold
        and matcher.ratio() >= threshold
    )


# Runs of non-word characters, as ``regex`` reads ``\w`` (wider than ``re``'s); compiled
# on first use like the rules' patterns.
_NON_WORD = LazyPattern(r"[^\w]+", None)


def _too_long(title: str, line: str, threshold: float, key: Callable[[str], str] | None = None) -> bool:
    """Whether ``line``'s key is provably too long to reach ``threshold`` against ``title``.

    The key of a prefix of a line is never longer than the key of the line (casefolding and
    the word-character class work character by character), so a paragraph is refuted from
    its first few hundred characters, without building its whole key.
    """
    # A prefix whose key is half as long again as the longest key that could still reach
    # the threshold refutes a paragraph; when it does not, the caller builds the whole key.
    longest = len(title) * (2.0 / threshold - 1.0) if threshold > 0 else float("inf")
    cut = int(1.5 * longest) + 16 if longest < len(line) else len(line)
    if len(line) <= cut:
        return False
    head = len((key or _similarity_key)(line[:cut]))
    # An empty title key (a title of dashes) is compared by difflib; nothing to refute here.
    return head >= len(title) > 0 and 2.0 * len(title) / (len(title) + head) < threshold


# For ASCII text ``regex``'s \w is exactly [0-9A-Za-z_], so a translation table does what the
# pattern does, several times faster; most lines compared are ASCII.
_ASCII_NON_WORD = str.maketrans({chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")})


def _similarity_key(line: str) -> str:
    """Casefolded words of ``line``, any run of non-word characters read as one space."""
    if line.isascii():
        return " ".join(line.lower().translate(_ASCII_NON_WORD).split())
    return " ".join(_NON_WORD.sub(" ", line.casefold()).split())


def _cached_key(doc: DocState, line: str) -> str:
    key = doc.similarity_keys.get(line)
    if key is None:
        key = doc.similarity_keys[line] = _similarity_key(line)
    return key


def _cached_similar(doc: DocState, title: str, key: str, threshold: float) -> bool:
    # Later passes compare the same title with the same lines again.
    pair = (title, key, threshold)
    found = doc.similar_pairs.get(pair)
    if found is None:
        found = doc.similar_pairs[pair] = _similar(title, key, threshold)
    return found


@dataclass(frozen=True, slots=True)
class RepeatMatcher:
    """``repeat``: drop a line that (near-)duplicates the title or any earlier line."""

    # Positions, windows or other lines decide its verdict: every pass shows it every line.
    context_free = False

    rule: Rule
    regex: Pattern | None

    def matches_line(self, line: str, timeout: float) -> bool:
        return self.regex is None or self.regex.fullmatch(line.strip(), timeout=timeout) is not None

    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        # Repeat rules are never gated (they compare lines), so ``maybe`` is always None.
        min_chars = _opt_int(self.rule, "min_chars") or 12
        live = doc.live()
        if self.rule.option("of", "title") == "any":
            seen: set[str] = set()
            out = []
            for i in live:
                if len(doc.lines[i]) > REPEAT_MAX_CHARS:
                    continue
                key = _similarity_key(doc.lines[i])
                if key in seen and len(doc.lines[i]) >= min_chars and self.matches_line(doc.lines[i], timeout):
                    out.append(_range_removal(self.rule, doc, i, i + 1))
                seen.add(key)
            return out
        if not live or len(doc.lines[live[0]]) > REPEAT_MAX_CHARS:
            return []
        title = _cached_key(doc, doc.lines[live[0]])
        threshold = _opt_float(self.rule, "min_similarity", 0.9)
        within = _opt_int(self.rule, "within") or 5
        out, kept = [], 0
        # The window counts the lines that stay: a removed copy does not use it up.
        for i in live[1:]:
            if kept >= within:
                break
            line = doc.lines[i]
            if (
                min_chars <= len(line) <= REPEAT_MAX_CHARS
                and self.matches_line(line, timeout)
                and not _too_long(title, line, threshold, partial(_cached_key, doc))
            ):
                key = _cached_key(doc, line)
                if key == title or _cached_similar(doc, title, key, threshold):
                    out.append(_range_removal(self.rule, doc, i, i + 1))
                    continue
            kept += 1
        return out


def compile_rule(rule: Rule, site_names: Sequence[str]) -> Matcher:
    """Build the matcher for ``rule``; patterns were validated by the schema."""
    pattern = compile_pattern(rule.pattern, site_names, lazy=True) if rule.pattern else None
    if rule.kind == "repeat":
        return RepeatMatcher(rule, pattern)
    if rule.kind == "run":
        from cleaner.kinds.run import RunMatcher

        return RunMatcher(rule, pattern)
    assert pattern is not None, rule.qualified_id
    if rule.kind == "line":
        return LineMatcher(rule, pattern)
    if rule.kind == "span":
        return SpanMatcher(rule, pattern)
    if rule.kind == "tail":
        return TailMatcher(rule, pattern)
    if rule.kind == "head":
        return HeadMatcher(rule, pattern)
    end = rule.option("end")
    return BlockMatcher(rule, pattern, compile_pattern(end, site_names, lazy=True) if isinstance(end, str) else None)
