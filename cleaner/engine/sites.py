"""Site selection: which site pack a document belongs to, from its URL or host, else from fingerprints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cleaner.core.model import SitePack
from cleaner.text.hosts import MAX_HOST_CHARS

if TYPE_CHECKING:
    import regex

def pack_for_host(host: str, packs_by_host: dict[str, SitePack]) -> SitePack | None:
    """The pack whose site or alias is ``host`` or a parent domain of it (longest wins).

    Each parent domain is a slice at a dot, not a re-join of labels, and a host past DNS's
    253 characters has none: at most 127 look-ups of at most 253 characters.

    >>> pack_for_host("news.example.org", {"example.org": SitePack("example.org")}).site
    'example.org'
    """
    if len(host) > MAX_HOST_CHARS:
        return None
    start = 0
    while (dot := host.find(".", start)) >= 0:
        pack = packs_by_host.get(host[start:])
        if pack is not None:
            return pack
        start = dot + 1
    return None


# A fingerprint: its compiled pattern and a literal every match contains (None: unknown).
Fingerprint = tuple["regex.Pattern[str]", str | None]


def detect_site(
    text: str, detectors: Sequence[tuple[SitePack, tuple[Fingerprint, ...]]], timeout: float
) -> tuple[SitePack | None, tuple[str, ...]]:
    """The pack with the most fingerprints found in ``text`` (ties go to the first site name),
    and the sites whose fingerprint search timed out (such a search counts as no hit)."""
    best: tuple[int, str] | None = None
    chosen = None
    timed_out: list[str] = []
    for pack, fingerprints in detectors:
        hits = 0
        for pattern, literal in fingerprints:
            # Most texts lack the literal: a substring test is far cheaper than the search.
            if literal is not None and literal not in text:
                continue
            try:
                if pattern.search(text, timeout=timeout):
                    hits += 1
            except TimeoutError:
                if pack.site not in timed_out:
                    timed_out.append(pack.site)
                continue
        if hits and (best is None or (-hits, pack.site) < best):
            best, chosen = (-hits, pack.site), pack
    return chosen, tuple(timed_out)
