"""The ``repeat`` kind: drop a line that (near-)duplicates the title or any earlier line."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Sequence, Set
from functools import partial
from typing import TYPE_CHECKING

from cleaner.core.model import Removal, Rule
from cleaner.kinds.base import (
    KindSpec,
    Option,
    Options,
    RuleMatcher,
    choice,
    fraction,
    int_setting,
    opt,
    opt_float,
    pattern_option,
    positive,
    range_removal,
)
from cleaner.match.lazy import LazyPattern, compile_pattern
from cleaner.text.document import DocState

if TYPE_CHECKING:
    from cleaner.kinds.base import Pattern  # noqa: F401 (named in the base class below)


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


OPTIONS: Options = {
    "pattern": pattern_option("only lines this fully matches are candidates", required=False),
    "of": Option(str, "title", choice("title", "any"), doc="a copy of the title, or of any earlier line"),
    "within": Option(int, 5, positive, doc="with `of: title`: among the N lines after the title that stay"),
    "min_similarity": Option((int, float), 0.9, fraction, doc="with `of: title`: how alike (difflib ratio)"),
    "min_chars": Option(int, 12, positive, doc="never a line shorter than this"),
}


class RepeatMatcher(RuleMatcher["Pattern | None"]):
    """``repeat``: drop a line that (near-)duplicates the title or any earlier line."""

    # Positions, windows or other lines decide its verdict: every pass shows it every line.
    context_free = False

    __slots__ = ()

    def matches_line(self, line: str, timeout: float) -> bool:
        return self.regex is None or self.regex.fullmatch(line.strip(), timeout=timeout) is not None

    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        # Repeat rules are never gated (they compare lines), so ``maybe`` is always None.
        min_chars = int_setting(self.rule, OPTIONS, "min_chars")
        live = doc.live()
        if opt(self.rule, OPTIONS, "of") == "any":
            seen: set[str] = set()
            out = []
            for i in live:
                if len(doc.lines[i]) > REPEAT_MAX_CHARS:
                    continue
                key = _similarity_key(doc.lines[i])
                if (
                    key in seen and len(doc.lines[i]) >= min_chars
                    and self.matches_line(doc.lines[i], doc.time_left(timeout))
                ):
                    out.append(range_removal(self.rule, doc, i, i + 1))
                seen.add(key)
            return out
        if not live or len(doc.lines[live[0]]) > REPEAT_MAX_CHARS:
            return []
        title = _cached_key(doc, doc.lines[live[0]])
        threshold = opt_float(self.rule, OPTIONS, "min_similarity")
        within = int_setting(self.rule, OPTIONS, "within")
        out, kept = [], 0
        # The window counts the lines that stay: a removed copy does not use it up.
        for i in live[1:]:
            if kept >= within:
                break
            line = doc.lines[i]
            if (
                min_chars <= len(line) <= REPEAT_MAX_CHARS
                and self.matches_line(line, doc.time_left(timeout))
                and not _too_long(title, line, threshold, partial(_cached_key, doc))
            ):
                key = _cached_key(doc, line)
                if key == title or _cached_similar(doc, title, key, threshold):
                    out.append(range_removal(self.rule, doc, i, i + 1))
                    continue
            kept += 1
        return out


def _build(rule: Rule, site_names: Sequence[str]) -> RepeatMatcher:
    pattern = compile_pattern(rule.pattern, site_names, lazy=True) if rule.pattern else None
    return RepeatMatcher(rule, pattern)


# Never gated: it compares lines as the span stage left them, and its pattern is optional.
SPEC = KindSpec("repeat", "a line that near-duplicates the title or an earlier line", OPTIONS, None, _build)
