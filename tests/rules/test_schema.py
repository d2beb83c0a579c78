"""Broken rule files give exact path:line:col diagnostics, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import RuleError, RuleSet
from cleaner.rules.loader import builtin_rules_dir, load_dirs
from tests.conftest import write_rule

GOOD_TAIL = "examples:\n  match: ['Source link']\n  no_match: ['The source linked it.']\n"


def diagnostics(tmp_path: Path, name: str, text: str) -> list[str]:
    write_rule(tmp_path, name, text)
    return [d.format().split("\n")[0].replace(str(tmp_path) + "/", "") for d in load_dirs([tmp_path]).diagnostics]


def test_valid_rule_has_no_diagnostics(tmp_path: Path) -> None:
    text = "id: source-link\nsummary: s\nkind: line\npattern: 'Source link'\n" + GOOD_TAIL
    assert diagnostics(tmp_path, "common/source-link.yaml", text) == []


def test_unknown_key_with_suggestion(tmp_path: Path) -> None:
    text = "id: a\nsummary: s\nkind: line\npattern: 'x'\nmax_char: 20\n" + GOOD_TAIL
    assert diagnostics(tmp_path, "common/a.yaml", text) == ["common/a.yaml:5:1: E101 rule 'a': unknown key 'max_char'"]
    (diag,) = load_dirs([tmp_path]).diagnostics
    assert diag.hint == "did you mean 'max_chars'?"


def test_duplicate_key(tmp_path: Path) -> None:
    text = "id: a\nsummary: s\nkind: line\npattern: 'x'\npattern: 'y'\n" + GOOD_TAIL
    assert diagnostics(tmp_path, "common/a.yaml", text) == [
        "common/a.yaml:5:1: E102 duplicate key 'pattern' (first written at line 4)"
    ]


def test_missing_key(tmp_path: Path) -> None:
    text = "id: a\nkind: line\npattern: 'x'\n" + GOOD_TAIL
    assert diagnostics(tmp_path, "common/a.yaml", text) == ["common/a.yaml:1:1: E103 rule 'a': missing key 'summary'"]


def test_yaml_boolean_is_wrong_type(tmp_path: Path) -> None:
    text = "id: a\nsummary: s\nkind: line\npattern: no\n" + GOOD_TAIL
    assert diagnostics(tmp_path, "common/a.yaml", text) == [
        "common/a.yaml:4:10: E104 rule 'a': 'pattern' must be a string, got bool False"
    ]
    (diag,) = load_dirs([tmp_path]).diagnostics
    assert "yes/no" in diag.hint


def test_invalid_regex(tmp_path: Path) -> None:
    text = "id: a\nsummary: s\nkind: line\npattern: '(unclosed'\n" + GOOD_TAIL
    (line,) = diagnostics(tmp_path, "common/a.yaml", text)
    assert line.startswith("common/a.yaml:4:10: E105 rule 'a': invalid regex in 'pattern': missing )")


def test_empty_match(tmp_path: Path) -> None:
    text = "id: a\nsummary: s\nkind: line\npattern: '(?:x)?'\n" + GOOD_TAIL
    assert diagnostics(tmp_path, "common/a.yaml", text) == [
        "common/a.yaml:4:10: E106 rule 'a': 'pattern' matches the empty string"
    ]


def test_unknown_kind(tmp_path: Path) -> None:
    text = "id: a\nsummary: s\nkind: lines\npattern: 'x'\n" + GOOD_TAIL
    assert diagnostics(tmp_path, "common/a.yaml", text) == ["common/a.yaml:3:7: E108 rule 'a': unknown kind 'lines'"]


def test_id_must_match_file_name(tmp_path: Path) -> None:
    text = "id: b\nsummary: s\nkind: line\npattern: 'x'\n" + GOOD_TAIL
    assert diagnostics(tmp_path, "common/a.yaml", text) == [
        "common/a.yaml:1:5: E110 rule id 'b' does not match the file name 'a.yaml'"
    ]


def test_duplicate_ids_across_directories(tmp_path: Path) -> None:
    text = "id: a\nsummary: s\nkind: line\npattern: 'x'\n" + GOOD_TAIL
    write_rule(tmp_path / "one", "common/a.yaml", text)
    write_rule(tmp_path / "two", "common/a.yaml", text)
    found = load_dirs([tmp_path / "one", tmp_path / "two"]).diagnostics
    assert [(d.code, d.path.endswith("two/common/a.yaml")) for d in found] == [("E107", True)]


def test_duplicate_ids_in_a_site_pack(tmp_path: Path) -> None:
    rule = "  - id: a\n    summary: s\n    kind: line\n    pattern: 'x'\n"
    rule += "    examples: {match: ['x'], no_match: ['y']}\n"
    text = "site: example.com\nrules:\n" + rule + rule
    assert diagnostics(tmp_path, "sites/example.com.yaml", text) == [
        "sites/example.com.yaml:8:5: E107 site pack 'example.com': duplicate rule id 'a' (first at line 3)"
    ]


def test_host_claimed_by_two_packs_is_located_at_the_host(tmp_path: Path) -> None:
    # The second pack claims example.com twice over: as its alias, and a third pack as its site.
    write_rule(tmp_path / "one", "sites/example.com.yaml", "site: example.com\nrules: []\n")
    write_rule(tmp_path / "two", "sites/example.org.yaml", "site: example.org\naliases:\n  - www.example.org\n"
               "  - example.com\nrules: []\n")
    write_rule(tmp_path / "three", "sites/example.com.yaml", "# the same site again\nsite:   example.com\n")
    found = load_dirs([tmp_path / "one", tmp_path / "two", tmp_path / "three"]).diagnostics
    claimed = "E107 site 'example.com' is already claimed by one/sites/example.com.yaml:1:7"
    hint = "  hint: a host belongs to one pack: merge the two packs, or remove 'example.com' from this one"
    assert [d.format().replace(str(tmp_path) + "/", "") for d in found] == [
        f"two/sites/example.org.yaml:4:5: {claimed}\n{hint}",
        f"three/sites/example.com.yaml:2:9: {claimed}\n{hint}",
    ]


def test_host_listed_twice_in_one_pack_is_located_at_the_repeat(tmp_path: Path) -> None:
    text = "site: example.com\naliases: [www.example.com, example.com]\n"
    assert diagnostics(tmp_path, "sites/example.com.yaml", text) == [
        "sites/example.com.yaml:2:28: E107 site 'example.com' is already claimed by sites/example.com.yaml:1:7"
    ]
    (diag,) = load_dirs([tmp_path]).diagnostics
    assert diag.hint == "remove the repeated 'example.com' from site:/aliases:"


def test_disable_of_unknown_rule(tmp_path: Path) -> None:
    text = "site: example.com\ndisable: [read-als]\nrules: []\n"
    write_rule(tmp_path, "common/read-also.yaml", "id: read-also\nsummary: s\nkind: line\npattern: 'x'\n" + GOOD_TAIL)
    assert diagnostics(tmp_path, "sites/example.com.yaml", text) == [
        "sites/example.com.yaml:2:11: E111 site pack 'example.com': disables unknown rule 'read-als'"
    ]


def test_backspace_in_double_quotes_warns(tmp_path: Path) -> None:
    text = 'id: a\nsummary: s\nkind: line\npattern: "\\bword\\b"\n' + GOOD_TAIL
    found = load_dirs([tmp_path]).diagnostics if write_rule(tmp_path, "common/a.yaml", text) else ()
    assert [(d.code, d.severity, d.line) for d in found] == [("W201", "warning", 4)]


def test_aliases_are_refused(tmp_path: Path) -> None:
    text = "id: a\nsummary: &s s\nkind: line\npattern: *s\n" + GOOD_TAIL
    lines = diagnostics(tmp_path, "common/a.yaml", text)
    assert "E112 anchors and aliases are not allowed in rule files" in lines[0]


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    assert diagnostics(tmp_path, "common/a.yaml", "id: a\nsummary: [unclosed\n") == [
        "common/a.yaml:2:10: E100 YAML syntax error: expected ',' or ']', but got '<stream end>'"
        " (while parsing a flow sequence opened here)"
    ]


def test_ruleset_refuses_errors(tmp_path: Path) -> None:
    write_rule(tmp_path, "common/a.yaml", "id: a\n")
    with pytest.raises(RuleError) as info:
        RuleSet.load([tmp_path])
    assert all(d.path.endswith("a.yaml") for d in info.value.diagnostics)


def test_builtin_rules_are_valid() -> None:
    assert load_dirs([builtin_rules_dir()]).diagnostics == ()
