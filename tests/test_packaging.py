"""The wheel ships the built-in rules inside the package, so `pip install .` works anywhere."""

from __future__ import annotations

import email.parser
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest

from cleaner.core.errors import DISTRIBUTION
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sdist, and the wheel built from that sdist (as `python -m build` does)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], check=True, capture_output=True, timeout=600,
    )
    (sdist,) = out.glob("residue_cleaner-*.tar.gz")
    (wheel,) = out.glob("residue_cleaner-*.whl")
    return sdist, wheel


def test_wheel_contains_rules_types_and_license(dists: tuple[Path, Path]) -> None:
    names = set(zipfile.ZipFile(dists[1]).namelist())
    shipped = {Path(p).relative_to("rules").as_posix() for p in
               (q.relative_to(ROOT).as_posix() for q in (ROOT / "rules").rglob("*.yaml"))}
    assert {f"cleaner/_rules/{p}" for p in shipped} <= names
    assert "cleaner/cli/app.py" in names
    assert "cleaner/py.typed" in names  # PEP 561: users' type checkers read our hints
    (license_file,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
    assert "Apache License" in zipfile.ZipFile(dists[1]).read(license_file).decode()


def test_wheel_metadata_publishes_no_contributor_tools(dists: tuple[Path, Path]) -> None:
    with zipfile.ZipFile(dists[1]) as wheel:
        (meta,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = email.parser.Parser().parsestr(wheel.read(meta).decode())
    assert metadata["Name"] == DISTRIBUTION
    assert metadata["License-Expression"] == "Apache-2.0"
    assert set(metadata.get_all("Provides-Extra") or ()) == {"html", "datatrove", "scrapy", "report"}
    required = " ".join(metadata.get_all("Requires-Dist") or ())
    for tool in ("pytest", "hypothesis", "mypy", "ruff", "types-"):
        assert tool not in required


def test_sdist_holds_every_tracked_file(dists: tuple[Path, Path]) -> None:
    # The sdist's own tests read seeds/, benchmarks/, docs/, scripts/: it must hold what git holds.
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (this is the unpacked sdist itself)")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    with tarfile.open(dists[0]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    expected = {path for path in tracked if not path.startswith(".ci/")}
    assert expected - names == set()
    assert "LICENSE" in names


def test_contributor_tools_are_a_dependency_group() -> None:
    project = _pyproject()
    assert "test" not in project["project"]["optional-dependencies"]
    groups = project["dependency-groups"]
    assert {"pytest>=8", "mypy>=1.10", "ruff>=0.5"} <= {*groups["test"], *groups["lint"]}
    assert {"include-group": "test"} in groups["dev"] and {"include-group": "lint"} in groups["dev"]



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
    assert documented == {"html", "datatrove", "scrapy", "report"}
    assert documented <= set(_pyproject()["project"]["optional-dependencies"])
    assert f"pipx install {DISTRIBUTION}" in section
    assert f"pip install '{DISTRIBUTION}[html]'" in section


def test_readme_names_every_dependency_and_why() -> None:
    # Item 4 of issue 16: metadata, code and README agree on what is required.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Install\n", 1)[1].split("\n## ", 1)[0]
    names = [re.split(r"[<>=\[ ]", dep, maxsplit=1)[0] for dep in _pyproject()["project"]["dependencies"]]
    assert sorted(names) == ["PyYAML", "ftfy", "google-re2", "platformdirs", "regex", "rich"]
    for name in names:
        assert f"`{name}`" in section, name


def test_library_and_integrations_never_import_rich() -> None:
    # rich is the command's presentation layer; a datatrove or Scrapy worker never loads it.
    probe = (
        "import sys; from cleaner import clean; from cleaner.integrations.scrapy import CleanerPipeline; "
        "clean('Title\\n\\nBody text.\\n\\nREAD ALSO: other'); "
        "CleanerPipeline().process_item({'text': 'Title\\n\\nBody.\\n\\nSource link'}, None); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'trafilatura')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"
