"""Unicode repair runs ftfy on a few lines only, with the same result as ftfy on the whole text."""

from __future__ import annotations

import json
import random
from pathlib import Path

import ftfy
import pytest

from cleaner.text import normalize
from cleaner.text.normalize import _NEWLINES, FTFY_CONFIG, repair_unicode

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT.parent / "shared" / "corpora"


def _ftfy(text: str) -> str:
    return str(ftfy.fix_text(text, FTFY_CONFIG))


def _whole(text: str) -> str:
    """ftfy on each line by itself: what repair_unicode must give.

    ftfy on the whole text differs in one way only: after a line holding ``<`` it stops
    unescaping entities in later lines; repair_unicode decides each line alone, so deleting a
    line never changes how another normalises (issue 15, item 12: idempotence).
    """
    lines = text.split("\n")
    return "\n".join(_ftfy(line + "\n")[:-1] if i < len(lines) - 1 else _ftfy(line) for i, line in enumerate(lines))


def test_a_line_with_lt_does_not_change_how_later_lines_repair() -> None:
    text = "The deal <\nAT&amp;T\n"
    assert _ftfy(text) == text  # ftfy's own cross-line state...
    assert repair_unicode(text) == "The deal <\nAT&T\n"  # ...is not carried: each line alone
    assert repair_unicode("AT&amp;T <b>\n") == "AT&amp;T <b>\n"  # a line holding < keeps its entities


def _mojibake(line: str, rng: random.Random) -> str:
    """Damage a line the ways scraped text gets damaged."""
    damage = rng.randrange(7)
    if damage == 0:
        return line.encode("utf-8").decode("latin-1")
    if damage == 1:
        return line.encode("utf-8").decode("cp1252", errors="replace")
    if damage == 2:
        return line.replace(" ", " &amp; ", 1).replace("e", "&eacute;", 1)
    if damage == 3:
        return line + "\x85\x93quoted\x94"
    if damage == 4:
        return "\x1b[31m" + line + "\x00\ufeff\u206a"
    if damage == 5:
        return "Â " + line
    return line.replace(" ", " <b> ", 1)


def _synthetic(seed: int) -> list[str]:
    rng = random.Random(seed)
    words = ["café", "naïve", "“quoted”", "Zürich", "déjà vu", "10 €", "it\u2019s", "plain", "ASCII", "line"]
    texts = []
    for _ in range(60):
        lines = [" ".join(rng.choice(words) for _ in range(rng.randrange(1, 9))) for _ in range(rng.randrange(1, 12))]
        lines = [_mojibake(line, rng) if rng.random() < 0.3 else line for line in lines]
        texts.append("\n".join(lines) + ("\n" if rng.random() < 0.5 else ""))
    return texts


EDGE_CASES = [
    "",
    "plain ASCII only",
    "Tom &amp; Jerry",
    "a <b> first\nTom &amp; Jerry after the tag",
    "Tom &amp; Jerry before the tag\n<b>",
    "same line <b> &amp;",
    "sÃ³ bien\nok\nâ€œquotedâ€\x9d",
    "Ã  la carte",
    "x\nÃ  la carte",
    "\n\n&eacute;\n\n",
    "tab\tand form\x0cfeed stay",
    "bell\x07 goes",
    "lone \ud800 surrogate\nand &amp;",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_match_ftfy(text: str) -> None:
    assert repair_unicode(text) == _whole(text)


@pytest.mark.parametrize("seed", range(4))
def test_synthetic_mojibake_matches_ftfy(seed: int) -> None:
    texts = _synthetic(seed)
    assert sum(_whole(t) != t for t in texts) > 10  # the damage is real: ftfy changes these
    for text in texts:
        assert repair_unicode(text) == _whole(text)


def test_the_str_route_matches_ftfy_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(normalize, "_fast_trigger", lambda: None)
    for text in [*EDGE_CASES, *_synthetic(9)]:
        assert repair_unicode(text) == _whole(text)


def test_seeds_match_ftfy() -> None:
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = _NEWLINES.sub("\n", path.read_text(encoding="utf-8"))
        assert repair_unicode(text) == _whole(text) == _ftfy(text), path.name


@pytest.mark.skipif(not CORPORA.is_dir(), reason="shared corpora not present")
def test_corpora_inputs_match_ftfy() -> None:
    checked = 0
    for manifest in sorted(CORPORA.glob("*/manifest.jsonl")):
        for line in manifest.read_text(encoding="utf-8").splitlines():
            path = manifest.parent / json.loads(line)["input"]
            if path.exists():
                text = _NEWLINES.sub("\n", path.read_text(encoding="utf-8"))
                # On real text, line by line is exactly ftfy on the whole text.
                assert repair_unicode(text) == _whole(text) == _ftfy(text), path.name
                checked += 1
    assert checked > 100


def test_stored_trigger_is_fresh_for_the_installed_ftfy() -> None:
    from cleaner.text import ftfy_trigger as _ftfy_trigger

    hint = "ftfy changed: run python -c 'import cleaner.text.normalize as n; n.write_trigger_cache()'"
    assert normalize.ftfy_fingerprint() == _ftfy_trigger.FTFY_SOURCES_SHA256, hint
    assert normalize.fast_trigger_source() == _ftfy_trigger.TRIGGER_RE2, hint
    assert FTFY_CONFIG.max_decode_length == normalize._LONGEST_SEGMENT


def test_a_stale_stored_trigger_is_translated_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(normalize, "ftfy_fingerprint", lambda: "other ftfy")
    normalize._fast_trigger.cache_clear()
    try:
        for text in [*EDGE_CASES, *_synthetic(5)]:
            assert repair_unicode(text) == _whole(text)
    finally:
        normalize._fast_trigger.cache_clear()
