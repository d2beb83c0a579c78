"""The ``line`` kind's ``keep_between_prose``: a divider inside the article stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner, Config
from tests.conftest import write_rule

PARAGRAPH = "The council voted on Tuesday to close the road, and residents said they would appeal."
RULE = (
    "id: t\nsummary: test rule\nkind: line\npattern: '[*•\\s]+'\nmax_chars: 30\nkeep_between_prose: true\n"
    "examples:\n  match: ['***']\n  no_match: ['The strike ended on Friday.']\n"
)


def cleaner_with(tmp_path: Path, prefilter: bool) -> Cleaner:
    write_rule(tmp_path, "common/t.yaml", RULE)
    return Cleaner.from_paths([tmp_path], include_builtin=False, config=Config(prefilter=prefilter))


@pytest.mark.parametrize("prefilter", [True, False])
def test_divider_between_paragraphs_stays(tmp_path: Path, prefilter: bool) -> None:
    text = f"Title\n\n{PARAGRAPH}\n\n***\n\n{PARAGRAPH}"
    assert cleaner_with(tmp_path, prefilter).clean(text) == text


@pytest.mark.parametrize("prefilter", [True, False])
def test_divider_at_an_edge_or_among_short_lines_goes(tmp_path: Path, prefilter: bool) -> None:
    c = cleaner_with(tmp_path, prefilter)
    assert c.clean(f"Title\n\n{PARAGRAPH}\n\n• • •") == f"Title\n\n{PARAGRAPH}"
    assert c.clean(f"Title\n\n{PARAGRAPH}\n\n***\n\nShare\n\n{PARAGRAPH}") == (
        f"Title\n\n{PARAGRAPH}\n\nShare\n\n{PARAGRAPH}"
    )


def test_without_the_option_every_divider_goes(tmp_path: Path) -> None:
    write_rule(tmp_path, "common/t.yaml", RULE.replace("keep_between_prose: true\n", ""))
    c = Cleaner.from_paths([tmp_path], include_builtin=False)
    assert c.clean(f"Title\n\n{PARAGRAPH}\n\n***\n\n{PARAGRAPH}") == f"Title\n\n{PARAGRAPH}\n\n{PARAGRAPH}"
