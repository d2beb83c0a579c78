"""Issue 15, items 1 and 3: no built-in pattern backtracks on hostile first lines, and a rule
that is slow on every line cannot add its near-limit matches up (the time budget is per
document)."""

from __future__ import annotations

import pytest

from cleaner import Cleaner, RuleSet

# The shapes that made common/breadcrumb exponential: segments of a character and a run of
# spaces (which both the segment class and `\s*` could take), separators, a failing end.
HOSTILE = [
    ("x" + " " * 19 + ">") * 7 + " " * 19 + ".",
    ("x" + " " * 19 + "»") * 7 + " " * 19 + ".",
    "home /" + ("x" + " " * 19 + "/") * 8 + " " * 19,
    ("a " * 60) + "!",
    "\t ".join(["word"] * 80) + ".",
]


def test_item1_breadcrumb_is_linear_on_its_worst_lines() -> None:
    (rule,) = [r for r in RuleSet.load().rules if r.qualified_id == "common/breadcrumb"]
    assert rule.pattern is not None
    import regex

    pattern = regex.compile(rule.pattern)
    for line in HOSTILE:
        # Microseconds now; a second each before. A TimeoutError here is the regression.
        pattern.fullmatch(line, timeout=0.5)


@pytest.mark.parametrize("line", HOSTILE)
def test_item1_hostile_first_lines_time_out_no_built_in_rule(line: str) -> None:
    result = Cleaner.default().clean_and_explain("\n".join([line, line, line, "The article body."]))
    assert not [d for d in result.diagnostics if d.code == "T001"], result.diagnostics
