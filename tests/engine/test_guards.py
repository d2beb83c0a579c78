"""Guards that protect content: time-limited matches and the removed-share limit."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pytest
import regex

from cleaner import Cleaner, Config, clean_and_explain
from cleaner.cli.app import main
from tests.conftest import write_rule

EVIL = "(?:a|aa)+$"
# 60 a's then a b: (a|aa)+$ explores Fibonacci(60) ways to split the a's before failing.
EVIL_LINE = "a" * 60 + "b"
PROSE = "Title of the story\n\nThe article says something worth keeping.\n\n"
EVIL_RULE = (
    "id: evil\nsummary: A pattern that backtracks without end\nkind: line\nmax_chars: 200\n"
    f"pattern: '{EVIL}'\nexamples: {{match: ['aaaa'], no_match: ['The article goes on.']}}\n"
)


def test_the_pattern_really_is_catastrophic() -> None:
    # Without this the timeout tests below would prove nothing.
    start = time.perf_counter()
    with pytest.raises(TimeoutError):
        regex.compile(EVIL).fullmatch(EVIL_LINE, timeout=0.05)
    assert time.perf_counter() - start < 5


@pytest.fixture
def evil_rules(tmp_path: Path) -> Path:
    write_rule(tmp_path, "common/evil.yaml", EVIL_RULE)
    return tmp_path


def test_timed_out_rule_is_skipped_for_that_document(evil_rules: Path) -> None:
    cleaner = Cleaner.from_paths([evil_rules], config=Config(match_timeout=0.05))
    text = PROSE + EVIL_LINE + "\n\naaaa\n\nSource link"
    result = cleaner.clean_and_explain(text)
    # As if the rule did not exist: the built-ins alone give the same text and removals.
    alone = Cleaner.default().clean_and_explain(text)
    assert (result.text, result.removals) == (alone.text, alone.removals)
    assert "aaaa" in result.text.split("\n")  # the evil rule's own match survives too: it was skipped whole
    assert [(d.code, d.severity) for d in result.diagnostics] == [("T001", "warning")]
    (warning,) = result.diagnostics
    assert (warning.path, warning.line, warning.col) == ("<document>", 1, 1)
    assert warning.message == "rule common/evil timed out after 0.05s and was skipped for this document"
    assert warning.hint == (
        "simplify the rule's pattern (nested quantifiers?), "
        "or raise the match timeout (Config.match_timeout in the API)"
    )
    # Another document, where it does not time out, still gets the rule.
    other = cleaner.clean_and_explain(PROSE + "aaaa")
    assert [r.rule for r in other.removals] == ["common/evil"] and other.diagnostics == ()


def test_timeout_reported_on_cli_stderr(
    evil_rules: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(PROSE + EVIL_LINE, encoding="utf-8")
    monkeypatch.setattr(Config, "__init__", _short_timeout(Config.__init__))
    code = main(["clean", "--rules", str(evil_rules), str(doc)])
    out, err = capsys.readouterr()
    assert code == 0
    assert out == PROSE + EVIL_LINE + "\n"
    assert err == f"cleaner: {doc}: T001 rule common/evil timed out after 0.05s and was skipped for this document\n"


def _short_timeout(init):  # type: ignore[no-untyped-def]
    def patched(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("match_timeout", 0.05)
        init(self, *args, **kwargs)

    return patched


def test_every_regex_call_in_the_matchers_passes_a_timeout() -> None:
    # A static check: a new call site without timeout= would escape the guard.
    root = Path(__file__).resolve().parents[2] / "cleaner"
    # The receiver is captured: module constants (_HOST_RE) and literal patterns are the
    # engine's own fixed, linear patterns; everything else is compiled from a rule.
    calls = regex.compile(
        r"(?P<receiver>[\w.]+)\.(?:fullmatch|match|search|finditer|findall|sub)\((?P<args>[^()]*(?:\([^()]*\)[^()]*)*)\)"
    )
    checked = 0
    for path in [*sorted((root / "kinds").glob("*.py")), root / "engine" / "sites.py", root / "text" / "hosts.py"]:
        name = path.relative_to(root).as_posix()
        source = path.read_text(encoding="utf-8")
        for found in calls.finditer(source):
            receiver = found.group("receiver").split(".")[-1]
            if receiver.lstrip("_").isupper() or found.group("args").startswith(("r\"", "r'")):
                continue
            line = source[: found.start()].count("\n") + 1
            assert "timeout" in found.group("args"), f"{name}:{line}: {found.group()}"
            checked += 1
    assert checked >= 5


# --- the removed-share guard ----------------------------------------------------------------
# A rule set of its own, so the figures do not move when the built-in rules change.

TAIL_RULE = (
    "id: related-tail\nsummary: A related-posts heading and the list after it\nkind: tail\n"
    "pattern: 'Related Posts'\nmin_position: 0.5\nmax_share: 0.5\n"
    "examples: {match: ['Related Posts'], no_match: ['The related posts were deleted.']}\n"
)
BODY = "\n\n".join(f"Paragraph {i} of the article tells the reader one more true thing." for i in range(8))
RELATED = "\n\n".join(f"Another headline {i} from the same site" for i in range(6))
# 31% of the words are the related-posts tail.
RESIDUE_HEAVY = f"Title of the story\n\n{BODY}\n\nRelated Posts\n\n{RELATED}"
CLEANED = f"Title of the story\n\n{BODY}"


@pytest.fixture
def tail_rules(tmp_path: Path) -> Path:
    write_rule(tmp_path, "common/related-tail.yaml", TAIL_RULE)
    return tmp_path


def test_removed_share_guard_refuses_and_reports(tail_rules: Path) -> None:
    cleaner = Cleaner.from_paths([tail_rules], include_builtin=False, config=Config(max_removed_share=0.2))
    result = cleaner.clean_and_explain(RESIDUE_HEAVY)
    assert result.skipped == "refused: the rules would remove 31% of the words (limit 20%); text returned unchanged"
    assert result.text == result.normalized
    assert result.removals == ()  # nothing was removed: replay(normalized, removals) == text
    assert [r.rule for r in result.refused] == ["common/related-tail"]  # what would have gone is listed


def test_removed_share_guard_allows_under_the_limit(tail_rules: Path) -> None:
    cleaner = Cleaner.from_paths([tail_rules], include_builtin=False, config=Config(max_removed_share=0.35))
    result = cleaner.clean_and_explain(RESIDUE_HEAVY)
    assert result.skipped is None
    assert result.text == CLEANED


def test_removed_share_guard_on_cli(
    tail_rules: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["clean", "--rules", str(tail_rules), "--no-builtin-rules"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(RESIDUE_HEAVY.encode()), encoding="utf-8"))
    assert main([*args, "--max-removed-share", "0.2"]) == 0
    out, err = capsys.readouterr()
    assert out == RESIDUE_HEAVY + "\n"
    assert err == (
        "cleaner: <stdin>: refused: the rules would remove 31% of the words (limit 20%); text returned unchanged\n"
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(RESIDUE_HEAVY.encode()), encoding="utf-8"))
    assert main(args) == 0  # the default limit, 60%
    assert capsys.readouterr() == (CLEANED + "\n", "")


def test_default_limit_is_used_by_the_plain_api() -> None:
    assert Config().max_removed_share == 0.6
    result = clean_and_explain("Source link\n\nBack to top button")
    assert result.skipped is not None and result.text == result.normalized


def test_timed_out_fingerprint_is_reported_and_counts_as_no_hit(tmp_path: Path) -> None:
    write_rule(tmp_path, "sites/evil.example.yaml",
               f"site: evil.example\nnames: [Evil Example]\ndetect:\n  - '{EVIL}'\nrules: []\n")
    cleaner = Cleaner.from_paths([tmp_path], config=Config(match_timeout=0.05))
    result = cleaner.clean_and_explain(PROSE + EVIL_LINE)
    assert result.site is None
    assert [(d.code, d.severity) for d in result.diagnostics] == [("T002", "warning")]
    (warning,) = result.diagnostics
    assert (warning.path, warning.line, warning.col) == ("<document>", 1, 1)
    assert warning.message == (
        "a fingerprint of site evil.example timed out after 0.05s and was skipped for this document; "
        "the site may not have been recognised"
    )
    assert warning.hint == (
        "pass the page's URL (--url) or site (--site), simplify the fingerprint (nested quantifiers?), "
        "or raise the match timeout (Config.match_timeout in the API)"
    )
    # With the URL there is nothing to detect, and nothing to report.
    assert cleaner.clean_and_explain(PROSE + EVIL_LINE, url="https://evil.example/a").diagnostics == ()
    assert cleaner.clean_and_explain(PROSE + "aaaa").site == "evil.example"
