"""The library contract: output == normalised input minus the removals; immutability; sites."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from cleaner import Cleaner, InputError, Removal, clean, clean_and_explain, replay

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_output_is_input_minus_removals(seed: Path) -> None:
    result = clean_and_explain(seed.read_text(encoding="utf-8"))
    assert result.text == replay(result.normalized, result.removals)
    lines = result.normalized.split("\n")
    for removal in result.removals:
        if removal.columns is None:
            assert removal.text == "\n".join(lines[removal.start : removal.end])
        else:
            start, end = removal.columns
            assert lines[removal.start][start:end] == removal.text
    # Removals never overlap.
    taken: set[int] = set()
    for removal in result.removals:
        if removal.columns is None:
            span = set(range(removal.start, removal.end))
            assert not span & taken
            taken |= span


def test_kept_lines_are_unchanged_and_in_order() -> None:
    result = clean_and_explain(SEEDS[1].read_text(encoding="utf-8"))
    source = iter(result.normalized.split("\n"))
    for line in result.text.split("\n"):
        assert line in source


def test_clean_equals_explained_text() -> None:
    text = SEEDS[3].read_text(encoding="utf-8")
    assert clean(text) == clean_and_explain(text).text


def test_cleaner_is_immutable_and_picklable(default_cleaner: Cleaner) -> None:
    with pytest.raises(AttributeError):
        default_cleaner.config = None  # type: ignore[misc,assignment]
    copy = pickle.loads(pickle.dumps(default_cleaner))
    text = SEEDS[0].read_text(encoding="utf-8")
    assert copy.clean(text) == default_cleaner.clean(text)


def test_bytes_are_refused_with_advice() -> None:
    with pytest.raises(InputError, match="decode bytes first"):
        clean(b"Title\n\nBody")  # type: ignore[arg-type]


def test_url_selects_site_pack() -> None:
    text = "Some headline\n\nBody.\n\nSupport Countercurrents\n\nDonate."
    assert clean_and_explain(text, url="https://www.countercurrents.org/2020/03/x/").site == "countercurrents.org"
    assert clean_and_explain(text, site="countercurrents.org").site == "countercurrents.org"
    assert clean_and_explain("Plain text.", url="https://example.com/a").site is None


def test_site_disable_turns_off_common_rule(tmp_path: Path) -> None:
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "example.com.yaml").write_text("site: example.com\ndisable: [source-link]\nrules: []\n")
    cleaner = Cleaner.from_paths([tmp_path])
    text = "Title\n\nBody.\n\nSource link"
    assert cleaner.clean(text, url="https://example.com/x") == text
    assert cleaner.clean(text) == "Title\n\nBody."


def test_site_names_feed_the_title_suffix_rule(tmp_path: Path) -> None:
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "example.com.yaml").write_text("site: example.com\nnames: [Example Daily]\nrules: []\n")
    cleaner = Cleaner.from_paths([tmp_path])
    assert cleaner.clean("Markets rally | Example Daily\n\nBody.") == "Markets rally\n\nBody."
    assert Cleaner.default().clean("Markets rally | Example Daily\n\nBody.") == "Markets rally | Example Daily\n\nBody."


def test_replay_documented_example() -> None:
    removals = [Removal("x/suffix", 0, 1, " – Site", (5, 12)), Removal("x/src", 4, 5, "Source link")]
    assert replay("Title – Site\n\nBody\n\nSource link", removals) == "Title\n\nBody"


def test_clean_many_keeps_order(default_cleaner: Cleaner) -> None:
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    assert list(default_cleaner.clean_many(texts)) == [default_cleaner.clean(t) for t in texts]


def test_empty_text() -> None:
    result = clean_and_explain("")
    assert (result.text, result.removals, result.skipped) == ("", (), None)
