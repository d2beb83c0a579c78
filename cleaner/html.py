"""The trafilatura bridge; imported only when HTML is given, to keep start-up small."""

from __future__ import annotations


def extract_text(html: str | bytes, *, url: str | None = None) -> str:
    """Main text of an HTML page as trafilatura extracts it (plain text, no comments)."""
    import trafilatura

    text = trafilatura.extract(html, url=url, include_comments=False, output_format="txt")
    return text or ""
