"""Issue 15, items 8, 10 and 11: hostile rule files and caches are diagnostics, never tracebacks,
hangs or leaks."""

from __future__ import annotations

import io
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
