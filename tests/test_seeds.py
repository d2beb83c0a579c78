"""The five seeds, cleaned with no URL and no site, equal their hand-labelled gold."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner, normalize_text, replay

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def test_five_seeds_present() -> None:
    assert len(SEEDS) == 5


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_seed_cleans_to_gold(seed: Path, default_cleaner: Cleaner) -> None:
    gold = normalize_text((ROOT / "benchmarks" / "gold" / seed.name).read_text(encoding="utf-8"))
    result = default_cleaner.clean_and_explain(seed.read_text(encoding="utf-8"))
    assert result.skipped is None
    assert " ".join(result.text.split()) == " ".join(gold.split())
    assert result.text == replay(result.normalized, result.removals)


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_every_removed_line_names_a_rule(seed: Path, default_cleaner: Cleaner) -> None:
    result = default_cleaner.clean_and_explain(seed.read_text(encoding="utf-8"))
    kept = set(result.text.split("\n"))
    covered = {i for r in result.removals for i in range(r.start, r.end)}
    for i, line in enumerate(result.normalized.split("\n")):
        if line and line not in kept:
            assert i in covered, f"line {i + 1} vanished without a rule: {line!r}"


def test_seed_sites_are_recognised_from_text(default_cleaner: Cleaner) -> None:
    sites = {p.stem[:3]: default_cleaner.clean_and_explain(p.read_text(encoding="utf-8")).site for p in SEEDS}
    assert sites == {
        "000": "alternet.org",
        "001": "countercurrents.org",
        "002": "thehill.com",
        "003": None,
        "004": "timesofindia.indiatimes.com",
    }
