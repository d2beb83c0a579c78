"""Normalisation repairs damage and leaves typography alone."""

from __future__ import annotations

from cleaner.text.normalize import normalize_text


def test_line_endings_and_blank_runs() -> None:
    assert normalize_text("A\r\nB\rC\n\n\n\nD\n") == "A\nB\nC\n\nD"


def test_no_break_spaces_at_line_edges_go_inside_stay() -> None:
    assert normalize_text("\u00a0 US forces\u00a0\nREAD ALSO:\u00a0 X") == "US forces\nREAD ALSO:\u00a0 X"


def test_mojibake_is_repaired() -> None:
    assert normalize_text("Iranâ€™s strike") == "Iran’s strike"


def test_typography_is_kept() -> None:
    text = "“Quoted” — and ‘single’… ﬁne"
    assert normalize_text(text) == text


def test_bom_and_control_characters() -> None:
    assert normalize_text("\ufeffTitle\x07\n\nBody") == "Title\n\nBody"


def test_paragraph_structure_kept() -> None:
    assert normalize_text("  Title  \n\n  One\nTwo  \n\n\nThree") == "Title\n\nOne\nTwo\n\nThree"
