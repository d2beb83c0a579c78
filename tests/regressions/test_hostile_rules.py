"""Issue 15, items 8, 10 and 11: hostile rule files and caches are diagnostics, never tracebacks,
hangs or leaks."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from cleaner.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"


def cli(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Title\n\nBody."), encoding="utf-8"))
    code = main(args)
    return code, capsys.readouterr().err


@pytest.mark.parametrize("case", ["nested-groups", "nested-yaml"])
@pytest.mark.parametrize("command", [["rules", "validate", "--builtin"], ["rules", "test"], ["clean", "--rules"]])
def test_item8_deep_nesting_is_a_diagnostic(
    case: str, command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, err = cli([*command, str(FIXTURES / case)], capsys, monkeypatch)
    assert code == 2
    assert "nested too deeply" in err


RULE = (
    "id: {id}\nsummary: A rule\nkind: line\npattern: 'Source link'\n"
    "examples:\n  match: ['Source link']\n  no_match: ['Text.']\n"
)


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    (tmp_path / "rules" / "common").mkdir(parents=True)
    (tmp_path / "rules" / "common" / "good.yaml").write_text(RULE.format(id="good"), encoding="utf-8")
    return tmp_path / "rules"


def test_item11_a_symlink_to_dev_zero_is_refused_unread(
    rules: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (rules / "common" / "zero.yaml").symlink_to("/dev/zero")
    code, err = cli(["rules", "validate", str(rules)], capsys, monkeypatch)
    assert code == 2
    assert "zero.yaml:1:1: E114 cannot read rule file: a symlink, not a regular file" in err


def test_item11_a_fifo_does_not_hang_the_loader(
    rules: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    os.mkfifo(rules / "common" / "pipe.yaml")
    code, err = cli(["clean", "--rules", str(rules)], capsys, monkeypatch)
    assert code == 2
    assert "pipe.yaml:1:1: E114 cannot read rule file: not a regular file" in err


def test_item11_a_symlink_to_a_private_file_leaks_nothing(
    rules: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password: hunter2-secret-value\n", encoding="utf-8")
    secret.chmod(0o600)
    (rules / "common" / "leak.yaml").symlink_to(secret)
    code, err = cli(["rules", "validate", str(rules)], capsys, monkeypatch)
    assert code == 2
    assert "hunter2" not in err
    assert "leak.yaml:1:1: E114" in err


def test_item11_a_fifo_in_the_cache_folder_is_not_waited_on(rules: Path, tmp_path: Path, cache: Path) -> None:
    from cleaner.rules import cache as rulecache
    from cleaner.rules.loader import load_dirs

    fresh = rulecache.load_rules([rules])  # writes the cache file
    (path,) = cache.glob("rules-*.json")
    path.unlink()
    os.mkfifo(path)  # planted under the cache file's name
    assert rulecache.load_rules([rules]) == fresh == load_dirs([rules])


def test_item10_a_file_swapped_during_a_load_cannot_poison_the_cache(
    rules: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cleaner.rules import cache as rulecache
    from cleaner.rules.loader import load_dirs

    rule = rules / "common" / "good.yaml"
    original = rule.read_text(encoding="utf-8")
    swapped = original.replace("'Source link'", "'.*'").replace("no_match: ['Text.']", "no_match: []")
    real = rulecache.load_dirs

    def swap_then_load(*args: object, **kwargs: object) -> object:
        rule.write_text(swapped, encoding="utf-8")  # between the hashing and the parsing
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(rulecache, "load_dirs", swap_then_load)
    rulecache.load_rules([rules])
    monkeypatch.setattr(rulecache, "load_dirs", real)
    rule.write_text(original, encoding="utf-8")
    # Back to the original bytes: whatever the cache holds under their key must be them.
    assert rulecache.load_rules([rules]) == load_dirs([rules])


@pytest.mark.parametrize("pattern", ["(", "", None])
def test_item10_a_well_typed_but_tampered_entry_is_rebuilt(rules: Path, cache: Path, pattern: str | None) -> None:
    import json

    from cleaner import Cleaner
    from cleaner.rules import cache as rulecache
    from cleaner.rules.loader import load_dirs

    rulecache.load_rules([rules])
    (path,) = cache.glob("rules-*.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["rules"]["common"][0][4] = pattern  # the rule's pattern
    path.write_text(json.dumps(data), encoding="utf-8")
    path.chmod(0o600)
    assert rulecache.load_rules([rules]) == load_dirs([rules])
    text = "Title of the story\n\nThe body of it.\n\nSource link"
    assert Cleaner.from_paths([rules], include_builtin=False).clean(text) == "Title of the story\n\nThe body of it."


def test_item11_the_loader_and_the_yaml_reader_agree_on_the_size_limit() -> None:
    from cleaner.rules.loader import MAX_RULE_FILE_BYTES
    from cleaner.rules.yamlsource import MAX_FILE_BYTES

    assert MAX_RULE_FILE_BYTES == MAX_FILE_BYTES
