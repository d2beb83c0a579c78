"""scripts/setup installs what a command needs, once: checked with a stand-in for .venv's Python."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

from tests.conftest import ROOT

PIP = "-m pip --quiet --disable-pip-version-check"


def _checkout(tmp_path: Path) -> Path:
    """A copy of scripts/setup and pyproject.toml whose .venv/bin/python logs its arguments."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "setup", tmp_path / "scripts" / "setup")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text('#!/bin/sh\necho "$*" >> "$(dirname "$0")/../calls.log"\n')
    python.chmod(0o755)
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("version = 3.11.7\n")
    return tmp_path


def _setup(root: Path, *args: str) -> list[str]:
    """Run scripts/setup ARGS; return the Python calls it made."""
    log = root / ".venv" / "calls.log"
    before = log.read_text().splitlines() if log.exists() else []
    subprocess.run([str(root / "scripts" / "setup"), *args], check=True, capture_output=True, timeout=60)
    after = log.read_text().splitlines() if log.exists() else []
    return after[len(before):]


def test_run_installs_the_package_alone_once(tmp_path: Path) -> None:
    root = _checkout(tmp_path)
    assert _setup(root, "run") == [f"{PIP} install -e ."]
    assert _setup(root, "run") == []  # up to date: nothing reinstalled


def test_dev_installs_extras_and_tools_once_and_covers_run(tmp_path: Path) -> None:
    root = _checkout(tmp_path)
    extras = ",".join(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"])
    assert _setup(root) == [f"{PIP} install pip>=25.1", f"{PIP} install -e .[{extras}] --group dev"]
    assert _setup(root) == []
    assert _setup(root, "run") == []  # dev holds everything run needs
    with (root / "pyproject.toml").open("a") as pyproject:
        pyproject.write("\n# a dependency changed\n")
    assert _setup(root, "run") == [f"{PIP} install -e ."]
    assert len(_setup(root)) == 2


def test_clean_seeds_installs_only_the_package() -> None:
    # Cleaning the seeds needs neither the extras nor the contributors' tools.
    assert "\nscripts/setup run\n" in (ROOT / "scripts" / "clean-seeds").read_text()
