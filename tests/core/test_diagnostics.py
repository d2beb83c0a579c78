"""One registry of diagnostic codes: every code used is registered, has one meaning, and is documented."""

from __future__ import annotations

import re
from pathlib import Path

from cleaner.core.diagnostics import CODES, E109, Code, diagnostic, render_codes

ROOT = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r"""["'][EWTB][0-9]{3}["']""")


def test_no_module_writes_a_code_as_a_string_literal() -> None:
    found = []
    for path in sorted((ROOT / "cleaner").rglob("*.py")):
        if path.name == "diagnostics.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if LITERAL.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_each_code_has_one_meaning() -> None:
    meanings = [code.meaning for code in CODES.values()]
    assert len(set(meanings)) == len(meanings)
    assert all(isinstance(code, Code) and code == name for name, code in CODES.items())


def test_a_code_is_its_string_and_brings_its_severity() -> None:
    made = diagnostic(E109, "rules/common/x.yaml", 3, 5, "rule 'x': 'within' must be 1 or more, got 0")
    assert made.code == "E109" and made.severity == "error"
    assert made.format() == "rules/common/x.yaml:3:5: E109 rule 'x': 'within' must be 1 or more, got 0"


def test_docs_list_every_code() -> None:
    assert (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8") == render_codes(), (
        "regenerate: python -c \"from cleaner.core.diagnostics import render_codes; "
        "open('docs/diagnostics.md','w').write(render_codes())\""
    )
