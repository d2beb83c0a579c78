"""The split evaluation on the synthetic sites: mine from pages 01-04, clean pages 05-08.

Thresholds are what was measured when mining was written (see the README, "Mining site
rules"): every held-out page keeps all of its content, and the residue mining could have
learnt is removed; what it could not (a section label, a sponsor line and a "Jump to Video"
line that no mined page shows) is the only residue left.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mine_fixtures import SITES, expected_text, page_text, site_pages

from cleaner.core.model import Config
from cleaner.engine.cleaner import Cleaner
from cleaner.mine.evaluate import LineScore, is_content, score_page, score_pages, split_half
from cleaner.mine.miner import mine
from cleaner.mine.pack import render_pack

MINED, HELD_OUT = range(1, 5), range(5, 9)


def _pack_dir(tmp_path: Path, site: str, numbers: range) -> Path:
    rules = tmp_path / "rules"
    (rules / "sites").mkdir(parents=True, exist_ok=True)
    (rules / "sites" / f"{site}.yaml").write_text(render_pack(mine(site_pages(site, numbers), site)), encoding="utf-8")
    return rules


def _score(cleaner: Cleaner, site: str, numbers: range) -> LineScore:
    return score_pages(cleaner, [(page_text(site, n), expected_text(site, n)) for n in numbers], site=site)


@pytest.mark.parametrize("site", SITES)
def test_mined_pack_alone_on_held_out_pages(tmp_path: Path, site: str) -> None:
    rules = _pack_dir(tmp_path, site, MINED)
    cleaner = Cleaner.from_paths([rules], include_builtin=False, config=Config(preview=True))
    score = _score(cleaner, site, HELD_OUT)
    assert score.content_removed == 0, score.lost
    assert score.content == 24
    assert score.recall >= 0.95, score.missed
    # The only residue left is the one line per site that no mined page shows.
    assert len(score.missed) == 1


@pytest.mark.parametrize("site", SITES)
def test_mined_pack_adds_to_the_built_in_rules(tmp_path: Path, site: str) -> None:
    rules = _pack_dir(tmp_path, site, MINED)
    with_pack = _score(Cleaner.from_paths([rules], config=Config(preview=True)), site, HELD_OUT)
    built_in = _score(Cleaner.default(), site, HELD_OUT)
    assert with_pack.content_removed == 0 and built_in.content_removed == 0
    assert with_pack.recall >= 0.95
    # The synthetic residue is partly site-specific: the mined pack catches what the common rules miss.
    assert with_pack.residue_removed > built_in.residue_removed


@pytest.mark.parametrize("site", SITES)
def test_the_other_split_direction(tmp_path: Path, site: str) -> None:
    # Mined from 05-08, scored on 01-04: those pages carry no one-off residue.
    rules = _pack_dir(tmp_path, site, HELD_OUT)
    cleaner = Cleaner.from_paths([rules], include_builtin=False, config=Config(preview=True))
    score = _score(cleaner, site, MINED)
    assert score.content_removed == 0, score.lost
    assert score.recall >= 0.95, score.missed


def test_preview_rules_do_nothing_without_preview(tmp_path: Path) -> None:
    site = SITES[0]
    rules = _pack_dir(tmp_path, site, MINED)
    score = _score(Cleaner.from_paths([rules], include_builtin=False), site, HELD_OUT)
    assert score.residue_removed == 0


def test_score_page_labels_lines() -> None:
    cleaner = Cleaner.default()
    page = (
        "Politics\n\nA headline about the vote | The Hill\n\n"
        "The vote passed after a long night of talks.\n\nSource link"
    )
    expected = "A headline about the vote\n\nThe vote passed after a long night of talks."
    score = score_page(cleaner, page, expected)
    # The title with its suffix is content; the section label and "Source link" are residue.
    assert (score.content, score.residue) == (2, 2)
    assert score.residue_removed == 2 and score.content_removed == 0
    assert score.recall == 1.0 and score.precision == 1.0
    assert is_content("A headline about the vote | The Hill", {"A headline about the vote"})
    assert not is_content("News", {"News and more"})


def test_split_half() -> None:
    assert split_half([1, 2, 3, 4, 5]) == ([1, 2, 3], [4, 5])
