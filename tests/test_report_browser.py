"""The bench report in a real browser: headless Chromium renders it, every document open.

Skipped where no Chromium is installed (Debian: `apt-get install chromium`). Checks that the
page lays out without a horizontal scrollbar at a narrow window, that its filter script runs,
and takes a screenshot (kept in pytest's tmp folder for a person to look at).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, CliRunner

CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(name)), None)
PROBE = """<script>
var root = document.documentElement;
document.body.setAttribute("data-overflow", String(root.scrollWidth > root.clientWidth));
</script>
</body>"""


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed")
def test_report_renders_in_chromium_without_horizontal_scrolling(run_cli: CliRunner, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    report = tmp_path / "report.html"
    assert run_cli("bench", str(ROOT / "benchmarks" / "seeds.jsonl"), "--report", str(report)).returncode == 0
    page = report.read_text(encoding="utf-8").replace("<details ", "<details open ").replace("</body>", PROBE)
    opened = tmp_path / "opened.html"
    opened.write_text(page, encoding="utf-8")
    browser = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=800,1200"]
    dom = subprocess.run([*browser, "--dump-dom", opened.as_uri()], capture_output=True, text=True, timeout=120)
    assert 'data-overflow="false"' in dom.stdout, re.findall(r"data-overflow=\"\w+\"", dom.stdout)
    assert "5 of 5 shown" in dom.stdout  # the filter script ran
    shot = tmp_path / "report.png"
    subprocess.run([*browser, f"--screenshot={shot}", opened.as_uri()], capture_output=True, timeout=120, check=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
