"""What reads as the article's own text: sentences, quotations, common article headings.

Shared by the miner (:mod:`cleaner.mine.miner`) and crawl learning (:mod:`cleaner.engine.learn`): a line
that reads as content is never made into a rule.
"""

from __future__ import annotations

import regex

# Typographic quotes and dashes are spelled as escapes so that the source stays unambiguous.
SENTENCE_END = regex.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)\]]*$")
QUOTE_START = regex.compile(r"^[\"'\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019\u2039\u203a]")
# Section headings articles share across sites: recurring, short, and yet content. Found on
# real pages (a "Conclusion" recurring in 3 of 8 unrelated tiptopjaw pages), so never proposed.
ARTICLE_HEADING = regex.compile(
    r"(?i)(?:(?:\d+|[ivx]+)[.)]?\s*)?(?:the\s+)?(?:conclusions?|introduction|summary|overview|background|"
    r"(?:key\s+)?takeaways?|final\s+thoughts|bottom\s+line|faqs?|frequently\s+asked\s+questions|ingredients|"
    r"instructions|directions|method|methodology|steps?(?:\s+\d+)?|notes?|references|results|discussion|"
    r"fazit|einleitung|zusammenfassung|zutaten|zubereitung|anleitung|hintergrund)\s*:?"
)


def looks_like_content(line: str, max_words: int = 12) -> str | None:
    """Why ``line`` reads as article content (a reason), or None when it could be residue.

    >>> looks_like_content('“We will rebuild,” she said.')
    'a quotation'
    >>> looks_like_content('12 Comments') is None
    True
    """
    text = line.strip()
    words = len(text.split())
    if QUOTE_START.search(text):
        return "a quotation"
    if words > max_words and SENTENCE_END.search(text):
        return f"a sentence of {words} words"
    if words > 2 * max_words:
        return f"{words} words long"
    return None
