"""Every rule's own examples, one test each: `pytest -k read-also` exercises one rule."""

from __future__ import annotations

import pytest

from cleaner import RuleSet
from cleaner.engine.testing import ExampleResult, run_examples

_RULES = RuleSet.load(preview=True)
_RESULTS = [result for rule in _RULES.rules for result in run_examples(_RULES, rule)]


@pytest.mark.parametrize("result", _RESULTS, ids=[r.name for r in _RESULTS])
def test_rule_example(result: ExampleResult) -> None:
    assert result.passed, f"{result.rule.source}:{result.rule.line}: {result.detail}"


def test_every_rule_has_evidence() -> None:
    for rule in _RULES.rules:
        if rule.kind == "repeat":
            assert rule.examples.cases, rule.qualified_id
        else:
            assert rule.examples.match and rule.examples.no_match, rule.qualified_id


def test_examples_fail_when_the_rule_is_wrong(builtin_rules: RuleSet) -> None:
    # The harness must be able to fail: a no_match line that the rule does match is reported.
    rule = next(r for r in builtin_rules.rules if r.qualified_id == "common/read-also")
    from dataclasses import replace

    from cleaner.core.model import Examples

    broken = replace(rule, examples=Examples(match=("Nothing like a teaser",), no_match=("READ ALSO: a teaser",)))
    results = list(run_examples(builtin_rules, broken))
    assert [r.passed for r in results] == [False, False]
