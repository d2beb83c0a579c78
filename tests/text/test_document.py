"""Word counts and the document state the matchers share."""

from __future__ import annotations

import pytest

from cleaner.text.document import _count_by_spaces, words


def test_every_whitespace_but_the_space_is_unprintable() -> None:
    # _count_by_spaces relies on it to prove a text has no other whitespace than spaces.
    others = [c for c in range(0x110000) if chr(c).isspace() and chr(c) != " " and chr(c).isprintable()]
    assert others == []


@pytest.mark.parametrize(
    "text",
    [
        "", "one", "one two", "one two\nthree", "Title\n\nBody text here.\n\nEnd", "a  b", " a", "a ",
        "a\tb", "a\u00a0b", "a\u3000b", "x\n\n\ny", "\n", "a\n", "é ü ß", "a\x1cb", "a \n b",
    ],
)
def test_count_by_spaces_agrees_with_split_or_declines(text: str) -> None:
    fast = _count_by_spaces(text)
    assert fast is None or fast == len(text.split())
    assert words(text) == len(text.split())


def test_simply_spaced_text_takes_the_fast_count() -> None:
    assert _count_by_spaces("Title\n\nBody text here.\n\nEnd") == 5
    assert _count_by_spaces("a\u00a0b") is None
