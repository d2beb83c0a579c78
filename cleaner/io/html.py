"""The trafilatura bridge; imported only when HTML is given, to keep start-up small.

The extraction settings are chosen by measurement (``benchmarks/html_modes.py``, results in
``benchmarks/results/html-modes-*.md``): each mode below was scored on the tiptopjaw pages'
HTML against their gold, alone and followed by the cleaner, and ``DEFAULT_MODE`` had the
best F1 after cleaning.
"""

from __future__ import annotations

from cleaner.core.errors import InputError, MissingExtraError, install_hint

# trafilatura.extract() keyword settings per mode; output is always plain text.
MODES: dict[str, dict[str, bool]] = {
    "default": {},
    "precision": {"favor_precision": True},
    "recall": {"favor_recall": True},
    "no-tables": {"include_tables": False},
    "comments": {"include_comments": True},
    "precision-no-tables": {"favor_precision": True, "include_tables": False},
}
DEFAULT_MODE = "default"


def extract_text(html: str | bytes, *, url: str | None = None, mode: str = DEFAULT_MODE) -> str:
    """Main text of an HTML page as trafilatura extracts it with the settings of ``mode``."""
    if mode not in MODES:
        raise InputError(f"unknown HTML mode {mode!r}; use one of: {', '.join(MODES)}")
    try:
        # Imported here: trafilatura (and lxml) load only when HTML is given.
        import trafilatura
    except ImportError as exc:  # trafilatura, or lxml_html_clean that its justext needs
        hint = install_hint("html")
        raise MissingExtraError(f"HTML input needs trafilatura ({exc}); install it with {hint}") from exc

    settings = MODES[mode]
    text = trafilatura.extract(
        html,
        url=url,
        output_format="txt",
        include_comments=settings.get("include_comments", False),
        include_tables=settings.get("include_tables", True),
        favor_precision=settings.get("favor_precision", False),
        favor_recall=settings.get("favor_recall", False),
    )
    return text or ""
