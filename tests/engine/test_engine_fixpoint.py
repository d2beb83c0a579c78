"""Cleaning runs to a fixed point: the stages repeat over what they kept until nothing changes."""

from __future__ import annotations

from pathlib import Path

from cleaner import Cleaner, clean, clean_and_explain, replay
from tests.conftest import write_rule, write_simple_rule

PROSE = [
    "About 46,000 US troops remain in Iraq.",
    "Earlier on Thursday, the Pentagon was given the authority to respond after a rocket barrage.",
    "The House action sends the measure to the president, who has threatened to veto it.",
]


def test_stacked_section_labels_all_go() -> None:
    # section-label is `where: first, within: 1`; once the first label is gone the second is first.
    text = "Politics\n\nWorld News\n\nStrikes resume in Iraq\n\n" + "\n\n".join(PROSE)
    result = clean_and_explain(text)
    assert [r.rule for r in result.removals] == ["common/section-label", "common/section-label"]
    assert result.text == "Strikes resume in Iraq\n\n" + "\n\n".join(PROSE)
    assert clean(result.text) == result.text


def test_title_suffixes_removed_one_after_another_keep_source_columns() -> None:
    text = "Strikes resume – TOI | The Times of India\n\n" + PROSE[0]
    result = clean_and_explain(text, site="timesofindia.indiatimes.com")
    assert result.text == "Strikes resume\n\n" + PROSE[0]
    assert [(r.columns, r.text) for r in result.removals] == [((14, 20), " – TOI"), ((20, 41), " | The Times of India")]
    assert replay(result.normalized, result.removals) == result.text


SPAN_RULES = {
    "common/ad-marker.yaml": "id: ad-marker\nsummary: s\nkind: span\npattern: ' \\[ad\\]'\n"
    "examples: {match: ['Title [ad]'], no_match: ['A plain sentence.']}\n",
    "common/sponsor-prefix.yaml": "id: sponsor-prefix\nsummary: s\nkind: span\npattern: '^Sponsored by Acme:\\s*'\n"
    "examples: {match: ['Sponsored by Acme: Title'], no_match: ['A plain sentence.']}\n",
}


def test_a_span_formed_by_an_earlier_cut_maps_to_two_source_runs(tmp_path: Path) -> None:
    for name, text in SPAN_RULES.items():
        write_rule(tmp_path, name, text)
    cleaner = Cleaner.from_paths([tmp_path], include_builtin=False)
    text = "Sponsored [ad] by Acme: Strikes resume in Iraq\n\n" + PROSE[0]
    result = cleaner.clean_and_explain(text)
    assert result.text == "Strikes resume in Iraq\n\n" + PROSE[0]
    line = result.normalized.split("\n")[0]
    # " [ad]" first; then "Sponsored by Acme: " is cut from what was left, which in the
    # source is "Sponsored" and " by Acme: " on either side of the first cut.
    assert sorted((r.rule, r.columns) for r in result.removals) == [
        ("common/ad-marker", (9, 14)),
        ("common/sponsor-prefix", (0, 9)),
        ("common/sponsor-prefix", (14, 24)),
    ]
    assert all(line[r.columns[0] : r.columns[1]] == r.text for r in result.removals if r.columns)
    assert replay(result.normalized, result.removals) == result.text
    assert cleaner.clean(result.text) == result.text


def test_a_line_cut_by_a_span_then_removed_whole_is_one_removal_quoting_the_source(tmp_path: Path) -> None:
    write_rule(tmp_path, "common/ad-marker.yaml", SPAN_RULES["common/ad-marker.yaml"])
    write_simple_rule(tmp_path, "sponsored", "line", "Sponsored", "Sponsored", "A sponsored bill.")
    cleaner = Cleaner.from_paths([tmp_path], include_builtin=False)
    # Pass 1 cuts " [ad]" (span); pass 2 sees a line reading "Sponsored" and drops it whole.
    text = "Strikes resume in Iraq\n\n" + PROSE[0] + "\n\nSponsored [ad]\n\n" + PROSE[1]
    result = cleaner.clean_and_explain(text)
    assert result.text == "Strikes resume in Iraq\n\n" + PROSE[0] + "\n\n" + PROSE[1]
    assert [(r.rule, r.start, r.text, r.columns) for r in result.removals] == [
        ("common/sponsored", 4, "Sponsored [ad]", None)
    ]
    assert replay(result.normalized, result.removals) == result.text
