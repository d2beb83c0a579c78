"""Line facts: shape, position, neighbours and repetition over the kept lines."""

from __future__ import annotations

from cleaner.text.linefacts import cheap_facts, costly_facts, line_facts, outline

PROSE = "The council voted on Tuesday to approve the new budget after a long debate about schools."


def test_facts_of_a_small_document() -> None:
    facts = line_facts(["Advertisement", PROSE, "Evan Vucci/AP", PROSE, "Share this:"])
    assert {"first-line", "very-short", "before-prose", "next-prose"} <= facts[0]
    assert "after-prose" not in facts[2] and "prev-prose" in facts[2]
    assert {"last-line", "after-prose", "colon-end"} <= facts[4]
    assert "repeated-in-document" in facts[1] and "repeated-earlier" in facts[3]
    assert "repeated-earlier" not in facts[1]


def test_a_pull_quote_is_inside_another_line() -> None:
    quote = "to approve the new budget after a long debate"
    facts = line_facts([PROSE, quote])
    assert "inside-another-line" in facts[1] and "inside-another-line" not in facts[0]


def test_short_repeats_and_long_repeats_are_told_apart() -> None:
    facts = line_facts(["Cons", PROSE, "Cons", PROSE])
    assert "repeated-short-line" in facts[0] and "repeated-in-document" not in facts[0]
    assert "repeated-in-document" in facts[1]


def test_costly_facts_read_the_line() -> None:
    assert {"url", "email", "handle"} <= costly_facts("Mail jo@example.com or @jo at https://x.org/a", 6)
    assert "counter" in costly_facts("3/12", 1)
    assert "list-item" in costly_facts("- first point", 3)
    assert costly_facts("word " * 41, 41) == set()


def test_the_cheap_and_the_costly_facts_make_all_facts() -> None:
    lines = ["BREAKING", PROSE, "Photo: jo@example.com", "- a list item", PROSE.replace("budget", "plan")]
    shape = outline(lines)
    cheap = cheap_facts(lines, None, shape)
    everything = line_facts(lines, None, shape)
    for i, line in enumerate(lines):
        assert everything[i] == frozenset(cheap[i] | costly_facts(line, shape.words[i]))
    assert shape.prose == (False, True, False, False, True)
    assert [shape.plain(i) for i in range(len(lines))] == [False, True, False, False, True]


def test_pull_quotes_are_not_looked_for_past_the_budget(monkeypatch: object) -> None:
    """A hostile document of many lines cannot make the pull-quote search quadratic."""
    import cleaner.text.linefacts as linefacts

    quote = "to approve the new budget after a long debate"
    assert "inside-another-line" in line_facts([PROSE, quote])[1]
    monkeypatch.setattr(linefacts, "PULL_QUOTE_BUDGET", 10)  # type: ignore[attr-defined]
    assert "inside-another-line" not in line_facts([PROSE, quote])[1]


def test_repeated_earlier_is_linear_in_the_lines() -> None:
    facts = line_facts(["Same line of text here"] * 3000)
    assert "repeated-earlier" not in facts[0] and all("repeated-earlier" in facts[i] for i in range(1, 3000))
