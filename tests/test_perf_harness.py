"""The performance harness builds what it says (timings themselves are never asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.engine.testing import run_examples

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import perf  # noqa: E402
import rulegen  # noqa: E402


def test_generated_rules_are_valid_and_pass_their_examples(tmp_path: Path) -> None:
    root = rulegen.write(40, tmp_path, fallback=2)
    cleaner = Cleaner.from_paths([root], include_builtin=False)
    assert len(cleaner.rules.rules) == 40
    results = [r for rule in cleaner.rules.rules for r in run_examples(cleaner.rules, rule)]
    assert results and all(r.passed for r in results), [r.name for r in results if not r.passed]


def test_generation_is_deterministic_and_varied() -> None:
    assert rulegen.generate(50) == rulegen.generate(50)
    patterns = {text.split("\n")[3] for text in rulegen.generate(200).values()}
    assert len(patterns) == 200


def test_corpus_reaches_the_requested_size() -> None:
    docs = perf.build_corpus(0.3)
    assert perf._mb(docs) >= 0.3
    assert docs == perf.build_corpus(0.3)


def test_markdown_table_has_a_row_per_measurement() -> None:
    text = {"mb": 1.0, "docs": 10, "seconds": 0.1, "mb_per_s": 10.0, "docs_per_s": 100.0}
    result = {
        "rule_counts": [{"rules": n, "load_seconds": 0.1, "prefilter": text, "naive": text, "first_pass": text}
                        for n in perf.RULE_COUNTS],
        "fallback": {"fallback_rules": 10, **text},
        "unicode": {"gated_mb_per_s": 100.0, "ftfy_whole_mb_per_s": 2.0},
        "html": {"extract_pages_per_s": 50.0, "cleaner_adds_percent": 1.0, "pages": 3},
        "cli_jsonl": [{"jobs": 1, "mb": 1.0, "mb_per_s": 5.0, "peak_rss_mb": 50.0},
                      {"jobs": 2, "skipped": "no --jobs"}],
        "startup": {"input_bytes": 2048, "median_ms": 100.0, "min_ms": 90.0, "median_cpu_ms": 80.0, "runs": 3,
                    "heavy_modules_imported": []},
        "ratio_1000_to_10": 1.1,
    }
    table = perf.markdown(result)
    assert table.count("\n") == 1 + 2 * len(perf.RULE_COUNTS) + 7


@pytest.mark.parametrize("count", [0, 1])
def test_fallback_count_is_exact(count: int) -> None:
    texts = rulegen.generate(20, fallback=count).values()
    assert sum("{e<=" in text for text in texts) == count


def test_phase_timing_covers_the_phases_and_restores_the_functions() -> None:
    import phases

    import cleaner.engine.cleaner as engine

    before = engine.normalize_text
    cleaner = Cleaner.default()
    docs = perf.build_corpus(0.2)
    total, spent = phases.measure(cleaner, docs)
    assert engine.normalize_text is before  # wrappers removed afterwards
    assert total > 0 and spent["normalise (ftfy gate, strip, collapse)"] > 0
    assert spent["repeat rules"] > 0 and sum(v for k, v in spent.items() if not k.startswith(" ")) <= total * 1.05
    text = phases.table(total, spent, perf._mb(docs))
    assert "everything else" in text and "MB/s" in text
