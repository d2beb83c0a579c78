"""Crawl learning: what recurs across a site's pages is learned; what reads as content never is."""

from __future__ import annotations

import pickle
import zlib
from pathlib import Path

import pytest
from mine_fixtures import SITES, article, expected_text, page_text, prose

from cleaner.engine.cleaner import Cleaner
from cleaner.engine.learn import (
    Learned,
    Learner,
    LearnOptions,
    SiteShares,
    learn,
    merge_counts,
    recurrence_share,
    registered_domain,
    with_learned,
)
from cleaner.engine.prefilter import Stages
from cleaner.mine.learned import save_learned
from cleaner.text.lineshape import key_of
from cleaner.text.normalize import normalize_text

SITE = "https://www.example.com"


def _pages(count: int, *, head: list[str] | None = None, middle: list[str] | None = None,
           tail: list[str] | None = None, only: set[int] | None = None, url: str = SITE) -> list[tuple[str, str]]:
    """``count`` pages of varying prose with the extra lines on every page, or on pages ``only``."""
    pages = []
    for i in range(count):
        extra = only is None or i in only
        body = article(i)
        lines = [*(head or [] if extra else []), body[0], *body[1:3], *(middle or [] if extra else []), *body[3:],
                 *(tail or [] if extra else [])]
        pages.append(("\n\n".join(lines), f"{url}/story-{i}"))
    return pages


def _learned_lines(learned: Learned) -> set[str]:
    return {line for rule in learned.rules for line in rule.examples.match}


def test_recurring_lines_in_each_zone_are_learned_as_site_rules() -> None:
    pages = _pages(10, head=["Local News"], middle=["Story continues below"], tail=["Share this:", "12 Comments"])
    learned = learn(pages)
    by_id = {rule.id: rule for rule in learned.rules}
    assert set(by_id) == {"local-news", "story-continues-below", "share-this", "comment"}
    assert all(rule.pack == "learned/example.com" for rule in learned.rules)
    assert by_id["local-news"].option("where") == "first"
    assert by_id["share-this"].option("where") == "last"
    assert by_id["story-continues-below"].option("where") is None
    support = learned.support["learned/example.com/share-this"]
    assert (support.pages, support.total, support.zone) == (10, 10, "tail")
    assert str(support) == "10/10 pages (100%), below the article"


def test_learned_cleaner_removes_the_furniture_and_keeps_the_article() -> None:
    pages = _pages(10, head=["Local News"], middle=["Story continues below"], tail=["Share this:", "7 Comments"])
    plain = Cleaner.default()
    learned = plain.learn(pages)
    for i, (text, url) in enumerate(pages):
        result = learned.clean_and_explain(text, url=url)
        assert result.text == "\n\n".join(article(i))
        assert {r.rule for r in result.removals} >= {"learned/example.com/local-news"}
    # Immutable: the cleaner it was built from learned nothing.
    assert plain.learned is None
    assert "Local News" in plain.clean(pages[0][0], url=pages[0][1])


def test_learned_cleaner_pickles_with_what_it_learned() -> None:
    pages = _pages(10, tail=["Share this:"])
    learned = Cleaner.default().learn(pages)
    copy = pickle.loads(pickle.dumps(learned))
    text, url = pages[3]
    assert copy.clean(text, url=url) == learned.clean(text, url=url) == "\n\n".join(article(3))
    assert copy.learned is not None and copy.learned.share("example.com", "Share this:") == 1.0


def test_a_line_on_few_pages_or_a_small_site_is_not_learned() -> None:
    assert _learned_lines(learn(_pages(10, tail=["Share this:"], only={0, 5}))) == set()  # 2 pages < min_docs
    assert _learned_lines(learn(_pages(5, tail=["Share this:"]))) == set()  # 5 pages < min_pages
    assert _learned_lines(learn(_pages(5, tail=["Share this:"]), options=LearnOptions(min_pages=3))) == {
        "Share this:"
    }


@pytest.mark.parametrize(
    "line",
    [
        "This report was produced with support from the River Fund and checked by two of our editors.",
        "“We will rebuild the bridge before the winter,” the mayor said.",
        "Conclusion",
        "2024",
        "Our reporters are funded by readers like you and we thank them all.",
    ],
)
@pytest.mark.parametrize("zone", ["head", "middle", "tail"])
def test_content_like_lines_are_never_learned(line: str, zone: str) -> None:
    learned = learn(_pages(12, **{zone: [line]}))  # type: ignore[arg-type]
    assert line not in _learned_lines(learned)


def test_a_line_in_different_zones_is_not_learned() -> None:
    pages = _pages(12, head=["Editor's pick"], only=set(range(6))) + _pages(12, tail=["Editor's pick"],
                                                                             only=set(range(6, 12)))[6:]
    learned = learn(pages[:6] + pages[12:])
    assert _learned_lines(learned) == set()
    assert any("different zones" in r.reason for r in learned.rejected)


def test_series_fixed_phrase_surrounded_by_article_text_is_content() -> None:
    # A column's every issue says "Here are your must-reads:" and goes on with its article;
    # other pages of the site are not that column. The phrase is content, even at 100%
    # of the column's pages and on more than half of the site's.
    series = [
        (f"{article(i)[0]}\n\nHere are your must-reads:\n\n{prose(i, 1)}\n\n{prose(i, 2)}\n\n"
         f"Why it matters\n\n{prose(i, 3)}\n\n{prose(i, 4)}", f"{SITE}/column/{i}")
        for i in range(12)
    ]
    others = [("\n\n".join(article(i)), f"{SITE}/news/{i}") for i in range(50, 58)]
    learned = learn(series + others)
    assert _learned_lines(learned) == set()
    reasons = {r.text: r.reason for r in learned.rejected}
    assert "introduces the article's next sentence" in reasons["Here are your must-reads:"]
    assert "series' fixed phrase" in reasons["Why it matters"]
    cleaner = Cleaner.default().learn(series + others)
    assert "Here are your must-reads:" in cleaner.clean(series[0][0], url=series[0][1])


def test_template_line_between_paragraphs_on_nearly_every_page_is_learned() -> None:
    # The same place as a series' phrase, but on (nearly) every page of the site: furniture.
    learned = learn(_pages(20, middle=["Story continues below"], only=set(range(18))))
    assert _learned_lines(learned) == {"Story continues below"}


def test_syndicated_copies_count_once() -> None:
    # One wire story published 8 times with its own subheading, on a site of 12 pages.
    wire = "\n\n".join([article(99)[0], prose(99, 0), "Inside the vote", prose(99, 1), prose(99, 2)])
    pages = [(wire, f"{SITE}/wire-{i}") for i in range(8)] + _pages(4)
    learner = Learner(LearnOptions(min_pages=3))
    for text, url in pages:
        learner.add(text, url=url)
    counts = learner.sites["example.com"]
    assert (counts.pages, counts.copies) == (5, 7)
    assert counts.shapes[key_of("Inside the vote")][0] == 1
    assert "Inside the vote" not in _learned_lines(learner.result())


def test_control_unrelated_pages_learn_nothing() -> None:
    # The miner's control: pages of different sites mined as if one site propose nothing.
    pages = [(page_text(site, n), f"{SITE}/{site}-{n}") for site in SITES for n in range(1, 9)]
    learned = learn(pages[::3], site="example.com")  # 8 pages: 3, 3 and 2 of each site
    assert learned.rules == ()
    # benchmarks/learn_eval.py runs the same control on real pages, 20 sites at a time.


def test_synthetic_sites_clean_to_their_expected_articles() -> None:
    pages = [(page_text(site, n), f"https://{site}/{n}") for site in SITES for n in range(1, 9)]
    cleaner = Cleaner.default().learn(pages, options=LearnOptions(min_pages=8, min_share=0.3))
    residue = kept = content_lost = 0
    for site in SITES:
        for n in range(1, 9):
            out = set(cleaner.clean(page_text(site, n), url=f"https://{site}/{n}").split("\n"))
            expected = set(expected_text(site, n).split("\n"))
            page = set(normalize_text(page_text(site, n)).split("\n"))
            residue += len(page - expected)
            kept += len((page - expected) & out)
            # A title keeps its " – Lumen Tech" suffix: learning does not learn names.
            content_lost += sum(1 for line in expected if not any(o.startswith(line) for o in out))
    assert content_lost == 0
    # 296 residue lines (blank lines and spans aside): the built-in rules leave 164, learning 63
    # (headlines of related lists, tags and comment texts vary from page to page).
    assert (residue, kept) == (296, 63)


def test_share_is_the_recurrence_signal() -> None:
    learned = learn(_pages(10, tail=["12 Comments"], only=set(range(6))))
    assert learned.share("example.com", "3 Comments") == pytest.approx(0.6)
    assert learned.share("example.com", "Something else") == 0.0
    assert learned.share("other.org", "3 Comments") == 0.0
    assert learned.share(None, "3 Comments") == 0.0
    assert recurrence_share(SiteShares(0, {}), "x") == 0.0


def test_prefix_share() -> None:
    pages = [(text + f"\n\nRelated: {article(i + 30)[0]}", url) for i, (text, url) in enumerate(_pages(10))]
    site = learn(pages).sites["example.com"]
    assert site.prefix_share("Related: anything at all") == 1.0
    assert site.share("Related: anything at all") == 0.0
    assert site.prefix_share("Advertisement") == 0.0


def test_counts_per_site_are_capped_and_only_ever_too_low() -> None:
    options = LearnOptions(min_pages=3, max_shapes_per_site=40)
    learner = Learner(options)
    exact = Learner(LearnOptions(min_pages=3))
    for i in range(60):
        text = "\n\n".join([f"Tag {chr(65 + i % 26)}{chr(65 + i // 26)} only here", *article(i), "Share this:"])
        for each in (learner, exact):
            each.add(text, url=f"{SITE}/{i}")
    counts, full = learner.sites["example.com"], exact.sites["example.com"]
    assert len(counts.shapes) <= 40
    assert counts.lowered > 0 and full.lowered == 0
    for key, entry in counts.shapes.items():
        assert full.shapes[key][0] - counts.lowered <= entry[0] <= full.shapes[key][0]
    assert "Share this:" in _learned_lines(learner.result())


def test_shapes_in_all_are_capped() -> None:
    learner = Learner(LearnOptions(max_shapes=100, max_shapes_per_site=1000))
    for i in range(40):
        learner.add(f"Label {i} one\n\nLabel {i} two\n\nLabel {i} three\n\n{prose(i, 0)}", url=f"https://s{i}.org/a")
        assert sum(len(site.shapes) for site in learner.sites.values()) <= 100


def test_counts_merge_and_round_trip(tmp_path: Path) -> None:
    pages = _pages(12, head=["Local News"], tail=["Share this:"])
    whole, first, second = Learner(), Learner(), Learner()
    for i, (text, url) in enumerate(pages):
        whole.add(text, url=url)
        (first if i % 2 else second).add(text, url=url)
    first.save(tmp_path / "00000.learn.json.gz")
    second.save(tmp_path / "00001.learn.json.gz")
    merged = merge_counts(tmp_path)
    def counted(learner: Learner) -> dict[str, tuple[object, ...]]:
        # Every count, and the example lines as a set (their order follows the tasks').
        return {k: (*v[:-1], frozenset(v[-1])) for k, v in learner.sites["example.com"].shapes.items()}

    assert counted(merged) == counted(whole)
    # The same rules; only the prose picked as no_match examples may differ in order.
    def shown(learner: Learner) -> list[tuple[object, ...]]:
        return [(r.qualified_id, r.pattern, r.options, r.examples.match) for r in learner.result().rules]

    assert shown(merged) == shown(whole) != []


def test_saved_packs_load_as_learned_rules(tmp_path: Path) -> None:
    pages = _pages(10, head=["Local News"], tail=["Share this:"])
    learner = Learner()
    for text, url in pages:
        learner.add(text, url=url)
    learned = learner.result()
    path, table = save_learned(learned, learner.sites, tmp_path)
    assert path == tmp_path / "learned" / "example.com.yaml"
    assert table == tmp_path / "learned" / "recurrence.json"  # the evidence's site facts
    text = path.read_text(encoding="utf-8")
    assert "# support: 10/10 pages (100%), above the article; zone: head" in text
    assert "status: preview" not in text
    reused = Cleaner.from_paths([tmp_path])
    assert sorted(r.qualified_id for r in reused.rules.rules if r.pack.startswith("learned/")) == sorted(
        r.qualified_id for r in learned.rules
    )
    for text, url in pages:
        assert reused.clean(text, url=url) == Cleaner(with_learned(Cleaner.default().rules, learned)).clean(
            text, url=url
        )


def test_learned_rules_join_a_hand_written_pack_of_the_same_site() -> None:
    pages = _pages(10, tail=["Share this:"], url="https://thehill.com")
    cleaner = Cleaner.default().learn(pages)
    plan = cleaner.rules.for_site("thehill.com")
    assert {m.rule.qualified_id for _, matchers in plan.learned for m in matchers} == {"learned/thehill.com/share-this"}
    # The pack's own plan is the one it has without learning.
    def ids(stages: Stages) -> list[str]:
        return [m.rule.qualified_id for _, matchers in stages for m in matchers]

    assert ids(plan.stages) == ids(Cleaner.default().rules.for_site("thehill.com").stages)
    assert any(m.rule.pack == "thehill.com" for _, matchers in plan.stages for m in matchers)


def test_a_site_that_only_learned_shares_the_common_plan() -> None:
    cleaner = Cleaner.default().learn(_pages(10, tail=["Tips go to the night editor"]))
    plan, common = cleaner.rules.for_site("example.com"), cleaner.rules.for_site(None)
    assert plan.prefilter is common.prefilter and plan.stages == common.stages
    assert [m.rule.id for _, matchers in plan.learned for m in matchers] == ["tips-go-to-the-night"]


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://chicago.suntimes.com/a", "suntimes.com"),
        ("https://www.dailymail.co.uk/news", "dailymail.co.uk"),
        ("http://abcnews.go.com/Politics/x", "go.com"),
        ("https://example.org", "example.org"),
        ("not a url at all", ""),
    ],
)
def test_registered_domain(url: str, site: str) -> None:
    assert registered_domain(url) == site


def test_pages_without_a_site_are_counted_apart() -> None:
    learner = Learner()
    learner.add("Some text", url=None)
    assert learner.unsited == 1 and learner.sites == {}


def test_a_recurring_prefix_before_varying_text_is_learned() -> None:
    # Photo credits above the article and "Related:" teasers between paragraphs vary after
    # their first words; the prefix recurs.
    pages = []
    for i, (text, url) in enumerate(_pages(12)):
        lines = text.split("\n\n")
        lines.insert(0, f"Photo: {'ABCDEFGHIJKL'[i]}. Moss/Reuters")
        lines.insert(3, f"Related: {article(i + 40)[0]}")
        pages.append(("\n\n".join(lines), url))
    learned = learn(pages)
    patterns = {rule.id: rule.pattern for rule in learned.rules}
    assert patterns == {"photo": r"Photo:\s+\S.*", "related": r"Related:\s+\S.*"}
    cleaner = Cleaner.default().learn(pages)
    assert cleaner.clean(pages[5][0], url=pages[5][1]) == "\n\n".join(article(5))


def test_a_prefix_that_starts_the_article_s_sentences_is_not_learned() -> None:
    # A transcript's speaker label starts short lines and long ones alike: content.
    pages = []
    for i, (text, url) in enumerate(_pages(12)):
        lines = text.split("\n\n")
        short = f"AMY GOODMAN: Welcome back, {'ABCDEFGHIJKL'[i]}. Moss."
        lines[2:2] = [short, f"AMY GOODMAN: {prose(i, 7)}", f"AMY GOODMAN: {prose(i, 8)}"]
        pages.append(("\n\n".join(lines), url))
    learned = learn(pages)
    assert learned.rules == ()
    assert any(r.reason == '"AMY GOODMAN:" also starts sentences of the article, on 12 pages' for r in learned.rejected)


def test_a_standing_sentence_on_every_page_does_not_make_the_pages_copies() -> None:
    # An author's bio sentence closes every page: the bodies still differ. The bio chosen
    # hashes low, below the pages' own sentences, as one standing sentence among many will.
    bios = (f"Jo Moss is a senior editor at the Riverside Courier and covers the {n} courts." for n in range(999))
    bio = next(b for b in bios if zlib.crc32(b[:80].encode()) < 1 << 24)
    learner = Learner()
    for text, url in _pages(10, tail=[bio]):
        learner.add(text, url=url)
    assert (learner.sites["example.com"].pages, learner.sites["example.com"].copies) == (10, 0)
