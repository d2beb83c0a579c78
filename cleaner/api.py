"""The plain functions most callers need, over a shared default Cleaner."""

from __future__ import annotations

from functools import lru_cache

from cleaner.core.model import CleanResult, Config
from cleaner.engine.cleaner import Cleaner


@lru_cache(maxsize=8)
def _default_cleaner(config: Config) -> Cleaner:
    # Cleaners are immutable, so one per configuration can be shared by every caller.
    return Cleaner.default(config)


def _cleaner(config: Config | None) -> Cleaner:
    return _default_cleaner(config or Config())


def clean(text: str, *, url: str | None = None, site: str | None = None, config: Config | None = None) -> str:
    """Return ``text`` without boilerplate residue, using the built-in rules.

    >>> clean("Title\\n\\nThe article.\\n\\nREAD ALSO: Something else\\n\\nMore article.")
    'Title\\n\\nThe article.\\n\\nMore article.'
    """
    return _cleaner(config).clean(text, url=url, site=site)


def clean_and_explain(
    text: str, *, url: str | None = None, site: str | None = None, config: Config | None = None
) -> CleanResult:
    """Like :func:`clean`, returning the removals with the rule that made each one."""
    return _cleaner(config).clean_and_explain(text, url=url, site=site)


def clean_html(
    html: str | bytes,
    *,
    url: str | None = None,
    site: str | None = None,
    config: Config | None = None,
    mode: str | None = None,
) -> CleanResult:
    """Extract the article from HTML with trafilatura, then clean it.

    ``mode`` names trafilatura settings from :data:`cleaner.io.html.MODES`; the default is the
    mode measured best on gold (``benchmarks/html_modes.py``).
    """
    # Imported here: trafilatura (and lxml) load only when HTML is given.
    from cleaner.io.html import DEFAULT_MODE, extract_text

    text = extract_text(html, url=url, mode=mode or DEFAULT_MODE)
    return _cleaner(config).clean_and_explain(text, url=url, site=site)
