"""Shared fixtures: the built-in rules, compiled once per test session."""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from cleaner import Cleaner, RuleSet

ROOT = Path(__file__).resolve().parent.parent

# The rules cache (cleaner.rules.cache) of this test session, CLI subprocesses included, goes to
# a folder of its own: never the user's ~/.cache, and no state from an earlier run.
_CACHE_DIR = tempfile.mkdtemp(prefix="cleaner-test-cache-")
os.environ["CLEANER_CACHE_DIR"] = _CACHE_DIR
os.environ.pop("CLEANER_NO_CACHE", None)
atexit.register(shutil.rmtree, _CACHE_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def builtin_rules() -> RuleSet:
    return RuleSet.load(preview=True)


@pytest.fixture(scope="session")
def default_cleaner() -> Cleaner:
    return Cleaner.default()


CliRunner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty cache directory for the rules and translation caches (created on write)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(folder))
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def run_cli() -> CliRunner:
    """Run ``python -m cleaner ARGS`` in a subprocess, as a user's shell would."""

    def run(*args: str, input: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cleaner", *args],
            input=input, capture_output=True, text=True, cwd=cwd or ROOT, timeout=120,
        )

    return run


def load_benchmark(name: str) -> ModuleType:
    """Import ``benchmarks/<name>.py`` as module ``name`` (the scripts are not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def write_rule(directory: Path, name: str, text: str) -> Path:
    """Write ``text`` to ``directory/name`` (creating common/ or sites/) and return the path."""
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_simple_rule(directory: Path, rule_id: str, kind: str, pattern: str, match: str, no_match: str) -> Path:
    """Write a minimal valid common rule (one example each way) and return its path.

    ``pattern`` and the examples are written as YAML single-quoted scalars: backslashes need
    no escaping, and none of them may contain a single quote.
    """
    text = (
        f"id: {rule_id}\nsummary: s\nkind: {kind}\npattern: '{pattern}'\n"
        f"examples: {{match: ['{match}'], no_match: ['{no_match}']}}\n"
    )
    return write_rule(directory, f"common/{rule_id}.yaml", text)
