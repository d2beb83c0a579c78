"""The exact shortcuts in kinds/repeat.py agree with what they stand in for."""

from __future__ import annotations

import difflib
import random

import pytest

from cleaner.kinds.repeat import _similar, _similarity_key, _too_long


def _random_text(rng: random.Random, alphabet: str, longest: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, longest)))


@pytest.mark.parametrize("seed", range(3))
def test_similar_equals_difflib_ratio(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(3000):
        a, b = _random_text(rng, "abcdé ", 40), _random_text(rng, "abcdé ", 40)
        threshold = rng.choice([0.5, 0.8, 0.9, 1.0])
        assert _similar(a, b, threshold) == (difflib.SequenceMatcher(None, a, b).ratio() >= threshold)


@pytest.mark.parametrize("seed", range(3))
def test_too_long_only_refutes_true_non_duplicates(seed: int) -> None:
    rng = random.Random(seed)
    refuted = 0
    for _ in range(2000):
        title = _similarity_key(_random_text(rng, "abc İß.,-", 30))
        line = _random_text(rng, "abc İß.,- ", 600)
        threshold = rng.choice([0.6, 0.9])
        if _too_long(title, line, threshold):
            refuted += 1
            key = _similarity_key(line)
            assert key != title
            assert difflib.SequenceMatcher(None, title, key).ratio() < threshold
    assert refuted > 100
