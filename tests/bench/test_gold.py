"""Gold alignment: strict deletions with located violations, loose folding for retyped gold."""

from __future__ import annotations

from cleaner.bench.gold import align_loose, align_strict, fold, kept_within
from cleaner.text.normalize import normalize_text

INPUT = "Title \u2013 Times of India\n\nFirst paragraph.\n\nREAD ALSO: Elsewhere\n\nSecond paragraph.\n\nSource link"


def test_strict_gold_that_deletes_lines_and_a_title_suffix() -> None:
    gold = "Title\n\nFirst paragraph.\n\nSecond paragraph."
    alignment = align_strict(INPUT, gold)
    assert alignment.violations == ()
    kept = {t.index: (t.chars, t.gold_chars) for t in alignment.truth}
    # Normalised input lines: 0 title, 2 first, 4 read-also, 6 second, 8 source link.
    assert kept == {0: (22, 5), 2: (16, 16), 4: (20, 0), 6: (17, 17), 8: (11, 0)}
    assert alignment.coverage == 1.0


def test_strict_gold_with_a_changed_word_is_a_violation_with_its_gold_line() -> None:
    raw_gold = "Title\n\n\nFirst paragraph.\n\nSecond paragraf.\n"
    alignment = align_strict(INPUT, normalize_text(raw_gold), raw_gold)
    assert len(alignment.violations) == 1
    violation = alignment.violations[0]
    # Line 6 of the raw gold file (blank lines counted), found nowhere after input line 3.
    assert violation.line == 6
    assert violation.text == "Second paragraf."
    assert "after input line 3" in violation.message


def test_strict_gold_out_of_order_is_a_violation() -> None:
    alignment = align_strict(INPUT, "Second paragraph.\n\nFirst paragraph.")
    assert [v.line for v in alignment.violations] == [3]


def test_kept_within_allows_up_to_two_cuts() -> None:
    assert kept_within("Politics: Big news today | The Hill", "Big news today")
    assert kept_within("Big news \u2013 Site", "Big news")
    assert kept_within("A b c d e", "A c e")  # "b " and " d" cut
    assert kept_within("A b c d e f g", "A c e g") is False  # three stretches cut
    assert kept_within("Same", "Same") is False  # not a deletion at all; equality is matched separately


def test_fold_straightens_quotes_dashes_and_case() -> None:
    assert fold("It\u2019s \u201cGreat\u201d \u2014 Really") == fold("it's \"great\" - really")


def test_loose_gold_matches_retyped_lines_and_ignores_added_title() -> None:
    text = (
        "It\u2019s a story about \u201cthings\u201d that go on and on.\n\nShare this\n\nHome\n\n"
        "The end of the story, truly."
    )
    gold = "A Title The Gold Added\n\nIt's a story about \"things\" that go on and on.\nThe end of the story, truly."
    alignment = align_loose(text, gold)
    residue = {t.index for t in alignment.truth if t.residue}
    assert residue == {2, 4}
    # 2 of the gold's 3 lines are in the input: the added title is not.
    assert alignment.coverage == 2 / 3


def test_loose_short_lines_are_not_content_just_because_a_gold_sentence_has_the_word() -> None:
    alignment = align_loose("Home\n\nWe went home early that day.", "We went home early that day.")
    assert [t.residue for t in alignment.truth] == [True, False]


def test_loose_line_the_gold_has_once_is_content_once() -> None:
    text = "Tax 101: Understanding the basics\n\nTax 101: Understanding the basics\n\nTaxes are due in April."
    gold = "Tax 101: Understanding the basics\n\nTaxes are due in April."
    alignment = align_loose(text, gold)
    assert [t.residue for t in alignment.truth] == [False, True, False]


def test_loose_ignores_bullets_and_space_before_colon() -> None:
    text = "- The market grew to $125 billion last year.\n\n*Note : sizes exclude hardware vendors."
    gold = "The market grew to $125 billion last year.\n*Note: sizes exclude hardware vendors."
    assert [t.residue for t in align_loose(text, gold).truth] == [False, False]
