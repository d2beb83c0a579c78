"""Replay every example the property tests ever failed on (``tests/regressions/*.json``).

Each file holds ``{"found_by": ..., "text": ..., "url": ...}``; whatever property found it,
every guarantee is checked on it: no exception, replayable output, idempotence, rule order.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner import Cleaner
from tests.contract import check_contract

FOLDER = Path(__file__).resolve().parent / "regressions"
CASES = sorted(FOLDER.glob("*.json"))


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner.default()


def test_the_folder_is_not_empty() -> None:
    assert CASES, "tests/regressions/ lost its examples"


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_regression(case: Path, cleaner: Cleaner) -> None:
    data = json.loads(case.read_text(encoding="utf-8"))
    text, url = data["text"], data.get("url")
    result = check_contract(cleaner, text, url)
    if "expected" in data:
        assert result.text == data["expected"]
