"""Each rule kind is one module with one spec: the schema, the gates and the rule docs read it."""

from __future__ import annotations

from cleaner.core.model import STAGE_ORDER, Rule
from cleaner.kinds import KINDS, LINE_GATED, SEARCH_GATED, SPECS, compile_rule
from cleaner.rules.docs import render_docs
from cleaner.rules.loader import builtin_rules_dir, load_dirs
from cleaner.rules.schema import KIND_OPTIONS


def test_kinds_are_listed_in_stage_order() -> None:
    assert tuple(spec.name for spec in KINDS) == STAGE_ORDER


def test_the_schema_reads_the_specs() -> None:
    assert {name: dict(options) for name, options in KIND_OPTIONS.items()} == {
        spec.name: dict(spec.options) for spec in KINDS
    }


def test_gate_facts_come_from_the_specs() -> None:
    assert {"tail", "head", "block", "line", "run"} == LINE_GATED
    assert {"span"} == SEARCH_GATED
    assert SPECS["repeat"].gate is None


def test_every_option_of_every_kind_is_documented() -> None:
    docs = render_docs(load_dirs([builtin_rules_dir()]))
    for spec in KINDS:
        section = docs.split(f"`{spec.name}`\n", 1)[1].split("\n### ", 1)[0]
        for key, option in spec.options.items():
            assert option.doc, f"{spec.name}.{key} has no doc text"
            assert f"| `{key}` |" in section, f"{spec.name}.{key} missing from the rule docs"


def test_a_rule_without_an_option_gets_the_one_default_of_its_kind() -> None:
    # run.max_words: 1000 in the spec, and nowhere else.
    rule = Rule("r", "p", "run", "s", None, (("position", "any"), ("min_lines", 1)))
    matcher = compile_rule(rule, ())
    assert matcher.matches_line(" ".join(["w"] * 20), 1.0)
    long = Rule("r", "p", "run", "s", None, (("max_chars", 100000),))
    assert not compile_rule(long, ()).matches_line(" ".join(["w"] * 1001), 1.0)


def test_descriptions_are_stored_and_rendered() -> None:
    loaded = load_dirs([builtin_rules_dir()])
    described = [rule for rule in loaded.rules if rule.description]
    assert described
    docs = render_docs(loaded)
    for rule in described:
        assert rule.description.strip().splitlines()[0] in docs
