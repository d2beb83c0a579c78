"""Run the examples a rule carries: the semgrep-style tests that live beside each rule."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cleaner.core.model import Rule
from cleaner.engine.cleaner import replay, run_plan
from cleaner.engine.ruleset import Plan, RuleSet
from cleaner.kinds.base import Matcher
from cleaner.text.normalize import normalize_text

TIMEOUT = 1.0


@dataclass(frozen=True, slots=True)
class ExampleResult:
    """One example of one rule, and whether the rule behaved as the example says."""

    rule: Rule
    kind: str  # "match", "no_match" or "case"
    example: str
    passed: bool
    detail: str = ""

    @property
    def name(self) -> str:
        return f"{self.rule.qualified_id}:{self.kind}:{self.example[:40]}"


def run_examples(rules: RuleSet, rule: Rule) -> Iterator[ExampleResult]:
    """Check every example of ``rule`` against its compiled matcher, alone."""
    matcher = rules.matcher(rule.qualified_id)
    if rule.kind != "repeat":
        for line in rule.examples.match:
            ok = matcher.matches_line(line, TIMEOUT)
            yield ExampleResult(rule, "match", line, ok, "" if ok else "the rule does not match this line")
        for line in rule.examples.no_match:
            ok = not matcher.matches_line(line, TIMEOUT)
            yield ExampleResult(rule, "no_match", line, ok, "" if ok else "the rule matches this real prose")
    for case in rule.examples.cases:
        got = clean_with_rule(matcher, case.input)
        want = normalize_text(case.output)
        ok = got == want
        yield ExampleResult(rule, "case", case.input, ok, "" if ok else f"expected:\n{want}\ngot:\n{got}")


def clean_with_rule(matcher: Matcher, text: str) -> str:
    """Clean ``text`` with one rule only (no guards): what its ``cases`` describe."""
    normalized = normalize_text(text)
    removals, _ = run_plan(Plan(None, ((matcher.rule.kind, (matcher,)),)), normalized, TIMEOUT)
    return replay(normalized, removals)
