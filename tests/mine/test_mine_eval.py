"""benchmarks/mine_eval.py: grouping real pages by host and checking removals against labels."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import load_benchmark


@pytest.fixture(scope="module")
def mine_eval() -> ModuleType:
    return load_benchmark("mine_eval")


@pytest.mark.parametrize(
    ("url", "doc_id", "host"),
    [
        ("https://www.chip.de/test/Beef_1.html", "chip.de.beef", "chip.de"),
        ("https://web.archive.org/web/20160526181643/http://ordnungsrausch.com/orga-life/", "x", "ordnungsrausch.com"),
        ("https://web.archive.org/web/20130307194448/the-pain.net/2008/05/a.html", "x", "the-pain.net"),
        ("hard::nationnews.com-schools.html", "nationnews.com-schools", "nationnews.com"),
        ("hard::jamaica.gleaner.com-victims.html", "jamaica.gleaner.com-victims", "jamaica.gleaner.com"),
        ("hard::x.html", "mercurynews.com.2023.01.16.letters-1119", "mercurynews.com"),
    ],
)
def test_real_host(mine_eval: ModuleType, url: str, doc_id: str, host: str) -> None:
    assert mine_eval.real_host(url, doc_id) == host


def test_score_removed_against_gold_and_snippets(mine_eval: ModuleType) -> None:
    doc = mine_eval.Doc(
        "x", "d1", "example.com", "Title\n\nThe body sentence of this article.\n\nSubscribe now\n\nMenu",
        "Title\n\nThe body sentence of this article.", ("The body sentence",), ("Subscribe now",),
    )
    tally = mine_eval.score_removed(doc, ["Subscribe now", "The body sentence of this article."])
    assert (tally.removed, tally.gold_hits, tally.with_hits, tally.without_hits) == (2, 1, 1, 1)
    assert tally.lines == 4


def test_main_skips_without_corpora(mine_eval: ModuleType, tmp_path: Path) -> None:
    assert mine_eval.main(["--corpora", str(tmp_path)]) == 2
