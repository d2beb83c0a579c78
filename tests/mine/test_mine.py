"""Mining: what recurs becomes a proposal of the fitting kind; what reads as content never does."""

from __future__ import annotations

import pytest
from mine_fixtures import SITES, article, prose, site_pages, title

from cleaner.core.model import Examples, Rule
from cleaner.kinds import compile_rule
from cleaner.mine.miner import MineOptions, Page, Proposal, looks_like_content, mine
from cleaner.rules.schema import ID_RE
from cleaner.text.normalize import normalize_text


def _pages(count: int, *, head: list[str] | None = None, middle: list[str] | None = None,
           tail: list[str] | None = None, only: set[int] | None = None) -> list[Page]:
    """``count`` pages of varying prose; the extra lines go on every page, or only on pages ``only``."""
    pages = []
    for i in range(count):
        extra = only is None or i in only
        body = article(i)
        lines = [*(head or [] if extra else []), body[0], *body[1:3], *(middle or [] if extra else []), *body[3:],
                 *(tail or [] if extra else [])]
        pages.append(Page(f"page-{i}", "\n\n".join(lines)))
    return pages


def _patterns(pages: list[Page], **options: object) -> list[str]:
    return [p.pattern for p in mine(pages, "example.com", MineOptions(**options)).proposals]  # type: ignore[arg-type]


def test_a_counter_recurring_with_different_numbers_is_one_rule() -> None:
    pages = _pages(4, middle=["Advertisement"])
    counts = ("12 Comments", "3 Comments", "1 Comment", "40 Comments")
    pages = [Page(p.id, f"{p.text}\n\n{n}") for p, n in zip(pages, counts, strict=True)]
    result = mine(pages, "example.com")
    by_pattern = {p.pattern: p for p in result.proposals}
    assert r"\d[\d.,]* Comments?" in by_pattern
    assert set(by_pattern[r"\d[\d.,]* Comments?"].match) == {"12 Comments", "3 Comments", "1 Comment"}
    assert "Advertisement" in by_pattern


def test_min_docs() -> None:
    pages = _pages(6, tail=["Advertisement"], only={0, 3})
    assert "Advertisement" not in _patterns(pages)
    assert "Advertisement" in _patterns(pages, min_docs=2)


def test_min_share() -> None:
    pages = _pages(12, tail=["Advertisement"], only={0, 4, 8})
    assert "Advertisement" not in _patterns(pages)  # 3 of 12 pages: 25% < 30%
    assert "Advertisement" in _patterns(pages, min_share=0.25)


def test_lines_amid_the_prose_need_a_larger_share() -> None:
    pages = _pages(10, middle=["TikTok"], only={0, 3, 6, 9})
    result = mine(pages, "example.com")  # 4 of 10 pages: enough for --min-share, not amid prose
    assert result.proposals == ()
    assert [r.reason for r in result.rejected] == ["amid the prose on 40% of pages (lines there need 50%)"]
    assert _patterns(pages, min_body_share=0.4) == ["TikTok"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("This report was produced with support from the River Fund and checked by two of our editors.", "sentence"),
        ("“We will rebuild the bridge before the winter,” the mayor said.", "quotation"),
        ("2024", "no words"),
        ("Conclusion", "heading"),
        ("Key Takeaways:", "heading"),
    ],
)
def test_content_like_lines_are_never_proposed(line: str, reason: str) -> None:
    for placement in ("middle", "tail", "head"):
        result = mine(_pages(5, **{placement: [line]}), "example.com")  # type: ignore[arg-type]
        assert all(line not in p.match for p in result.proposals), placement
        assert any(r.text == line and reason in r.reason for r in result.rejected), placement


def test_lines_that_differ_beyond_the_abstraction_are_not_proposed() -> None:
    authors = ["By Alice Moreno", "By Bernard Okafor", "By Chen Wei", "By Dana Fischer", "By Emil Novak"]
    pages = [Page(p.id, p.text.replace("\n\n", f"\n\n{authors[i]}\n\n", 1)) for i, p in enumerate(_pages(5))]
    assert _patterns(pages) == []


def test_a_recurring_line_followed_by_prose_is_not_a_tail() -> None:
    # "Share this:" sits between paragraphs on every page: only the line itself may go.
    proposals = mine(_pages(5, middle=["Share this:"]), "example.com").proposals
    assert [(p.kind, p.pattern) for p in proposals] == [("line", "Share this:")]


def test_tail_marker_covers_what_always_follows_it() -> None:
    pages = _pages(5, tail=["Share this:", "Facebook", "Email", "Related Posts"])
    # Each page lists its own related headlines after the constant lines.
    pages = [Page(p.id, f"{p.text}\n{title(i + 7)}") for i, p in enumerate(pages)]
    proposals = mine(pages, "example.com").proposals
    assert [(p.kind, p.pattern) for p in proposals] == [("tail", "Share this:")]
    assert proposals[0].covers == ("Facebook", "Email", "Related Posts")


def _kinds(site: str) -> dict[str, Proposal]:
    result = mine(site_pages(site, range(1, 5)), site)
    return {p.id: p for p in result.proposals}


def test_kinds_on_the_synthetic_news_site() -> None:
    found = _kinds("riverbend-gazette.example")
    assert found["local-news"].kind == "head"
    assert found["support-the-riverbend-gazette"].kind == "tail"
    assert found["share-this"].kind == "tail"
    assert "Donate today" in found["support-the-riverbend-gazette"].covers
    assert found["advertisement"].kind == "line"


def test_kinds_on_the_synthetic_tech_blog() -> None:
    result = mine(site_pages("lumen-tech.example", range(1, 5)), "lumen-tech.example")
    found = {p.id: p for p in result.proposals}
    assert result.names == ("Lumen Tech",)
    block = found["related-reading"]
    assert block.kind == "block" and dict(block.options)["end"] == "Continue reading below"
    assert found["posted-on-min-read"].kind == "line"
    assert dict(found["posted-on-min-read"].options)["where"] == "first"
    assert found["share-this-article"].kind == "tail"


def test_kinds_on_the_synthetic_recipe_blog() -> None:
    found = _kinds("hearth-kitchen.example")
    assert found["home-recipes"].kind == "head"
    assert found["home-recipes"].covers == ("Skip to content",)
    assert found["did-you-make-this-recipe"].kind == "tail"
    assert found["print-recipe"].kind == "line" and "where" not in dict(found["print-recipe"].options)


@pytest.mark.parametrize("site", SITES)
def test_examples_come_from_the_pages_and_hold(site: str) -> None:
    pages = site_pages(site, range(1, 5))
    lines = {line for page in pages for line in normalize_text(page.text).split("\n")}
    result = mine(pages, site)
    assert result.proposals
    ids = [p.id for p in result.proposals]
    assert len(ids) == len(set(ids)) and all(ID_RE.fullmatch(i) for i in ids)
    for proposal in result.proposals:
        assert set(proposal.match) <= lines and set(proposal.no_match) <= lines
        assert all(looks_like_content(line) is None for line in proposal.match)
        assert all(len(line.split()) >= 6 for line in proposal.no_match)
        rule = Rule(proposal.id, site, proposal.kind, proposal.summary, proposal.pattern, proposal.options, Examples())
        matcher = compile_rule(rule, ())
        assert all(matcher.matches_line(line, 1.0) for line in proposal.match)
        assert not any(matcher.matches_line(line, 1.0) for line in proposal.no_match)
        assert proposal.docs >= 3 and proposal.share >= 0.3


def test_looks_like_content() -> None:
    assert looks_like_content(prose(1, 1)) is not None
    assert looks_like_content("\u2018Never again,\u2019 she said.") == "a quotation"
    assert looks_like_content("Support the Riverbend Gazette") is None
    assert looks_like_content("Your email address will not be published. Required fields are marked *") is None


def test_too_few_pages_propose_nothing() -> None:
    assert mine(_pages(2, middle=["Advertisement"]), "example.com").proposals == ()


def test_duplicate_pages_count_once() -> None:
    # The same page listed three times must not make its title and prose look like residue.
    pages = _pages(2, middle=["Advertisement"])
    pages = [*pages, *(Page(f"copy-{n}", pages[0].text) for n in range(3))]
    result = mine(pages, "example.com", MineOptions(min_docs=2, min_share=0.5))
    assert result.documents == 2 and result.duplicates == 3
    assert [p.pattern for p in result.proposals] == ["Advertisement"]
