"""Required literals: what a pattern's every match contains, on tricky constructs."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from cleaner import Cleaner
from cleaner.engine.prefilter import select_by_literals as select_lines
from cleaner.engine.prefilter import select_by_literals_in as select
from cleaner.match.lazy import compile_pattern
from cleaner.match.literals import check, describe, fold, may_match, required_literals
from cleaner.match.sitenames import NO_SITE_NAMES
from cleaner.rules.loader import builtin_rules_dir, load_dirs


@pytest.mark.parametrize(
    ("pattern", "required"),
    [
        (r"(?i)read also\s*:.*", "read also & :"),
        (r"(?i)(?:read|see) also", "read also|see also"),
        (r"source\s*link", "source & link"),  # both pieces occur
        (r"colou?r", "color|colour"),
        (r"(?:foo)?bar", "bar"),  # "foobar" holds "bar": one check is enough
        (r"(?:abc)*def", "def"),
        (r"x(?:abc){0,2}", "x"),
        (r"a{2}b", "aab"),
        (r"(?:ab)+\d", "ab"),
        (r"[ab]c", "ac|bc"),
        (r"[a-z]+xyz", "xyz"),
        (r"[^a]bc", "bc"),
        (r"(?<=x)abc(?!d)", "abc"),
        (r"a\bb", "ab"),  # zero-width: the literals are adjacent in the text
        (r"(?i)foo(?-i:Bar)", "foobar"),
        (r"Straße", "strasse"),  # case-sensitive: casefold of the matched text
        (r"(?i)spread the love", "spread the love"),  # s ~ long s, all fold to s
        (r"(?i)kelvin", "kelvin"),  # k ~ Kelvin sign
        (r"(?i)this", "this"),  # i ~ dotted capital I: _FOLD_FIX
        (r"(?i)ab|cd", "ab|cd"),
        (r"(?i)(?:sign up|buy)\s+(?:now|today)", "(buy|sign up) & (now|today)"),
        (r"ab\s+cd|ef", "ef / (ab & cd)"),
        (r"ab|\w+", "*"),  # a branch without a requirement: none for the whole
        (r"[\W_]+", "*"),
        (r"\p{Lu}abc", "abc"),
        (r"(?:abc){e<=1}", "*"),  # fuzzy: regex-only, not read
        (r"[[:alpha:]]abc", "*"),  # POSIX class: not read
        (r"(?V1)abc", "*"),  # a flag re cannot read
        (r"(?f)(?i)abc", "*"),  # full case folding: refused
        (r"(a)\1xyz", "a & xyz"),
    ],
)
def test_required_literals(pattern: str, required: str) -> None:
    assert describe(required_literals(pattern)) == required


def test_a_character_whose_cases_fold_apart_cuts_the_literal() -> None:
    # Under (?i) regex lets ß match a character Python's casefold does not fold to "ss".
    assert describe(required_literals(r"(?i)straße")) == "stra & e"


def test_requirements_read_back_from_json() -> None:
    import json

    for pattern in (r"ab\s+cd|ef", r"colou?r", r"\w+"):
        required = required_literals(pattern)
        assert check(json.loads(json.dumps(required))) == required
    for bad in (["lit", []], ["lit", [3]], ["xor", [["lit", ["a"]]]], ["and", [None]], "lit", [["lit"]]):
        with pytest.raises(ValueError):
            check(bad)


def test_site_names_are_bound_as_kinds_binds_them() -> None:
    pattern = r"\s*[-–]\s*\L<site_names>$"
    assert describe(required_literals(pattern, ["The Hill", "TOI"])) == "(-|–) & (the hill|toi)"
    assert describe(required_literals(pattern, [])) == f"(-|–) & {NO_SITE_NAMES}"
    assert compile_pattern(pattern, []).search("x - " + NO_SITE_NAMES)  # the same stand-in


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"(?i)kelvin", "\u212aELVIN"),
        (r"(?i)spread the love", "\u017fPREAD THE LOVE"),
        (r"(?i)this", "TH\u0130S"),
        (r"(?i)thIs", "th\u0131s"),
        (r"Straße", "Straße"),
        (r"(?i)Ärger", "äRGER"),
    ],
)
def test_the_gate_passes_what_regex_matches(pattern: str, text: str) -> None:
    assert regex.fullmatch(pattern, text)
    assert may_match(required_literals(pattern), fold(f"Prose before.\n{text}\nProse after."))


def test_fold_works_character_by_character() -> None:
    text = "Stra\u00dfe \u0130stanbul \u212a \u017f"
    assert fold(text) == "".join(fold(c) for c in text) == "strasse istanbul k s"


def test_may_match() -> None:
    assert may_match(None, "")
    assert may_match(("lit", ("read also",)), fold("Title\n\nREAD ALSO: x"))
    assert not may_match(("lit", ("read also",)), fold("Title\n\nRead more"))
    both = required_literals(r"(?i)(?:sign up|buy)\s+(?:now|today)")
    assert may_match(both, fold("Buy today!"))
    assert not may_match(both, fold("Baghdad now oversaw the strikes"))


def test_every_builtin_pattern_is_analysed_and_its_examples_pass() -> None:
    loaded = load_dirs([builtin_rules_dir()])
    names = sorted({name for pack in loaded.packs for name in pack.names})
    gated = 0
    for rule in loaded.rules:
        if not rule.pattern:
            continue
        atoms = required_literals(rule.pattern, names)
        gated += atoms is not None
        for line in rule.examples.match:
            assert may_match(atoms, fold(line)), (rule.qualified_id, line)
    assert gated >= 30  # most rules have literals (only symbol lines and the like do not)


def test_select_drops_only_rules_whose_literals_are_absent() -> None:
    plan = Cleaner.default().rules.for_site(None)
    kept = {m.rule.id for _, ms in select(plan.stages, "Title\n\nJust prose, nothing else.", ()) for m in ms}
    assert "read-also" not in kept
    assert "duplicate-title" in kept  # repeat rules are not gated
    assert "symbol-line" in kept  # no literals: always runs
    kept = {m.rule.id for _, ms in select(plan.stages, "Title\n\nREAD ALSO: more", ()) for m in ms}
    assert "read-also" in kept


def test_a_span_cut_that_makes_a_match_is_seen_again(tmp_path: Path) -> None:
    from cleaner.engine.cleaner import run_plan
    from tests.conftest import write_simple_rule

    write_simple_rule(tmp_path, "ad-marker", "span", r"\[ad\]", "Deal [ad]", "A deal.")
    write_simple_rule(tmp_path, "sponsored", "line", "Sponsored", "Sponsored", "A sponsored bill.")
    plan = Cleaner.from_paths([tmp_path], include_builtin=False).rules.for_site(None)
    prose = "The council voted on Tuesday to extend the program for another three years."
    lines = ["Title", "", prose, "", "Spon[ad]sored", "", prose]
    first = select_lines(plan.stages, lines, ())
    assert [m.rule.id for _, ms in first.stages for m in ms] == ["ad-marker"]  # no "sponsored" in the text yet
    lines[4] = "Sponsored"  # what the span cut leaves
    again = select_lines(plan.stages, lines, (), only={4}, base=first)
    assert {m.rule.id for _, ms in again.stages for m in ms} == {"ad-marker", "sponsored"}
    text = "\n".join(["Title", "", prose, "", "Spon[ad]sored", "", prose])
    assert plan.prefilter is not None and plan.prefilter._compiled is None  # below the RE2 budget
    fast = run_plan(plan, text, 5.0, prefilter=True)
    assert fast == run_plan(plan, text, 5.0, prefilter=False)
    assert [r.rule for r in fast[0]] == ["common/sponsored"]  # the whole line goes (its span cut with it)
