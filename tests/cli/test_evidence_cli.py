"""The weighed evidence from the command line: --evidence, rules validate|test|docs --signals|fit, bench."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CliRunner, write_simple_rule

STORY = (
    "Senate passes the budget\n\n"
    "The Senate passed the budget on Tuesday by a vote of 51 to 49, after a debate that ran late into the night.\n\n"
    "Lawmakers said the bill would fund schools and roads for two years, and the governor is expected to sign it.\n\n"
    "YOU MIGHT BE INTERESTED IN:\n\n"
    "Read or Share this story: http://on.freep.com/16wA5Yv\n"
)


def test_clean_with_evidence_explains_each_removal(run_cli: CliRunner) -> None:
    plain = run_cli("clean", "--explain", input=STORY)
    weighed = run_cli("clean", "--evidence", "--explain", input=STORY)
    assert plain.returncode == weighed.returncode == 0
    assert "evidence" not in plain.stderr
    assert ": evidence: " in weighed.stderr and "score " in weighed.stderr and "signals/" in weighed.stderr
    assert "Read or Share this story" not in weighed.stdout and "Lawmakers said" in weighed.stdout


def test_rules_validate_and_test_cover_the_signals(run_cli: CliRunner) -> None:
    validate = run_cli("rules", "validate")
    assert validate.returncode == 0 and "signals (bias " in validate.stderr
    tested = run_cli("rules", "test", "-k", "signals/photo-credit")
    assert tested.returncode == 0 and "0 failed" in tested.stdout


def _rules_with_signal(tmp_path: Path, signal: str) -> Path:
    rules = tmp_path / "rules"
    (rules / "common").mkdir(parents=True)
    (rules / "signals").mkdir()
    write_simple_rule(rules, "zorb-label", "line", "Zorb label", "Zorb label", "A Zorb label story.")
    (rules / "evidence.yaml").write_text("bias: -1\nthreshold: 1\n", encoding="utf-8")
    (rules / "signals" / "odd.yaml").write_text(signal, encoding="utf-8")
    return rules


def test_a_bad_signal_fails_validate_and_a_bad_example_fails_test(run_cli: CliRunner, tmp_path: Path) -> None:
    bad = _rules_with_signal(tmp_path / "a", "id: odd\nfamily: ads\nsummary: x\npattern: '(x'\nweight: 1\n")
    result = run_cli("rules", "validate", str(bad))
    assert result.returncode == 2 and "E105" in result.stderr and "odd.yaml" in result.stderr
    wrong = _rules_with_signal(
        tmp_path / "b",
        "id: odd\nfamily: ads\nsummary: x\npattern: '^ad$'\nweight: 1\nexamples:\n  match: ['not an ad']\n",
    )
    result = run_cli("rules", "test", str(wrong))
    assert result.returncode == 1 and "T301 signals/odd match example failed: 'not an ad'" in result.stderr


def test_signal_docs_are_fresh_and_check_fails_when_stale(run_cli: CliRunner, tmp_path: Path) -> None:
    assert run_cli("rules", "docs", "--signals", "-o", "docs/signals.md", "--check").returncode == 0
    stale = tmp_path / "signals.md"
    stale.write_text("old\n", encoding="utf-8")
    result = run_cli("rules", "docs", "--signals", "-o", str(stale), "--check")
    assert result.returncode == 1 and "cleaner rules docs --signals" in result.stderr


def test_rules_fit_reports_and_writes(run_cli: CliRunner, tmp_path: Path) -> None:
    rules = _rules_with_signal(
        tmp_path, "id: odd\nfamily: ads\nsummary: 'x'\npattern: '^Zorb deals today$'\nweight: 0.0\n"
    )
    prose = "The council met on Tuesday and voted to fund the new library, which opens next spring in the town."
    records = []
    for n in range(12):
        (tmp_path / f"{n}.txt").write_text(f"{prose}\n\nZorb deals today\n\n{prose} {n}\n", encoding="utf-8")
        records.append(json.dumps({"id": str(n), "input": f"{n}.txt", "site": f"s{n}.com", "residue": [2]}))
    manifest = tmp_path / "fit.jsonl"
    manifest.write_text("\n".join(records) + "\n", encoding="utf-8")
    result = run_cli("rules", "fit", str(manifest), "--rules", str(rules), "--write")
    assert result.returncode == 0, result.stderr
    assert '"threshold"' in result.stdout and "odd" in result.stdout
    assert "weight: 0.0" not in (rules / "signals" / "odd.yaml").read_text(encoding="utf-8")


def test_bench_with_evidence_has_a_signal_table(run_cli: CliRunner) -> None:
    result = run_cli("bench", "benchmarks/seeds.jsonl", "--evidence")
    assert result.returncode == 0, result.stderr
    assert "signals on the lines the decisive rules kept" in result.stdout
    assert "signals/no-sentence-end" in result.stdout


def test_rules_fit_on_a_missing_or_bad_manifest_exits_2(run_cli: CliRunner, tmp_path: Path) -> None:
    missing = run_cli("rules", "fit", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 2 and "no such manifest" in missing.stderr and "Traceback" not in missing.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "input": "a.txt"}\n', encoding="utf-8")
    result = run_cli("rules", "fit", str(bad))
    assert result.returncode == 2 and "cannot fit" in result.stderr and "Traceback" not in result.stderr
