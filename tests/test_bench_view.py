"""Tables of `cleaner bench` (issue 16, item 14): rich renders them on a terminal and in files."""

from __future__ import annotations

import io
import re

import pytest
from rich.cells import cell_len

from cleaner.cli.bench_view import Table, render

LONG = "A donation or support appeal box near the end (“Support independent journalism”) and what follows it"
TABLE = Table(
    "corpus: rules",
    ("rule", "lines removed", "summary"),
    (("common/donation-appeal", "11", LONG), ("日本語/見出し", "3", "短い"), ("common/x", "1", "short")),
    (0, 2),
)


def test_plain_tables_align_by_display_width_and_cut_nothing() -> None:
    out = io.StringIO()
    render([TABLE], out, color=False)
    lines = out.getvalue().splitlines()
    assert lines[0] == "corpus: rules"
    header, *rows = lines[1:5]
    # The "lines removed" column ends at the same display column in every row, wide characters included.
    numbers = ("11", "3", "1")
    ends = {cell_len(line[: line.index(number) + len(number)]) for line, number in zip(rows, numbers, strict=True)}
    assert ends == {cell_len(header[: header.index("lines removed") + len("lines removed")])}
    assert LONG in rows[0]  # a file gets the whole summary


def test_terminal_tables_cut_long_summaries_instead_of_wrapping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "70")
    out = io.StringIO()
    render([TABLE], out, color=True)
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in out.getvalue().splitlines()]
    assert all(cell_len(line) <= 70 for line in lines)
    body = [line for line in lines if line.startswith("│")]
    assert len(body) == 3  # three rows, none wrapped onto a second line
    assert len([line for line in lines if line.startswith("┃")]) == 1
    assert "…" in body[0] and "│ common/donation-appeal │" in body[0]
