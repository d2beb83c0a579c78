"""Issue 15, items 1 and 3: no built-in pattern backtracks on hostile first lines, and a rule
that is slow on every line cannot add its near-limit matches up (the time budget is per
document)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner, Config, RuleSet

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


OVERLAP = (
    "id: overlap\nsummary: Overlapping alternatives under a look-behind\nkind: {kind}\n"
    "pattern: '(?:a|aa)+b(?<!ab)|Source link'\nexamples:\n  match: ['Source link']\n  no_match: ['hello there']\n"
)


@pytest.mark.parametrize("kind", ["line", "span", "tail"])
def test_items1_3_near_limit_matches_cannot_add_up(tmp_path: Path, kind: str) -> None:
    # Each line costs the pattern well under the match limit (about a fifth of it); forty of
    # them used to add up to many times the limit with no T001. The document's budget ends that.
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "overlap.yaml").write_text(OVERLAP.format(kind=kind), encoding="utf-8")
    cleaner = Cleaner.from_paths([tmp_path], include_builtin=False, config=Config(match_timeout=0.1))
    # 25 a's: ~15 ms a full match, ~90 ms a search on this machine; forty lines (twenty past
    # the middle, for tail) are then several times the budget, with margin for a fast machine.
    text = "\n".join("a" * 25 + "b" for _ in range(40))
    result = cleaner.clean_and_explain(text)
    assert [d.code for d in result.diagnostics] == ["T001"]
    assert result.text == result.normalized  # the rule was skipped for the document, nothing else
