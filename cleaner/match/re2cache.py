"""RE2 translations of a plan's patterns, cached on disk beside the rules cache.

Building a plan's RE2 sets (:mod:`cleaner.engine.prefilter`) starts by translating every pattern
into a wider RE2 pattern: ~0.05 s for the built-in rules, ~0.33 s for a pack of 1,000, paid
by every process that builds the sets (each ``--jobs`` worker, each run over a large input).
Compiled RE2 objects cannot be stored; their sources can, and a hit leaves only RE2's own
compile (~0.2 s for 1,000 rules).

A translation depends on the pattern, its scope (line or search), the site names it binds,
the translating code (``match/re2.py`` and ``match/sitenames.py`` as the process loaded them), the
``regex`` module (its case tables) and Python (its parser and Unicode data); the file name
and the key inside hash all of them. The files follow the rules
cache's rules (:mod:`cleaner.rules.cache`): plain JSON, checked on the way back, ignored when
damaged or writable by others, written atomically, ``CLEANER_NO_CACHE=1`` turns them off.
Every rule edit makes a new file, so only the most recently used few are kept.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cleaner.match import re2, sitenames
from cleaner.match.re2 import Scope, gate_pattern
from cleaner.util.diskcache import cache_dir, digest, is_stale, package_stamp, read_json, write_json

FORMAT = 1
# Files kept: one per plan whose sets were built (a site's plan holds the common rules too).
KEEP = 32

Request = tuple[str, Scope, tuple[str, ...]]


def translations(requests: Sequence[Request]) -> list[str | None]:
    """:func:`cleaner.match.re2.gate_pattern` of each request, from the cache when it holds them."""
    folder = cache_dir()
    key = _key(requests) if folder is not None else None
    if folder is None or key is None:
        return [gate_pattern(*request) for request in requests]
    path = folder / f"gates-{key[:32]}.json"
    found = _valid(read_json(path, FORMAT, key), len(requests))
    if found is not None:
        _touch(path)
        return found
    out = [gate_pattern(*request) for request in requests]
    write_json(path, {"format": FORMAT, "key": key, "gates": out})
    _prune(folder)
    return out


def _key(requests: Sequence[Request]) -> str | None:
    if re2.SOURCE is None or sitenames.SOURCE is None:
        return None
    # The translating code as loaded (not as on disk now), the site-names marker it binds,
    # and the Python and installed regex whose parser and case tables it reads (the disk
    # cache's package stamp: a hit does not import regex for its version).
    parts = (FORMAT, sys.version, package_stamp("regex"), re2.SOURCE, sitenames.SOURCE, list(requests))
    return digest(repr(parts).encode("utf-8", "surrogatepass"))


def _valid(data: dict[str, object] | None, size: int) -> list[str | None] | None:
    gates = data.get("gates") if data is not None else None
    if not isinstance(gates, list) or len(gates) != size:
        return None
    if not all(gate is None or isinstance(gate, str) for gate in gates):
        return None
    return gates


def _touch(path: Path) -> None:
    # Pruning keeps the files used last, not the files written last.
    with contextlib.suppress(OSError):
        os.utime(path)


def _prune(folder: Path) -> None:
    """Delete all but the ``KEEP`` most recently used translation files, and stale temporaries."""
    # Another process pruning or writing at the same time may make this fail: next time.
    with contextlib.suppress(OSError):
        files = sorted(folder.glob("gates-*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        # Every rule edit names a new file, so temporaries of writers that died would pile up.
        left = [tmp for tmp in folder.glob(".gates-*.tmp") if is_stale(tmp)]
        for stale in [*files[KEEP:], *left]:
            stale.unlink()
