"""The ``run`` kind: runs of short list-like lines, found by their shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner, Config, RuleSet
from cleaner.core.errors import RuleError
from cleaner.kinds.run import marker
from tests.conftest import write_rule

EXAMPLES = "examples:\n  match: ['Related Articles']\n  no_match: ['The strike ended on Friday.']\n"
BODY = "\n\n".join(
    f"Paragraph {n} of the article tells its part of the story, with enough words to be prose." for n in range(1, 9)
)
LIST = "Council backs new bike lanes\n\nStorm closes coastal road\n\nSchools reopen after repairs"


def cleaner_with(tmp_path: Path, body: str, **config: object) -> Cleaner:
    """A cleaner holding one user rule `t` (no built-ins)."""
    write_rule(tmp_path, "common/t.yaml", "id: t\nsummary: test rule\nkind: run\n" + body + EXAMPLES)
    return Cleaner.from_paths([tmp_path], include_builtin=False, config=Config(**config))  # type: ignore[arg-type]


HEADING = "pattern: '(?i)related articles\\W*'\nposition: any\nmin_lines: 0\nno_sentence_end: true\n"


def test_heading_takes_the_short_lines_after_it(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, HEADING)
    assert c.clean(f"Title\n\n{BODY}\n\nRelated Articles\n\n{LIST}") == f"Title\n\n{BODY}"


@pytest.mark.parametrize("prefilter", [True, False])
def test_heading_longer_than_max_chars_is_prose(tmp_path: Path, prefilter: bool) -> None:
    c = cleaner_with(tmp_path, "pattern: '(?i)related articles.*'\nposition: any\nmin_lines: 0\nmax_chars: 40\n",
                     prefilter=prefilter)
    long_heading = "Related articles on the strike appeared in every paper on Monday, and more"
    text = f"Title\n\n{BODY}\n\n{long_heading}\n\n{LIST}"
    assert c.clean(text) == text
    assert c.clean(f"Title\n\n{BODY}\n\nRelated articles\n\n{LIST}") == f"Title\n\n{BODY}"


def test_heading_alone_goes_when_prose_follows(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, HEADING)
    text = f"Title\n\nIntro of the story.\n\nRelated Articles\n\n{BODY}"
    assert c.clean(text) == f"Title\n\nIntro of the story.\n\n{BODY}"


def test_run_stops_where_the_list_marker_changes(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, HEADING + "same_marker: true\n")
    text = f"Title\n\n{BODY}\n\nRelated Articles\n\n- One headline\n\n- Another headline\n\nFurther link\n\nSource"
    assert c.clean(text) == f"Title\n\n{BODY}\n\nFurther link\n\nSource"


def test_min_lines_is_required(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, HEADING.replace("min_lines: 0", "min_lines: 4"))
    text = f"Title\n\n{BODY}\n\nRelated Articles\n\n{LIST}"
    assert c.clean(text) == text


SHAPE = "position: tail\nmin_lines: 3\nmax_chars: 60\nno_sentence_end: true\nmin_position: 0.5\n"


def test_tail_run_without_heading(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, SHAPE)
    assert c.clean(f"Title\n\n{BODY}\n\n{LIST}") == f"Title\n\n{BODY}"


def test_tail_run_must_reach_the_end(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, SHAPE)
    text = f"Title\n\n{BODY}\n\n{LIST}\n\nThe article ends with this sentence, which is prose."
    assert c.clean(text) == text


def test_sentence_end_breaks_the_run(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, SHAPE)
    text = f"Title\n\n{BODY}\n\nOne.\n\nTwo.\n\nThree."
    assert c.clean(text) == text


def test_max_share_keeps_a_list_article(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, SHAPE.replace("min_position: 0.5", "min_position: 0.0"))
    text = "Ten things to pack\n\nIntro.\n\n" + "\n\n".join(f"Thing number {n} to pack" for n in range(10))
    assert c.clean(text) == text


def test_head_run(tmp_path: Path) -> None:
    c = cleaner_with(tmp_path, "position: head\nmin_lines: 2\nmax_chars: 20\nno_sentence_end: true\n")
    assert c.clean(f"Blog\n\nJan 23\n\n{BODY}") == BODY


def test_marker_kinds() -> None:
    assert [marker(x) for x in ("- a", "• b", "12. c", "3) d", "plain", "-1 degrees")] == [
        "bullet", "bullet", "number", "number", "", "",
    ]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("position: middle\n", "E109"),
        ("no_sentence_end: 'yes'\n", "E104"),
        ("min_lines: -1\n", "E109"),
        ("max_share: 2\n", "E109"),
        ("min_line: 3\n", "E101"),
    ],
)
def test_run_options_are_validated(tmp_path: Path, body: str, code: str) -> None:
    write_rule(tmp_path, "common/t.yaml", "id: t\nsummary: test rule\nkind: run\n" + body + EXAMPLES)
    with pytest.raises(RuleError) as info:
        RuleSet.load([tmp_path], include_builtin=False)
    assert code in str(info.value)


def test_run_stage_comes_after_line(tmp_path: Path) -> None:
    # A share prompt between two headlines no longer breaks the list once the line stage ran.
    write_rule(
        tmp_path, "common/share.yaml",
        "id: share\nsummary: s\nkind: line\npattern: 'Share this:.*'\nexamples:\n  match: ['Share this:']\n"
        "  no_match: ['x']\n",
    )
    c = cleaner_with(tmp_path, SHAPE.replace("max_chars: 60", "max_chars: 40"))
    text = f"Title\n\n{BODY}\n\nCouncil backs new bike lanes\n\nShare this: Facebook, Email.\n\n{LIST}"
    assert c.clean(text) == f"Title\n\n{BODY}"
