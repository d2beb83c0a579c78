"""The cleaning contract every input must keep, shared by the property and regression suites."""

from __future__ import annotations

from cleaner import Cleaner, CleanResult, normalize_text, replay


def check_contract(cleaner: Cleaner, text: str, url: str | None) -> CleanResult:
    """Assert replayable output (or unchanged when refused) and idempotence; return the result."""
    result = cleaner.clean_and_explain(text, url=url)
    assert result.normalized == normalize_text(text)
    # The README's contract holds for every result, refused ones included.
    assert result.text == replay(result.normalized, result.removals)
    if result.skipped is not None:
        assert result.text == result.normalized and result.removals == ()
    else:
        assert result.refused == ()
    # Idempotence. Without a URL the site is recognised from fingerprints the cleaning
    # removes, so the second run is told the site the first one found (README, Reliability).
    assert cleaner.clean(result.text, url=url, site=result.site) == result.text
    return result
