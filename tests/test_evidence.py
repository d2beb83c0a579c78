"""Weighed evidence: signal files, the judge, the engine's evidence pass, the fit."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner, replay
from cleaner.errors import RuleError
from cleaner.evidence.facts import FACTS, line_facts
from cleaner.evidence.fit import Example, figures, score, train
from cleaner.evidence.judge import Judge
from cleaner.evidence.signals import load_evidence, parse_signal
from cleaner.loader import builtin_rules_dir

ROOT = Path(__file__).resolve().parents[1]
MODEL = load_evidence([builtin_rules_dir()])
assert MODEL is not None
PATTERN_SIGNALS = [s for s in MODEL.signals if s.pattern is not None]


@pytest.mark.parametrize("signal", PATTERN_SIGNALS, ids=lambda s: s.id)
def test_signal_examples(signal: object) -> None:
    import regex

    assert signal.pattern is not None  # type: ignore[attr-defined]
    pattern = regex.compile(signal.pattern)  # type: ignore[attr-defined]
    for line in signal.match_examples:  # type: ignore[attr-defined]
        assert pattern.search(line), f"{signal.id} should fire on {line!r}"  # type: ignore[attr-defined]
    for line in signal.no_match_examples:  # type: ignore[attr-defined]
        assert not pattern.search(line), f"{signal.id} should not fire on {line!r}"  # type: ignore[attr-defined]


def test_every_fact_has_a_signal_file_and_every_test_names_a_fact() -> None:
    tests = {s.test for s in MODEL.signals if s.test is not None}
    assert tests == set(FACTS)


def test_facts_of_a_small_document() -> None:
    prose = "The council voted on Tuesday to approve the new budget after a long debate about schools."
    facts = line_facts(["Advertisement", prose, "Evan Vucci/AP", prose, "Share this:"])
    assert {"first-line", "very-short", "before-prose", "next-prose"} <= facts[0]
    assert "after-prose" not in facts[2] and "prev-prose" in facts[2]
    assert {"last-line", "after-prose", "colon-end"} <= facts[4]
    assert "repeated-in-document" in facts[1] and "repeated-in-document" in facts[3]


def test_the_judge_lists_what_fired_and_decides_by_the_threshold() -> None:
    judge = Judge(MODEL)
    verdicts = judge.verdicts(["Photo by Mark Wilson/Getty Images", "A sentence of the story, told in full."])
    first = dict(verdicts[0].fired)
    assert "signals/photo-credit" in first
    assert verdicts[0].score == pytest.approx(MODEL.bias + sum(first.values()), abs=1e-5)
    assert verdicts[0].remove == (verdicts[0].score >= MODEL.threshold)


STORY = (
    "Senate passes the budget\n\n"
    "Photo by Mark Wilson/Getty Images\n\n"
    "The Senate passed the budget on Tuesday by a vote of 51 to 49, after a debate that ran late into the night.\n\n"
    "Lawmakers said the bill would fund schools and roads for two years, and the governor is expected to sign it.\n\n"
    "YOU MIGHT BE INTERESTED IN:\n\n"
    "Read or Share this story: http://on.freep.com/16wA5Yv\n"
)


def test_evidence_removals_are_explained_replayable_and_idempotent() -> None:
    cleaner = Cleaner.default().with_config(evidence=True)
    result = cleaner.clean_and_explain(STORY)
    evidence = [r for r in result.removals if r.rule == "evidence"]
    assert evidence, result.removals
    for removal in evidence:
        assert removal.evidence and removal.score is not None and removal.score >= MODEL.threshold
        assert removal.why.startswith(f"score {removal.score:g}: signals/")
    assert result.text == replay(result.normalized, result.removals)
    assert cleaner.clean(result.text) == result.text
    assert "The Senate passed the budget" in result.text and "Lawmakers said" in result.text


def test_evidence_is_off_by_default_and_switchable() -> None:
    assert all(r.rule != "evidence" for r in Cleaner.default().clean_and_explain(STORY).removals)


def test_a_bad_signal_file_is_located(tmp_path: Path) -> None:
    (tmp_path / "signals").mkdir()
    (tmp_path / "evidence.yaml").write_text("bias: -3\nthreshold: 1.5\n", encoding="utf-8")
    bad = tmp_path / "signals" / "odd.yaml"
    bad.write_text("id: odd\nfamily: ads\nsummary: x\npattern: 'x'\nweight: 1\ncolour: red\n", encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_evidence([tmp_path])
    assert f"{bad}:6:1: E120 unknown key 'colour'" in str(caught.value)
    signal, problems = parse_signal(bad, "id: odd\nfamily: ads\nsummary: x\ntest: no-such\nweight: 1\n")
    assert signal is None and "unknown test 'no-such'" in problems[0].message


def test_the_fit_is_reproducible_and_separates_a_clear_signal() -> None:
    examples = [Example(f"s{i % 7}", ("ad",) if i % 5 == 0 else ("prose",), i % 5 == 0, 3) for i in range(300)]
    first, again = train(examples), train(examples)
    assert first == again
    weights, bias = first
    assert score(weights, bias, examples[0]) > 0 > score(weights, bias, examples[1])
    found = figures([(score(weights, bias, e), e) for e in examples], 0.0)
    assert found.recall == 1.0 and found.precision == 1.0
