"""The command line as a user's shell runs it: streams, files, records, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cleaner import normalize_text
from tests.conftest import ROOT, CliRunner, write_rule, write_simple_rule

SEED = ROOT / "seeds" / "003_3b5fd862162eda80.txt"
GOLD = ROOT / "benchmarks" / "gold" / SEED.name


def test_stdin_to_stdout(run_cli: CliRunner) -> None:
    done = run_cli("clean", input=SEED.read_text(encoding="utf-8"))
    assert done.returncode == 0, done.stderr
    assert done.stdout == normalize_text(GOLD.read_text(encoding="utf-8")) + "\n"
    assert done.stderr == ""


def test_dash_and_file_are_the_same(run_cli: CliRunner) -> None:
    by_file = run_cli("clean", str(SEED))
    by_dash = run_cli("clean", "-", input=SEED.read_text(encoding="utf-8"))
    assert by_file.stdout == by_dash.stdout and by_file.returncode == 0


def test_explain_names_rules_on_stderr(run_cli: CliRunner) -> None:
    done = run_cli("clean", "--explain", str(SEED))
    assert done.returncode == 0
    assert "common/read-also" in done.stderr and "common/spread-the-love" in done.stderr
    assert "common/" not in done.stdout


def test_diff(run_cli: CliRunner) -> None:
    done = run_cli("clean", "--diff", str(SEED))
    assert done.returncode == 0
    assert "-Spread the love" in done.stdout.splitlines()
    assert done.stdout.startswith("---")


def test_jsonl_replaces_text_and_keeps_fields(run_cli: CliRunner) -> None:
    records = [
        {"id": 1, "url": "https://www.countercurrents.org/x", "text": "Title\n\nBody.\n\nSource link", "extra": [1, 2]},
        {"id": 2, "body": "Other\n\nREAD ALSO: x"},
        {"id": 3, "text": "Ünïcödé title\n\nBody."},
    ]
    stdin = "\n".join(json.dumps(r) for r in records) + "\n"
    done = run_cli("clean", "--jsonl", input=stdin)
    assert done.returncode == 0
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert out[0] == {**records[0], "text": "Title\n\nBody."}
    assert out[1] == records[1]  # no text field: passed through unchanged, with a warning
    assert "no string field 'text'" in done.stderr
    assert out[2] == records[2]


def test_jsonl_field_names(run_cli: CliRunner) -> None:
    body = "Title\n\nThe body of the article, long enough to matter."
    stdin = json.dumps({"body": body + "\n\nBack to top button", "link": "https://thehill.com/x"}) + "\n"
    done = run_cli("clean", "--jsonl", "--text-field", "body", "--url-field", "link", input=stdin)
    assert json.loads(done.stdout) == {"body": body, "link": "https://thehill.com/x"}


def test_unreadable_file_exits_2(run_cli: CliRunner, tmp_path: Path) -> None:
    done = run_cli("clean", str(tmp_path / "missing.txt"))
    assert done.returncode == 2
    assert "cannot read" in done.stderr and "Traceback" not in done.stderr


def test_usage_error_exits_2(run_cli: CliRunner) -> None:
    done = run_cli("clean", "--no-such-option")
    assert done.returncode == 2 and "--help" in done.stderr


def test_broken_rules_exit_2_with_location(run_cli: CliRunner, tmp_path: Path) -> None:
    write_rule(tmp_path, "common/bad.yaml", "id: bad\nsummary: s\nkind: line\npattern: '(x'\n")
    done = run_cli("clean", "--rules", str(tmp_path), input="text")
    assert done.returncode == 2
    assert f"{tmp_path}/common/bad.yaml:4:10: E105" in done.stderr
    assert "Traceback" not in done.stderr


def test_user_rules_add_to_builtins(run_cli: CliRunner, tmp_path: Path) -> None:
    write_simple_rule(tmp_path, "sponsored", "line", "Sponsored", "Sponsored", "A sponsored bill passed.")
    text = "Title\n\nSponsored\n\nBody.\n\nSource link"
    assert run_cli("clean", "--rules", str(tmp_path), input=text).stdout == "Title\n\nBody.\n"
    alone = run_cli("clean", "--rules", str(tmp_path), "--no-builtin-rules", input=text)
    assert alone.stdout == "Title\n\nBody.\n\nSource link\n"


def test_pipe_closed_early_is_quiet() -> None:
    # `cleaner clean big | head -1`: no traceback, no BrokenPipe noise.
    text = "\n\n".join(f"Paragraph {i} of a long article." for i in range(20000))
    shell = f"{sys.executable} -m cleaner clean | head -1"
    done = subprocess.run(shell, shell=True, input=text, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.stdout == "Paragraph 0 of a long article.\n"
    assert done.stderr == ""


def test_rules_list_validate_test(run_cli: CliRunner) -> None:
    listed = run_cli("rules", "list")
    assert listed.returncode == 0 and "common/read-also" in listed.stdout
    assert run_cli("rules", "validate").returncode == 0
    tested = run_cli("rules", "test")
    assert tested.returncode == 0 and " passed, 0 failed" in tested.stdout


def test_rules_test_fails_on_bad_example(run_cli: CliRunner, tmp_path: Path) -> None:
    write_rule(tmp_path, "common/x.yaml", "id: x\nsummary: s\nkind: line\npattern: 'Sponsored'\n"
               "examples: {match: ['Sponsored'], no_match: ['Sponsored']}\n")
    done = run_cli("rules", "test", str(tmp_path))
    assert done.returncode == 1
    assert "T301 common/x no_match example failed" in done.stderr
    assert done.stdout.strip() == "1 passed, 1 failed"


def test_rules_validate_invalid_exits_2(run_cli: CliRunner, tmp_path: Path) -> None:
    write_rule(tmp_path, "common/x.yaml", "id: x\nsummary: s\nkind: nope\n")
    done = run_cli("rules", "validate", str(tmp_path))
    assert done.returncode == 2 and "E108" in done.stderr


def test_rule_docs_are_fresh(run_cli: CliRunner) -> None:
    done = run_cli("rules", "docs", "-o", "docs/rules.md", "--check")
    assert done.returncode == 0, done.stderr


def test_help_teaches(run_cli: CliRunner) -> None:
    done = run_cli("clean", "--help")
    assert done.returncode == 0 and "examples:" in done.stdout and "--jsonl" in done.stdout


def test_installed_entry_point_uses_builtin_rules(tmp_path: Path) -> None:
    # From any directory, the console script finds the rules shipped with the package.
    script = Path(sys.executable).with_name("cleaner")
    done = subprocess.run([str(script), "clean"], input="T\n\nBody.\n\nSource link", capture_output=True,
                          text=True, cwd=tmp_path, timeout=60)
    assert done.stdout == "T\n\nBody.\n"
