"""URL and host to site pack; fingerprints when no URL is known."""

from __future__ import annotations

import pytest

from cleaner import RuleSet
from cleaner.text.hosts import host_of


@pytest.mark.parametrize(
    "given,host",
    [
        ("https://www.TheHill.com/policy/defense/123", "thehill.com"),
        ("http://m.timesofindia.indiatimes.com:8080/x", "timesofindia.indiatimes.com"),
        ("amp.alternet.org", "alternet.org"),
        ("m.com", "m.com"),
        ("not a url at all", ""),
    ],
)
def test_host_of(given: str, host: str) -> None:
    assert host_of(given) == host


@pytest.mark.parametrize(
    "url,site",
    [
        ("https://thehill.com/homenews/x", "thehill.com"),
        ("https://news.thehill.com/x", "thehill.com"),
        ("https://notthehill.com/x", None),
        ("thehill.com", "thehill.com"),
        ("https://example.org", None),
    ],
)
def test_suffix_match(builtin_rules: RuleSet, url: str, site: str | None) -> None:
    assert builtin_rules.resolve_site(url) == site


def test_detection_needs_a_fingerprint(builtin_rules: RuleSet) -> None:
    assert builtin_rules.detect("Join Alternet All Access today.", 1.0) == "alternet.org"
    assert builtin_rules.detect("An article that mentions AlterNet once.", 1.0) is None
