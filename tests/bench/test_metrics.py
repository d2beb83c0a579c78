"""Scoring functions on small cases whose figures are worked out by hand in the comments."""

from __future__ import annotations

import pytest

from cleaner.bench.metrics import (
    LineTruth,
    RemovalCounts,
    SnippetCounts,
    TokenCounts,
    exact,
    f1,
    removal_counts,
    snippet_counts,
    token_counts,
    tokens,
)


def _ten_line_doc() -> list[LineTruth]:
    # Lines 0-6 are content of 50 characters each (350 chars); lines 7, 8, 9 are residue of
    # 10, 20 and 30 characters (60 residue chars).
    return [LineTruth(i, 50, 50) for i in range(7)] + [
        LineTruth(7, 10, 0), LineTruth(8, 20, 0), LineTruth(9, 30, 0),
    ]


def test_two_residue_and_one_content_line_removed() -> None:
    # The rule removes residue lines 7 and 8 and content line 2.
    counts = removal_counts(_ten_line_doc(), {7: 10, 8: 20, 2: 50})
    # Lines: 3 removed, 2 of them residue -> precision 2/3; 3 residue lines, 2 removed -> recall 2/3.
    assert counts.removed_lines == 3
    assert counts.removed_residue_lines == 2
    assert counts.residue_lines == 3
    assert counts.line_precision == pytest.approx(2 / 3)
    assert counts.line_recall == pytest.approx(2 / 3)
    # Characters: removed 10 + 20 + 50 = 80, of which residue 10 + 20 = 30 -> precision 30/80 = 0.375;
    # residue 10 + 20 + 30 = 60, removed 30 of it -> recall 30/60 = 0.5.
    assert (counts.removed_chars, counts.removed_residue_chars, counts.residue_chars) == (80, 30, 60)
    assert counts.char_precision == pytest.approx(0.375)
    assert counts.char_recall == pytest.approx(0.5)


def test_title_suffix_cut_counts_in_characters_only() -> None:
    # A 30-character title whose last 10 characters (" - Site Nm") the gold drops, and a body line.
    truth = [LineTruth(0, 30, 20), LineTruth(2, 80, 80)]
    counts = removal_counts(truth, {0: 10})
    # No whole line is residue or removed: line figures are vacuous (1.0 by convention).
    assert (counts.residue_lines, counts.removed_lines) == (0, 0)
    assert counts.line_precision == counts.line_recall == 1.0
    # 10 chars removed, all residue; 10 residue chars in all -> 10/10 both ways.
    assert (counts.removed_chars, counts.removed_residue_chars, counts.residue_chars) == (10, 10, 10)


def test_cut_inside_a_content_line_is_a_false_positive_by_characters() -> None:
    # A 40-character content line loses 5 characters: 5 removed, none residue -> precision 0/5 = 0.
    counts = removal_counts([LineTruth(0, 40, 40)], {0: 5})
    assert counts.char_precision == 0.0
    assert counts.char_recall == 1.0  # no residue at all


def test_nothing_removed_nothing_to_remove_is_perfect() -> None:
    counts = removal_counts([LineTruth(0, 10, 10)], {})
    assert counts == RemovalCounts(0, 0, 0, 0, 0, 0)
    assert (counts.line_precision, counts.line_recall, counts.char_precision, counts.char_recall) == (1, 1, 1, 1)


def test_missing_all_residue_gives_zero_recall() -> None:
    # 3 residue lines (60 chars), none removed: recall 0/3 and 0/60; precision vacuous.
    counts = removal_counts(_ten_line_doc(), {})
    assert counts.line_recall == 0.0
    assert counts.char_recall == 0.0
    assert counts.line_precision == 1.0


def test_counts_add_up_to_micro_averages() -> None:
    # Doc A: 2/3 precision (above). Doc B: one residue line of 10 chars removed -> 1/1.
    a = removal_counts(_ten_line_doc(), {7: 10, 8: 20, 2: 50})
    b = removal_counts([LineTruth(0, 10, 0), LineTruth(1, 40, 40)], {0: 10})
    total = a + b
    # Micro: (2 + 1) / (3 + 1) = 0.75 by lines, not the mean of 2/3 and 1 (0.8333).
    assert total.line_precision == pytest.approx(0.75)
    # Characters: (30 + 10) / (80 + 10) = 40/90.
    assert total.char_precision == pytest.approx(40 / 90)


def test_tokens_are_casefolded_words() -> None:
    assert tokens("READ Also: it\u2019s 2,000 km") == ["read", "also", "it", "s", "2", "000", "km"]


def test_token_counts_bag_of_words() -> None:
    # output a b b c, gold a b d: overlap min(a)=1 + min(b)=1 = 2.
    counts = token_counts("a b b c", "a b d")
    assert counts == TokenCounts(overlap=2, output=4, gold=3)
    # P = 2/4 = 0.5, R = 2/3, F1 = 2 * 0.5 * (2/3) / (0.5 + 2/3) = (2/3) / (7/6) = 4/7.
    assert counts.precision == pytest.approx(0.5)
    assert counts.recall == pytest.approx(2 / 3)
    assert counts.f1 == pytest.approx(4 / 7)


def test_token_counts_micro_over_documents() -> None:
    # Doc 1 as above (2 of 4 output, 3 gold); doc 2: output "x", gold "x y z w" -> 1 of 1, 4 gold.
    total = token_counts("a b b c", "a b d") + token_counts("x", "x y z w")
    # Micro P = (2 + 1) / (4 + 1) = 0.6, R = 3 / 7.
    assert total.precision == pytest.approx(0.6)
    assert total.recall == pytest.approx(3 / 7)
    assert total.f1 == pytest.approx(f1(0.6, 3 / 7))


def test_empty_output_against_gold_has_zero_recall() -> None:
    counts = token_counts("", "some words")
    assert (counts.precision, counts.recall, counts.f1) == (1.0, 0.0, 0.0)


def test_snippets_present_as_substrings_of_whitespace_normalised_text() -> None:
    text = "Body  text.\n\nShare   this story"
    counts = snippet_counts(text, ["Body text."], ["Share this", "Newsletter", "  "])
    # "Body text." survives (1/1); "Share this" is still there, "Newsletter" is gone (1/2);
    # the blank snippet is ignored.
    assert counts == SnippetCounts(with_total=1, with_kept=1, without_total=2, without_removed=1)
    assert counts.with_kept_share == 1.0
    assert counts.without_removed_share == 0.5


def test_snippet_spanning_a_line_break_counts_as_present() -> None:
    counts = snippet_counts("first line\nsecond line", ["line second"], [])
    assert counts.with_kept == 1


def test_exact_ignores_whitespace_only() -> None:
    assert exact("Title\n\nBody  text.", "Title\nBody text.")
    assert not exact("Title\n\nBody text.", "Title\nBody text")
