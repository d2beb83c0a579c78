"""Built-in line facts: what a signal can test besides a keyword pattern.

Facts are computed over the lines a cleaning still keeps (non-blank, in order), so that
cleaning the output again sees the same facts for the lines it keeps: "the last line", "after
the last prose paragraph" and "next to a short line" are measured on the cleaned view, as the
decisive rules' positions are.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

# Each fact a signal file may name in ``test:``, with the one line the rule docs show.
FACTS: dict[str, str] = {
    "very-short": "the line has at most 2 words",
    "short": "the line has 3 to 6 words",
    "medium": "the line has 7 to 12 words",
    "long": "the line has 26 words or more",
    "no-sentence-end": "the line does not end like a sentence (. ! ? with closing quotes)",
    "colon-end": "the line ends with a colon",
    "title-case": "most words (70%+) of a line of 2+ words start with a capital",
    "all-caps": "the line's letters are all capitals",
    "url": "the line holds a URL or a bare domain with a path",
    "handle": "the line holds an @handle",
    "email": "the line holds an e-mail address",
    "separators": "the line holds | · or • between words",
    "counter": "the line is a counter such as 3/12 or 2 of 5",
    "no-letters": "the line has no letter at all",
    "list-item": "the line starts with a list marker (- • * – or a number and a dot)",
    "quoted": "the line holds a double quotation mark (lines of 40 words or fewer)",
    "first-line": "the first kept line",
    "last-line": "the last kept line",
    "head": "one of the first three kept lines",
    "tail": "one of the last three kept lines",
    "before-prose": "before the first prose paragraph (15+ words ending like a sentence)",
    "after-prose": "after the last prose paragraph",
    "prev-none": "no kept line before (the first line)",
    "next-none": "no kept line after (the last line)",
    "prev-short": "the kept line before has at most 6 words",
    "next-short": "the kept line after has at most 6 words",
    "prev-prose": "the kept line before is a prose paragraph",
    "next-prose": "the kept line after is a prose paragraph",
    "in-short-run": "a line of at most 8 words among 3+ such lines within two lines either side",
    "repeated-in-document": "a line of 7+ words (case aside) appears again in the document",
    "repeated-short-line": "a line of at most 6 words (case aside) appears again in the document",
    "repeated-earlier": "the same line (case aside) appeared earlier in the document",
    "inside-another-line": "a line of 6 to 60 words whose text (case aside) is part of a longer line (a pull quote)",
    "site-recurs-most": "with a crawl learned (--learn): the line's shape is on half or more of its site's pages",
    "site-recurs": "with a crawl learned: the line's shape is on 10% to half of its site's pages",
    "site-prefix-recurs": (
        "with a crawl learned: short lines starting as this one does (up to a colon, or its first two words) "
        "are on 20%+ of its site's pages, the line itself on fewer than 10%"
    ),
}
# The facts that come from the crawl a cleaner learned (cleaner.engine.learn), not from the
# document: the caller gives them (see Judge.fired). Lines that read as prose are never counted
# by the learning, so a plain prose line never has one.
SITE_FACTS = frozenset({"site-recurs-most", "site-recurs", "site-prefix-recurs"})

_CLOSERS = "\"”’')]"


def _ends_sentence(line: str) -> bool:
    r"""The line ends with . ! or ?, closing quotes and brackets aside (a search for
    ``[.!?]["”’')\]]*$`` would scan the whole line)."""
    return line.rstrip(_CLOSERS)[-1:] in (".", "!", "?")


_URL = re.compile(r"https?://|www\.\w|\b\w+\.(?:com|org|net|ly|co)\b/")
_HANDLE = re.compile(r"(?<!\w)@\w{2,}")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_SEPARATORS = re.compile(r"\s[|·•](?:\s|$)")
_LIST_ITEM = re.compile(r"(?:[-•*–]|\d{1,2}[.)])\s")
_COUNTER = re.compile(r"^\W*\d{1,3}\s*(?:/|of)\s*\d{1,3}\W*$")

PROSE_WORDS = 15
SHORT_RUN_WORDS = 8
PULL_QUOTE_WORDS = 60
# Characters scanned for pull quotes per document at most (candidate lines x document length):
# 20 M is a few milliseconds, and far more than any article needs (200 lines x 100 KB).
PULL_QUOTE_BUDGET = 20_000_000


def word_count(line: str) -> int:
    """Words as the facts count them: spaces plus one (lines are stripped and normalised, so
    this is the whitespace-separated count but for runs of spaces, and far cheaper)."""
    return line.count(" ") + 1 if line else 0


# Past this many words a line is prose-sized: its costly facts are not looked for (they serve
# short lines, and scanning long ones for them would cost most of the evidence pass).
SHAPE_WORDS = 40
# The facts read off the line's own characters with regexes: the judge computes them last, and
# only for a line that could reach the threshold with them (see Judge).
COSTLY_FACTS = frozenset(
    {"url", "email", "handle", "separators", "counter", "no-letters", "all-caps", "title-case", "quoted", "list-item"}
)
# Of those, the ones a line can only have when it holds "@" or a link (Outline.link).
LINK_FACTS = frozenset({"url", "email", "handle"})


def costly_facts(line: str, words: int) -> set[str]:
    """The costly facts of one line (none past SHAPE_WORDS words)."""
    facts: set[str] = set()
    if words > SHAPE_WORDS:
        return facts
    if _URL.search(line):
        facts.add("url")
    if "@" in line:
        if _EMAIL.search(line):
            facts.add("email")
        if _HANDLE.search(line):
            facts.add("handle")
    if _SEPARATORS.search(line):
        facts.add("separators")
    if _COUNTER.match(line):
        facts.add("counter")
    has_letters = any(c.isalpha() for c in line)
    if not has_letters:
        facts.add("no-letters")
    elif line.upper() == line:
        facts.add("all-caps")
    if words >= 2:
        capitals = sum(1 for word in line.split(" ") if word[:1].isupper())
        if capitals / words >= 0.7:
            facts.add("title-case")
    if '"' in line or "“" in line or "”" in line:
        facts.add("quoted")
    if _LIST_ITEM.match(line):
        facts.add("list-item")
    return facts


# Facts a plain prose line can have (a line of 15+ words ending like a sentence, with no "@"
# and no link in it): the judge skips such a line when even all of them together, with the
# bias, cannot reach the threshold (most lines of a text are plain prose).
PLAIN_PROSE_FACTS = frozenset(
    {
        "long",
        "quoted",
        "separators",
        "all-caps",
        "title-case",
        "first-line",
        "last-line",
        "head",
        "tail",
        "prev-none",
        "next-none",
        "prev-short",
        "next-short",
        "prev-prose",
        "next-prose",
        "repeated-in-document",
        "repeated-earlier",
        "inside-another-line",
    }
)
_LINK_HINT = re.compile(r"@|://|www\.|\.(?:com|org|net|ly|co)/")


@dataclass(frozen=True, slots=True)
class Outline:
    """What every line's facts depend on beyond its own text, computed once per document."""

    words: tuple[int, ...]
    ends: tuple[bool, ...]
    prose: tuple[bool, ...]
    link: tuple[bool, ...]

    def plain(self, i: int) -> bool:
        """Line ``i`` is plain prose (see PLAIN_PROSE_FACTS)."""
        return self.prose[i] and not self.link[i]


def outline(lines: Sequence[str]) -> Outline:
    """Word counts, sentence ends, which lines are prose and which hold "@" or a link."""
    words = tuple(word_count(line) for line in lines)
    ends = tuple(_ends_sentence(line) for line in lines)
    prose = tuple(w >= PROSE_WORDS and e for w, e in zip(words, ends, strict=True))
    link = tuple(_LINK_HINT.search(line) is not None for line in lines)
    return Outline(words, ends, prose, link)


def cheap_facts(
    lines: Sequence[str], only: Collection[int] | None = None, shape: Outline | None = None
) -> dict[int, set[str]]:
    """The facts of lines (all, or ``only``) that need no regex over the line: length, sentence
    end, position, neighbours, repetition."""
    count = len(lines)
    shape = shape or outline(lines)
    words, ends, is_prose = shape.words, shape.ends, shape.prose
    prose = [i for i in range(count) if is_prose[i]]
    first_prose = prose[0] if prose else None
    last_prose = prose[-1] if prose else None
    keys = [line.casefold() for line in lines]
    seen = Counter(keys)
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        first.setdefault(key, i)
    joined = "\n".join(keys)
    # Looking for pull quotes scans the document once per candidate line: bounded, so that a
    # hostile document of many thousands of lines cannot make it quadratic (the fact is then
    # not looked for at all, for every line alike).
    candidates = sum(1 for n in words if 6 <= n <= PULL_QUOTE_WORDS)
    look_for_quotes = candidates * len(joined) <= PULL_QUOTE_BUDGET
    runnable = [words[i] <= SHORT_RUN_WORDS and not ends[i] for i in range(count)]
    out: dict[int, set[str]] = {}
    for i in range(count) if only is None else sorted(only):
        facts: set[str] = set()
        n = words[i]
        if n <= 2:
            facts.add("very-short")
        elif n <= 6:
            facts.add("short")
        elif n <= 12:
            facts.add("medium")
        elif n >= 26:
            facts.add("long")
        if not ends[i]:
            facts.add("no-sentence-end")
            if lines[i].endswith(":"):
                facts.add("colon-end")
        if i == 0:
            facts.add("first-line")
        if i == count - 1:
            facts.add("last-line")
        if i < 3:
            facts.add("head")
        if i >= count - 3:
            facts.add("tail")
        if first_prose is not None and i < first_prose:
            facts.add("before-prose")
        if last_prose is not None and i > last_prose:
            facts.add("after-prose")
        for name, j in (("prev", i - 1), ("next", i + 1)):
            if not 0 <= j < count:
                facts.add(f"{name}-none")
                continue
            if words[j] <= 6:
                facts.add(f"{name}-short")
            if is_prose[j]:
                facts.add(f"{name}-prose")
        if runnable[i] and sum(runnable[max(0, i - 2) : i + 3]) >= 3:
            facts.add("in-short-run")
        if seen[keys[i]] > 1:
            # Split by length: a repeated label ("Advertisement") and a repeated subheading
            # ("Pros", "Cons") look alike; a repeated paragraph is another matter.
            facts.add("repeated-in-document" if n > 6 else "repeated-short-line")
            if first[keys[i]] < i:
                facts.add("repeated-earlier")
        # Keys hold no newline, so every occurrence in ``joined`` lies inside one line: more
        # occurrences than copies of the line itself means a longer line holds it.
        if look_for_quotes and 6 <= n <= PULL_QUOTE_WORDS and joined.count(keys[i]) > seen[keys[i]]:
            facts.add("inside-another-line")
        out[i] = facts
    return out


def line_facts(
    lines: Sequence[str], only: Collection[int] | None = None, shape: Outline | None = None
) -> dict[int, frozenset[str]]:
    """Every fact of each line of ``lines`` (the kept non-blank lines, stripped, in order), or
    of the lines ``only`` names.

    >>> sorted(line_facts(["Advertisement", "A story of twenty words " * 4 + "ends."])[0])
    ['first-line', 'head', 'next-prose', 'no-sentence-end', 'prev-none', 'very-short']
    """
    shape = shape or outline(lines)
    cheap = cheap_facts(lines, only, shape)
    return {i: frozenset(facts | costly_facts(lines[i], shape.words[i])) for i, facts in cheap.items()}
