"""The ``run`` kind: a run of short, list-like lines, found by shape rather than by keyword.

Related-links lists, tag clouds and menu residue share no vocabulary across sites, but they
share a shape: several short lines in a row, without sentence punctuation, at the end (or the
head) of a document. A ``run`` rule states that shape as typed conditions in YAML:

    kind: run
    pattern: '(?i)related articles\\W*'   # optional heading that opens the run
    position: tail                        # tail | head | any
    max_chars: 120                        # every line of the run at most this long
    max_words: 14                         # ... and at most this many words
    min_lines: 3                          # at least this many lines (the heading not counted)
    no_sentence_end: true                 # no line ends like a sentence (. ! ? ;)
    min_position: 0.5                     # the run starts past this share of the document
    max_share: 0.3                        # never more than this share of the words
    same_marker: true                     # every line opens with the first one's list marker

It runs after the ``line`` stage (model.STAGE_ORDER), so share prompts and labels that line
rules removed no longer break up a list, and a tail run reaches the true end of the text.
"""

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
    fraction,
    int_setting,
    max_chars_option,
    non_negative,
    opt,
    opt_float,
    pattern_option,
    positive,
)
from cleaner.match.lazy import LazyPattern, compile_pattern
from cleaner.text.document import DocState, words

if TYPE_CHECKING:
    import regex

    Pattern = regex.Pattern[str]


# Compiled on first use, as rule patterns are: importing this module does not load regex.
# A sentence ends in . ! ? ; or … possibly followed by closing quotes or brackets. A colon is
# not an end: "Read more:" headings are list-like. An ellipsis after a cut-off teaser is kept
# list-like too, since related lists often truncate headlines with "...".
SENTENCE_END_RE = LazyPattern(r"(?<!\.\.)[.!?;]['\"\u2019\u201d»)\]]*$", None)
# The list marker a line opens with: a bullet, a number, or none.
MARKER_RE = LazyPattern(r"([-*•·\u2013\u2014]|\d{1,3}[.)])\s", None)


def marker(line: str) -> str:
    """``"bullet"``, ``"number"`` or ``""``: the kind of list marker ``line`` opens with."""
    found = MARKER_RE.match(line.strip())
    if found is None:
        return ""
    return "number" if found.group(1)[0].isdigit() else "bullet"


OPTIONS: Options = {
    "pattern": pattern_option("optional heading line that opens the run (fully matched)", required=False),
    "position": Option(
        str, "tail", choice("tail", "head", "any"), doc="where the run sits: ends the text, opens it, or anywhere"
    ),
    "max_chars": max_chars_option(120, "every line of the run (and the heading) is at most this long"),
    "max_words": Option(int, 1000, positive, doc="every line of the run has at most this many words"),
    "min_lines": Option(int, 3, non_negative, doc="at least this many lines, the heading not counted"),
    "max_lines": Option(int, 40, positive, doc="at most this many lines, the heading not counted"),
    "no_sentence_end": Option(bool, False, doc="no line of the run ends like a sentence (. ! ? ;)"),
    "min_position": Option((int, float), 0.0, fraction, doc="the run starts past this share of the text"),
    "max_position": Option((int, float), 1.0, fraction, doc="the run ends before this share of the text"),
    "max_share": Option((int, float), 0.3, fraction, doc="never more than this share of the words"),
    "same_marker": Option(bool, False, doc="every line opens with the first line's list marker"),
}


class RunMatcher(RuleMatcher["Pattern | None"]):
    """``run``: drop a run of short list-like lines (with an optional heading) by its shape."""

    # Positions, windows or other lines decide its verdict: every pass shows it every line.
    context_free = False

    __slots__ = ()

    def is_run_line(self, line: str) -> bool:
        """Whether one line has the shape the rule's run is made of."""
        line = line.strip()
        if not line or len(line) > int_setting(self.rule, OPTIONS, "max_chars"):
            return False
        if words(line) > int_setting(self.rule, OPTIONS, "max_words"):
            return False
        return not (opt(self.rule, OPTIONS, "no_sentence_end") is True and SENTENCE_END_RE.search(line))

    def is_heading(self, line: str, timeout: float) -> bool:
        # A heading is no longer than the run's lines may be: a longer line is prose, and the
        # bound lets the prefilter skip long lines for this rule as for line rules.
        line = line.strip()
        if self.regex is None or not line or len(line) > int_setting(self.rule, OPTIONS, "max_chars"):
            return False
        return self.regex.fullmatch(line, timeout=timeout) is not None

    def matches_line(self, line: str, timeout: float) -> bool:
        # With a heading the examples are headings; without one they are lines of the run.
        if self.regex is not None:
            return self.is_heading(line, timeout)
        return self.is_run_line(line)

    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        live = doc.live()
        if not live:
            return []
        position = opt(self.rule, OPTIONS, "position")
        starts = self._starts(doc, live, timeout, position, maybe)
        out: list[Removal] = []
        taken = -1
        for k in starts:
            if k <= taken:
                continue
            found = self._run_from(doc, live, k, position)
            if found is not None:
                first, last = found
                out.append(Removal(self.rule.qualified_id, live[first], live[last] + 1,
                                   "\n".join(doc.lines[live[first] : live[last] + 1])))
                taken = last
                if position != "any":
                    break
        return out

    def _starts(
        self, doc: DocState, live: list[int], timeout: float, position: object, maybe: Set[int] | None
    ) -> list[int]:
        """Indices into ``live`` where a run may start (``maybe``: the only lines a heading may be)."""
        if self.regex is not None:
            return [
                k
                for k, i in enumerate(live)
                if (maybe is None or i in maybe) and self.is_heading(doc.lines[i], doc.time_left(timeout))
            ]
        if position == "head":
            return [0]
        if position == "tail":
            # The longest run of run lines that reaches the last line.
            k = len(live)
            while k > 0 and self.is_run_line(doc.lines[live[k - 1]]):
                k -= 1
            return [k] if k < len(live) else []
        return list(range(len(live)))

    def _run_from(self, doc: DocState, live: list[int], k: int, position: object) -> tuple[int, int] | None:
        """The run starting at live[k] as (first, last) indices into ``live``, or None."""
        heading = 1 if self.regex is not None else 0
        max_lines = int_setting(self.rule, OPTIONS, "max_lines")
        last = k + heading - 1
        # A list keeps its marker: "- a", "- b", then "Further link" is where the list ended.
        style = marker(doc.lines[live[k + heading]]) if k + heading < len(live) else ""
        same = opt(self.rule, OPTIONS, "same_marker") is True
        while (
            last + 1 < len(live)
            and last + 1 - k - heading < max_lines
            and self.is_run_line(doc.lines[live[last + 1]])
            and not (same and marker(doc.lines[live[last + 1]]) != style)
        ):
            last += 1
        count = last - k - heading + 1
        if count < int_setting(self.rule, OPTIONS, "min_lines"):
            return None
        if position == "tail" and last != len(live) - 1:
            return None
        if position == "head" and k != 0:
            return None
        if doc.position(live[k]) < opt_float(self.rule, OPTIONS, "min_position"):
            return None
        if doc.position(live[last]) > opt_float(self.rule, OPTIONS, "max_position"):
            return None
        total = sum(words(doc.lines[i]) for i in live) or 1
        cut = sum(words(doc.lines[i]) for i in live[k : last + 1])
        # A run holding much of the document is more likely its content (a list article).
        if cut / total > opt_float(self.rule, OPTIONS, "max_share"):
            return None
        # Something must remain: a document that is nothing but a short list is not residue.
        if k == 0 and last == len(live) - 1:
            return None
        return k, last


def _build(rule: Rule, site_names: Sequence[str]) -> RunMatcher:
    pattern = compile_pattern(rule.pattern, site_names, lazy=True) if rule.pattern else None
    return RunMatcher(rule, pattern)


# A rule with a heading pattern starts only at a line the pattern fully matches, within its
# max_chars; one without a pattern always runs (the gate passes rules with no pattern).
SPEC = KindSpec("run", "a run of short list-like lines (optionally under a heading `pattern`)", OPTIONS, "line", _build)
