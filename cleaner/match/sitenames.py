"""The ``\\L<site_names>`` marker: a rule pattern's stand-in for the display names of every site pack."""

from __future__ import annotations

import re
from collections.abc import Sequence

from cleaner.util.diskcache import own_source

SITE_NAMES_LIST = "\\L<site_names>"
# What an empty list of site names is bound to: it must match no text.
NO_SITE_NAMES = "\x00no site names\x00"

# This module's source as loaded: the RE2 translation cache is keyed by it.
SOURCE = own_source(__file__)


def bind_site_names(pattern: str, site_names: Sequence[str]) -> str:
    r"""Replace ``\L<site_names>`` by an alternation of the names, escaped.

    >>> bind_site_names(r"(?i).* - \L<site_names>", ["The Hill"])
    '(?i).* - (?:The\\ Hill)'
    """
    if SITE_NAMES_LIST not in pattern:
        return pattern
    names = list(site_names) or [NO_SITE_NAMES]
    return pattern.replace(SITE_NAMES_LIST, "(?:" + "|".join(re.escape(n) for n in names) + ")")
