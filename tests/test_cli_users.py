"""The command line's conventions for users (issue 16): messages, exit codes, outputs, summaries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SEED = ROOT / "seeds" / "003_3b5fd862162eda80.txt"


def _without(module: str, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """``cleaner ARGS`` in a Python where importing ``module`` fails, as when it is not installed."""
    code = f"import sys; sys.modules[{module!r}] = None; from cleaner.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args], input=input, capture_output=True, text=True, cwd=ROOT, timeout=120
    )


@pytest.mark.parametrize("module", ["trafilatura", "lxml_html_clean"])
def test_html_without_the_extra_names_it_and_exits_2(module: str, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>Some text.</p></article></body></html>")
    done = _without(module, "clean", "--html", str(page))
    assert done.returncode == 2
    assert "pip install 'residue-cleaner[html]'" in done.stderr
    assert "Traceback" not in done.stderr
