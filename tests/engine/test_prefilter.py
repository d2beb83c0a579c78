"""The RE2 prefilter: its translation only ever widens, and it never changes a removal."""

from __future__ import annotations

import json
import pickle
import random
import sys
from pathlib import Path

import pytest
import regex

from cleaner import Cleaner, Config
from cleaner.engine.cleaner import run_plan
from cleaner.engine.prefilter import Prefilter, build_prefilter
from cleaner.match.re2 import _SPACE_MAYBE, _SPACE_SURE, Unsupported, gate_pattern, to_re2
from cleaner.text.normalize import normalize_text

re2 = pytest.importorskip("re2")

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT.parent / "shared" / "corpora"
sys.path.insert(0, str(ROOT / "benchmarks"))
import rulegen  # noqa: E402

# (pattern, lines it must let through: everything the regex module itself matches)
WIDENING_CASES = [
    (r"(?i)ok\b", ["OK", "ok", "o\u212a", "Ok"]),
    (r"(?i)news", ["NEW\u017f", "News"]),
    (r"\w+ \d+", ["Zürich 12", "東京 ٣"]),
    (r"a\s+b", ["a\u00a0b", "a\u3000\u2003b", "a\tb"]),
    (r"[^\W\d]+", ["Straße", "naïve"]),
    (r"(?i)[^a-z]+", ["123", "ÄÖ", "\u0131"]),
    (r"x(?=y)y", ["xy"]),
    (r"(?<!a)b", ["b"]),
    (r"(a+)-\1", ["aa-aa"]),
    (r"\p{Lu}\p{Ll}+", ["Élan", "Ωmega"]),
    (r"[\p{L}\s]+", ["été ok"]),
    (r"a{2,1500}", ["a" * 1200]),
    (r"(?s)a.b", ["a\nb"]),
    (r"(?x) a  b  # comment", ["ab"]),
    (r"x++y", ["xxy"]),
    (r"(?>ab|a)c", ["abc"]),
    (r"\S+\s*:\s*.*", ["Photo\u00a0: Staff", "Fotó: x"]),
]


@pytest.mark.parametrize(("pattern", "lines"), WIDENING_CASES)
def test_translation_lets_through_everything_regex_matches(pattern: str, lines: list[str]) -> None:
    compiled = regex.compile(pattern)
    widened = re2.compile(to_re2(pattern))
    for line in lines:
        assert compiled.search(line), (pattern, line)
        assert widened.search(line), (pattern, line)


REFUSED = [r"(?:abc){e<=1}", r"[[:alpha:]]+", r"(?V1)[a--b]", r"[^\p{L}]", r"\L<names>", "(?|a)"]


@pytest.mark.parametrize("pattern", REFUSED)
def test_patterns_beyond_the_translation_are_refused(pattern: str) -> None:
    with pytest.raises(Unsupported):
        to_re2(pattern)


def test_site_names_list_is_bound_before_translation() -> None:
    gate = gate_pattern(r"(?i)support \L<site_names>", "line", ("The Hill", "AlterNet"))
    assert gate is not None
    assert re2.compile(gate).search("Support The Hill")
    assert not re2.compile(gate).search("Support our troops")


def test_whitespace_tables_match_the_running_interpreter() -> None:
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    regex_spaces = {ord(c) for c in regex.findall(r"\s", everything)}
    str_spaces = {ord(c) for c in everything if c.isspace()}

    def expand(intervals: list[tuple[int, int]]) -> set[int]:
        return {c for lo, hi in intervals for c in range(lo, hi + 1)}

    assert expand(_SPACE_SURE) == regex_spaces
    assert expand(_SPACE_MAYBE) == str_spaces | regex_spaces


def _seed_docs() -> list[str]:
    return [normalize_text(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]


def _with_residue(docs: list[str], seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    residue = rulegen.residue_lines(500)
    out = []
    for doc in docs:
        lines = doc.split("\n")
        for _ in range(4):
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(residue))
        out.append("\n".join(lines))
    return out


def _assert_same_removals(cleaner: Cleaner, docs: list[str]) -> int:
    compared = 0
    plans = [cleaner.rules.for_site(None), *(cleaner.rules.for_site(p.site) for p in cleaner.rules.packs)]
    for plan in plans:
        assert plan.prefilter is not None and plan.prefilter.gated > 0
        for doc in docs:
            fast = run_plan(plan, doc, 5.0, prefilter=True)
            naive = run_plan(plan, doc, 5.0, prefilter=False)
            assert fast == naive, (plan.site, doc[:80])
            compared += len(naive[0])
    return compared


def test_builtin_rules_remove_the_same_on_the_seeds() -> None:
    assert _assert_same_removals(Cleaner.default(), _seed_docs()) > 0


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Cleaner:
    root = rulegen.write(150, tmp_path_factory.mktemp("rules"), fallback=3)
    return Cleaner.from_paths([root])


def test_generated_rules_remove_the_same(generated: Cleaner) -> None:
    docs = _with_residue(_seed_docs() * 3)
    assert _assert_same_removals(generated, docs) > 20


@pytest.mark.skipif(not CORPORA.is_dir(), reason="shared corpora not present")
def test_generated_rules_remove_the_same_on_the_corpora(generated: Cleaner) -> None:
    docs = []
    for manifest in sorted(CORPORA.glob("*/manifest.jsonl")):
        for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines()):
            record = json.loads(line)
            path = manifest.parent / record["input"]
            if number % 12 == 0 and path.exists():
                docs.append(normalize_text(path.read_text(encoding="utf-8")))
    plan = generated.rules.for_site(None)
    assert plan.prefilter is not None and plan.prefilter.gated > 100
    for doc in _with_residue(docs):
        assert run_plan(plan, doc, 5.0, prefilter=True) == run_plan(plan, doc, 5.0, prefilter=False)


def test_fallback_rules_still_run_on_every_text(generated: Cleaner) -> None:
    plan = generated.rules.for_site(None)
    assert plan.prefilter is not None
    ungated = sum(len(ms) for _, ms in plan.stages) - plan.prefilter.gated
    fuzzy = [m for _, ms in plan.stages for m in ms if m.rule.pattern and "{e<=" in m.rule.pattern]
    assert len(fuzzy) == 3
    chosen = {m.rule.qualified_id for _, ms in plan.prefilter.select("Nothing to see here.") for m in ms}
    assert {m.rule.qualified_id for m in fuzzy} <= chosen
    assert ungated >= 3


def test_selection_drops_rules_that_cannot_match() -> None:
    plan = Cleaner.default().rules.for_site(None)
    assert plan.prefilter is not None and plan.prefilter.gated > 5
    chosen = {m.rule.id for _, ms in plan.prefilter.select("Title\n\nJust prose, nothing else.") for m in ms}
    assert "read-also" not in chosen and "duplicate-title" in chosen
    chosen = {m.rule.id for _, ms in plan.prefilter.select("Title\n\nREAD ALSO: more") for m in ms}
    assert "read-also" in chosen


def test_texts_re2_cannot_read_run_every_rule() -> None:
    plan = Cleaner.default().rules.for_site(None)
    assert plan.prefilter is not None and plan.prefilter.gated > 5  # the sets are built
    assert plan.prefilter.select("lone \ud800 surrogate") == plan.stages


def test_a_failed_set_match_runs_every_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    plan = Cleaner.default().rules.for_site(None)
    assert plan.prefilter is not None and plan.prefilter.gated > 5
    from cleaner.engine import prefilter

    monkeypatch.setattr(prefilter._Set, "match", lambda self, data: None)
    assert plan.prefilter.select("Title\n\nJust prose.") == plan.stages


def test_cleaner_pickles_and_rebuilds_its_sets() -> None:
    cleaner = Cleaner.default()
    clone = pickle.loads(pickle.dumps(cleaner))
    plan = clone.rules.for_site(None)
    assert isinstance(plan.prefilter, Prefilter) and plan.prefilter.gated > 5
    text = "Title\n\nBody.\n\nREAD ALSO: other story\n\nSource link"
    assert clone.clean_and_explain(text) == cleaner.clean_and_explain(text)


def test_without_re2_every_rule_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "re2", None)  # makes `import re2` raise ImportError
    plan = Cleaner.default().rules.for_site(None)
    assert build_prefilter(plan.stages, ()) is None
    cleaner = Cleaner.default()
    assert cleaner.rules.for_site(None).prefilter is None
    text = "Title\n\nA body long enough for the removal guard to let the rule work.\n\nREAD ALSO: other story"
    expected = "Title\n\nA body long enough for the removal guard to let the rule work."
    assert cleaner.clean(text) == Cleaner.default(Config(prefilter=False)).clean(text) == expected


def test_sets_are_built_once_enough_text_went_through() -> None:
    plan = Cleaner.default().rules.for_site(None)
    prefilter = plan.prefilter
    assert prefilter is not None
    small = "Title\n\nJust prose, nothing else."
    # Too little text yet: the sets are not built, the literal gate picks the rules.
    below = {m.rule.id for _, ms in prefilter.select(small) for m in ms}
    assert prefilter._compiled is None
    assert "duplicate-title" in below and "read-also" not in below
    long_text = "\n".join([small] * 40000)
    chosen = {m.rule.id for _, ms in prefilter.select(long_text) for m in ms}
    assert "read-also" not in chosen
    assert prefilter.select(small) != plan.stages


def _built(plan_prefilter: Prefilter | None) -> Prefilter:
    assert plan_prefilter is not None
    plan_prefilter._state()  # build the sets now, whatever text has been seen
    return plan_prefilter


def test_line_gates_name_every_line_a_rule_matches(generated: Cleaner) -> None:
    for cleaner in (Cleaner.default(), generated):
        plan = cleaner.rules.for_site(None)
        prefilter = _built(plan.prefilter)
        gated = 0
        for doc in _with_residue(_seed_docs() * 2):
            lines = doc.split("\n")
            selection = prefilter.select_lines(lines)
            for _, matchers in selection.stages:
                for matcher in matchers:
                    maybe = selection.maybe.get(id(matcher))
                    if maybe is None:
                        continue
                    gated += 1
                    matched = {i for i, line in enumerate(lines) if matcher.matches_line(line, 5.0)}
                    assert matched <= maybe, (matcher.rule.qualified_id, sorted(matched - maybe))
        assert gated > 10


def test_selection_after_a_cut_adds_the_edited_lines_to_the_earlier_one(tmp_path: Path) -> None:
    from tests.conftest import write_simple_rule

    write_simple_rule(tmp_path, "ad-marker", "span", r"\s*\[ad\]", "Deal [ad]", "A deal.")
    write_simple_rule(tmp_path, "sponsored", "line", "Sponsored", "Sponsored", "A sponsored bill.")
    cleaner = Cleaner.from_paths([tmp_path], include_builtin=False)
    plan = cleaner.rules.for_site(None)
    prefilter = _built(plan.prefilter)
    prose = "The council voted on Tuesday to extend the program for another three years."
    lines = ["Title", "", prose, "", "Sponsored [ad]", "", prose]
    first = prefilter.select_lines(lines)
    assert [m.rule.id for _, ms in first.stages for m in ms] == ["ad-marker"]  # "Sponsored [ad]" is no line
    lines[4] = "Sponsored"
    again = prefilter.select_lines(lines, only={4}, base=first)
    chosen = {m.rule.id: m for _, ms in again.stages for m in ms}
    assert set(chosen) == {"ad-marker", "sponsored"}
    assert again.maybe[id(chosen["sponsored"])] == {4}
    text = "\n".join(["Title", "", prose, "", "Sponsored [ad]", "", prose])
    fast = run_plan(plan, text, 5.0, prefilter=True)
    assert fast == run_plan(plan, text, 5.0, prefilter=False)
    assert [r.rule for r in fast[0]] == ["common/sponsored"]


def test_no_set_match_crosses_a_line(tmp_path: Path) -> None:
    # Rules read one line at a time: "\\s+" must not reach from one blank line into the next,
    # which would name a rule no line matches (and grow the DFA with states of two lines).
    from tests.conftest import write_simple_rule

    write_simple_rule(tmp_path, "dots", "line", r"[\s.]+", "...", "A sentence.")
    write_simple_rule(tmp_path, "gap", "span", r"a\s+b", "Plan a b", "A plan.")
    plan = Cleaner.from_paths([tmp_path], include_builtin=False).rules.for_site(None)
    prefilter = _built(plan.prefilter)
    assert prefilter.gated == 2
    assert prefilter.select_lines(["Title", "", "", "Plan a", "b"]).stages == ()
    chosen = prefilter.select_lines(["Title", "", "...", "", "Plan a b"])
    assert {m.rule.id for _, ms in chosen.stages for m in ms} == {"dots", "gap"}


@pytest.mark.parametrize(
    ("pattern", "literal"),
    [
        (r"(?m)^.{10,300}\s[-–|]\s(?:The )?Times of India$", "Times of India"),
        (r"Copyright \d{4} Nexstar Media Inc\. All rights", " Nexstar Media Inc. All rights"),
        (r"Understand the news \?", "Understand the news ?"),
        ("(?i)Alternet All Access", None),  # any case matches: no literal holds
        ("ab(?i:cdef)", None),
        ("abcd|efgh", None),  # either one may be absent
        ("x(?:abcdef)?y", None),  # optional
        ("abcde{2}", "abcd"),  # the repeated e is not a plain character
        (r"\L<site_names> times", None),  # regex-only syntax: the parse is not trusted
        ("abc", None),  # too short to be worth a test
    ],
)
def test_required_literal(pattern: str, literal: str | None) -> None:
    from cleaner.match.re2 import required_literal

    assert required_literal(pattern) == literal
    if literal is not None:
        sample = {"abcde{2}": "abcdee"}.get(pattern)
        if sample:
            assert regex.search(pattern, sample) and literal in sample
