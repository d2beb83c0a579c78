"""The RE2 translation cache: a hit gives what translating gives, and anything odd translates afresh."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.engine import prefilter
from cleaner.match import re2, sitenames
from cleaner.match import re2cache as gatecache
from cleaner.match.re2cache import Request

REQUESTS: list[Request] = [
    (r"(?i)read (?:also|more)\b.*", "line", ()),
    (r"\s*[-|]\s*\L<site_names>$", "search", ("Example News",)),
    (r"(?V1)fuzzy{e<=1}", "line", ()),  # beyond RE2: no gate, and that is cached too
]


def _fresh() -> list[str | None]:
    return [re2.gate_pattern(*request) for request in REQUESTS]


def _no_translation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> str | None:
        raise AssertionError("translated afresh")

    monkeypatch.setattr(gatecache, "gate_pattern", refuse)


def test_a_hit_equals_translating_and_translates_nothing(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _fresh()
    assert expected[0] is not None and expected[2] is None
    assert gatecache.translations(REQUESTS) == expected
    assert len(list(cache.glob("gates-*.json"))) == 1
    _no_translation(monkeypatch)
    assert gatecache.translations(REQUESTS) == expected
    with pytest.raises(AssertionError, match="afresh"):
        gatecache.translations(REQUESTS[:2])  # other patterns, another file


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "not json",
        lambda text: text[: len(text) // 2],
        lambda text: json.dumps({**json.loads(text), "key": "other"}),
        lambda text: json.dumps({**json.loads(text), "gates": json.loads(text)["gates"][:1]}),
        lambda text: json.dumps({**json.loads(text), "gates": [1, 2, 3]}),
        lambda text: "[]",
    ],
    ids=["garbage", "truncated", "other-key", "too-short", "bad-type", "not-object"],
)
def test_a_damaged_file_is_translated_afresh_and_rewritten(cache: Path, damage: object) -> None:
    gatecache.translations(REQUESTS)
    (path,) = cache.glob("gates-*.json")
    path.write_text(damage(path.read_text(encoding="ascii")), encoding="utf-8")  # type: ignore[operator]
    assert gatecache.translations(REQUESTS) == _fresh()
    assert json.loads(path.read_text(encoding="ascii"))["gates"] == _fresh()


def test_no_cache_env_var_turns_it_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEANER_NO_CACHE", "1")
    assert gatecache.translations(REQUESTS) == _fresh()
    assert not cache.exists()


def _age(folder: Path, seconds: float) -> None:
    """Make every file in ``folder`` ``seconds`` older (file times tick coarsely on some systems)."""
    for path in folder.iterdir():
        info = path.stat()
        os.utime(path, (info.st_atime - seconds, info.st_mtime - seconds))


def test_only_the_most_recently_used_files_are_kept(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gatecache, "KEEP", 2)
    first = [REQUESTS[0]]
    for requests in (first, [REQUESTS[1]], first, [REQUESTS[2]]):  # the first is used again
        gatecache.translations(requests)
        _age(cache, 10)
    assert len(list(cache.glob("gates-*.json"))) == 2
    _no_translation(monkeypatch)
    gatecache.translations(first)  # still there


def test_temporaries_of_writers_that_died_are_cleared(cache: Path) -> None:
    key = gatecache._key(REQUESTS)
    assert key is not None
    cache.mkdir()
    # One left under this process's pid (pids are reused) blocks the name until removed.
    mine = cache / f".gates-{key[:32]}.json.{os.getpid()}.tmp"
    other = cache / ".gates-0123.json.99999.tmp"
    fresh = cache / ".gates-4567.json.99998.tmp"  # a write in progress: left alone
    for path in (mine, other):
        path.write_text("{", encoding="ascii")
    _age(cache, 3600)
    fresh.write_text("{", encoding="ascii")
    assert gatecache.translations(REQUESTS) == _fresh()
    assert (cache / f"gates-{key[:32]}.json").exists()
    assert not mine.exists() and not other.exists() and fresh.exists()


@pytest.mark.parametrize(
    ("owner", "name", "value"),
    [(re2, "SOURCE", b"other code"), (sys, "version", "3.99"),
     (gatecache, "package_stamp", lambda name: ("another/regex/__init__.py", 1, 2)),
     (sitenames, "SOURCE", b"other marker")],
    ids=["translating-code", "python", "regex", "site-names-marker"],
)
def test_the_key_covers_what_a_translation_depends_on(
    cache: Path, monkeypatch: pytest.MonkeyPatch, owner: object, name: str, value: object
) -> None:
    gatecache.translations(REQUESTS)
    _no_translation(monkeypatch)
    gatecache.translations(REQUESTS)  # a hit
    monkeypatch.setattr(owner, name, value)
    with pytest.raises(AssertionError, match="afresh"):
        gatecache.translations(REQUESTS)


def test_sets_built_from_the_cache_select_the_same_rules(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = Cleaner.default().rules.for_site(None)
    assert plan.prefilter is not None
    names = plan.prefilter._names
    text = "Title\n\nJust prose, nothing else.\n\nREAD ALSO: more\n\nSource link"
    first = prefilter.Prefilter(plan.stages, names)
    first._state()
    assert list(cache.glob("gates-*.json"))
    _no_translation(monkeypatch)
    second = prefilter.Prefilter(plan.stages, names)
    second._state()  # from the cache: translating would raise
    assert second.select(text) == first.select(text)
    assert second.gated == first.gated > 5
