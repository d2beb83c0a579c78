"""Lazy patterns: compiled on first real use, answering exactly as the compiled pattern does."""

from __future__ import annotations

import pickle

import regex

from cleaner import Cleaner
from cleaner.match import lazy as lazyregex
from cleaner.match.lazy import LazyPattern, compile_pattern

LINES = ["READ ALSO: x", "read also", "Nothing here", "", "ſee read aLSO: y", "x read also: z"]


def test_answers_like_the_compiled_pattern() -> None:
    source = r"(?i)read also\s*:.*"
    compiled = regex.compile(source)
    for line in LINES:
        lazy = LazyPattern(source, None)
        assert (lazy.fullmatch(line) is None) == (compiled.fullmatch(line) is None)
        lazy = LazyPattern(source, None)
        found, expected = lazy.search(line), compiled.search(line)
        assert (found and found.span()) == (expected and expected.span())
        lazy = LazyPattern(source, None)
        assert [m.span() for m in lazy.finditer(line)] == [m.span() for m in compiled.finditer(line)]


def test_not_compiled_until_a_text_could_match() -> None:
    lazy = LazyPattern(r"(?i)read also\s*:.*", None)
    assert lazy.fullmatch("Nothing here", timeout=1.0) is None
    assert list(lazy.finditer("Nothing here either")) == []
    assert lazy._compiled is None
    assert lazy.fullmatch("Read also: this") is not None
    assert lazy._compiled is not None
    assert lazy.fullmatch == lazy._compiled.fullmatch  # bound directly once compiled


def test_a_partial_match_is_never_refuted() -> None:
    lazy = LazyPattern(r"read also", None)
    assert lazy.fullmatch("read", partial=True) is not None


def test_refutes_a_bounded_number_of_times_then_compiles() -> None:
    lazy = LazyPattern(r"read also", None)
    for _ in range(lazyregex._GATED_CALLS):
        assert lazy.search("prose") is None
    assert lazy._compiled is None
    assert lazy.search("prose") is None
    assert lazy._compiled is not None


def test_other_attributes_come_from_the_compiled_pattern() -> None:
    lazy = LazyPattern(r"(?i)(?P<word>\w+)", None)
    assert lazy.pattern == r"(?i)(?P<word>\w+)"
    assert lazy.groupindex == {"word": 1}
    assert lazy.sub("x", "a b") == "x x"


def test_site_names_are_bound() -> None:
    lazy = compile_pattern(r"[-|]\s*\L<site_names>$", ["The Hill"], lazy=True)
    assert isinstance(lazy, LazyPattern)
    assert lazy.search("Title | The Hill") is not None
    assert lazy.search("Title | Other") is None


def test_pickles_by_recipe() -> None:
    lazy = LazyPattern(r"(?i)read also", None)
    assert lazy.search("READ ALSO")
    clone = pickle.loads(pickle.dumps(lazy))
    assert clone._compiled is None and clone.source == lazy.source
    assert clone.search("read also")


def test_a_cleaner_compiles_only_what_a_small_document_needs() -> None:
    cleaner = Cleaner.default()
    cleaner.clean("Title\n\nA short story about nothing in particular.\n\nREAD ALSO: other story")
    matchers = [cleaner.rules.matcher(rule.qualified_id) for rule in cleaner.rules.rules if rule.status == "stable"]
    lazy = [m.regex for m in matchers if isinstance(getattr(m, "regex", None), LazyPattern)]
    compiled = [p for p in lazy if p._compiled is not None]
    assert len(lazy) > 30
    assert 1 <= len(compiled) <= 5, [p.source[:40] for p in compiled]
