"""Exact semantics of each rule kind and its guards, one rule at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner, Config
from tests.conftest import write_rule


def cleaner_with(tmp_path: Path, body: str, **config: object) -> Cleaner:
    """A cleaner holding one user rule `t` (no built-ins)."""
    write_rule(tmp_path, "common/t.yaml", "id: t\nsummary: test rule\n" + body)
    return Cleaner.from_paths([tmp_path], include_builtin=False, config=Config(**config))  # type: ignore[arg-type]


EXAMPLES = "examples:\n  match: ['x']\n  no_match: ['y']\n"
REPEAT_EXAMPLES = "examples:\n  cases: [{input: 'A title here', output: 'A title here'}]\n"
BODY = "\n\n".join(f"Paragraph {n} of the article tells its part of the story." for n in range(1, 9))


def test_line_full_match_only(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, "kind: line\npattern: 'Source link'\n" + EXAMPLES)
    assert c.clean("A\n\nSource link\n\nThe Source link was broken.") == "A\n\nThe Source link was broken."


def test_line_max_chars_guard(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, "kind: line\npattern: '(?i)read also.*'\nmax_chars: 20\n" + EXAMPLES)
    text = "Title\n\nRead also: short\n\nRead also: a much longer line that is surely prose."
    assert c.clean(text) == "Title\n\nRead also: a much longer line that is surely prose."


def test_line_where_first_within(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, "kind: line\npattern: 'Politics'\nwhere: first\nwithin: 1\n" + EXAMPLES)
    assert c.clean("Politics\n\nTitle\n\nPolitics\n\nBody.") == "Title\n\nPolitics\n\nBody."


def test_line_where_last_within(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, "kind: line\npattern: 'Share'\nwhere: last\nwithin: 2\n" + EXAMPLES)
    assert c.clean("Share\n\nA.\n\nB.\n\nShare\n\nC.") == "Share\n\nA.\n\nB.\n\nC."


def test_span_deletes_inside_title_only(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, "kind: span\npattern: ' – Site'\nwhere: title\n" + EXAMPLES)
    result = c.clean_and_explain("Headline – Site\n\nBody – Site stays here.")
    assert result.text == "Headline\n\nBody – Site stays here."
    (removal,) = result.removals
    assert (removal.start, removal.columns, removal.text) == (0, (8, 15), " – Site")


def test_span_never_empties_a_line(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, "kind: span\npattern: 'Site'\n" + EXAMPLES)
    assert c.clean("Site\n\nBody.") == "Site\n\nBody."


def test_tail_cuts_from_marker_to_end(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, "kind: tail\npattern: 'Support us'\n" + EXAMPLES)
    result = c.clean_and_explain(f"Title\n\n{BODY}\n\nSupport us\n\nDonate\n\nLatest News")
    assert result.text == f"Title\n\n{BODY}"
    assert [r.rule for r in result.removals] == ["common/t"]


def test_tail_respects_min_position(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, "kind: tail\npattern: 'Support us'\nmin_position: 0.5\n" + EXAMPLES)
    text = f"Title\n\nSupport us\n\n{BODY}"
    assert c.clean(text) == text


def test_tail_refuses_to_cut_more_than_max_share(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, "kind: tail\npattern: 'Support us'\nmin_position: 0.0\nmax_share: 0.3\n" + EXAMPLES)
    text = f"Title\n\nIntro.\n\nSupport us\n\n{BODY}"
    assert c.clean(text) == text


def test_head_drops_lines_before_marker(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, "kind: head\npattern: 'Advertisement'\ninclude_marker: true\n" + EXAMPLES)
    text = f"Home > News\n\nAdvertisement\n\nTitle\n\n{BODY}"
    assert c.clean(text) == f"Title\n\n{BODY}"


def test_head_only_within_max_position(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, "kind: head\npattern: 'Advertisement'\nwithin: 2\n" + EXAMPLES)
    text = f"Title\n\nOne.\n\nTwo.\n\nAdvertisement\n\n{BODY}"
    assert c.clean(text) == text


def test_block_start_to_end(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, "kind: block\nstart: 'Share this:'\nend: 'Like Loading\\.\\.\\.'\n" + EXAMPLES)
    text = "Title\n\nBody.\n\nShare this:\n\nTwitter\nFacebook\n\nLike Loading...\n\nMore body."
    assert c.clean(text) == "Title\n\nBody.\n\nMore body."


def test_block_without_end_marker_found_removes_nothing(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, "kind: block\nstart: 'Share this:'\nend: 'Never'\n" + EXAMPLES)
    text = "Title\n\nShare this:\n\nBody."
    assert c.clean(text) == text


def test_block_max_lines_stops_at_long_line(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, "kind: block\nstart: 'Tags:'\nmax_lines: 4\nmax_chars: 30\n" + EXAMPLES)
    text = "Title\n\nTags:\nIraq\nUS\n\nThis long line is content and must survive every block rule."
    assert c.clean(text) == "Title\n\nThis long line is content and must survive every block rule."


def test_repeat_drops_near_duplicate_title(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, "kind: repeat\n" + REPEAT_EXAMPLES)
    text = "Iran-backed militia hit in Iraq\n\nIran backed militia hit in Iraq!\n\nBody."
    assert c.clean(text) == "Iran-backed militia hit in Iraq\n\nBody."


def test_repeat_keeps_a_different_line(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, "kind: repeat\n" + REPEAT_EXAMPLES)
    text = "Strikes in Iraq\n\nStrikes in Syria follow, officials said.\n\nBody."
    assert c.clean(text) == text


def test_repeat_of_any_keeps_first_occurrence(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, "kind: repeat\nof: any\n" + REPEAT_EXAMPLES)
    text = "Title\n\nA pull quote repeated here.\n\nBody.\n\nA pull quote repeated here."
    assert c.clean(text) == "Title\n\nA pull quote repeated here.\n\nBody."


def test_stage_order_span_before_repeat(tmp_path: Path) -> None:
    # The duplicate title differs from the title only by the suffix a span removes.
    write_rule(tmp_path, "common/suffix.yaml", "id: suffix\nsummary: s\nkind: span\nwhere: title\n"
               "pattern: ' \\| Site'\n" + EXAMPLES)
    dup = "id: dup\nsummary: d\nkind: repeat\nmin_similarity: 1.0\n"
    write_rule(tmp_path, "common/dup.yaml", dup + REPEAT_EXAMPLES)
    c = Cleaner.from_paths([tmp_path], include_builtin=False)
    assert c.clean("Big news today | Site\n\nBig news today\n\nBody.") == "Big news today\n\nBody."


@pytest.mark.parametrize("share,expect_skip", [(0.9, False), (0.2, True)])
def test_document_guard(tmp_path: Path, share: float, expect_skip: bool) -> None:
    c = cleaner_with(tmp_path, "kind: line\npattern: 'Residue line here'\n" + EXAMPLES, max_removed_share=share)
    text = "Title of it\n\nResidue line here\n\nResidue line here\n\nBody."
    result = c.clean_and_explain(text)
    assert (result.skipped is not None) == expect_skip
    assert (result.text == result.normalized) == expect_skip
    assert len(result.removals or result.refused) == 2


def test_preview_rules_need_preview(tmp_path: Path) -> None:
    body = "kind: line\nstatus: preview\npattern: 'Sponsored'\n" + EXAMPLES
    assert cleaner_with(tmp_path, body).clean("Title\n\nSponsored\n\nBody.") == "Title\n\nSponsored\n\nBody."
    assert cleaner_with(tmp_path, body, preview=True).clean("Title\n\nSponsored\n\nBody.") == "Title\n\nBody."


def test_ascii_similarity_key_is_the_pattern_key() -> None:
    from cleaner.kinds.repeat import _NON_WORD, _similarity_key

    def by_pattern(line: str) -> str:
        return " ".join(_NON_WORD.sub(" ", line.casefold()).split())

    every_ascii = "".join(map(chr, range(128)))
    for line in [every_ascii, "Strikes resume | The Hill", "  READ ALSO: x_y -- 12  ", "a\tb\x1fc"]:
        assert _similarity_key(line) == by_pattern(line)
    assert _similarity_key("Zürich – “News”") == by_pattern("Zürich – “News”")


def test_context_free_line_and_span_rules(tmp_path: Path) -> None:
    from cleaner.kinds.line import LineMatcher
    from cleaner.kinds.span import SpanMatcher

    write_rule(tmp_path, "common/label.yaml", "id: label\nsummary: s\nkind: line\npattern: 'News'\nwhere: first\n"
               "within: 2\nexamples: {match: ['News'], no_match: ['Good news.']}\n")
    write_rule(tmp_path, "common/any.yaml", "id: any\nsummary: s\nkind: line\npattern: 'News'\n"
               "examples: {match: ['News'], no_match: ['Good news.']}\n")
    write_rule(tmp_path, "common/suffix.yaml", "id: suffix\nsummary: s\nkind: span\npattern: ' - X$'\nwhere: title\n"
               "examples: {match: ['A - X'], no_match: ['A']}\n")
    rules = Cleaner.from_paths([tmp_path], include_builtin=False).rules
    label, anywhere, suffix = (rules.matcher(f"common/{n}") for n in ("label", "any", "suffix"))
    assert isinstance(label, LineMatcher) and isinstance(anywhere, LineMatcher) and isinstance(suffix, SpanMatcher)
    assert not label.context_free and anywhere.context_free and not suffix.context_free
