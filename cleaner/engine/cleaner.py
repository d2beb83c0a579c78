"""The Cleaner: normalise, pick the site's plan, run the stages, apply the guards."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace as dc_replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from cleaner.core.diagnostics import T001, timeout_warning
from cleaner.core.errors import ConfigError, InputError
from cleaner.core.model import STAGE_ORDER, CleanResult, Config, Diagnostic, Removal
from cleaner.engine.prefilter import Selection, Stages
from cleaner.engine.ruleset import Plan, RuleSet
from cleaner.rules.loader import recurrence_tables
from cleaner.text.document import DocState, words
from cleaner.text.normalize import collapse_blank_lines, normalize_text
from cleaner.util.parallel import jobs_problem, max_jobs, ordered_map

if TYPE_CHECKING:
    from cleaner.engine.evidence import Judge, SiteFacts
    from cleaner.engine.learn import Learned, LearnOptions
    from cleaner.kinds import Matcher


class Cleaner:
    """Compiled rules plus settings; immutable, reusable across threads and processes.

    >>> cleaner = Cleaner.default()
    >>> cleaner.clean("Title\\n\\nBody text.\\n\\nSource link")
    'Title\\n\\nBody text.'
    """

    __slots__ = ("config", "learned", "rules")

    rules: RuleSet
    config: Config
    # What Cleaner.learn taught it (per-site recurrence), None for a cleaner that did not learn.
    learned: Learned | None

    def __init__(self, rules: RuleSet, config: Config | None = None, learned: Learned | None = None) -> None:
        config = config or Config()
        check_config(config)
        object.__setattr__(self, "rules", rules)
        object.__setattr__(self, "config", config)
        object.__setattr__(self, "learned", learned)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Cleaner is immutable; build a new one instead of setting {name!r}")

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled by recipe (how to load the rules), not by compiled patterns.
        return (Cleaner, (self.rules, self.config, self.learned))

    @classmethod
    def default(cls, config: Config | None = None) -> Cleaner:
        """A cleaner with the built-in rules."""
        config = config or Config()
        return cls(RuleSet.load(preview=config.preview), config)

    @classmethod
    def from_paths(
        cls, paths: Sequence[str | Path], *, include_builtin: bool = True, config: Config | None = None
    ) -> Cleaner:
        """A cleaner with the rules in ``paths`` (directories with common/ and sites/, or a
        learned/ folder written by ``--save-learned``, with its recurrence table)."""
        config = config or Config()
        rules = RuleSet.load(paths, include_builtin=include_builtin, preview=config.preview)
        # Learned packs saved with their recurrence table: the evidence weighs it as after --learn.
        tables = recurrence_tables(paths)
        if not tables:
            return cls(rules, config)
        from cleaner.engine.learn import Learned, load_recurrence  # here: only with saved learned packs

        return cls(rules, config, Learned(sites=load_recurrence(tables)))

    def with_config(self, **changes: object) -> Cleaner:
        """A copy with some settings changed, sharing the compiled rules."""
        return Cleaner(self.rules, dc_replace(self.config, **changes), self.learned)  # type: ignore[arg-type]

    def learn(
        self, records: Iterable[tuple[str, str | None] | Mapping[str, object]], *, site: str | None = None,
        options: LearnOptions | None = None,
    ) -> Cleaner:
        """A cleaner that also removes what recurs across each site's pages in ``records``.

        ``records`` are ``(text, url)`` pairs or mappings with ``text`` and ``url``; each
        site (the URL's registered domain, or ``site``) learns its furniture, as rules named
        ``learned/<site>/<id>`` (:mod:`cleaner.engine.learn`). This cleaner is left unchanged.

        >>> pages = [(f"T{n}\\n\\nA sentence about topic {n} that is long enough to be prose.\\n\\nShare this:",
        ...           f"https://example.org/{n}") for n in range(8)]
        >>> Cleaner.default().learn(pages).clean(pages[0][0], url=pages[0][1])
        'T0\\n\\nA sentence about topic 0 that is long enough to be prose.'
        """
        # Imported here: learning loads regex and the prose heuristics, which cleaning never needs.
        from cleaner.engine.learn import learn, with_learned

        learned = learn(records, site=site, options=options)
        return Cleaner(with_learned(self.rules, learned), self.config, learned)

    def clean(self, text: str, *, url: str | None = None, site: str | None = None) -> str:
        """Return ``text`` without its boilerplate residue."""
        return self.clean_and_explain(text, url=url, site=site).text

    def clean_and_explain(self, text: str, *, url: str | None = None, site: str | None = None) -> CleanResult:
        """Clean ``text`` and say what was removed, by which rule, and why not if refused."""
        if not isinstance(text, str):
            raise InputError(
                f"clean() takes str, got {type(text).__name__}; decode bytes first "
                "(data.decode('utf-8', errors='replace')) or pass HTML to clean_html()"
            )
        if not isinstance(url, _STR_OR_NONE) or not isinstance(site, _STR_OR_NONE):
            bad, value = ("url", url) if not isinstance(url, _STR_OR_NONE) else ("site", site)
            raise InputError(f"{bad}= must be a str or None, got {type(value).__name__} {value!r:.80}")
        normalized = normalize_text(text) if self.config.normalize else text
        chosen, detect_warnings = self._site(normalized, url, site)
        plan = self.rules.for_site(chosen)
        judge = self.rules.judge if self.config.evidence else None
        site_facts = self._site_facts(url, site) if judge is not None else None
        removals, diagnostics = run_plan(
            plan, normalized, self.config.match_timeout, prefilter=self.config.prefilter, judge=judge,
            site_facts=site_facts,
        )
        return self._guarded(normalized, removals, chosen, [*detect_warnings, *diagnostics])

    def clean_many(
        self, texts: Iterable[str], *, url: str | None = None, site: str | None = None, jobs: int = 1
    ) -> Iterator[str]:
        """Clean many texts in order; ``jobs > 1`` spreads them over processes (0: one per core).

        Texts are sent to the workers in batches with a bounded number in flight, so a long
        or endless iterable streams through in constant memory.
        """
        if not 0 <= jobs <= max_jobs():  # checked now, not at the first text
            raise ConfigError(jobs_problem(jobs))
        return ordered_map(self, partial(_clean_one, url=url, site=site), texts, jobs=jobs, weigh=len)

    def _site_facts(self, url: str | None, site: str | None) -> SiteFacts | None:
        """How often a line recurs on this page's site, when a crawl was learned (the evidence's
        site facts); keyed as the learning keyed the page: ``site``, else the URL's domain."""
        if self.learned is None or not self.learned.sites:
            return None
        from cleaner.engine.learn import recurrence_facts, registered_domain  # here: only with a learned crawl

        shares = self.learned.sites.get(site or (registered_domain(url) if url else ""))
        return partial(recurrence_facts, shares) if shares is not None else None

    def _site(self, text: str, url: str | None, site: str | None) -> tuple[str | None, tuple[Diagnostic, ...]]:
        if site:
            return self.rules.resolve_site(site), ()
        if url:
            found = self.rules.resolve_site(url)
            if found:
                return found, ()
        return self.rules.detect_explained(text, self.config.match_timeout)

    def _guarded(
        self, normalized: str, removals: list[Removal], site: str | None, diagnostics: list[Diagnostic]
    ) -> CleanResult:
        if not removals and self.config.normalize:
            # Nothing to remove from text that is already canonical: replay would return it as is.
            return CleanResult(normalized, normalized, (), site, None, tuple(diagnostics))
        removed = sum(words(r.text) for r in removals)
        total = words(normalized) if removed else 0
        if total and removed / total > self.config.max_removed_share:
            reason = (
                f"refused: the rules would remove {removed / total:.0%} of the words "
                f"(limit {self.config.max_removed_share:.0%}); text returned unchanged"
            )
            # Nothing applied, so nothing listed as applied: replay(normalized, ()) == text.
            return CleanResult(normalized, normalized, (), site, reason, tuple(diagnostics), tuple(removals))
        return CleanResult(replay(normalized, removals), normalized, tuple(removals), site, None, tuple(diagnostics))


_STR_OR_NONE = (str, type(None))
# Seconds of matching a document may take per MB of its text, on top of Config.match_timeout.
BUDGET_SECONDS_PER_MB = 4.0


def check_config(config: Config) -> None:
    """Raise ConfigError for a setting that makes no sense, where the Cleaner is made.

    A nonsense setting must fail there, not refuse or break every document (a
    ``max_removed_share`` of -1 refused them all).
    """
    share = config.max_removed_share
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0.0 <= share <= 1.0:
        raise ConfigError(f"max_removed_share must be a number from 0 to 1 (a share of words), got {share!r}")
    timeout = config.match_timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise ConfigError(f"match_timeout must be a number of seconds above 0, got {timeout!r}")


def _clean_one(cleaner: Cleaner, text: str, *, url: str | None, site: str | None) -> str:
    # Module-level so that it pickles by name into worker processes.
    return cleaner.clean(text, url=url, site=site)


# Passes are repeated until nothing more is removed; each pass removes at least one line or
# span, and this bound only matters for adversarial input (hundreds of stacked labels).
MAX_PASSES = 50
# The rule name of every removal by weighed evidence.
EVIDENCE = "evidence"


def run_plan(
    plan: Plan,
    normalized: str,
    timeout: float,
    *,
    prefilter: bool = True,
    judge: Judge | None = None,
    site_facts: SiteFacts | None = None,
) -> tuple[list[Removal], list[Diagnostic]]:
    """Run every stage of ``plan`` over ``normalized``; return removals in text order.

    With ``prefilter`` the plan's candidate selection (cleaner.engine.prefilter) first leaves
    out rules that cannot match anywhere in the text, and tells line rules which lines they
    may match (same removals, cost flat in the number of rules); without it every rule runs
    on every line, the reference path.

    The stages run again over what they kept until a pass removes nothing, so the result
    is a fixed point: cleaning the output again changes nothing. Positional options
    (``min_position``, ``within``, the title) are measured on the lines still kept, just as
    a second run over the output would measure them.

    With a ``judge`` (the weighed evidence, cleaner.engine.evidence), a pass that removes
    nothing is followed by the evidence pass over the kept lines; what it removes starts the
    passes again, so the fixed point holds for the decisive rules and the evidence together.
    ``site_facts`` adds what a learned crawl says of a line's recurrence on its site.
    """
    doc = DocState.from_text(normalized)
    # One time budget for the whole document, not one per match: the match limit plus an
    # allowance per MB (real text needs a small fraction of it), so that near-limit matches,
    # line after line and rule after rule, cannot add up to minutes.
    doc.deadline = time.monotonic() + timeout + len(normalized) / 1e6 * BUDGET_SECONDS_PER_MB
    source = doc.lines
    selector = plan.prefilter if prefilter else None
    picked = selector.select_lines(doc.lines) if selector else Selection(plan.stages, {})
    run = _Cleaning(doc, timeout, add_learned(picked, plan.learned))
    removals: list[Removal] = []
    # Lines whose text changed in the last pass; None in the first pass (every line is new).
    edited: set[int] | None = None
    for _ in range(MAX_PASSES):
        found, edited = run.run_pass(edited)
        if not found and judge is not None:
            found = _evidence_pass(judge, run, site_facts)
        if not found:
            break
        removals += found
        run.doc = run.doc.reranked()
        if selector and edited:
            # Later passes only see kept lines, a subset of the text the rules were selected
            # on, except where a span cut joined two pieces of a line: those lines are read.
            picked = selector.select_lines(run.doc.lines, only=edited, base=picked)
            run.selection = add_learned(picked, plan.learned)
    return _settled(removals, source), run.diagnostics


def add_learned(selection: Selection, learned: Stages) -> Selection:
    """``selection`` with the plan's learned rules added to their stages (they are not prefiltered)."""
    if not learned:
        return selection
    picked = dict(selection.stages)
    extra = dict(learned)
    stages = tuple(
        (kind, picked.get(kind, ()) + extra.get(kind, ())) for kind in STAGE_ORDER if kind in picked or kind in extra
    )
    return Selection(stages, selection.maybe, selection.chosen)


class _Cleaning:
    """One document on its way through the passes: what each pass reads and updates.

    ``doc`` is the document as the last stage left it, ``selection`` the rules (and lines)
    worth trying on it, ``origins`` where the columns of lines a span cut came from, and
    ``timed_out`` the rules skipped for this document (reported once each in ``diagnostics``).
    A plain class: a dataclass would cost start-up time for nothing.
    """

    __slots__ = ("diagnostics", "doc", "origins", "pattern_hits", "selection", "timed_out", "timeout")

    def __init__(self, doc: DocState, timeout: float, selection: Selection) -> None:
        self.doc = doc
        self.timeout = timeout
        self.selection = selection
        self.origins: dict[int, list[int]] = {}
        self.timed_out: set[str] = set()
        self.diagnostics: list[Diagnostic] = []
        # The evidence's pattern hits by line text: a later evidence pass re-reads the same lines.
        self.pattern_hits: dict[str, tuple[int, ...]] = {}

    def run_pass(self, edited: set[int] | None) -> tuple[list[Removal], set[int]]:
        """One pass of every stage; returns its removals and the lines spans edited.

        ``edited`` (None in the first pass) are the lines whose text the previous pass changed.
        A context-free rule (its verdict on a line depends on that line's text alone) already
        judged every other live line in an earlier pass, so it only looks at those.
        """
        removals: list[Removal] = []
        edited_now: set[int] = set()
        for kind, matchers in self.selection.stages:
            found: list[Removal] = []
            for matcher in matchers:
                if matcher.rule.qualified_id in self.timed_out:
                    continue
                maybe: AbstractSet[int] | None = self.selection.maybe.get(id(matcher))
                if edited is not None and matcher.context_free:
                    maybe = edited if maybe is None else maybe & edited
                    if not maybe:
                        continue
                found += self._find(matcher, maybe)
            doc = self.doc
            if kind == "span":
                found = _non_overlapping(found)
                if found:
                    removals += _to_source_columns(found, self.origins, doc)
                    # The repeat stage compares lines as they will read, suffixes removed.
                    self.doc = _with_spans_applied(doc, found, self.origins)
                    edited_now.update(r.start for r in found)
                continue
            for removal in sorted(found, key=lambda r: (r.start, -r.end, r.rule)):
                if any(doc.alive[removal.start : removal.end]):
                    kept = _trim_to_alive(doc, removal)
                    doc.remove(removal.start, removal.end)
                    removals += kept
        return removals, edited_now

    def _find(self, matcher: Matcher, maybe: AbstractSet[int] | None) -> list[Removal]:
        try:
            return matcher.find(self.doc, self.timeout, maybe)
        except TimeoutError:
            # The rule is skipped for this document only: as if it did not exist.
            self.timed_out.add(matcher.rule.qualified_id)
            self.diagnostics.append(
                timeout_warning(
                    T001, f"rule {matcher.rule.qualified_id}", self.timeout,
                    "simplify the rule's pattern (nested quantifiers?), "
                    "or raise the match timeout (Config.match_timeout in the API)",
                )
            )
            return []


def _evidence_pass(judge: Judge, run: _Cleaning, site_facts: SiteFacts | None = None) -> list[Removal]:
    """Remove the kept lines whose weighed evidence reaches the threshold, each explained.

    The signals' searches share the document's time budget; when it runs out the evidence is
    dropped for this document (it only ever removes, so nothing is lost) with a T001 warning.
    """
    doc = run.doc
    live = doc.live()
    try:
        verdicts = judge.removals(
            [doc.lines[i].strip() for i in live], lambda: doc.time_left(run.timeout), site=site_facts,
            memo=run.pattern_hits,
        )
    except TimeoutError:
        if EVIDENCE not in run.timed_out:
            run.timed_out.add(EVIDENCE)
            run.diagnostics.append(
                timeout_warning(
                    T001, "the weighed evidence", run.timeout,
                    "simplify the slow signal pattern (nested quantifiers?), or raise the match timeout "
                    "(Config.match_timeout in the API)",
                    consequence="no line was removed by evidence",
                )
            )
        return []
    found = [
        Removal(EVIDENCE, live[k], live[k] + 1, doc.lines[live[k]], evidence=verdict.fired, score=verdict.score)
        for k, verdict in sorted(verdicts.items())
    ]
    for removal in found:
        doc.remove(removal.start, removal.end)
    return found


def _settled(removals: list[Removal], source: tuple[str, ...]) -> list[Removal]:
    """Removals in text order, each quoting the normalised text it removes.

    A line removed whole after a span was cut from it is one line removal: the span
    removal is dropped and the line removal quotes the line as it was written.
    """
    dropped = {i for r in removals if r.columns is None for i in range(r.start, r.end)}
    out = [
        dc_replace(r, text=source[r.start][r.columns[0] : r.columns[1]])
        if r.columns is not None
        else dc_replace(r, text="\n".join(source[r.start : r.end]))
        for r in removals
        if r.columns is None or r.start not in dropped
    ]
    return sorted(out, key=lambda r: (r.start, r.columns or (-1, -1)))


def _to_source_columns(spans: list[Removal], origins: dict[int, list[int]], doc: DocState) -> list[Removal]:
    """Span columns on a line an earlier pass already cut, mapped back to the normalised line."""
    out: list[Removal] = []
    for span in spans:
        origin = origins.get(span.start)
        if origin is None or span.columns is None:
            out.append(span)
            continue
        start, end = span.columns
        # Characters an earlier pass cut sit between these; each contiguous run is one removal.
        columns = origin[start:end]
        run_start = previous = columns[0]
        for column in [*columns[1:], -1]:
            if column != previous + 1:
                out.append(Removal(span.rule, span.start, span.start + 1, "", (run_start, previous + 1)))
                run_start = column
            previous = column
    return out


def _trim_to_alive(doc: DocState, removal: Removal) -> list[Removal]:
    """Removals never overlap: keep only the runs of lines no earlier removal took."""
    out, run = [], None
    for i in range(removal.start, removal.end):
        if doc.alive[i]:
            run = (run[0], i + 1) if run else (i, i + 1)
        elif run:
            out.append(run)
            run = None
    if run:
        out.append(run)
    if out == [(removal.start, removal.end)]:
        return [removal]
    return [Removal(removal.rule, s, e, "\n".join(doc.lines[s:e])) for s, e in out]


def _non_overlapping(spans: list[Removal]) -> list[Removal]:
    spans = sorted(spans, key=lambda r: (r.start, r.columns or (0, 0), r.rule))
    out: list[Removal] = []
    for span in spans:
        prev = out[-1] if out else None
        if prev and prev.start == span.start and prev.columns and span.columns and span.columns[0] < prev.columns[1]:
            continue
        out.append(span)
    return out


def _apply_spans(line: str, spans: Iterable[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        line = line[:start] + line[end:]
    return line.strip()


def _with_spans_applied(doc: DocState, spans: list[Removal], origins: dict[int, list[int]]) -> DocState:
    """The document with ``spans`` cut; ``origins`` tracks each edited line's source columns."""
    by_line: dict[int, list[tuple[int, int]]] = {}
    for span in spans:
        if span.columns:
            by_line.setdefault(span.start, []).append(span.columns)
    lines = list(doc.lines)
    for i, cuts in by_line.items():
        line = lines[i]
        origin = origins.get(i) or list(range(len(line)))
        gone = {c for start, end in cuts for c in range(start, end)}
        kept = [(ch, origin[c]) for c, ch in enumerate(line) if c not in gone]
        # Strip as _apply_spans does (str.strip's whitespace), keeping the column map aligned.
        while kept and kept[0][0].isspace():
            kept.pop(0)
        while kept and kept[-1][0].isspace():
            kept.pop()
        lines[i] = "".join(ch for ch, _ in kept)
        origins[i] = [c for _, c in kept]
    # A cut can leave a line empty, so which lines are live is worked out again.
    return dc_replace(doc, lines=tuple(lines), live_lines=None)


def replay(normalized: str, removals: Iterable[Removal]) -> str:
    """Apply recorded removals to the normalised text: the cleaner's output, reproduced.

    Whole-line removals drop their lines, span removals cut inside a line (whose edges
    are then stripped), and blank lines left in a row collapse to one.

    >>> replay("Title – Site\\n\\nBody\\n\\nSource link",
    ...        [Removal("x/suffix", 0, 1, " – Site", (5, 12)), Removal("x/src", 4, 5, "Source link")])
    'Title\\n\\nBody'
    """
    lines = normalized.split("\n") if normalized else []
    dropped: set[int] = set()
    spans: dict[int, list[tuple[int, int]]] = {}
    for removal in removals:
        if removal.columns is None:
            dropped.update(range(removal.start, removal.end))
        else:
            spans.setdefault(removal.start, []).append(removal.columns)
    kept = (
        _apply_spans(line, spans[i]) if i in spans else line for i, line in enumerate(lines) if i not in dropped
    )
    return collapse_blank_lines(kept)
