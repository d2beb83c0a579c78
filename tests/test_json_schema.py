"""The published JSON Schema of rule files (docs/rules.schema.json) agrees with the loader."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from cleaner.rules.loader import load_dirs
from cleaner.rules.schema import json_schema
from tests.conftest import ROOT, write_rule

SCHEMA = ROOT / "docs" / "rules.schema.json"
# Common rules and site packs; signals (rules/signals/, rules/evidence.yaml) have a format of their own.
RULE_FILES = sorted([*(ROOT / "rules" / "common").glob("*.yaml"), *(ROOT / "rules" / "sites").glob("*.yaml")])
VALID = (
    "id: teaser\nsummary: s\nkind: line\npattern: '(?i)teaser:.*'\n"
    "examples: {match: ['Teaser: x'], no_match: ['A y.']}\n"
)


def _errors(text: str) -> list[str]:
    validator = jsonschema.Draft202012Validator(json_schema())
    return [error.message for error in validator.iter_errors(yaml.safe_load(text))]


def test_schema_file_is_fresh_and_a_valid_schema() -> None:
    hint = f"run: cleaner rules schema -o {SCHEMA}"
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == json_schema(), hint
    jsonschema.Draft202012Validator.check_schema(json_schema())


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.relative_to(ROOT / "rules").as_posix())
def test_every_built_in_rule_file_validates(path: Path) -> None:
    assert _errors(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("change", "found"),
    [
        (("max_chars: 200", "max_chars: '200'"), "is not of type 'integer'"),
        (("kind: line", "kind: lines"), "is not one of"),
        (("pattern:", "max_lines: 3\npattern:"), "False schema does not allow 3"),  # a block key on a line rule
        (("summary: s", "summary: s\nsumary: t"), "Additional properties are not allowed ('sumary'"),
        (("pattern:", "where: top\npattern:"), "'top' is not one of ['any', 'first', 'last']"),
    ],
)
def test_schema_and_loader_both_refuse(change: tuple[str, str], found: str, tmp_path: Path) -> None:
    text = VALID.replace(*change) if change[0] in VALID else VALID + change[1] + "\n"
    assert _errors(VALID) == []
    assert any(found in message for message in _errors(text)), _errors(text)
    write_rule(tmp_path, "common/teaser.yaml", text)
    assert load_dirs([tmp_path]).errors
