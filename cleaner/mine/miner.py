"""Propose site rules from many pages of one site: residue is what recurs across them.

Each page is normalised and split into non-blank lines; each line is reduced to its shape
(:mod:`cleaner.text.lineshape`: digits, dates, times and counts abstracted). A shape seen in at
least ``min_docs`` pages and ``min_share`` of them is *recurring*. Where it sits decides the
rule kind:

- ``tail``: a recurring line followed in its pages only by other recurring or short lines up to
  the end (a support box, a "Related Posts" list, share buttons, a footer);
- ``head``: recurring lines before the title (a section label, a breadcrumb);
- ``block``: a recurring start line and a recurring end line with short, varying lines between;
- ``line``: any other recurring line.

Nothing that looks like content becomes a pattern: long sentences, quotations, digit-only
lines, common article headings, and lines amid the prose on fewer than ``min_body_share`` of
the pages. Duplicate pages count once. Every proposal carries examples from the pages
(``match``) and real prose from near where it was seen (``no_match``), checked against the
compiled rule before it is returned.

>>> topics = ["apples", "boats", "clocks", "drums"]
>>> pages = [Page(t, f"On {t}\\n\\nThe story of the {t} is told here in one long sentence.\\n\\n{n} Comments")
...          for n, t in enumerate(topics, 2)]
>>> [(p.kind, p.pattern) for p in mine(pages, "example.com").proposals]
[('tail', '\\\\d[\\\\d.,]* Comments?')]
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from cleaner.core.model import Examples, Kind, Rule
from cleaner.kinds import Matcher, compile_rule
from cleaner.mine.options import MineOptions as MineOptions
from cleaner.text.lineshape import Shape, key_of, shape_of, slug_words
from cleaner.text.normalize import normalize_text
from cleaner.text.prose import ARTICLE_HEADING as ARTICLE_HEADING
from cleaner.text.prose import looks_like_content as looks_like_content

# Typographic quotes and dashes are spelled as escapes so that the source stays unambiguous.
TITLE_SEPARATOR = regex.compile(r"\s+[|\u2013\u2014\u2022\u00b7-]\s+")
TIMEOUT = 1.0
MIN_TAIL_POSITION = 0.3


@dataclass(frozen=True, slots=True)
class Page:
    """One page of the site: an id to cite it by, its text and, when known, its URL."""

    id: str
    text: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Seen:
    """One place a recurring line was seen: page, line index among non-blank lines, text."""

    doc: int
    index: int
    text: str


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposed rule and the evidence behind it."""

    id: str
    kind: Kind
    summary: str
    pattern: str
    options: tuple[tuple[str, object], ...]
    match: tuple[str, ...]
    no_match: tuple[str, ...]
    docs: int
    total: int
    where: str
    positions: str
    example_docs: tuple[str, ...]
    covers: tuple[str, ...] = ()

    @property
    def share(self) -> float:
        return self.docs / self.total if self.total else 0.0

    def support(self) -> str:
        """One line of evidence: ``7/8 pages (88%), tail at 0.80-0.95``."""
        return f"{self.docs}/{self.total} pages ({self.share:.0%}), {self.where} {self.positions}".rstrip()


@dataclass(frozen=True, slots=True)
class Rejected:
    """A recurring line that was not proposed, and why."""

    text: str
    docs: int
    reason: str


@dataclass(frozen=True, slots=True)
class MineResult:
    """What mining one site's pages found."""

    site: str
    documents: int
    names: tuple[str, ...]
    proposals: tuple[Proposal, ...]
    rejected: tuple[Rejected, ...]
    duplicates: int = 0


@dataclass(frozen=True, slots=True)
class _Doc:
    page: Page
    lines: tuple[str, ...]
    keys: tuple[str, ...]

    def position(self, index: int) -> float:
        # As the engine counts it: rank among non-blank lines, 0.0 first, 1.0 last.
        return index / (len(self.lines) - 1) if len(self.lines) > 1 else 0.0

    def words(self, start: int = 0) -> int:
        return sum(len(line.split()) for line in self.lines[start:])


def _share_ok(docs: int, total: int, options: MineOptions) -> bool:
    return docs >= options.min_docs and docs / total >= options.min_share


def _first_per_doc(seen: Sequence[Seen]) -> list[Seen]:
    out: dict[int, Seen] = {}
    for item in seen:
        out.setdefault(item.doc, item)
    return list(out.values())


class _Miner:
    """The working state of one mining run (kept private; ``mine`` is the pure entry point)."""

    def __init__(self, pages: Sequence[Page], site: str, options: MineOptions) -> None:
        self.site = site
        self.options = options
        self.docs: list[_Doc] = []
        texts: set[str] = set()
        self.duplicates = 0
        for page in pages:
            text = normalize_text(page.text)
            if text in texts:
                # A page listed twice would make its own title and prose look like residue.
                self.duplicates += 1
                continue
            texts.add(text)
            lines = tuple(line for line in text.split("\n") if line)
            self.docs.append(_Doc(page, lines, tuple(key_of(line) for line in lines)))
        self.total = len(self.docs)
        by_key: dict[str, list[Seen]] = defaultdict(list)
        for d, doc in enumerate(self.docs):
            for i, (line, key) in enumerate(zip(doc.lines, doc.keys, strict=True)):
                by_key[key].append(Seen(d, i, line))
        self.seen = {
            key: seen for key, seen in by_key.items() if _share_ok(len({s.doc for s in seen}), self.total, options)
        }
        self.shapes = {key: shape_of(seen[0].text) for key, seen in self.seen.items()}
        # Where each recurring line first and last sits on each page, for "is it above/below" checks.
        self.first_at: dict[str, dict[int, int]] = {}
        self.last_at: dict[str, dict[int, int]] = {}
        for key, seen in self.seen.items():
            self.first_at[key], self.last_at[key] = {}, {}
            for item in seen:
                self.first_at[key].setdefault(item.doc, item.index)
                self.last_at[key][item.doc] = item.index
        self.rejected: list[Rejected] = []
        self.usable: set[str] = set()
        for key, seen in self.seen.items():
            reason = self._unusable(key, seen)
            if reason:
                self.rejected.append(Rejected(seen[0].text, self._ndocs(key), reason))
            else:
                self.usable.add(key)
        self.titles = [self._title_index(doc) for doc in self.docs]
        self.prose = [self._prose_lines(doc) for doc in self.docs]
        self.tail_runs = [self._residue_run(doc) for doc in self.docs]
        self.taken: set[str] = set()
        self.proposals: list[Proposal] = []
        self.ids: set[str] = set()

    def _ndocs(self, key: str) -> int:
        return len(self.first_at[key])

    def _unusable(self, key: str, seen: list[Seen]) -> str | None:
        shape = self.shapes[key]
        if shape.letters < 2:
            return "no words, only digits or symbols"
        longest = max(seen, key=lambda s: len(s.text)).text
        if any(ARTICLE_HEADING.fullmatch(s.text) for s in seen):
            return "a common article heading"
        if len(longest) > self.options.max_chars:
            return f"longer than {self.options.max_chars} characters"
        return looks_like_content(longest, self.options.max_words)

    def _title_index(self, doc: _Doc) -> int:
        # The title is the first line that does not recur: everything above it is head residue.
        for i, key in enumerate(doc.keys):
            if key not in self.seen:
                return i
        return len(doc.lines)

    def _prose_lines(self, doc: _Doc) -> tuple[int, ...]:
        # Lines that read as the article's own sentences: they do not recur and are long.
        return tuple(
            i for i, (line, key) in enumerate(zip(doc.lines, doc.keys, strict=True))
            if key not in self.seen and looks_like_content(line, self.options.max_words)
        )

    def _short(self, line: str) -> bool:
        return len(line.split()) <= self.options.max_words and looks_like_content(line, self.options.max_words) is None

    # -- where a line sits ---------------------------------------------------------------

    def _residue_run(self, doc: _Doc) -> int:
        """Where the page's closing run of residue-like lines (recurring, or short) begins."""
        start = len(doc.lines)
        while start > 0 and (doc.keys[start - 1] in self.seen or self._short(doc.lines[start - 1])):
            start -= 1
        return start

    def _tail_ok(self, item: Seen) -> bool:
        # Everything after a tail marker must be residue-like.
        return item.index + 1 >= self.tail_runs[item.doc]

    def _tail_at(self, item: Seen) -> bool:
        # A tail starts past the first third of the page; earlier it would be a head or the whole page.
        return self._tail_ok(item) and self.docs[item.doc].position(item.index) >= MIN_TAIL_POSITION

    def _is_tail(self, key: str) -> bool:
        firsts = _first_per_doc(self.seen[key])
        good = [s for s in firsts if self._tail_at(s)]
        return len(good) >= self.options.consistency * len(firsts)

    def _is_head(self, key: str) -> bool:
        firsts = _first_per_doc(self.seen[key])
        good = [s for s in firsts if s.index < min(self.titles[s.doc], self.options.head_lines)]
        return len(good) >= self.options.consistency * len(firsts)

    # -- proposals -------------------------------------------------------------------------

    def run(self) -> MineResult:
        tails = [k for k in self.usable if self._is_tail(k)]
        heads = {k for k in self.usable if k not in tails and self._is_head(k)}
        self._propose_tails(tails)
        self._propose_heads(heads)
        self._propose_blocks()
        self._propose_lines()
        order = {"head": 0, "tail": 1, "block": 2, "line": 3}
        proposals = sorted(self.proposals, key=lambda p: (order.get(p.kind, 9), -p.docs, p.id))
        rejected = sorted(self.rejected, key=lambda r: (-r.docs, r.text))
        return MineResult(self.site, self.total, self._names(), tuple(proposals), tuple(rejected), self.duplicates)

    def _median_position(self, key: str) -> float:
        return statistics.median(self.docs[s.doc].position(s.index) for s in _first_per_doc(self.seen[key]))

    def _propose_tails(self, tails: list[str]) -> None:
        valid = {key: found for key in tails if (found := self._tail_options(key)) is not None}
        markers: list[str] = []
        covered: dict[str, list[str]] = defaultdict(list)
        for key in sorted(valid, key=lambda k: (self._median_position(k), k)):
            firsts = _first_per_doc(self.seen[key])
            # A line that always follows an earlier marker is already cut with it.
            owner = next((m for m in markers if all(self._before(m, s) for s in firsts)), None)
            if owner is not None:
                covered[owner].append(key)
                self.taken.add(key)
            else:
                markers.append(key)
        for key in markers:
            options, where = valid[key]
            self.taken.add(key)
            self._add("tail", key, options, "tail", where, covers=covered[key])

    def _tail_options(self, key: str) -> tuple[tuple[tuple[str, object], ...], str] | None:
        every = _first_per_doc(self.seen[key])
        firsts = [s for s in every if self._tail_at(s)]
        low = min(self.docs[s.doc].position(s.index) for s in firsts)
        high = max(self.docs[s.doc].position(s.index) for s in firsts)
        min_position = min(0.5, math.floor(low * 10) / 10)
        if any(not self._tail_ok(s) and self.docs[s.doc].position(s.index) >= min_position for s in every):
            # On some page the line is followed by prose: cutting there would lose content.
            return None
        cut = max(self.docs[s.doc].words(s.index) / max(self.docs[s.doc].words(), 1) for s in firsts)
        if cut > 0.6:
            reason = f"a tail here would cut {cut:.0%} of a page"
            self.rejected.append(Rejected(self.seen[key][0].text, self._ndocs(key), reason))
            return None
        options: list[tuple[str, object]] = [("min_position", min_position), ("max_chars", self._max_chars(key))]
        if cut > 0.5:
            options.append(("max_share", math.ceil(cut * 10) / 10))
        return tuple(options), f"at {low:.2f}-{high:.2f} of the page"

    def _before(self, marker: str, item: Seen) -> bool:
        # ``marker`` sits above ``item`` on item's page.
        first = self.first_at[marker].get(item.doc)
        return first is not None and first < item.index

    def _propose_heads(self, heads: set[str]) -> None:
        # The marker is the recurring line sitting last before the title; lines above it go with it.
        last_before_title: Counter[str] = Counter()
        for d, title in enumerate(self.titles):
            above = [k for k in self.docs[d].keys[: min(title, self.options.head_lines)] if k in heads]
            if above:
                last_before_title[above[-1]] += 1
        for key, count in last_before_title.most_common():
            if key in self.taken or not _share_ok(count, self.total, self.options):
                continue
            firsts = _first_per_doc(self.seen[key])
            above = sorted(heads - self.taken - {key}, key=lambda k: (self._median_position(k), k))
            covers = [k for k in above if all(self._after(key, s) for s in _first_per_doc(self.seen[k]))]
            top = max(s.index for s in firsts)
            options: tuple[tuple[str, object], ...] = (
                ("include_marker", True),
                ("within", top + 2),
                ("max_chars", self._max_chars(key)),
            )
            lowest = max(self.docs[s.doc].position(s.index) for s in firsts)
            if lowest > 0.3:
                # Short pages put the marker further down than the kind's default reach of 0.3.
                options += (("max_position", min(0.5, math.ceil(lowest * 10) / 10)),)
            self.taken.update([key, *covers])
            where = f"at line {self._lines_range(firsts)} before the title"
            self._add("head", key, options, "head", where, covers=covers)

    def _after(self, marker: str, item: Seen) -> bool:
        # ``marker`` sits below ``item`` on item's page.
        last = self.last_at[marker].get(item.doc)
        return last is not None and last > item.index

    def _propose_blocks(self) -> None:
        for start in sorted(self.usable - self.taken):
            if start in self.taken:
                continue
            ends: Counter[str] = Counter()
            spans: dict[str, list[tuple[Seen, int]]] = defaultdict(list)
            firsts = _first_per_doc(self.seen[start])
            for s in firsts:
                found = self._block_end(s)
                if found is not None:
                    ends[found[0]] += 1
                    spans[found[0]].append((s, found[1]))
            if not ends:
                continue
            end, count = ends.most_common(1)[0]
            if count < self.options.consistency * len(firsts) or not _share_ok(count, self.total, self.options):
                continue
            longest = max(stop - s.index + 1 for s, stop in spans[end])
            options: tuple[tuple[str, object], ...] = (
                ("end", self.shapes[end].pattern),
                ("max_lines", min(longest + 2, self.options.max_block_lines + 2)),
                ("max_chars", max(self._max_chars(start), self._max_chars(end))),
            )
            self.taken.update([start, end])
            where = f"start..end over up to {longest} lines, at {self._positions(firsts)}"
            self._add("block", start, options, "block", where, covers=[end])

    def _block_end(self, item: Seen) -> tuple[str, int] | None:
        # The next recurring line within reach, with at least one varying short line between.
        doc = self.docs[item.doc]
        varying = False
        for j in range(item.index + 1, min(len(doc.lines), item.index + self.options.max_block_lines)):
            key = doc.keys[j]
            if key in self.usable and key not in self.taken:
                return (key, j) if varying and key != doc.keys[item.index] else None
            if key in self.seen:
                continue
            if not self._short(doc.lines[j]):
                return None
            varying = True
        return None

    def _propose_lines(self) -> None:
        for key in sorted(self.usable - self.taken):
            seen = self.seen[key]
            options: list[tuple[str, object]] = [("max_chars", self._max_chars(key))]
            from_end = [len(self.docs[s.doc].lines) - 1 - s.index for s in seen]
            # Above the first sentence of the article, or below its last one, on every page.
            if all(not self.prose[s.doc] or s.index < self.prose[s.doc][0] for s in seen):
                options[:0] = [("where", "first"), ("within", max(s.index for s in seen) + 3)]
                where = "top"
            elif all(not self.prose[s.doc] or s.index > self.prose[s.doc][-1] for s in seen):
                options[:0] = [("where", "last"), ("within", max(from_end) + 3)]
                where = "end"
            else:
                where = "body"
                share = self._ndocs(key) / self.total
                if share < self.options.min_body_share:
                    need = self.options.min_body_share
                    reason = f"amid the prose on {share:.0%} of pages (lines there need {need:.0%})"
                    self.rejected.append(Rejected(seen[0].text, self._ndocs(key), reason))
                    continue
            self.taken.add(key)
            self._add("line", key, tuple(options), where, f"at {self._positions(_first_per_doc(seen))}")

    # -- building one proposal ------------------------------------------------------------

    def _max_chars(self, key: str) -> int:
        longest = max(len(s.text) for s in self.seen[key])
        return max(40, math.ceil((longest + 20) / 10) * 10)

    def _positions(self, seen: Sequence[Seen]) -> str:
        values = sorted(self.docs[s.doc].position(s.index) for s in seen)
        if values[0] == values[-1]:
            return f"{values[0]:.2f} of the page"
        return f"{values[0]:.2f}-{values[-1]:.2f} of the page"

    def _lines_range(self, seen: Sequence[Seen]) -> str:
        lo, hi = min(s.index for s in seen) + 1, max(s.index for s in seen) + 1
        return str(lo) if lo == hi else f"{lo}-{hi}"

    def _add(
        self, kind: Kind, key: str, options: tuple[tuple[str, object], ...], where: str, positions: str,
        covers: Sequence[str] = (),
    ) -> None:
        shape = self.shapes[key]
        seen = self.seen[key]
        rule_id = self._unique_id(shape)
        examples = self._match_examples(seen)
        probe = Rule(rule_id, self.site, kind, "", shape.pattern, options, Examples(examples, ()), "preview")
        matcher = compile_rule(probe, ())
        if not all(matcher.matches_line(line, TIMEOUT) for line in examples):
            self.rejected.append(Rejected(seen[0].text, self._ndocs(key), "its pattern does not match its own lines"))
            self.ids.discard(rule_id)
            return
        no_match = self._prose_near(seen, matcher)
        if not no_match:
            reason = "no prose line on its pages to check it against"
            self.rejected.append(Rejected(seen[0].text, self._ndocs(key), reason))
            self.ids.discard(rule_id)
            return
        docs = sorted({s.doc for s in seen})
        self.proposals.append(
            Proposal(
                id=rule_id,
                kind=kind,
                summary=_summary(kind, examples[0], options),
                pattern=shape.pattern,
                options=options,
                match=examples,
                no_match=no_match,
                docs=len(docs),
                total=self.total,
                where=where,
                positions=positions,
                example_docs=tuple(self.docs[d].page.id for d in docs[:3]),
                covers=tuple(self.seen[k][0].text for k in covers),
            )
        )

    def _unique_id(self, shape: Shape) -> str:
        base = "-".join(slug_words(shape.literal)) or "recurring-line"
        rule_id, n = base, 2
        while rule_id in self.ids:
            rule_id, n = f"{base}-{n}", n + 1
        self.ids.add(rule_id)
        return rule_id

    @staticmethod
    def _match_examples(seen: Sequence[Seen]) -> tuple[str, ...]:
        distinct = list(dict.fromkeys(s.text for s in seen))
        return tuple(distinct[:3])

    def _prose_near(self, seen: Sequence[Seen], matcher: Matcher) -> tuple[str, ...]:
        """Real prose from the pages, nearest to where the line was seen, that the rule leaves alone."""
        out: list[str] = []
        for s in _first_per_doc(seen):
            doc = self.docs[s.doc]
            # Sentences of the article first, nearest first; then any other long, varying line.
            prose = set(self.prose[s.doc])
            order = sorted(range(len(doc.lines)), key=lambda j: (j not in prose, abs(j - s.index), j))
            for j in order:
                line = doc.lines[j]
                if doc.keys[j] in self.seen or len(line.split()) < 6 or line in out:
                    continue
                if matcher.matches_line(line, TIMEOUT):
                    continue
                out.append(line)
                break
            if len(out) == 2:
                break
        return tuple(out)

    def _names(self) -> tuple[str, ...]:
        """Display names guessed from what recurs after the title ("Headline | Site Name")."""
        suffixes: Counter[str] = Counter()
        for d, doc in enumerate(self.docs):
            title = self.titles[d]
            if title >= len(doc.lines):
                continue
            parts = TITLE_SEPARATOR.split(doc.lines[title])
            if len(parts) > 1 and 0 < len(parts[-1]) <= 40:
                suffixes[parts[-1].strip()] += 1
        return tuple(name for name, count in suffixes.most_common() if _share_ok(count, self.total, self.options))


def _summary(kind: Kind, example: str, options: tuple[tuple[str, object], ...]) -> str:
    shown = example if len(example) <= 60 else example[:57] + "..."
    if kind == "tail":
        return f'The recurring "{shown}" line near the end of the page and everything after it'
    if kind == "head":
        return f'Recurring lines above the title, through "{shown}"'
    if kind == "block":
        return f'A recurring block from "{shown}" through its closing line'
    return f'The recurring "{shown}" line'


def mine(pages: Sequence[Page], site: str, options: MineOptions | None = None) -> MineResult:
    """Find what recurs across ``pages`` of ``site`` and propose preview rules for it."""
    return _Miner(pages, site, options or MineOptions()).run()
