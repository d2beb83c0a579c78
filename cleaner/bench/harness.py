"""Score a Cleaner on a corpus: per document and micro-averaged, with per-rule attribution.

The text path cleans each record's ``input`` and compares with its gold (removal
precision/recall, word-token P/R/F1, exact matches) and its snippets. The input itself is
scored too, as "no cleaning": for the shared corpora the input is trafilatura's output, so
the two columns are trafilatura alone and trafilatura + cleaner. The HTML path extracts
each record's page with trafilatura first and scores both sides the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

import regex

from cleaner.bench.gold import Alignment, GoldCheck, GoldViolation, align_loose, align_strict
from cleaner.bench.manifest import Corpus, Record, read_html
from cleaner.bench.metrics import (
    LineTruth,
    RemovalCounts,
    SnippetCounts,
    TokenCounts,
    exact,
    removal_counts,
    snippet_counts,
    squash,
    token_counts,
)
from cleaner.core.diagnostics import B101
from cleaner.core.model import CleanResult, Diagnostic
from cleaner.engine.cleaner import EVIDENCE, Cleaner
from cleaner.text.hosts import host_of

Status = str  # content | residue-removed | residue-missed | content-removed | partial-removed | partial-missed
#   and, for documents without gold: kept | removed


@dataclass(frozen=True, slots=True)
class LineOutcome:
    """One non-blank input line: what the gold says, what the cleaner did, and which rule."""

    line: int  # 1-based, in the normalised input
    text: str
    status: Status
    rule: str | None = None
    cut: tuple[int, int] | None = None  # a span rule's columns inside the line


@dataclass(frozen=True, slots=True)
class FalsePositive:
    """A line a rule removed although the gold keeps it."""

    doc: str
    line: int
    rule: str
    text: str


@dataclass(frozen=True, slots=True)
class Scores:
    """Output-side figures of one text against the record's gold and snippets."""

    tokens: TokenCounts | None = None
    exact: bool | None = None
    snippets: SnippetCounts | None = None


@dataclass(frozen=True, slots=True)
class DocScore:
    """Everything measured on one document."""

    id: str
    site: str | None
    before: Scores
    after: Scores
    removal: RemovalCounts | None = None
    rule_lines: tuple[tuple[str, int], ...] = ()
    false_positives: tuple[FalsePositive, ...] = ()
    missed: tuple[tuple[int, str], ...] = ()
    outcomes: tuple[LineOutcome, ...] = ()
    coverage: float | None = None
    skipped: str | None = None
    # The HTML path: the same figures, measured on the text trafilatura extracted from the page.
    html: DocScore | None = None
    html_error: str | None = None
    # 'with' snippets the cleaning lost and 'without' snippets it removed, with the rule.
    snippets_lost: tuple[tuple[str, str], ...] = ()
    snippets_removed: tuple[tuple[str, str], ...] = ()
    # With the weighed evidence on: each signal's hits on the lines the decisive rules kept,
    # (signal, on residue lines, on content lines), SpamAssassin's mass-check per document.
    signal_hits: tuple[tuple[str, int, int], ...] = ()

    @property
    def html_before(self) -> Scores | None:
        """trafilatura's text, not cleaned."""
        return self.html.before if self.html is not None else None

    @property
    def html_after(self) -> Scores | None:
        """trafilatura's text, cleaned."""
        return self.html.after if self.html is not None else None


Counts = TypeVar("Counts", RemovalCounts, TokenCounts, SnippetCounts)


def _sum(items: Iterable[Counts], zero: Counts) -> Counts:
    total = zero
    for item in items:
        total = total + item
    return total


@dataclass(frozen=True, slots=True)
class RuleStats:
    """What one rule did across a corpus."""

    rule: str
    summary: str
    lines: int
    false_positives: int
    documents: int
    snippets_lost: int = 0


@dataclass(frozen=True, slots=True)
class SignalStats:
    """One signal across a corpus: its weight and its hits on residue and on content lines."""

    signal: str
    weight: float
    on_residue: int
    on_content: int


@dataclass(slots=True)
class CorpusScore:
    """A corpus's documents and the figures summed over them."""

    corpus: Corpus
    docs: list[DocScore]
    gold_check: GoldCheck
    seconds: float = 0.0
    html_seconds: float | None = None
    summaries: dict[str, str] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)

    def html_part(self) -> CorpusScore | None:
        """The HTML path as a corpus of its own (documents whose page was extracted), when it ran."""
        if self.html_seconds is None:
            return None
        docs = [d.html for d in self.docs if d.html is not None]
        return CorpusScore(self.corpus, docs, self.gold_check, self.html_seconds, None, self.summaries)

    def _side(self, side: str) -> list[Scores]:
        """Each document's scores on one side: before/after, or html_before/html_after."""
        found: list[Scores | None] = [getattr(d, side) for d in self.docs]
        return [scores for scores in found if scores is not None]

    @property
    def removal(self) -> RemovalCounts | None:
        values = [d.removal for d in self.docs if d.removal is not None]
        return _sum(values, RemovalCounts()) if values else None

    def tokens(self, side: str) -> TokenCounts | None:
        values = [s.tokens for s in self._side(side) if s.tokens is not None]
        return _sum(values, TokenCounts()) if values else None

    def snippets(self, side: str) -> SnippetCounts | None:
        values = [s.snippets for s in self._side(side) if s.snippets is not None]
        return _sum(values, SnippetCounts()) if values else None

    def exact(self, side: str) -> tuple[int, int] | None:
        flags = [s.exact for s in self._side(side) if s.exact is not None]
        return (sum(flags), len(flags)) if flags else None

    def macro_token_f1(self, side: str) -> float | None:
        values = [s.tokens.f1 for s in self._side(side) if s.tokens is not None]
        return sum(values) / len(values) if values else None

    def rule_stats(self) -> list[RuleStats]:
        lines: dict[str, int] = {}
        docs: dict[str, int] = {}
        fps: dict[str, int] = {}
        lost: dict[str, int] = {}
        for doc in self.docs:
            for rule, count in doc.rule_lines:
                lines[rule] = lines.get(rule, 0) + count
                docs[rule] = docs.get(rule, 0) + 1
            for fp in doc.false_positives:
                fps[fp.rule] = fps.get(fp.rule, 0) + 1
            for _, rule in doc.snippets_lost:
                lost[rule] = lost.get(rule, 0) + 1
        stats = [
            RuleStats(r, self.summaries.get(r, ""), n, fps.get(r, 0), docs[r], lost.get(r, 0)) for r, n in lines.items()
        ]
        return sorted(stats, key=lambda s: (-s.false_positives - s.snippets_lost, -s.lines, s.rule))

    def signal_stats(self) -> list[SignalStats]:
        """Each signal's hits on residue and content lines over the corpus (the mass-check)."""
        hits: dict[str, list[int]] = {}
        for doc in self.docs:
            for signal, on_residue, on_content in doc.signal_hits:
                counts = hits.setdefault(signal, [0, 0])
                counts[0] += on_residue
                counts[1] += on_content
        stats = [SignalStats(s, self.weights.get(s, 0.0), r, c) for s, (r, c) in hits.items()]
        return sorted(stats, key=lambda s: (-(s.on_residue + s.on_content), s.signal))

    @property
    def has_snippets(self) -> bool:
        return self.snippets("after") is not None

    def sites(self) -> dict[str, list[DocScore]]:
        by_site: dict[str, list[DocScore]] = {}
        for doc in self.docs:
            by_site.setdefault(doc.site or "(unknown)", []).append(doc)
        return by_site

    def metrics(self) -> dict[str, float]:
        """The flat figures a baseline pins (and compares), by name."""
        out: dict[str, float] = {}
        html = self.html_part()
        html_removal = html.removal if html is not None else None
        for prefix, removal in (("removal.", self.removal), ("removal.html_output.", html_removal)):
            if removal is not None:
                out[f"{prefix}line_precision"] = removal.line_precision
                out[f"{prefix}line_recall"] = removal.line_recall
                out[f"{prefix}char_precision"] = removal.char_precision
                out[f"{prefix}char_recall"] = removal.char_recall
        for side, label in (("after", "output"), ("html_after", "html_output")):
            tokens = self.tokens(side)
            if tokens is not None:
                out[f"tokens.{label}.precision"] = tokens.precision
                out[f"tokens.{label}.recall"] = tokens.recall
                out[f"tokens.{label}.f1"] = tokens.f1
            matches = self.exact(side)
            if matches is not None:
                out[f"exact.{label}"] = matches[0] / matches[1]
            snippets = self.snippets(side)
            if snippets is not None:
                out[f"snippets.{label}.with_kept"] = snippets.with_kept_share
                out[f"snippets.{label}.without_removed"] = snippets.without_removed_share
        return out


def site_of(record: Record, result: CleanResult | None) -> str | None:
    """The record's site, else its URL's host, else the site pack the cleaner recognised."""
    if record.site:
        return record.site
    url = record.url or ""
    # Archived pages are scored under the site they archive.
    archived = regex.search(r"^https?://web\.archive\.org/web/[^/]*/(.+)$", url)
    url = archived.group(1) if archived else url
    if regex.match(r"(?i)^(https?:)?//", url):
        return host_of(url) or None
    return result.site if result else None


def gold_violations(corpus: Corpus, gold_check: GoldCheck) -> list[Diagnostic]:
    """Every record whose gold is not a deletion of its input (strict mode only)."""
    if gold_check != "strict":
        return []
    # Imported here: `cleaner bench --help` and the gate's baseline checks start without the normaliser.
    from cleaner.text.normalize import normalize_text

    out = []
    for record in corpus.records:
        if record.gold is None:
            continue
        alignment = align_strict(normalize_text(record.input), record.gold, record.raw_gold)
        out += [_violation(corpus, record, v) for v in alignment.violations]
    return out


def _violation(corpus: Corpus, record: Record, violation: GoldViolation) -> Diagnostic:
    text = violation.text if len(violation.text) <= 80 else violation.text[:77] + "..."
    return Diagnostic(
        str(record.gold_path or corpus.path), violation.line, 1, B101,
        f"{record.id}: {violation.message}: {text!r}",
        "gold must be the normalised input with lines (or stretches of a title) deleted; "
        "fix the gold, or score retyped gold with --gold-check loose",
    )


def _removed_map(result: CleanResult) -> tuple[dict[int, int], dict[int, tuple[str, tuple[int, int] | None]]]:
    """Characters removed per line and the rule responsible, from the applied removals."""
    removed: dict[int, int] = {}
    rules: dict[int, tuple[str, tuple[int, int] | None]] = {}
    if result.skipped:
        return removed, rules
    lines = result.normalized.split("\n")
    for removal in result.removals:
        if removal.columns is None:
            for i in range(removal.start, removal.end):
                removed[i] = len(lines[i])
                rules[i] = (removal.rule, None)
        else:
            start, end = removal.columns
            removed[removal.start] = removed.get(removal.start, 0) + end - start
            rules.setdefault(removal.start, (removal.rule, removal.columns))
    return removed, rules


def _status(truth: LineTruth, cut: int) -> Status:
    whole = cut >= truth.chars
    if truth.residue:
        return "residue-removed" if whole else "residue-missed"
    if whole or cut > truth.residue_chars:
        return "content-removed"
    if truth.residue_chars:
        return "partial-removed" if cut else "partial-missed"
    return "content"


def _outcomes(lines: list[str], truth: Iterable[LineTruth], removed: dict[int, int],
               rules: dict[int, tuple[str, tuple[int, int] | None]]) -> Iterator[LineOutcome]:
    for t in truth:
        rule, cut = rules.get(t.index, (None, None))
        yield LineOutcome(t.index + 1, lines[t.index], _status(t, removed.get(t.index, 0)), rule, cut)


def _snippets_gone(snippets: Iterable[str], result: CleanResult) -> tuple[tuple[str, str], ...]:
    """Snippets in the normalised input but not in the output, each with the rule that took it."""
    before, after = squash(result.normalized), squash(result.text)
    removed = [(squash(r.text), r.rule) for r in result.removals]
    gone = []
    for snippet in snippets:
        key = squash(snippet)
        if not key or key not in before or key in after:
            continue
        words = set(key.split())
        rule = next((rule for text, rule in removed if text and (key in text or text in key)), None)
        if rule is None:
            # Spread over several removals or cut by one: the removal sharing most words.
            rule = max(removed, key=lambda tr: len(words & set(tr[0].split())), default=("", "?"))[1]
        gone.append((snippet, rule))
    return tuple(gone)


def _scores(text: str, record: Record) -> Scores:
    tokens = token_counts(text, record.gold) if record.gold is not None else None
    matched = exact(text, record.gold) if record.gold is not None else None
    snippets = snippet_counts(text, record.with_snippets, record.without_snippets) if record.has_snippets else None
    return Scores(tokens, matched, snippets)


def _align(normalized: str, record: Record, gold_check: GoldCheck) -> Alignment | None:
    if record.gold is None:
        return None
    if gold_check == "strict":
        return align_strict(normalized, record.gold, record.raw_gold)
    return align_loose(normalized, record.gold)


def score_document(record: Record, cleaner: Cleaner, gold_check: GoldCheck = "strict", html: bool = False) -> DocScore:
    """Clean one record and measure the result; ``html`` adds the trafilatura path."""
    result = cleaner.clean_and_explain(record.input, url=record.url, site=record.site)
    doc = _measure(record, result, gold_check)
    if cleaner.config.evidence and cleaner.rules.judge is not None and doc.outcomes and doc.removal is not None:
        doc = replace(doc, signal_hits=_signal_hits(cleaner, result, doc.outcomes))
    if html and record.html is not None:
        doc = _with_html(doc, record, cleaner, gold_check)
    return doc


def _signal_hits(
    cleaner: Cleaner, result: CleanResult, outcomes: Sequence[LineOutcome]
) -> tuple[tuple[str, int, int], ...]:
    """Which signals fire on the lines the decisive rules kept, split by what the gold says."""
    judge = cleaner.rules.judge
    assert judge is not None
    # A refused document still reached the evidence stage without its would-be removals.
    gone = result.removals or result.refused
    decisive = {i for r in gone if r.rule != EVIDENCE and r.columns is None for i in range(r.start, r.end)}
    kept = [o for o in outcomes if o.line - 1 not in decisive]
    hits: dict[str, list[int]] = {}
    for outcome, signals in zip(kept, judge.fired([o.text.strip() for o in kept], complete=True), strict=True):
        residue = outcome.status in ("residue-removed", "residue-missed")
        for signal in signals:
            hits.setdefault(signal.qualified_id, [0, 0])[0 if residue else 1] += 1
    return tuple((s, r, c) for s, (r, c) in sorted(hits.items()))


def _measure(record: Record, result: CleanResult, gold_check: GoldCheck) -> DocScore:
    """Every figure of one cleaning of the record's text (its input, or its page's extraction)."""
    after = _scores(result.text, record)
    before = _scores(result.normalized, record)
    alignment = _align(result.normalized, record, gold_check)
    removed, rules = _removed_map(result)
    rule_lines: dict[str, int] = {}
    lines = result.normalized.split("\n")
    for index, (rule, _) in rules.items():
        if lines[index]:
            rule_lines[rule] = rule_lines.get(rule, 0) + 1
    doc = DocScore(
        record.id, site_of(record, result), before, after,
        rule_lines=tuple(sorted(rule_lines.items())), skipped=result.skipped,
    )
    if alignment is not None and not alignment.violations:
        outcomes = tuple(_outcomes(lines, alignment.truth, removed, rules))
        doc = replace(
            doc,
            removal=removal_counts(alignment.truth, removed),
            outcomes=outcomes,
            false_positives=tuple(
                FalsePositive(record.id, o.line, o.rule or "?", o.text)
                for o in outcomes
                if o.status == "content-removed"
            ),
            missed=tuple((o.line, o.text) for o in outcomes if o.status == "residue-missed"),
            coverage=alignment.coverage,
        )
    elif alignment is None:
        # No gold: the view still shows what was removed, by which rule.
        doc = replace(doc, outcomes=tuple(
            LineOutcome(
                i + 1, line, "removed" if removed.get(i, 0) >= len(line) else "kept", *rules.get(i, (None, None))
            )
            for i, line in enumerate(lines) if line
        ))
    if record.has_snippets and not result.skipped:
        doc = replace(
            doc,
            snippets_lost=_snippets_gone(record.with_snippets, result),
            snippets_removed=_snippets_gone(record.without_snippets, result),
        )
    return doc


def _with_html(doc: DocScore, record: Record, cleaner: Cleaner, gold_check: GoldCheck) -> DocScore:
    """``doc`` with the HTML path measured: the page extracted by trafilatura, then cleaned.

    The gold is aligned with the extraction as with the input, so in strict mode a page whose
    extraction the gold is not a deletion of gets no removal figures on this path (its token,
    exact-match and snippet figures still count).
    """
    # Imported here: trafilatura (and lxml) load only when HTML is given.
    from cleaner.io.html import extract_text

    try:
        extracted = extract_text(read_html(record.html), url=record.url) if record.html else ""
    except Exception as exc:  # trafilatura or lxml failing on one page must not stop the run
        return replace(doc, html_error=f"{type(exc).__name__}: {exc}")
    cleaned = cleaner.clean_and_explain(extracted, url=record.url, site=record.site)
    return replace(doc, html=_measure(record, cleaned, gold_check))


def score_corpus(
    corpus: Corpus,
    cleaner: Cleaner,
    *,
    gold_check: GoldCheck = "strict",
    html: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> CorpusScore:
    """Score every record of ``corpus``; gold must have been validated first in strict mode."""
    summaries = {rule.qualified_id: rule.summary for rule in cleaner.rules.rules}
    start = time.perf_counter()
    docs = []
    for number, record in enumerate(corpus.records, 1):
        docs.append(score_document(record, cleaner, gold_check, html=False))
        if progress:
            progress(number, len(corpus.records))
    seconds = time.perf_counter() - start
    html_seconds = None
    if html:
        start = time.perf_counter()
        for k, record in enumerate(corpus.records):
            if record.html is not None:
                docs[k] = _with_html(docs[k], record, cleaner, gold_check)
            if progress:
                progress(k + 1, len(corpus.records))
        html_seconds = time.perf_counter() - start
    judge = cleaner.rules.judge if cleaner.config.evidence else None
    weights = {s.qualified_id: s.weight for s in judge.model.signals} if judge is not None else {}
    return CorpusScore(corpus, docs, gold_check, seconds, html_seconds, summaries, weights)
