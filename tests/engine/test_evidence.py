"""The judge and the engine's evidence pass: explained, replayable, idempotent, exact pruning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner import Cleaner, replay
from cleaner.engine.evidence import Judge
from cleaner.rules.loader import builtin_rules_dir
from cleaner.rules.signals import Signal, load_evidence

MODEL = load_evidence([builtin_rules_dir()])
assert MODEL is not None
NEWS_CRAWL = Path(__file__).resolve().parents[3] / "shared/corpora/news-crawl/crawl.jsonl.gz"

STORY = (
    "Senate passes the budget\n\n"
    "Photo by Mark Wilson/Getty Images\n\n"
    "The Senate passed the budget on Tuesday by a vote of 51 to 49, after a debate that ran late into the night.\n\n"
    "Lawmakers said the bill would fund schools and roads for two years, and the governor is expected to sign it.\n\n"
    "YOU MIGHT BE INTERESTED IN:\n\n"
    "Read or Share this story: http://on.freep.com/16wA5Yv\n"
)


def test_the_judge_lists_what_fired_and_decides_by_the_threshold() -> None:
    judge = Judge(MODEL)
    verdicts = judge.verdicts(["Photo by Mark Wilson/Getty Images", "A sentence of the story, told in full."])
    first = dict(verdicts[0].fired)
    assert "signals/photo-credit" in first
    assert verdicts[0].score == pytest.approx(MODEL.bias + sum(first.values()), abs=1e-5)
    assert verdicts[0].remove == (verdicts[0].score >= MODEL.threshold)


def test_evidence_removals_are_explained_replayable_and_idempotent() -> None:
    cleaner = Cleaner.default().with_config(evidence=True)
    result = cleaner.clean_and_explain(STORY)
    evidence = [r for r in result.removals if r.rule == "evidence"]
    assert evidence, result.removals
    for removal in evidence:
        assert removal.evidence and removal.score is not None and removal.score >= MODEL.threshold
        assert removal.why.startswith(f"score {removal.score:g}: signals/")
    assert result.text == replay(result.normalized, result.removals)
    assert cleaner.clean(result.text) == result.text
    assert "The Senate passed the budget" in result.text and "Lawmakers said" in result.text


def test_evidence_is_off_by_default() -> None:
    assert all(r.rule != "evidence" for r in Cleaner.default().clean_and_explain(STORY).removals)


def test_a_cleaner_with_evidence_pickles() -> None:
    import pickle

    cleaner = Cleaner.default().with_config(evidence=True)
    again = pickle.loads(pickle.dumps(cleaner))
    assert again.clean(STORY) == cleaner.clean(STORY)


def _crawl_lines(limit: int) -> list[list[str]]:
    import gzip

    out = []
    with gzip.open(NEWS_CRAWL, "rt", encoding="utf-8") as records:
        for number, line in enumerate(records):
            if number >= limit:
                break
            out.append([text.strip() for text in json.loads(line)["text"].split("\n") if text.strip()])
    return out


@pytest.mark.skipif(not NEWS_CRAWL.is_file(), reason="skipped: ../shared/corpora/news-crawl not found")
def test_pruning_decides_as_the_complete_computation() -> None:
    """The fast path skips lines it proves cannot reach the threshold: same decisions, same signals."""
    judge = Judge(MODEL)
    for lines in _crawl_lines(400):
        complete = judge.fired(lines, complete=True)
        fast = judge.removals(lines)
        for i, signals in enumerate(complete):
            verdict = judge._verdict(signals)
            assert (i in fast) == verdict.remove
            if verdict.remove:
                assert fast[i] == verdict


def _ids(fired: list[list[Signal]]) -> list[list[str]]:
    return [sorted(s.id for s in signals) for signals in fired]


def test_the_document_gate_finds_what_every_pattern_on_every_line_finds() -> None:
    """The RE2 gates (one scan of the document, then each named pattern's lines) never lose a hit:
    the same signals as a judge without gates, which searches every pattern in every line."""
    gated, ungated = Judge(MODEL), Judge(MODEL)
    ungated._gate = None  # the reference: no RE2 at all
    documents = _crawl_lines(300) if NEWS_CRAWL.is_file() else []
    documents.append([line for line in STORY.split("\n") if line] + ["Photos", "Image 1 of 3", "Evan Vucci/AP"])
    for lines in documents:
        assert _ids(gated.fired(lines, complete=True)) == _ids(ungated.fired(lines, complete=True))


@pytest.mark.skipif(not NEWS_CRAWL.is_file(), reason="skipped: ../shared/corpora/news-crawl not found")
def test_idempotent_and_replayable_on_real_pages() -> None:
    import gzip

    cleaner = Cleaner.default().with_config(evidence=True)
    with gzip.open(NEWS_CRAWL, "rt", encoding="utf-8") as records:
        for number, line in enumerate(records):
            if number >= 600:
                break
            record = json.loads(line)
            result = cleaner.clean_and_explain(record["text"], url=record["url"])
            assert cleaner.clean(result.text, url=record["url"]) == result.text, record["id"]
            if result.skipped is None:
                assert replay(result.normalized, result.removals) == result.text


def test_a_slow_signal_uses_up_the_document_budget_and_removes_nothing(tmp_path: Path) -> None:
    """A signal that backtracks (here: a look-behind the RE2 gate drops) is cut by the document's
    time budget: a T001 warning, no evidence removal, the text kept."""
    from tests.conftest import write_simple_rule

    rules = tmp_path / "rules"
    write_simple_rule(rules, "zorb-label", "line", "Zorb label", "Zorb label", "A Zorb label story.")
    (rules / "signals").mkdir()
    (rules / "evidence.yaml").write_text("bias: 0\nthreshold: 1\n", encoding="utf-8")
    (rules / "signals" / "slow.yaml").write_text(
        "id: slow\nfamily: other\nsummary: x\npattern: '(?:a|aa)+b(?<!ab)'\nweight: 5\n", encoding="utf-8"
    )
    cleaner = Cleaner.from_paths([rules], include_builtin=False).with_config(evidence=True, match_timeout=0.05)
    text = "A title\n\n" + "a" * 60 + "b\n\nThe end of the story, told in full."
    result = cleaner.clean_and_explain(text)
    assert all(r.rule != "evidence" for r in result.removals)
    assert any(d.code == "T001" and "weighed evidence" in d.message for d in result.diagnostics)
    assert "a" * 60 + "b" in result.text


def _site_model(tmp_path: Path) -> Path:
    """Rules with one zero-weight-elsewhere model: only a line's recurrence on its site counts."""
    from tests.conftest import write_simple_rule

    rules = tmp_path / "rules"
    write_simple_rule(rules, "zorb-label", "line", "Zorb label", "Zorb label", "A Zorb label story.")
    (rules / "signals").mkdir()
    (rules / "evidence.yaml").write_text("bias: -1\nthreshold: 1\n", encoding="utf-8")
    for fact in ("site-recurs-most", "site-recurs"):
        (rules / "signals" / f"{fact}.yaml").write_text(
            f"id: {fact}\nfamily: repetition\nsummary: x\ntest: {fact}\nweight: 3\n", encoding="utf-8"
        )
    return rules


def _page(n: int, furniture: bool) -> str:
    # Between the paragraphs on a third of the pages: too few for a learned rule there (half),
    # enough for the recurrence fact. Titles differ in letters, so that none recurs.
    middle = "Get the Town Crier app for your phone\n\n" if furniture else ""
    return (
        f"Council story {chr(65 + n % 26)}{chr(97 + n // 26)}x\n\n"
        f"The council met on day {n} and voted to repair the bridge, the mayor said after the long meeting.\n\n"
        + middle
        + f"Residents of district {n} said they had waited years for the repair and welcomed the vote on it.\n"
    )


def test_a_line_that_recurs_on_its_site_is_weighed_when_a_crawl_was_learned(tmp_path: Path) -> None:
    """Recurrence is evidence only with a learned crawl, and only for the learned site; prose is
    never asked about."""
    cleaner = Cleaner.from_paths([_site_model(tmp_path)], include_builtin=False).with_config(evidence=True)
    pages = [{"text": _page(n, n % 3 == 0), "url": f"https://town.example.org/{n}"} for n in range(30)]
    learned = cleaner.learn(pages)
    page = _page(99, True)
    result = learned.clean_and_explain(page, url="https://town.example.org/99")
    gone = [r for r in result.removals if r.rule == "evidence"]
    assert [r.text.strip() for r in gone] == ["Get the Town Crier app for your phone"]
    assert dict(gone[0].evidence) == {"signals/site-recurs": 3.0}
    assert learned.clean(result.text, url="https://town.example.org/99") == result.text
    assert replay(result.normalized, result.removals) == result.text
    # Not learned, or another site: no recurrence, the line stays.
    assert cleaner.clean(page, url="https://town.example.org/99") == page.strip("\n")
    assert learned.clean(page, url="https://elsewhere.example.com/1") == page.strip("\n")


def test_site_facts_are_never_asked_of_plain_prose() -> None:
    asked: list[str] = []

    def site(line: str) -> frozenset[str]:
        asked.append(line)
        return frozenset()

    prose = "The council met on Tuesday and voted to repair the bridge, the mayor said after the meeting."
    lines = ["Get the app", prose, "Share"]
    Judge(MODEL).fired(lines, complete=True, site=site)
    Judge(MODEL).removals(lines, site=site)
    assert prose not in asked and "Get the app" in asked


def test_saved_learned_packs_carry_the_recurrence_to_the_evidence(tmp_path: Path) -> None:
    """--save-learned DIR then --rules DIR weighs recurrence as --learn did (same removals)."""
    from cleaner.mine.learned import save_learned

    rules = _site_model(tmp_path)
    cleaner = Cleaner.from_paths([rules], include_builtin=False).with_config(evidence=True)
    pages = [{"text": _page(n, n % 3 == 0), "url": f"https://town.example.org/{n}"} for n in range(30)]
    learned = cleaner.learn(pages)
    assert learned.learned is not None
    saved = tmp_path / "saved"
    written = save_learned(learned.learned, {}, saved)
    assert saved / "learned" / "recurrence.json" in written
    reused = Cleaner.from_paths([rules, saved], include_builtin=False).with_config(evidence=True)
    for n in (3, 99):
        page, url = _page(n, True), f"https://town.example.org/{n}"
        assert reused.clean_and_explain(page, url=url).removals == learned.clean_and_explain(page, url=url).removals
    assert "Get the Town Crier app" not in reused.clean(_page(99, True), url="https://town.example.org/99")


def test_a_damaged_recurrence_table_is_a_clear_error(tmp_path: Path) -> None:
    from cleaner.core.errors import InputError

    (tmp_path / "learned").mkdir()
    (tmp_path / "learned" / "recurrence.json").write_text('{"a.org": {"pages": 3}}', encoding="utf-8")
    with pytest.raises(InputError, match=r"recurrence\.json: not a recurrence table"):
        Cleaner.from_paths([tmp_path], include_builtin=False)


def test_a_memo_of_pattern_hits_changes_nothing() -> None:
    """A later evidence pass over the same document reuses the hits of lines already searched."""
    judge = Judge(MODEL)
    lines = [line for line in STORY.split("\n") if line]
    memo: dict[str, tuple[int, ...]] = {}
    first = judge.removals(lines, memo=memo)
    assert set(memo) == set(lines)
    assert first == judge.removals(lines)
    shorter = lines[:2] + lines[3:] + ["Image 1 of 3"]
    assert judge.removals(shorter, memo=memo) == judge.removals(shorter)
    assert "Image 1 of 3" in memo
