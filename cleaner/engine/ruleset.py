"""Rules compiled once into per-site plans.

A ``RuleSet`` owns every compiled matcher; ``for_site`` hands out the ``Plan`` for one site:
the common rules that site did not disable plus its own, grouped by stage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from cleaner.core.diagnostics import T002, timeout_warning
from cleaner.core.errors import RuleError
from cleaner.core.model import STAGE_ORDER, Diagnostic, Rule, SitePack
from cleaner.engine.evidence import Judge
from cleaner.engine.prefilter import Prefilter, Stages, build_prefilter
from cleaner.engine.sites import detect_site, pack_for_host
from cleaner.kinds import Matcher, compile_rule
from cleaner.match.lazy import compile_pattern
from cleaner.match.re2 import required_literal
from cleaner.rules.cache import load_rules
from cleaner.rules.loader import LoadedRules, builtin_rules_dir
from cleaner.text.hosts import host_of


@dataclass(frozen=True, slots=True)
class Plan:
    """The matchers to run for one site, by stage in the fixed order."""

    site: str | None
    stages: Stages
    # Picks, per text, the rules that could match it (None: run every rule).
    prefilter: Prefilter | None = None
    # Rules learned from the crawl (cleaner.engine.learn), run on every text next to the picked ones:
    # a site that only learned shares the common plan's stages and prefilter, so a crawl of
    # many sites does not build (and hold) a prefilter per site.
    learned: Stages = ()


def _stages(matchers: Sequence[Matcher]) -> Stages:
    stages = tuple(
        (kind, tuple(sorted((m for m in matchers if m.rule.kind == kind), key=lambda m: m.rule.qualified_id)))
        for kind in STAGE_ORDER
    )
    return tuple((kind, ms) for kind, ms in stages if ms)


def _plan(site: str | None, matchers: Sequence[Matcher], site_names: Sequence[str]) -> Plan:
    stages = _stages(matchers)
    return Plan(site, stages, build_prefilter(stages, site_names))


class RuleSet:
    """Validated, compiled rules; immutable after construction and safe to share."""

    __slots__ = ("_by_id", "_detectors", "_evidence_dirs", "_judge", "_packs_by_host", "_plans", "loaded", "preview")

    def __init__(self, loaded: LoadedRules, *, preview: bool = False, evidence_dirs: Sequence[Path] = ()) -> None:
        if loaded.errors:
            raise RuleError(loaded.diagnostics)
        self.loaded = loaded
        self.preview = preview
        # The weighed evidence is read on first use (see ``judge``): parsing ~100 signal files
        # and compiling their patterns would add ~0.1 s to every start-up that does not use it.
        self._evidence_dirs = tuple(evidence_dirs)
        self._judge: Judge | bool | None = False  # False: not read yet
        names = sorted({name for pack in loaded.packs for name in pack.names}, key=lambda n: (-len(n), n))
        active = [r for r in loaded.rules if preview or r.status == "stable"]
        compiled = {r.qualified_id: compile_rule(r, names) for r in active}
        self._by_id = compiled
        common = [compiled[r.qualified_id] for r in loaded.common if r.qualified_id in compiled]
        plans: dict[str | None, Plan] = {None: _plan(None, common, names)}
        for pack in loaded.packs:
            own = [m for m in compiled.values() if m.rule.pack == pack.site]
            learned = [m for m in compiled.values() if m.rule.pack == f"learned/{pack.site}"]
            kept = [m for m in common if m.rule.id not in pack.disable]
            base = plans[None] if learned and not own and not pack.disable else _plan(pack.site, kept + own, names)
            plans[pack.site] = replace(base, site=pack.site, learned=_stages(learned)) if learned else base
        self._plans = plans
        self._packs_by_host = {host: pack for pack in loaded.packs for host in pack.hosts}
        self._detectors = tuple(
            (pack, tuple((compile_pattern(p, names, lazy=True), required_literal(p)) for p in pack.detect))
            for pack in loaded.packs
            if pack.detect
        )

    @classmethod
    def load(cls, paths: Sequence[str | Path] = (), *, include_builtin: bool = True, preview: bool = False) -> RuleSet:
        """Load rule directories (built-in first); raise RuleError listing every problem."""
        dirs = ([builtin_rules_dir()] if include_builtin else []) + [Path(p) for p in paths]
        # loader.load_dirs, served from a cache on disk while the rule files are unchanged.
        return cls(load_rules(dirs), preview=preview, evidence_dirs=dirs)

    def with_loaded(self, loaded: LoadedRules) -> RuleSet:
        """A rule set over ``loaded`` with these settings (preview, evidence directories)."""
        return RuleSet(loaded, preview=self.preview, evidence_dirs=self._evidence_dirs)

    @property
    def judge(self) -> Judge | None:
        """The weighed evidence of these rule directories (None if none holds evidence.yaml);
        read and compiled on first use. Raises RuleError for a bad signal file."""
        if self._judge is False:
            # Here: the YAML reader is loaded only when the evidence is used (start-up time).
            from cleaner.rules.signals import load_evidence

            model = load_evidence(self._evidence_dirs)
            self._judge = Judge(model) if model is not None else None
        assert self._judge is not True
        return self._judge

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.loaded.rules

    @property
    def packs(self) -> tuple[SitePack, ...]:
        return self.loaded.packs

    def validate(self) -> list[Diagnostic]:
        """Warnings found while loading (errors would have stopped construction)."""
        return list(self.loaded.diagnostics)

    def matcher(self, qualified_id: str) -> Matcher:
        """The compiled matcher of one rule, by ``pack/id``."""
        return self._by_id[qualified_id]

    def resolve_site(self, site_or_url: str) -> str | None:
        """The pack name for a site name, host or URL, or None if no pack covers it."""
        pack = pack_for_host(host_of(site_or_url), self._packs_by_host)
        return pack.site if pack else None

    def detect(self, text: str, timeout: float) -> str | None:
        """Identify the site from fingerprints in the text alone."""
        return self.detect_explained(text, timeout)[0]

    def detect_explained(self, text: str, timeout: float) -> tuple[str | None, tuple[Diagnostic, ...]]:
        """Like :meth:`detect`, with a warning (T002) for each site whose fingerprint timed out."""
        pack, timed_out = detect_site(text, self._detectors, timeout)
        warnings = tuple(
            timeout_warning(
                T002, f"a fingerprint of site {site}", timeout,
                "pass the page's URL (--url) or site (--site), simplify the fingerprint (nested quantifiers?), "
                "or raise the match timeout (Config.match_timeout in the API)",
                consequence="the site may not have been recognised",
            )
            for site in timed_out
        )
        return (pack.site if pack else None), warnings

    def for_site(self, site: str | None) -> Plan:
        """The plan for ``site`` (a pack name, host or URL); the common plan when unknown."""
        if site is None:
            return self._plans[None]
        return self._plans.get(site) or self._plans[self.resolve_site(site)]


