"""Guarantees that hold on any text: idempotence, order-independence, replayable output, no crash.

Run quickly in every pytest run (200 examples each); CI runs ``HYPOTHESIS_PROFILE=ci`` with
10,000 examples each and a fixed seed. Every failing example found goes into
``tests/regressions/`` (see tests/test_regressions.py).
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, RuleSet, normalize_text, replay
from cleaner.rules.loader import LoadedRules, builtin_rules_dir, load_dirs
from tests.contract import check_contract
from tests.properties.strategies import any_text, articles

CLEANER = Cleaner.default()
_LOADED = load_dirs([builtin_rules_dir()])


def _shuffled(seed: int) -> Cleaner:
    rng = random.Random(seed)

    def shuffle(items: tuple[object, ...]) -> tuple[object, ...]:
        out = list(items)
        rng.shuffle(out)
        return tuple(out)

    loaded = LoadedRules(
        shuffle(_LOADED.common),  # type: ignore[arg-type]
        shuffle(_LOADED.packs),  # type: ignore[arg-type]
        shuffle(_LOADED.site_rules),  # type: ignore[arg-type]
        _LOADED.diagnostics,
    )
    return Cleaner(RuleSet(loaded))


SHUFFLED = [_shuffled(seed) for seed in (1, 2, 3)]
URLS = st.one_of(st.none(), st.sampled_from([f"https://{p.site}/a/b" for p in _LOADED.packs]))


@given(articles(), URLS, st.sampled_from(range(len(SHUFFLED))))
def test_cleaning_contract(text: str, url: str | None, which: int) -> None:
    """One generated article, every guarantee: replayable, idempotent, in order, order-independent."""
    result = check_contract(CLEANER, text, url)
    # Kept lines are the input's lines, in order; only span-edited lines may differ.
    edited = {r.start for r in result.removals if r.columns is not None}
    source = list(enumerate(result.normalized.split("\n")))
    position = 0
    for line in result.text.split("\n") if result.text else []:
        while position < len(source) and not (
            source[position][1] == line or (source[position][0] in edited and line)
        ):
            position += 1
        assert position < len(source), f"output line not in the input, in order: {line!r}"
        position += 1
    # The same rules loaded in another order give the same result.
    other = SHUFFLED[which].clean_and_explain(text, url=url)
    assert (other.text, other.removals, other.site, other.skipped) == (
        result.text, result.removals, result.site, result.skipped
    )


WEIGHED = CLEANER.with_config(evidence=True)


# Fewer examples than the profile's: each runs the cleaning twice (with and without evidence),
# and the evidence adds its own pass; 2,000 keep the CI properties step within its minutes.
@settings(max_examples=min(2000, settings.default.max_examples))
@given(articles(), URLS)
def test_cleaning_contract_with_the_weighed_evidence(text: str, url: str | None) -> None:
    """The evidence pass keeps every guarantee: replayable, idempotent, lines kept in order."""
    result = check_contract(WEIGHED, text, url)
    decisive = CLEANER.clean_and_explain(text, url=url)
    if decisive.skipped is None and result.skipped is None:
        # The evidence only adds to the decisive rules' own fixed point: every line they remove
        # whole is still removed, and never by the evidence.
        def whole(removals: object, evidence: bool) -> set[int]:
            return {
                i for r in removals if r.columns is None and (r.rule == "evidence") == evidence  # type: ignore[attr-defined]
                for i in range(r.start, r.end)
            }

        before = whole(decisive.removals, False)
        assert before <= whole(result.removals, False)
        assert before.isdisjoint(whole(result.removals, True))


@given(any_text)
def test_no_exception_on_any_str(text: str) -> None:
    result = CLEANER.clean_and_explain(text)
    assert normalize_text(result.normalized) == result.normalized
    assert result.text == (replay(result.normalized, result.removals) if result.skipped is None else result.normalized)
    assert CLEANER.clean(result.text, site=result.site) == result.text


@pytest.mark.parametrize("split", [1, 2, 3])
def test_rule_files_in_other_directories_give_the_same_output(tmp_path: object, split: int) -> None:
    # The built-in rule files copied into several user directories, in a different order.
    import shutil
    from pathlib import Path

    base = Path(str(tmp_path))
    files = sorted((builtin_rules_dir() / "common").glob("*.yaml"))
    random.Random(split).shuffle(files)
    dirs = [base / f"d{i}" for i in range(split + 1)]
    for i, path in enumerate(files):
        target = dirs[i % len(dirs)] / "common"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / path.name)
    sites = dirs[-1] / "sites"
    shutil.copytree(builtin_rules_dir() / "sites", sites)
    other = Cleaner.from_paths(list(reversed(dirs)), include_builtin=False)
    seeds = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        assert other.clean(text) == CLEANER.clean(text)
