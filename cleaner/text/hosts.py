"""Hosts: the site a URL or bare host names, as site packs key it."""

from __future__ import annotations

import re

# Mobile, AMP and www hosts serve the same site; their packs are keyed by the bare domain.
_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")
_HOST_RE = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")
# Longer URLs are untrusted junk, not pages: only their first characters are looked at (the
# host comes first), so a 200 KB `url` field costs no more than a short one.
MAX_URL_CHARS = 8192
# DNS limits a host name to 253 characters (at most 127 labels): a longer "host" is no host.
MAX_HOST_CHARS = 253


def host_of(url_or_host: str) -> str:
    """The lower-case host of a URL or bare host, without www./m./amp. prefixes or a port.

    >>> host_of("https://www.TheHill.com/policy/defense/123")
    'thehill.com'
    """
    # Imported here: urllib.parse (and the ipaddress module it loads) is start-up time that a
    # run without URLs never needs.
    from urllib.parse import urlsplit

    text = url_or_host[:MAX_URL_CHARS].strip()
    if "//" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        host = ""
    host = host.lower().rstrip(".")
    if len(host) > MAX_HOST_CHARS or not _HOST_RE.fullmatch(host):
        return ""
    changed = True
    while changed:
        changed = False
        for prefix in _HOST_PREFIXES:
            if host.startswith(prefix) and host.count(".") > 1:
                host, changed = host[len(prefix) :], True
    return host
