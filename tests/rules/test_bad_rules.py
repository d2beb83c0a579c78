"""Broken rule files, one fixture folder each, give exact ``path:line:col`` diagnostics.

Each folder under ``tests/fixtures/rules/`` holds rule files and ``expected.txt``: the exit
code (``# exit N``) and the diagnostic lines (hints left out), paths relative to the folder.
``cleaner rules validate --builtin DIR`` and ``cleaner clean --rules DIR`` must both print
them and exit with that code; neither may raise (the CLI runs in-process, so a traceback
fails the test).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from cleaner.cli.app import main
from cleaner.rules.loader import load_dirs
from cleaner.rules.yamlsource import MAX_FILE_BYTES, MAX_NODES, load_yaml

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
CASES = sorted(p for p in FIXTURES.iterdir() if (p / "expected.txt").is_file())


def rule_dirs(case: Path) -> list[str]:
    # A case with sub-folders (dup-a, dup-b) passes each as its own rules directory.
    subdirs = sorted(p for p in case.iterdir() if p.is_dir() and p.name not in ("common", "sites"))
    return [str(p) for p in subdirs] or [str(case)]


def expected(case: Path) -> tuple[int, list[str]]:
    first, *lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return int(first.removeprefix("# exit ")), lines


def diagnostic_lines(stderr: str, case: Path) -> list[str]:
    return [
        line.replace(f"{case}/", "")
        for line in stderr.splitlines()
        if not line.startswith("  hint: ") and " rules in " not in line
    ]


def run(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Title\n\nBody.\n\nSource link"), encoding="utf-8"))
    code = main(args)
    return code, capsys.readouterr().err


def test_every_fixture_has_a_case() -> None:
    assert len(CASES) >= 14


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rules_validate(case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, err = run(["rules", "validate", "--builtin", *rule_dirs(case)], capsys, monkeypatch)
    want_code, want_lines = expected(case)
    assert diagnostic_lines(err, case) == want_lines
    assert code == want_code


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_clean_with_bad_rules(case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["clean"] + [arg for d in rule_dirs(case) for arg in ("--rules", d)]
    code, err = run(args, capsys, monkeypatch)
    want_code, want_lines = expected(case)
    assert code == want_code
    if want_code:
        # Errors stop the run with the same diagnostics; warnings do not stop it.
        assert diagnostic_lines(err, case) == [line for line in want_lines if ": E" in line]
    assert "Traceback" not in err


def test_over_large_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "common" / "big.yaml"
    path.parent.mkdir()
    path.write_text("id: big\n" + "# padding\n" * (MAX_FILE_BYTES // 10 + 1), encoding="utf-8")
    code, err = run(["rules", "validate", str(tmp_path)], capsys, monkeypatch)
    assert code == 2
    assert diagnostic_lines(err, tmp_path) == ["common/big.yaml:1:1: E113 file is larger than 1,000,000 bytes"]


def test_too_many_nodes_is_refused() -> None:
    text = "items: [" + ", ".join("x" for _ in range(MAX_NODES)) + "]\n"
    value, found = load_yaml(text, "many.yaml")
    assert value is None
    # The node past the limit is reported where it is written: the 50,000th "x" in the list.
    assert [d.format().splitlines()[0] for d in found] == ["many.yaml:1:150000: E113 more than 50,000 YAML nodes"]


def test_rule_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "common" / "latin.yaml"
    path.parent.mkdir()
    path.write_bytes(b"id: latin\nsummary: caf\xe9\n")
    (diag,) = load_dirs([tmp_path]).diagnostics
    assert (diag.path, diag.line, diag.col, diag.code) == (str(path), 1, 1, "E114")
    assert diag.message.startswith("cannot read rule file:")


def test_billion_laughs_is_refused_fast() -> None:
    # Nine levels of nine aliases would expand to 9**9 strings; the loader never expands them.
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    value, found = load_yaml("\n".join(lines) + "\n", "bomb.yaml")
    assert value is None
    assert [d.format().splitlines()[0] for d in found] == [
        "bomb.yaml:2:10: E112 anchors and aliases are not allowed in rule files (alias '*a0', 81 in the file)"
    ]


@pytest.mark.parametrize(
    ("files", "code"),
    [
        ({"common/x.yaml": "id: x\nsummary: s\nkind: line\npattern: 'x'\nstatus: beta\n"
          "examples: {match: [x], no_match: [y]}\n"}, "E116"),
        ({"sites/bad.yaml": "site: not a domain\nrules: []\n"}, "E117"),
        ({"common/empty.yaml": ""}, "E118"),
        ({}, "E120"),
    ],
    ids=["status", "site", "empty-file", "no-files"],
)
def test_what_was_e109_e103_or_e114_has_a_code_of_its_own(tmp_path: Path, files: dict[str, str], code: str) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert code in {d.code for d in load_dirs([tmp_path]).diagnostics}


def test_a_missing_rules_directory_is_e119(tmp_path: Path) -> None:
    assert [d.code for d in load_dirs([tmp_path / "absent"]).diagnostics] == ["E119"]
