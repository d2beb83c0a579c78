"""Learn each site's furniture from the crawl being cleaned: what recurs across its pages.

A first pass reads every page once and counts, per site (the URL's registered domain), the
distinct pages each line *shape* appears on (:mod:`cleaner.text.lineshape`: numbers, dates and
counts abstracted) and the zone it sits in: above the article's first sentence (``head``),
below its last (``tail``) or between its paragraphs (``body``); and likewise the words a line
starts with, for lines that recur only by them ("toggle caption <a credit>", "Related: <a
headline>"), unless those words also start sentences of the article. From the counts come learned
site rules, ``learned/<site>/<id>``, that the engine applies like any site pack's rules, and
per line the share of the site's pages carrying its shape (:meth:`Learned.share`, a signal
for weighed evidence).

What is never learned (content must survive):

- lines that read as the article's own text: sentences of more than ``max_words`` words,
  quotations, lines longer than ``max_chars``, common article headings ("Conclusion");
- lines that sit in different zones on different pages (a rule only acts in its zone);
- a series' fixed phrases ("Here are your must-reads:", the subheadings every issue of a
  column has): lines that end with a colon and introduce the article's next sentence, lines
  next to article text on fewer than ``min_amid_share`` of the pages, other lines between
  paragraphs or reading as a sentence on fewer than ``min_body_share``;
- pages whose body was already seen on the site (syndicated or re-published copies): recurrence
  counts distinct documents whose bodies differ.

Memory is bounded whatever the crawl size (:class:`LearnOptions`): at most
``max_shapes_per_site`` shapes per site and ``max_shapes`` in all. When a table is full its
least-seen shapes go (a Misra-Gries summary: every count is lowered by the same amount and
those at zero dropped), so a count is never too high, only possibly too low, by at most the
site's ``lowered`` figure; seen-body fingerprints live in a fixed-size Bloom filter.

>>> pages = [(f"On {w}s\\n\\nThe {w} story is told here in one sentence that is long enough to read.\\n\\n"
...           f"Advertisement\\n\\nAnother paragraph about the {w}, which is also long enough to be read as prose."
...           "\\n\\nShare this:",
...           f"https://www.example.com/{n}") for n, w in enumerate("apple boat clock drum egg fig gum hat".split())]
>>> learned = learn(pages)
>>> sorted(rule.qualified_id for rule in learned.rules)
['learned/example.com/advertisement', 'learned/example.com/share-this']
>>> learned.share("example.com", "Share this:")
1.0
"""

from __future__ import annotations

import gzip
import json
import math
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from hashlib import blake2b
from pathlib import Path
from typing import Any

import regex

from cleaner.core.errors import InputError
from cleaner.core.model import Examples, Rule, SitePack
from cleaner.engine.ruleset import RuleSet
from cleaner.kinds import Matcher, compile_rule
from cleaner.rules.loader import LoadedRules, as_learned
from cleaner.text.hosts import host_of
from cleaner.text.lineshape import key_of, shape_of, slug_words
from cleaner.text.normalize import normalize_text
from cleaner.text.prose import ARTICLE_HEADING, SENTENCE_END, looks_like_content

# Learned rules live in packs named ``learned/<site>``: their removals read
# ``learned/<site>/<id>``, apart from any hand-written pack of the same site.
LEARNED = "learned/"
FORMAT = 1

# Second-level labels under which registrations happen one level down ("bbc.co.uk").
_SECOND_LEVEL = frozenset(
    ["co", "com", "net", "org", "gov", "gob", "edu", "ac", "ltd", "plc", "sch", "nic", "mil", "info", "nhs",
     "police", "gen", "web", "firm", "biz", "ne", "or", "go"]
)


def registered_domain(url_or_host: str) -> str:
    """The registered domain of a URL or host: ``chicago.suntimes.com`` -> ``suntimes.com``.

    Two labels, or three under a country's second-level label (``dailymail.co.uk``). A
    compact rule instead of the Public Suffix List: pass ``site=`` where it is wrong.

    >>> registered_domain("https://www.dailymail.co.uk/news/article-1.html")
    'dailymail.co.uk'
    >>> registered_domain("https://chicago.suntimes.com/2020/4/15/x")
    'suntimes.com'
    """
    host = host_of(url_or_host)
    labels = host.split(".")
    if len(labels) <= 2:
        return host
    if len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


@dataclass(frozen=True, slots=True)
class LearnOptions:
    """How much evidence a learned rule needs, and the memory ceiling of the counts."""

    # A site needs this many distinct pages before anything is learned from it.
    min_pages: int = 8
    # A shape must be on at least this many distinct pages of the site ...
    min_docs: int = 4
    # ... and on at least this share of them.
    min_share: float = 0.1
    # Between paragraphs, or reading as a sentence, a line must recur on this share of pages
    # (a topical, series or columnist's line recurs on a few pages of a site; template
    # residue such as "Story continues below" on most) ...
    min_body_share: float = 0.5
    # ... and next to article text, on this share: a series' fixed phrase (a subheading every
    # issue of a column has) sits there too, on the series' pages; template furniture such as
    # "Story continues below" on nearly every page.
    min_amid_share: float = 0.8
    # Of the pages a shape is on, the share where it sits in the same zone.
    consistency: float = 0.8
    # A line of more words than this ending like a sentence reads as content.
    max_words: int = 12
    # Longer lines are never learned (and count as prose for zones).
    max_chars: int = 200
    # The ceiling: shapes counted per site, and in all. A full table drops its least-seen shapes.
    max_shapes_per_site: int = 4000
    max_shapes: int = 200_000
    # Bits in the Bloom filter of seen bodies (2**25 bits: 4 MiB). A false "seen" only makes
    # a page count as a copy: about 1 page in a million after 100,000 pages of a crawl, 1 in
    # 1,600 after a million.
    bloom_bits: int = 1 << 25


# One shape's counts: pages, pages per zone, pages where it introduces prose, pages where
# prose is next to it, farthest distance from the page edge of its zone, pages where (for a
# prefix) it starts a line of prose, example lines.
_DOCS, _HEAD, _BODY, _TAIL, _INTRO, _AMID, _REACH_HEAD, _REACH_TAIL, _PROSE, _EXAMPLES = range(10)
Entry = list[Any]
MAX_EXAMPLES = 3
MAX_PROSE = 8
# Keys of prefixes ("toggle caption ...", "Related Coverage ...") in the shape tables.
PREFIX = "\x01"
_PREFIX_COLON = re.compile(r"\S+(?: \S+){0,3}?:(?= )")
_TWO_WORDS = re.compile(r"\S+ \S+(?= \S)")
_LETTERS = re.compile(r"[^\W\d_]{2}")
_DIGIT = re.compile(r"\d")


def _prefix(line: str) -> str | None:
    """The words a line starts with, when the rest may vary: up to a colon, or two words.

    >>> _prefix("toggle caption Mark Lennihan/AP"), _prefix("Related: Ending the deduction"), _prefix("Advertisement")
    ('toggle caption', 'Related:', None)
    """
    found = _PREFIX_COLON.match(line)
    if found is None or len(found.group()) > 30:
        found = _TWO_WORDS.match(line)
        if found is None:
            return None
    start = found.group()
    if len(start) >= len(line) - 2 or _DIGIT.search(start) or not _LETTERS.search(start):
        return None
    return start


@dataclass(slots=True)
class SiteCounts:
    """The counts of one site while learning (mutable; see :class:`Learner`)."""

    pages: int = 0
    copies: int = 0
    # How much every count may be too low by: the sum of the amounts tables were lowered by.
    lowered: int = 0
    shapes: dict[str, Entry] = field(default_factory=dict)
    # A few prose lines of the site: the ``no_match`` examples of its rules.
    prose: list[str] = field(default_factory=list)

    def prune(self, keep: int) -> None:
        """Lower every count by the (keep+1)-th largest and drop those at zero (Misra-Gries)."""
        if len(self.shapes) <= keep:
            return
        counts = sorted((entry[_DOCS] for entry in self.shapes.values()), reverse=True)
        cut = counts[keep]
        self.lowered += cut
        kept = {}
        for key, entry in self.shapes.items():
            if entry[_DOCS] > cut:
                entry[_DOCS] -= cut
                kept[key] = entry
        self.shapes = kept

    def to_json(self) -> dict[str, Any]:
        return {"pages": self.pages, "copies": self.copies, "lowered": self.lowered, "prose": self.prose,
                "shapes": self.shapes}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SiteCounts:
        return cls(int(data["pages"]), int(data["copies"]), int(data["lowered"]),
                   {str(k): list(v) for k, v in data["shapes"].items()}, [str(p) for p in data["prose"]])


def _reads_as_prose(line: str, max_words: int, max_chars: int) -> bool:
    """Long lines, sentences and quotations: the article's own text, never learned."""
    return len(line) > max_chars or looks_like_content(line, max_words) is not None


class Learner:
    """Counts line shapes per site, page by page, in bounded memory; mergeable.

    >>> learner = Learner()
    >>> learner.add("Title\\n\\nA first sentence of the article, long enough to be read as prose.", url="https://a.org/1")
    >>> learner.sites["a.org"].pages
    1
    """

    def __init__(self, options: LearnOptions | None = None) -> None:
        self.options = options or LearnOptions()
        self.sites: dict[str, SiteCounts] = {}
        self.unsited = 0
        self._bloom = bytearray(self.options.bloom_bits // 8)
        self._total = 0

    def add(self, text: str, *, url: str | None = None, site: str | None = None) -> None:
        """Count one page; ``site`` overrides the registered domain of ``url``."""
        name = site or (registered_domain(url) if url else "")
        if not name:
            self.unsited += 1
            return
        options = self.options
        lines = [line for line in normalize_text(text).split("\n") if line]
        prose = [_reads_as_prose(line, options.max_words, options.max_chars) for line in lines]
        counts = self.sites.get(name)
        if counts is None:
            counts = self.sites[name] = SiteCounts()
        if self._seen_body(name, lines, prose):
            counts.copies += 1
            return
        counts.pages += 1
        first = prose.index(True) if True in prose else len(lines)
        last = len(prose) - 1 - prose[::-1].index(True) if True in prose else -1
        seen: set[str] = set()
        for i, line in enumerate(lines):
            start = _prefix(line)
            if prose[i]:
                if len(counts.prose) < MAX_PROSE and len(line.split()) >= 6 and len(line) <= 400:
                    counts.prose.append(line)
                # A prefix that also starts the article's sentences is not furniture.
                if start is not None and (found := counts.shapes.get(PREFIX + start)) and "\x02" + start not in seen:
                    seen.add("\x02" + start)
                    found[_PROSE] += 1
                continue
            self._count(counts, seen, key_of(line), line, i, lines, prose, (first, last))
            if start:
                self._count(counts, seen, PREFIX + start, line, i, lines, prose, (first, last))
        if self._total > options.max_shapes:
            self._shrink()

    def _count(
        self, counts: SiteCounts, seen: set[str], key: str, line: str, i: int, lines: Sequence[str],
        prose: Sequence[bool], article: tuple[int, int],
    ) -> None:
        """Count ``key`` (a shape or a prefix) once on this page, with where ``line`` sits."""
        if key in seen:
            return
        seen.add(key)
        entry = counts.shapes.get(key)
        if entry is None:
            if len(counts.shapes) >= self.options.max_shapes_per_site:
                counts.prune(self.options.max_shapes_per_site // 2)
                self._total = sum(len(c.shapes) for c in self.sites.values())
            entry = counts.shapes[key] = [0, 0, 0, 0, 0, 0, 0, 0, 0, []]
            self._total += 1
        entry[_DOCS] += 1
        first, last = article
        if i < first:
            entry[_HEAD] += 1
            entry[_REACH_HEAD] = max(entry[_REACH_HEAD], i)
        elif i > last:
            entry[_TAIL] += 1
            entry[_REACH_TAIL] = max(entry[_REACH_TAIL], len(lines) - 1 - i)
        else:
            entry[_BODY] += 1
            if prose[i - 1] or prose[i + 1]:
                entry[_AMID] += 1
        if line.endswith(":") and i + 1 < len(lines) and prose[i + 1]:
            entry[_INTRO] += 1
        examples = entry[_EXAMPLES]
        if len(examples) < MAX_EXAMPLES and line not in examples:
            examples.append(line)

    def _shrink(self) -> None:
        # Over the ceiling in all: every site gives up its least-seen half.
        for counts in self.sites.values():
            counts.prune(len(counts.shapes) // 2)
        self._total = sum(len(c.shapes) for c in self.sites.values())

    def _seen_body(self, site: str, lines: Sequence[str], prose: Sequence[bool]) -> bool:
        """Whether a page with this body was already counted on ``site`` (and remember it)."""
        # The two smallest hashes of the body's prose lines: equal for copies of one article
        # whatever furniture surrounds them (and, with the odds of their likeness, for light
        # edits); two, so that one standing sentence on every page does not make them copies.
        # A line's first 80 characters and its length tell it apart well enough, and cheaply.
        body = [line for line, is_prose in zip(lines, prose, strict=True) if is_prose] or list(lines)
        hashes = sorted({(zlib.crc32(line[:80].encode("utf-8", "surrogatepass")) << 24) | (len(line) & 0xFFFFFF)
                         for line in body})
        fingerprint = tuple(hashes[:2])
        digest = blake2b(f"{site}\x00{fingerprint}".encode(), digest_size=12).digest()
        bits = len(self._bloom) * 8
        places = [int.from_bytes(digest[i : i + 4], "little") % bits for i in (0, 4, 8)]
        seen = all(self._bloom[p >> 3] & (1 << (p & 7)) for p in places)
        for p in places:
            self._bloom[p >> 3] |= 1 << (p & 7)
        return seen

    def merge(self, other: Learner) -> None:
        """Add another learner's counts (another task's pages) to these."""
        for name, theirs in other.sites.items():
            mine = self.sites.get(name)
            if mine is None:
                self.sites[name] = SiteCounts(theirs.pages, theirs.copies, theirs.lowered,
                                              {k: _copy(v) for k, v in theirs.shapes.items()}, list(theirs.prose))
                continue
            mine.pages += theirs.pages
            mine.copies += theirs.copies
            mine.lowered += theirs.lowered
            mine.prose = (mine.prose + [p for p in theirs.prose if p not in mine.prose])[:MAX_PROSE]
            for key, entry in theirs.shapes.items():
                found = mine.shapes.get(key)
                if found is None:
                    mine.shapes[key] = _copy(entry)
                    continue
                for i in (_DOCS, _HEAD, _BODY, _TAIL, _INTRO, _AMID, _PROSE):
                    found[i] += entry[i]
                found[_REACH_HEAD] = max(found[_REACH_HEAD], entry[_REACH_HEAD])
                found[_REACH_TAIL] = max(found[_REACH_TAIL], entry[_REACH_TAIL])
                found[_EXAMPLES] = (found[_EXAMPLES] + [e for e in entry[_EXAMPLES] if e not in found[_EXAMPLES]])[
                    :MAX_EXAMPLES
                ]
            mine.prune(self.options.max_shapes_per_site)
        self.unsited += other.unsited
        self._total = sum(len(c.shapes) for c in self.sites.values())
        if self._total > self.options.max_shapes:
            self._shrink()

    def save(self, path: str | Path) -> None:
        """Write the counts as gzipped JSON (one task's share, for :func:`load_counts`)."""
        data = {"format": FORMAT, "unsited": self.unsited,
                "sites": {name: counts.to_json() for name, counts in sorted(self.sites.items())}}
        with gzip.open(path, "wt", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False)

    @classmethod
    def load(cls, path: str | Path, options: LearnOptions | None = None) -> Learner:
        """Read counts :meth:`save` wrote."""
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        if data.get("format") != FORMAT:
            raise InputError(f"{path}: not learned counts of format {FORMAT}")
        learner = cls(options)
        learner.unsited = int(data["unsited"])
        learner.sites = {str(name): SiteCounts.from_json(site) for name, site in data["sites"].items()}
        learner._total = sum(len(c.shapes) for c in learner.sites.values())
        return learner

    def result(self) -> Learned:
        """The learned rules and recurrence shares of every site with enough pages."""
        return build(self.sites, self.options)


def _copy(entry: Entry) -> Entry:
    return [*entry[:_EXAMPLES], list(entry[_EXAMPLES])]


# -- from counts to rules ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Support:
    """Why a learned rule exists: pages of its site carrying the line, and where it sits."""

    pages: int
    total: int
    zone: str
    lowered: int = 0

    @property
    def share(self) -> float:
        return self.pages / self.total if self.total else 0.0

    def __str__(self) -> str:
        where = {"head": "above the article", "tail": "below the article", "body": "between paragraphs"}[self.zone]
        bound = f" (counts may be low by {self.lowered})" if self.lowered else ""
        return f"{self.pages}/{self.total} pages ({self.share:.0%}), {where}{bound}"


@dataclass(frozen=True, slots=True)
class Rejected:
    """A recurring shape that was not learned, and why (shown by ``--explain``)."""

    site: str
    text: str
    pages: int
    reason: str


@dataclass(frozen=True, slots=True)
class SiteShares:
    """How many of a site's distinct pages carry each recurring shape."""

    pages: int
    docs: Mapping[str, int]

    def share(self, line: str) -> float:
        """The share of the site's pages carrying ``line``'s shape (0.0 when not counted)."""
        if not self.pages:
            return 0.0
        return self.docs.get(key_of(line.strip()), 0) / self.pages

    def prefix_share(self, line: str) -> float:
        """The share of the site's pages with a short line starting as ``line`` does ("Related: ...")."""
        start = _prefix(line.strip())
        if not self.pages or start is None:
            return 0.0
        return self.docs.get(PREFIX + start, 0) / self.pages


# Shares of a site's pages at which recurrence becomes the facts the evidence weighs.
MOST_PAGES = 0.5
SOME_PAGES = 0.1
PREFIX_PAGES = 0.2


def recurrence_facts(site: SiteShares, line: str) -> frozenset[str]:
    """The site facts (cleaner.text.linefacts.SITE_FACTS) of ``line`` on ``site``.

    >>> sorted(recurrence_facts(SiteShares(10, {key_of("3 Comments"): 6}), "12 Comments"))
    ['site-recurs-most']
    >>> sorted(recurrence_facts(SiteShares(10, {PREFIX + "Photo:": 3}), "Photo: Jane Doe/AP"))
    ['site-prefix-recurs']
    """
    share = site.share(line)
    if share >= MOST_PAGES:
        return frozenset({"site-recurs-most"})
    if share >= SOME_PAGES:
        return frozenset({"site-recurs"})
    if site.prefix_share(line) >= PREFIX_PAGES:
        return frozenset({"site-prefix-recurs"})
    return frozenset()


def recurrence_table(learned: Learned) -> dict[str, Any]:
    """The shapes of each site that give a site fact (see :func:`recurrence_facts`), as JSON data."""
    table: dict[str, Any] = {}
    for name, site in sorted(learned.sites.items()):
        if not site.pages:
            continue
        kept = {
            key: docs
            for key, docs in sorted(site.docs.items())
            if docs / site.pages >= (PREFIX_PAGES if key.startswith(PREFIX) else SOME_PAGES)
        }
        if kept:
            table[name] = {"pages": site.pages, "shapes": kept}
    return table


def load_recurrence(paths: Iterable[Path]) -> dict[str, SiteShares]:
    """The site shares saved in ``paths`` (``learned/recurrence.json`` files, see
    cleaner.rules.loader.recurrence_tables; a later file's site wins)."""
    sites: dict[str, SiteShares] = {}
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            for name, site in data.items():
                shapes = {str(key): int(docs) for key, docs in site["shapes"].items()}
                sites[str(name)] = SiteShares(int(site["pages"]), shapes)
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            raise InputError(
                f"{path}: not a recurrence table written by --save-learned ({exc}); write it again or delete it"
            ) from exc
    return sites


def recurrence_share(site: SiteShares | None, line: str) -> float:
    """The share of its site's pages carrying ``line``'s shape: the recurrence signal.

    >>> recurrence_share(SiteShares(4, {key_of("3 Comments"): 3}), "12 Comments")
    0.75
    >>> recurrence_share(None, "12 Comments")
    0.0
    """
    return site.share(line) if site is not None else 0.0


@dataclass(frozen=True, slots=True)
class Learned:
    """What one crawl taught: rules per site, their support, and recurrence shares."""

    rules: tuple[Rule, ...] = ()
    support: Mapping[str, Support] = field(default_factory=dict)
    sites: Mapping[str, SiteShares] = field(default_factory=dict)
    rejected: tuple[Rejected, ...] = ()

    def share(self, site: str | None, line: str) -> float:
        """The share of ``site``'s pages carrying ``line``'s shape (see :func:`recurrence_share`)."""
        return recurrence_share(self.sites.get(site) if site else None, line)

    def by_site(self) -> dict[str, list[Rule]]:
        out: dict[str, list[Rule]] = {}
        for rule in self.rules:
            out.setdefault(rule.pack.removeprefix(LEARNED), []).append(rule)
        return out


def build(sites: Mapping[str, SiteCounts], options: LearnOptions) -> Learned:
    """Turn per-site counts into learned rules (pure: the counts are not changed)."""
    rules: list[Rule] = []
    support: dict[str, Support] = {}
    shares: dict[str, SiteShares] = {}
    rejected: list[Rejected] = []
    for name in sorted(sites):
        counts = sites[name]
        if counts.pages < options.min_pages:
            continue
        floor = max(2, options.min_docs // 2)
        shares[name] = SiteShares(counts.pages, {k: e[_DOCS] for k, e in counts.shapes.items() if e[_DOCS] >= floor})
        found, dropped = _site_rules(name, counts, options)
        for rule, why in found:
            rules.append(rule)
            support[rule.qualified_id] = why
        rejected += dropped
    return Learned(tuple(rules), support, shares, tuple(rejected))


def _site_rules(
    name: str, counts: SiteCounts, options: LearnOptions
) -> tuple[list[tuple[Rule, Support]], list[Rejected]]:

    out: list[tuple[Rule, Support]] = []
    kept: list[tuple[Matcher, Support]] = []
    rejected: list[Rejected] = []
    ids: set[str] = set()
    pack = LEARNED + name
    candidates = [
        (key, entry) for key, entry in counts.shapes.items()
        if entry[_DOCS] >= options.min_docs and entry[_DOCS] / counts.pages >= options.min_share
    ]
    # Whole-line shapes first: a prefix is learned only for lines they leave.
    for key, entry in sorted(candidates, key=lambda item: (item[0].startswith(PREFIX), -item[1][_DOCS], item[0])):
        examples: list[str] = entry[_EXAMPLES]
        docs = entry[_DOCS]

        def reject(reason: str, text: str = examples[0], docs: int = docs) -> None:
            rejected.append(Rejected(name, text, docs, reason))

        start = key[len(PREFIX):] if key.startswith(PREFIX) else None
        if start is not None:
            if len(examples) < 2 or all(any(m.matches_line(line, 1.0) for m, _ in kept) for line in examples):
                continue  # one line, or lines a whole-line rule takes: nothing to add
            # Captions that run long count as prose too, hence a share, not none at all.
            if entry[_PROSE] * 4 > docs:
                reject(f'"{start}" also starts sentences of the article, on {entry[_PROSE]} pages')
                continue
            pattern = str(regex.escape(start, literal_spaces=True)) + r"\s+\S.*"
            literal, what = start, f'Lines starting "{start}"'
        else:
            shape = shape_of(examples[0])
            if shape.letters < 2:
                reject("no words, only digits or symbols")
                continue
            pattern, literal, what = shape.pattern, shape.literal, f'The recurring "{_shown(examples[0])}" line'
        if any(ARTICLE_HEADING.fullmatch(line) for line in examples):
            reject("a common article heading")
            continue
        zones = {"head": entry[_HEAD], "body": entry[_BODY], "tail": entry[_TAIL]}
        placed = sum(zones.values())
        zone = max(zones, key=lambda z: zones[z])
        if not placed or zones[zone] < options.consistency * placed:
            reject("sits in different zones on different pages")
            continue
        share = docs / counts.pages
        if entry[_INTRO] * 2 > placed:
            reject("introduces the article's next sentence on most of its pages (a series' fixed phrase)")
            continue
        # A label ("Related:", "( PHOTOS:") before varying text is no fixed phrase of a series.
        label = start is not None and start.endswith(":")
        if zone == "body" and not label and entry[_AMID] * 2 > entry[_BODY] and share < options.min_amid_share:
            reject(f"next to article text, on {share:.0%} of pages (a series' fixed phrase there; "
                   f"template lines are on {options.min_amid_share:.0%})")
            continue
        if zone == "body" and not label and share < options.min_body_share:
            reject(f"between paragraphs on {share:.0%} of pages (lines there need {options.min_body_share:.0%})")
            continue
        if not label and _sentence(examples[0]) and share < options.min_body_share:
            reject(f"reads as a sentence, on {share:.0%} of pages (a sentence needs {options.min_body_share:.0%})")
            continue
        base = "-".join(slug_words(literal)) or "recurring-line"
        rule_id, n = base, 2
        while rule_id in ids:
            rule_id, n = f"{base}-{n}", n + 1
        longest = max(len(line) for line in examples)
        # A prefix's lines vary in length: room for half as long again, within what is ever learned.
        room = longest * 1.5 if start is not None else longest + 20
        rule_options: list[tuple[str, object]] = [
            ("max_chars", min(options.max_chars, max(40, math.ceil(room / 10) * 10)))
        ]
        if zone == "head":
            rule_options[:0] = [("where", "first"), ("within", entry[_REACH_HEAD] + 3)]
        elif zone == "tail":
            rule_options[:0] = [("where", "last"), ("within", entry[_REACH_TAIL] + 3)]
        why = Support(docs, counts.pages, zone, counts.lowered)
        summary = f"{what}; support: {why}"
        probe = Rule(rule_id, pack, "line", summary, pattern, tuple(rule_options), Examples(tuple(examples)))
        matcher = compile_rule(probe, ())
        if not all(matcher.matches_line(line, 1.0) for line in examples):
            reject("its pattern does not match its own lines")
            continue
        no_match = [line for line in counts.prose if not matcher.matches_line(line, 1.0)][:2]
        if len(no_match) < min(2, len(counts.prose)) or not no_match:
            reject("it matches the site's prose, or there is no prose to check it against")
            continue
        ids.add(rule_id)
        kept.append((matcher, why))
        out.append((replace(probe, examples=Examples(tuple(examples), tuple(no_match))), why))
    return out, rejected


def _sentence(line: str) -> bool:
    """Six words or more ending like a sentence: an author's sign-off, a standing note."""
    return len(line.split()) >= 6 and SENTENCE_END.search(line) is not None


def _shown(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


# -- records in, Learned out -------------------------------------------------------------


def learn(
    records: Iterable[tuple[str, str | None] | Mapping[str, Any]],
    *, site: str | None = None, options: LearnOptions | None = None,
) -> Learned:
    """Learn from ``records``: ``(text, url)`` pairs or mappings with ``text`` and ``url``."""
    learner = Learner(options)
    for text, url in _pairs(records):
        learner.add(text, url=url, site=site)
    return learner.result()


def _pairs(records: Iterable[tuple[str, str | None] | Mapping[str, Any]]) -> Iterator[tuple[str, str | None]]:
    for record in records:
        if isinstance(record, Mapping):
            text, url = record.get("text"), record.get("url")
        else:
            text, url = record
        if isinstance(text, str):
            yield text, url if isinstance(url, str) else None


# -- learned rules in a rule set ------------------------------------------------------------


def with_learned(rules: RuleSet, learned: Learned) -> RuleSet:
    """A rule set with ``learned``'s rules added to their sites' plans (``rules`` is unchanged)."""

    packs = list(rules.loaded.packs)
    added: list[Rule] = []
    for site, site_rules in learned.by_site().items():
        packs, renamed = as_learned(packs, SitePack(site, source=f"<learned {site}>"), site_rules)
        added += renamed
    loaded = rules.loaded
    return rules.with_loaded(
        LoadedRules(loaded.common, tuple(packs), loaded.site_rules + tuple(added), loaded.diagnostics)
    )


# -- counts from several tasks (datatrove) -------------------------------------------------

COUNTS_SUFFIX = ".learn.json.gz"


def merge_counts(folder: str | Path, options: LearnOptions | None = None) -> Learner:
    """One learner holding the counts every task wrote to ``folder`` (``*.learn.json.gz``)."""
    paths = sorted(Path(folder).glob("*" + COUNTS_SUFFIX))
    if not paths:
        raise InputError(f"{folder}: no learned counts (*{COUNTS_SUFFIX}); run the learning step first")
    merged = Learner(options)
    for path in paths:
        merged.merge(Learner.load(path, options))
    return merged
