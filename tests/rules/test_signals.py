"""Signal files and evidence.yaml: the built-ins load and their examples hold; bad files are located."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.core.errors import RuleError
from cleaner.rules.loader import builtin_rules_dir
from cleaner.rules.signals import EvidenceModel, Signal, example_failures, load_evidence, parse_signal
from cleaner.text.linefacts import FACTS

MODEL = load_evidence([builtin_rules_dir()])
assert MODEL is not None


@pytest.mark.parametrize("signal", [s for s in MODEL.signals if s.pattern is not None], ids=lambda s: s.id)
def test_signal_examples(signal: Signal) -> None:
    assert example_failures(EvidenceModel((signal,), 0.0, 1.0)) == []


def test_a_failing_example_is_reported() -> None:
    wrong = Signal("odd", "ads", "x", 1.0, pattern="(?i)^ad$", match_examples=("not an ad",), no_match_examples=("AD",))
    assert [(kind, line) for _, kind, line in example_failures(EvidenceModel((wrong,), 0.0, 1.0))] == [
        ("match", "not an ad"), ("no_match", "AD"),
    ]


def test_every_fact_has_a_signal_file_and_every_test_names_a_fact() -> None:
    assert {s.test for s in MODEL.signals if s.test is not None} == set(FACTS)


def _model_dir(tmp_path: Path, signal: str) -> Path:
    (tmp_path / "signals").mkdir()
    (tmp_path / "evidence.yaml").write_text("bias: -3\nthreshold: 1.5\n", encoding="utf-8")
    (tmp_path / "signals" / "odd.yaml").write_text(signal, encoding="utf-8")
    return tmp_path / "signals" / "odd.yaml"


def test_an_unknown_key_is_located(tmp_path: Path) -> None:
    bad = _model_dir(tmp_path, "id: odd\nfamily: ads\nsummary: x\npattern: 'x'\nweight: 1\ncolour: red\n")
    with pytest.raises(RuleError) as caught:
        load_evidence([tmp_path])
    assert f"{bad}:6:1: E101 unknown key 'colour'" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("id: odd\nfamily: ads\nsummary: x\ntest: no-such\nweight: 1\n", "E109", "unknown test 'no-such'"),
        ("id: odd\nfamily: ads\nsummary: x\npattern: '(x'\nweight: 1\n", "E105", "does not compile"),
        ("id: odd\nfamily: ads\nsummary: x\nweight: 1\n", "E103", "either 'pattern' or 'test'"),
        ("id: other\nfamily: ads\nsummary: x\npattern: 'x'\nweight: 1\n", "E110", "must equal the file name"),
        ("id: odd\nfamily: ads\nsummary: x\npattern: 'x'\nweight: heavy\n", "E104", "must be a number"),
        ("id: odd\nfamily: ads\nsummary: x\npattern: 'x'\nzone: middle\nweight: 1\n", "E109", "head or tail"),
    ],
)
def test_bad_signal_files(text: str, code: str, words: str) -> None:
    signal, problems = parse_signal(Path("odd.yaml"), text)
    assert signal is None
    assert any(p.code == code and words in p.message for p in problems), problems


def test_a_signal_defined_twice_is_an_error(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for directory in (first, second):
        directory.mkdir()
        _model_dir(directory, "id: odd\nfamily: ads\nsummary: x\npattern: 'x'\nweight: 1\n")
    with pytest.raises(RuleError, match="E107 signal 'odd' is defined twice"):
        load_evidence([first, second])


def test_no_evidence_file_means_no_model(tmp_path: Path) -> None:
    assert load_evidence([tmp_path]) is None
