"""The validated-rules cache: a hit equals a fresh load, and anything odd falls back to one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import Cleaner, RuleSet
from cleaner.match import literals as literalgate
from cleaner.rules import cache as rulecache
from cleaner.rules.loader import LoadedRules, builtin_rules_dir, load_dirs
from tests.conftest import write_rule

RULE = """\
id: {id}
summary: {summary}
kind: line
pattern: '(?i)(a+)+ {id} .*'
examples:
  match: ['aa {id} x']
  no_match: ['A sentence of real prose.']
"""
PACK = """\
site: example.com
names: [Example News]
detect: ['Example News Daily']
rules:
  - id: suffix
    summary: The site name after the title
    kind: span
    pattern: '\\s*[-|]\\s*\\L<site_names>$'
    examples:
      match: ['Title - Example News']
      no_match: ['A sentence of real prose.']
"""


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    write_rule(root, "common/nested-thing.yaml", RULE.format(id="nested-thing", summary="First"))
    write_rule(root, "sites/example.com.yaml", PACK)
    return root


def _no_fresh_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(directories: object, contents: object = None) -> LoadedRules:
        raise AssertionError("the rules were loaded afresh instead of from the cache")

    monkeypatch.setattr(rulecache, "load_dirs", fail)


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("rules-*.json"))


def test_a_hit_equals_a_fresh_load_diagnostics_included(
    cache: Path, rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dirs = [builtin_rules_dir(), rules]
    fresh = load_dirs(dirs)
    assert any(d.severity == "warning" for d in fresh.diagnostics)  # W202: nested quantifiers
    assert rulecache.load_rules(dirs) == fresh
    assert len(_files(cache)) == 1
    _no_fresh_load(monkeypatch)
    assert rulecache.load_rules(dirs) == fresh
    assert RuleSet.load([rules]).validate() == list(fresh.diagnostics)


def test_cleaning_from_the_cache_gives_the_same_result(cache: Path, rules: Path) -> None:
    text = "Title - Example News\n\nExample News Daily: the story goes here, long enough.\n\naa nested-thing x"
    cold = Cleaner.from_paths([rules]).clean_and_explain(text)
    assert _files(cache)
    warm = Cleaner.from_paths([rules]).clean_and_explain(text)
    assert warm == cold
    assert warm.removals and warm.site == "example.com"


def test_editing_adding_or_removing_a_rule_file_invalidates(
    cache: Path, rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rulecache.load_rules([rules])
    path = rules / "common" / "nested-thing.yaml"
    path.write_text(RULE.format(id="nested-thing", summary="Second"), encoding="utf-8")
    assert rulecache.load_rules([rules]).common[0].summary == "Second"
    write_rule(rules, "common/other-thing.yaml", RULE.format(id="other-thing", summary="Other"))
    assert [r.id for r in rulecache.load_rules([rules]).common] == ["nested-thing", "other-thing"]
    path.unlink()
    assert [r.id for r in rulecache.load_rules([rules]).common] == ["other-thing"]
    assert len(_files(cache)) == 1  # one file per list of directories, rewritten in place


def test_an_invalid_rule_is_reported_the_same_from_the_cache(cache: Path, rules: Path) -> None:
    write_rule(rules, "common/broken.yaml", "id: broken\nkind: line\npattern: '(unclosed'\n")
    fresh = load_dirs([rules])
    assert fresh.errors
    assert rulecache.load_rules([rules]) == fresh
    assert rulecache.load_rules([rules]) == fresh


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "not json at all {",
        lambda text: text[: len(text) // 2],
        lambda text: json.dumps({**json.loads(text), "key": "0" * 64}),
        lambda text: json.dumps({**json.loads(text), "format": -1}),
        lambda text: json.dumps({**json.loads(text), "rules": {"common": [["x"]]}}),
        lambda text: text.replace('"nested-thing"', "12", 1),
        lambda text: json.dumps({**json.loads(text), "literals": [["p", [], [3]]]}),
        lambda text: "[]",
    ],
    ids=["garbage", "truncated", "other-key", "other-format", "bad-rule", "bad-type", "bad-literals", "not-object"],
)
def test_a_damaged_cache_file_is_ignored_and_rebuilt(cache: Path, rules: Path, damage: object) -> None:
    fresh = load_dirs([rules])
    rulecache.load_rules([rules])
    (path,) = _files(cache)
    path.write_text(damage(path.read_text(encoding="ascii")), encoding="utf-8")  # type: ignore[operator]
    assert rulecache.load_rules([rules]) == fresh
    assert json.loads(path.read_text(encoding="ascii"))["format"] == rulecache.FORMAT  # rewritten


def test_a_file_others_can_write_is_not_trusted(cache: Path, rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rulecache.load_rules([rules])
    (path,) = _files(cache)
    assert path.stat().st_mode & 0o777 == 0o600
    path.chmod(0o666)
    _no_fresh_load(monkeypatch)
    with pytest.raises(AssertionError, match="loaded afresh"):
        rulecache.load_rules([rules])


def test_an_unwritable_cache_directory_is_skipped(tmp_path: Path, rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(blocker / "cache"))  # mkdir fails: a file is in the way
    assert rulecache.load_rules([rules]) == load_dirs([rules])
    assert Cleaner.from_paths([rules]).clean("Title\n\nBody.") == "Title\n\nBody."


def test_no_cache_env_var_turns_it_off(cache: Path, rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEANER_NO_CACHE", "1")
    assert rulecache.cache_dir() is None
    assert rulecache.load_rules([rules]) == load_dirs([rules])
    assert not cache.exists()


def test_cache_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    monkeypatch.delenv("CLEANER_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert rulecache.cache_dir() == tmp_path / "xdg" / "cleaner"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")  # the XDG spec: only absolute paths count
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert rulecache.cache_dir() == tmp_path / "home" / ".cache" / "cleaner"
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path / "mine"))
    assert rulecache.cache_dir() == tmp_path / "mine"
    monkeypatch.setenv("CLEANER_NO_CACHE", "0")  # "0" means: do not turn it off
    assert rulecache.cache_dir() == tmp_path / "mine"


def _key(directories: list[Path]) -> str | None:
    return rulecache._key(directories, rulecache._contents(directories))


def test_the_key_covers_paths_and_code(rules: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = _key([rules])
    assert key is not None and key == _key([rules])
    # The same bytes under another path load with other `source` paths: another key.
    copy = tmp_path / "copy"
    for path in rules.rglob("*.yaml"):
        write_rule(copy, str(path.relative_to(rules)), path.read_text(encoding="utf-8"))
    assert _key([copy]) != key
    assert _key([rules, copy]) != _key([copy, rules])
    monkeypatch.setattr(rulecache, "FORMAT", rulecache.FORMAT + 1)
    assert _key([rules]) != key


def test_a_hit_brings_the_required_literals(cache: Path, rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rulecache.load_rules([rules])
    monkeypatch.setattr(literalgate, "_MEMO", {})
    monkeypatch.setattr(literalgate, "_atoms", lambda pattern, names: pytest.fail("literals computed again"))
    loaded = rulecache.load_rules([rules])
    (suffix,) = loaded.site_rules
    assert suffix.pattern is not None
    required = literalgate.required_literals(suffix.pattern, ["Example News"])
    assert literalgate.describe(required) == "(-||) & example news"
    assert literalgate.required_literals("Example News Daily") == ("lit", ("example news daily",))


def test_the_cli_writes_and_then_uses_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "cli-cache"
    env = {**os.environ, "CLEANER_CACHE_DIR": str(folder)}

    def clean() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "cleaner", "clean"], input="Title\n\nBody.\n\nSource link\n",
                              capture_output=True, text=True, env=env, timeout=120)

    first, second = clean(), clean()
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout == "Title\n\nBody.\n"
    assert len(_files(folder)) == 1


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_cache_location_on_macos_and_windows_comes_from_platformdirs(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    platformdirs = pytest.importorskip("platformdirs")  # installed only there (and with the dev tools)
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    monkeypatch.delenv("CLEANER_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))  # not the place there
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(platformdirs, "user_cache_path", lambda name, appauthor: tmp_path / platform / name)
    assert rulecache.cache_dir() == tmp_path / platform / "cleaner"
