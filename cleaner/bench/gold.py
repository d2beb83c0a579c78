"""Align a gold file with its input: which input lines the gold keeps, or why it cannot say.

Strict gold (hand-labelled, as the seeds') must be a deletion of the normalised input:
its lines appear in the input in order, each equal to an input line or that line with up
to two stretches cut out (a title without its " - Site Name"). Anything else is a
violation, reported with the gold file's line number, and the document is not scored.

Loose gold (written by someone else, as the tiptopjaw corpus': retyped quotes, an added
title, merged lines) cannot be checked that way; an input line counts as content when the
gold holds it after folding case, quotes, dashes and whitespace.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Literal

import regex

from cleaner.bench.metrics import LineTruth

GoldCheck = Literal["strict", "loose"]

# Lines this short are matched whole in loose mode: "Home" or "Share" inside a gold
# sentence says nothing about the line "Home".
_LOOSE_MIN_WORDS = 4


@dataclass(frozen=True, slots=True)
class GoldViolation:
    """A gold line that is not a deletion of the input (``line`` is 1-based in the gold file)."""

    line: int
    text: str
    message: str


@dataclass(frozen=True, slots=True)
class Alignment:
    """Per non-blank input line, what the gold keeps; plus what did not align."""

    truth: tuple[LineTruth, ...]
    violations: tuple[GoldViolation, ...] = ()
    gold_lines: int = 0
    aligned_gold_lines: int = 0

    @property
    def coverage(self) -> float:
        """Share of the gold's lines found in the input (1.0 for valid strict gold)."""
        return self.aligned_gold_lines / self.gold_lines if self.gold_lines else 1.0


def kept_within(line: str, gold: str) -> bool:
    """Whether ``gold`` is ``line`` with at most two stretches cut out (and edges stripped).

    >>> kept_within("Title - Times of India", "Title")
    True
    >>> kept_within("Politics: Title here | Site", "Title here")
    True
    >>> kept_within("Title here", "Title there")
    False
    """
    if not gold or len(gold) >= len(line):
        return False
    prefix = 0
    while prefix < len(gold) and line[prefix] == gold[prefix]:
        prefix += 1
    suffix = 0
    while suffix < len(gold) - prefix and line[-1 - suffix] == gold[-1 - suffix]:
        suffix += 1
    if prefix + suffix >= len(gold):
        return True
    # Two cuts: the gold's middle must sit, whole, between the kept prefix and suffix.
    middle = gold[prefix : len(gold) - suffix]
    return middle.strip() == middle and middle in line[prefix : len(line) - suffix]


def _gold_line_numbers(raw_gold: str, lines: list[str]) -> list[int]:
    """1-based line numbers in the raw gold file of the normalised gold lines (best effort)."""
    raw = raw_gold.replace("\r\n", "\n").split("\n")
    numbers, pointer = [], 0
    for wanted in lines:
        found = next((i for i in range(pointer, len(raw)) if raw[i].strip() == wanted), None)
        if found is None:
            numbers.append(pointer + 1)
        else:
            numbers.append(found + 1)
            pointer = found + 1
    return numbers


def align_strict(normalized_input: str, normalized_gold: str, raw_gold: str | None = None) -> Alignment:
    """Align gold that must be a deletion of the input; violations stop the alignment."""
    inputs = [(i, line) for i, line in enumerate(normalized_input.split("\n")) if line]
    gold = [line for line in normalized_gold.split("\n") if line]
    numbers = _gold_line_numbers(raw_gold if raw_gold is not None else normalized_gold, gold)
    kept: dict[int, int] = {}
    pointer = 0
    for number, wanted in zip(numbers, gold, strict=True):
        for k in range(pointer, len(inputs)):
            index, line = inputs[k]
            if line == wanted or kept_within(line, wanted):
                kept[index] = len(wanted)
                pointer = k + 1
                break
        else:
            after = f"after input line {inputs[pointer - 1][0] + 1}" if pointer else "anywhere"
            violation = GoldViolation(number, wanted, f"gold line not found in the input {after}")
            return Alignment((), (violation,), len(gold), len(kept))
    truth = tuple(LineTruth(i, len(line), kept.get(i, 0)) for i, line in inputs)
    return Alignment(truth, (), len(gold), len(gold))


_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u2026": "...", "\u00a0": " ",
})


# Retyped gold drops list bullets and the space some sites put before a colon.
_BULLET = regex.compile(r"^(?:[-*\u2022\u00b7\u25aa\u25cf\u25e6]|\d{1,3}[.)])\s+")
_SPACE_BEFORE_PUNCT = regex.compile(r"\s+([:;,.!?])")


def fold(text: str) -> str:
    """Compare-only form: NFKC, case-folded, straight quotes, hyphens, single spaces, no bullet.

    >>> fold("- It\\u2019s  “Done” \\u2014 OK : yes")
    'it\\'s "done" - ok: yes'
    """
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(text.split()))
    return _BULLET.sub("", text)


def align_loose(normalized_input: str, normalized_gold: str) -> Alignment:
    """Label input lines content or residue by looking them up in gold that was retyped."""
    inputs = [(i, line) for i, line in enumerate(normalized_input.split("\n")) if line]
    gold = [fold(line) for line in normalized_gold.split("\n") if line]
    # A line the gold has once is content once: the title printed twice is one title and one
    # duplicate, whichever way the gold was typed.
    unused = Counter(gold)
    gold_text = "\n".join(gold)
    long_gold = [g for g in unused if len(g.split()) >= _LOOSE_MIN_WORDS]
    truth = []
    folded_inputs = []
    for index, line in inputs:
        key = fold(line)
        folded_inputs.append(key)
        if unused[key] > 0:
            unused[key] -= 1
            kept = len(line)
        elif key not in unused and len(key.split()) >= _LOOSE_MIN_WORDS and key in gold_text:
            kept = len(line)
        else:
            # A title with a suffix the gold dropped: the longest gold line inside it.
            inside = [g for g in long_gold if g != key and g in key]
            kept = min(len(line), max(map(len, inside))) if inside else 0
        truth.append(LineTruth(index, len(line), kept))
    input_set = set(folded_inputs)
    input_text = "\n".join(folded_inputs)
    aligned = sum(g in input_set or (len(g.split()) >= _LOOSE_MIN_WORDS and g in input_text) for g in gold)
    return Alignment(tuple(truth), (), len(gold), aligned)
