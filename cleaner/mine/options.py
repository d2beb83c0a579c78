"""How much evidence ``cleaner mine`` needs: its options, apart from the miner.

The ``mine`` subcommand's parser shows these defaults in its help; keeping them in a module
of their own lets every command build its parser without importing the miner.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MineOptions:
    """How much evidence a proposal needs."""

    min_docs: int = 3
    min_share: float = 0.3
    # Of the pages a line is seen in, the share where it must sit the same way (head, tail...).
    consistency: float = 0.8
    # "Head" means within this many first lines of the page.
    head_lines: int = 6
    # A line of more words than this ending like a sentence reads as content.
    max_words: int = 12
    max_chars: int = 200
    # A block's start and end may be at most this many lines apart.
    max_block_lines: int = 12
    # A line amid the article's prose must recur on at least this share of pages: template
    # residue there ("Advertisement") is on most pages, while a short topical line ("TikTok",
    # a list item) recurs on a few pages of a site that keeps writing about it.
    min_body_share: float = 0.5
