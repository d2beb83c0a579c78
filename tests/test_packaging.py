"""The wheel ships the built-in rules inside the package, so `pip install .` works anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_wheel_contains_rules(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
         "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = tmp_path.glob("cleaner-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {Path(p).relative_to("rules").as_posix() for p in
               (q.relative_to(ROOT).as_posix() for q in (ROOT / "rules").rglob("*.yaml"))}
    assert {f"cleaner/_rules/{p}" for p in shipped} <= names
    assert "cleaner/cli/app.py" in names
