"""The common packs on real-page residue: preview rules, the removal guard, the HTML path."""

from __future__ import annotations

import pytest

from cleaner import Cleaner, Config, clean_and_explain
from tests.conftest import CliRunner

PARAGRAPHS = "\n\n".join(
    f"Paragraph {n} of the article tells its part of the story, with enough words to be prose." for n in range(1, 9)
)
# Ends in a list of headlines without a heading: only the preview rule link-list-tail takes it.
TAIL_LIST = "\n\n".join(
    ["Council backs new bike lanes", "Storm closes coastal road", "Schools reopen after repairs",
     "Mayor names new police chief"]
)
ARTICLE = f"Title\n\n{PARAGRAPHS}\n\n{TAIL_LIST}\n"


def test_preview_rules_do_not_run_by_default(run_cli: CliRunner) -> None:
    done = run_cli("clean", "--explain", input=ARTICLE)
    assert done.returncode == 0, done.stderr
    assert "Mayor names new police chief" in done.stdout
    assert "link-list-tail" not in done.stderr


def test_preview_flag_runs_preview_rules(run_cli: CliRunner) -> None:
    done = run_cli("clean", "--preview", "--explain", input=ARTICLE)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Title\n\n{PARAGRAPHS}\n"
    assert "common/link-list-tail" in done.stderr


def test_preview_config_in_the_library() -> None:
    assert clean_and_explain(ARTICLE).text.endswith("Mayor names new police chief")
    result = clean_and_explain(ARTICLE, config=Config(preview=True))
    assert {r.rule for r in result.removals} == {"common/link-list-tail"}


RESIDUE_PAGE = "\n\n".join(
    ["Short note.", "Share this:", "Like this: Like Loading...", "Advertisement", "Follow us on Instagram",
     "Sign up for our newsletter.", "Read More", "Tags: news, local"]
)


def test_guard_refuses_a_document_the_new_rules_would_mostly_remove(run_cli: CliRunner) -> None:
    result = Cleaner.default().clean_and_explain(RESIDUE_PAGE)
    assert result.skipped is not None and "refused" in result.skipped
    assert result.text == result.normalized
    assert result.removals == () and len(result.refused) == 7  # would-be removals, not applied
    done = run_cli("clean", input=RESIDUE_PAGE)
    assert done.returncode == 0 and done.stdout == RESIDUE_PAGE + "\n"
    assert "refused" in done.stderr


def test_guard_threshold_is_configurable() -> None:
    result = Cleaner.default(Config(max_removed_share=0.95)).clean_and_explain(RESIDUE_PAGE)
    assert result.skipped is None and result.text == "Short note."


@pytest.mark.parametrize(
    "line",
    ["Share this:", "Like this: Like Loading...", "Click to share on Twitter (Opens in new window)", "Teilen mit:",
     "Advertisement", "Anzeige", "Lesen Sie auch: Ein anderer Artikel", "Mehr zum Thema",
     "Photo: Jane Doe / Getty Images",
     "Sign up for our newsletter.", "Zum Newsletter anmelden", "3 Comments", "© 2024 Example News Ltd", "☼ ☼ ☼"],
)
def test_residue_families_go_from_a_real_article(line: str) -> None:
    closing = "The closing paragraph of the article, which is prose and stays."
    text = f"Title\n\n{PARAGRAPHS}\n\n{line}\n\n{closing}"
    assert clean_and_explain(text).text == f"Title\n\n{PARAGRAPHS}\n\n{closing}"


HTML = """<html><head><title>Bridge reopens</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Bridge reopens after two years</h1>
<p>The old bridge over the river reopened on Monday after two years of repairs, the city said in a statement.</p>
<p>Engineers replaced the deck and strengthened the piers, and the work came in under budget, officials said.</p>
<p>Traffic is expected to return to normal levels within weeks, according to the transport department.</p>
<p>Share this:</p>
<p>Read more: Council backs new bike lanes</p>
</article><footer>Copyright 2024 Example Post. All rights reserved.</footer></body></html>"""


def test_clean_html_extracts_then_cleans() -> None:
    pytest.importorskip("trafilatura")
    from cleaner import clean_html

    result = clean_html(HTML, url="https://example.com/bridge")
    assert "reopened on Monday" in result.text
    assert "Share this:" in result.normalized and "Share this:" not in result.text
    assert "Read more:" not in result.text


def test_html_modes_are_trafilatura_settings() -> None:
    from cleaner.io.html import DEFAULT_MODE, MODES

    assert DEFAULT_MODE in MODES
    allowed = {"favor_precision", "favor_recall", "include_tables", "include_comments"}
    assert all(set(settings) <= allowed for settings in MODES.values())


def test_unknown_html_mode_is_an_input_error() -> None:
    from cleaner.core.errors import InputError
    from cleaner.io.html import extract_text

    with pytest.raises(InputError, match="precision"):
        extract_text(HTML, mode="fast")


def test_cli_html_path(run_cli: CliRunner) -> None:
    pytest.importorskip("trafilatura")
    done = run_cli("clean", "--html", "--url", "https://example.com/bridge", input=HTML)
    assert done.returncode == 0, done.stderr
    assert "reopened on Monday" in done.stdout and "Share this:" not in done.stdout


def test_cli_html_mode_option(run_cli: CliRunner) -> None:
    pytest.importorskip("trafilatura")
    done = run_cli("clean", "--html", "--html-mode", "precision", input=HTML)
    assert done.returncode == 0, done.stderr
    assert "reopened on Monday" in done.stdout
    bad = run_cli("clean", "--html", "--html-mode", "fast", input=HTML)
    assert bad.returncode == 2 and "fast" in bad.stderr


def test_clean_html_mode_keyword() -> None:
    pytest.importorskip("trafilatura")
    from cleaner import clean_html

    assert "reopened on Monday" in clean_html(HTML, mode="recall").text
