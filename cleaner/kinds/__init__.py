"""One module per rule kind: its matcher (and, with it, what the schema, the gates and the docs read).

Adding a kind is one module here plus one entry in ``compile_rule``'s table; the engine runs
the kinds in ``cleaner.core.model.STAGE_ORDER``.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.core.model import Rule
from cleaner.kinds.base import Matcher
from cleaner.kinds.block import BlockMatcher
from cleaner.kinds.head import HeadMatcher
from cleaner.kinds.line import LineMatcher
from cleaner.kinds.repeat import RepeatMatcher
from cleaner.kinds.run import RunMatcher
from cleaner.kinds.span import SpanMatcher
from cleaner.kinds.tail import TailMatcher
from cleaner.match.lazy import compile_pattern

__all__ = ["Matcher", "compile_rule"]


def compile_rule(rule: Rule, site_names: Sequence[str]) -> Matcher:
    """Build the matcher for ``rule``; patterns were validated by the schema."""
    pattern = compile_pattern(rule.pattern, site_names, lazy=True) if rule.pattern else None
    if rule.kind == "repeat":
        return RepeatMatcher(rule, pattern)
    if rule.kind == "run":
        return RunMatcher(rule, pattern)
    assert pattern is not None, rule.qualified_id
    if rule.kind == "line":
        return LineMatcher(rule, pattern)
    if rule.kind == "span":
        return SpanMatcher(rule, pattern)
    if rule.kind == "tail":
        return TailMatcher(rule, pattern)
    if rule.kind == "head":
        return HeadMatcher(rule, pattern)
    end = rule.option("end")
    return BlockMatcher(rule, pattern, compile_pattern(end, site_names, lazy=True) if isinstance(end, str) else None)
