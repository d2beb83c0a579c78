"""The YAML mining writes: single-quoted, commented with support, and loads as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from mine_fixtures import SITES, site_pages

from cleaner.mine.miner import MineResult, Proposal, mine
from cleaner.mine.pack import check_pack, quote, render_pack
from cleaner.rules.schema import parse_site_file
from cleaner.rules.yamlsource import YList, YMap, load_yaml


@pytest.mark.parametrize("site", SITES)
def test_pack_loads_as_written_with_no_diagnostic(site: str) -> None:
    result = mine(site_pages(site, range(1, 5)), site)
    text = render_pack(result)
    assert check_pack(text, site) == []
    data, _ = load_yaml(text, f"{site}.yaml")
    pack, rules, _ = parse_site_file(data, Path(f"{site}.yaml"), set())
    assert pack is not None and pack.names == result.names
    assert [r.id for r in rules] == [p.id for p in result.proposals]
    assert all(r.status == "preview" for r in rules)
    # What the loader reads back is exactly what mining proposed.
    assert [r.pattern for r in rules] == [p.pattern for p in result.proposals]
    assert [r.examples.match for r in rules] == [p.match for p in result.proposals]
    # Every pattern sits in single quotes (double quotes would turn "\b" into a backspace).
    assert isinstance(data, YMap)
    raw_rules = data["rules"]
    assert isinstance(raw_rules, YList)
    for raw in raw_rules:
        assert isinstance(raw, YMap)
        for key in ("pattern", "start", "end"):
            if key in raw:
                assert raw.value_style[key] == "'"


def test_support_comment_precedes_each_rule() -> None:
    result = mine(site_pages("hearth-kitchen.example", range(1, 5)), "hearth-kitchen.example")
    lines = render_pack(result).splitlines()
    for proposal in result.proposals:
        at = lines.index(f"  - id: {proposal.id}")
        comments = [line for line in lines[at - 2 : at] if line.startswith("  # support: ")]
        assert comments == [f"  # support: {proposal.support()}; pages: {', '.join(proposal.example_docs)}"]


def test_quote_round_trips_awkward_text() -> None:
    awkward = ["it's", "a \\b b", "\\d+ Comments?", "#hash: yes", "'quoted'", "no", "- dash", "« guillemets »"]
    text = "values:\n" + "".join(f"  - {quote(value)}\n" for value in awkward)
    data, diagnostics = load_yaml(text, "x.yaml")
    assert diagnostics == []
    assert isinstance(data, YMap) and list(data["values"]) == awkward  # type: ignore[arg-type]


def test_an_empty_result_is_a_valid_pack() -> None:
    text = render_pack(MineResult("example.com", 3, (), (), ()))
    assert "rules: []" in text
    assert check_pack(text, "example.com") == []


def test_a_broken_proposal_is_caught_by_the_check() -> None:
    bad = Proposal("x", "line", "s", "(unclosed", (), ("a",), ("b c d e f g",), 3, 3, "body", "", ("p",))
    problems = check_pack(render_pack(MineResult("example.com", 3, (), (bad,), ())), "example.com")
    assert [d.code for d in problems] == ["E105"]
