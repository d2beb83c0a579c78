"""Line shapes: which lines count as "the same line" for mining, and the regex they yield."""

from __future__ import annotations

import pytest
import regex

from cleaner.rules.schema import NESTED_QUANTIFIER_RE
from cleaner.text.lineshape import shape_of, slug_words


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("12 Comments", "3 Comments"),
        ("12 Comments", "1 Comment"),
        ("© 2023 Example News", "© 2024 Example News"),
        ("Copyright 2019-2023 Lumen Media", "Copyright 2019-2025 Lumen Media"),
        ("Posted on March 3, 2024", "Posted on 14 November 2023"),
        ("Updated 10:30 am", "Updated 4:05 PM"),
        ("Published 3 hours ago", "Published 2 days ago"),
        ("4.8 from 23 votes", "5 from 112 votes"),
        ("Comments (3)", "Comments (1,204)"),
        ("Share  this:", "Share this:"),
    ],
)
def test_same_shape(one: str, other: str) -> None:
    assert shape_of(one).key == shape_of(other).key
    pattern = shape_of(one).pattern
    assert regex.fullmatch(pattern, " ".join(one.split()))
    assert regex.fullmatch(pattern, " ".join(other.split()))


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("12 Comments", "12 Shares"),
        ("© 2023 Example News", "© 2023 Other News"),
        ("Share this:", "share this:"),
        ("Local News", "Local Sport"),
    ],
)
def test_different_shape(one: str, other: str) -> None:
    assert shape_of(one).key != shape_of(other).key
    assert not regex.fullmatch(shape_of(one).pattern, other)


def test_literal_parts_are_escaped() -> None:
    line = "Did you make this recipe? (Tag us: @hearth.kitchen) [*]"
    pattern = shape_of(line).pattern
    assert regex.fullmatch(pattern, line)
    assert not regex.fullmatch(pattern, "Did you make this recipe (Tag us: @hearthXkitchen) [*]")


def test_plural_is_folded_only_after_a_count() -> None:
    # "2023 Riverbend" is a year before a name, not a count of Riverbends.
    assert shape_of("© 2023 Riverbend Gazette").pattern == r"© \d[\d.,]* Riverbend Gazette"
    assert shape_of("3 Comments").pattern == r"\d[\d.,]* Comments?"


def test_emitted_patterns_do_not_nest_quantifiers() -> None:
    for line in ("Posted on March 3, 2024 at 10:30 am · 5 min read", "1,234 views", "3 hours ago", "2024-01-05"):
        assert NESTED_QUANTIFIER_RE.search(shape_of(line).pattern) is None


def test_letters_count_only_literal_text() -> None:
    assert shape_of("2024").letters == 0
    assert shape_of("12 Comments").letters == len("Comment")


def test_slug_words() -> None:
    words = ["copyright", "2024", "riverbend", "gazette", "all"]
    assert slug_words("© 2024 Riverbend Gazette. All rights reserved.") == words
    assert slug_words("Café Münster: Öffnungszeiten") == ["cafe", "munster", "offnungszeiten"]
