"""The wheel ships the built-in rules inside the package, so `pip install .` works anywhere."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

from cleaner.core.errors import DISTRIBUTION
from tests.conftest import ROOT


def test_wheel_contains_rules(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
         "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = tmp_path.glob("residue_cleaner-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {Path(p).relative_to("rules").as_posix() for p in
               (q.relative_to(ROOT).as_posix() for q in (ROOT / "rules").rglob("*.yaml"))}
    assert {f"cleaner/_rules/{p}" for p in shipped} <= names
    assert "cleaner/cli/app.py" in names


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_distribution_name_is_ours_everywhere() -> None:
    # `cleaner` on the package index is an unrelated project: every install command we print
    # or document must name the distribution in pyproject.toml.
    assert _pyproject()["project"]["name"] == DISTRIBUTION == "residue-cleaner"
    sources = [ROOT / "README.md", ROOT / ".pre-commit-hooks.yaml", *sorted((ROOT / "cleaner").rglob("*.py"))]
    named = {
        (path.relative_to(ROOT).as_posix(), match.group(1))
        for path in sources
        for match in re.finditer(r"pipx? install\s+['\"]?([A-Za-z][\w.-]*)", path.read_text(encoding="utf-8"))
    }
    assert named, "no install command found: the pattern is wrong"
    assert {(path, name) for path, name in named if name != DISTRIBUTION} == set()


def test_readme_has_an_install_section_for_users() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Install\n", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `(\w+)` \|", section, flags=re.M))
    assert documented == {"html", "datatrove", "scrapy"}
    assert documented <= set(_pyproject()["project"]["optional-dependencies"])
    assert f"pipx install {DISTRIBUTION}" in section
    assert f"pip install '{DISTRIBUTION}[html]'" in section
