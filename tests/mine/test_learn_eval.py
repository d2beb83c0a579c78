"""benchmarks/learn_eval.py: label mapping, scoring, and a clean skip without the corpus."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from cleaner import Cleaner
from tests.conftest import load_benchmark


@pytest.fixture(scope="module")
def learn_eval() -> ModuleType:
    return load_benchmark("learn_eval")


def test_removed_lines_index_the_raw_text(learn_eval: ModuleType) -> None:
    # Normalising strips edges and collapses blank runs; labels index the raw text's lines.
    raw = "  Title  \n\n\n\nThe body sentence of this article.\n\n\nBack to top button\n"
    result = Cleaner.default().clean_and_explain(raw)
    assert learn_eval.removed_lines(raw, result) == {7}


def test_score_counts_residue_and_content_tokens(learn_eval: ModuleType) -> None:
    raw = "Title\n\nOne two three.\n\nAdvertisement\n\nFour five."
    score = learn_eval.score([("d", raw, {4}, {4, 6})])
    assert (score["residue_removed"], score["residue_lines"], score["content_lines_removed"]) == (1, 1, 1)
    assert score["content_tokens_kept"] == pytest.approx(4 / 6, abs=1e-5)


def test_main_says_skipped_without_the_corpus(
    learn_eval: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(learn_eval, "CORPUS", tmp_path / "absent")
    assert learn_eval.main([]) == 0
    assert capsys.readouterr().out.startswith("skipped: ")
