"""Rule kinds: one module each (its options with their one default, its matcher, its gate
fact, its doc text), gathered here in stage order.

Adding a kind is one module with a ``SPEC`` plus one line in ``KINDS`` (and its name in
``cleaner.core.model.Kind``); the schema (cleaner.rules.schema), the candidate selection
(cleaner.engine.prefilter) and ``cleaner rules docs`` read the spec.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.core.model import STAGE_ORDER, Kind, Rule
from cleaner.kinds import block, head, line, repeat, run, span, tail
from cleaner.kinds.base import KindSpec, Matcher, Option

# The fixed order in which kinds run; later stages only see what earlier ones kept. ``run``
# comes after ``line`` so that prompts and labels line rules removed no longer break a
# related-links list or hide the document's end.
KINDS: tuple[KindSpec, ...] = (tail.SPEC, head.SPEC, block.SPEC, line.SPEC, run.SPEC, span.SPEC, repeat.SPEC)
SPECS: dict[Kind, KindSpec] = {spec.name: spec for spec in KINDS}
assert tuple(SPECS) == STAGE_ORDER, "KINDS and cleaner.core.model.STAGE_ORDER disagree"

# Gate facts, as the candidate selection reads them.
LINE_GATED: frozenset[str] = frozenset(spec.name for spec in KINDS if spec.gate == "line")
SEARCH_GATED: frozenset[str] = frozenset(spec.name for spec in KINDS if spec.gate == "search")

__all__ = ["KINDS", "LINE_GATED", "SEARCH_GATED", "SPECS", "KindSpec", "Matcher", "Option", "compile_rule"]


def compile_rule(rule: Rule, site_names: Sequence[str]) -> Matcher:
    """Build the matcher for ``rule``; patterns were validated by the schema."""
    return SPECS[rule.kind].build(rule, site_names)
