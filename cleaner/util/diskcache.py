"""Files of the on-disk caches (rules, RE2 translations): where they live, how they are keyed, read and written.

Location: ``$CLEANER_CACHE_DIR``, else ``$XDG_CACHE_HOME/cleaner``, else ``~/.cache/cleaner``;
``CLEANER_NO_CACHE=1`` turns caching off. A file is read only when it is a regular file of
this user that nobody else may write, and is written atomically; nothing read is executed.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

try:
    # hashlib's own blake2b: importing hashlib also loads OpenSSL, ~3 ms of every start-up.
    from _blake2 import blake2b
except ImportError:  # an interpreter built without it
    from hashlib import blake2b


def cache_dir() -> Path | None:
    """Where cache files go, or None when caching is off."""
    if os.environ.get("CLEANER_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("CLEANER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform in ("darwin", "win32"):
        # ~/Library/Caches/cleaner, %LOCALAPPDATA%\cleaner\Cache. Elsewhere the XDG rule below
        # gives what platformdirs would, without its import (5-15 ms of every start-up).
        import platformdirs

        return platformdirs.user_cache_path("cleaner", appauthor=False)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "cleaner"
    try:
        return Path.home() / ".cache" / "cleaner"
    except RuntimeError:  # no home directory to be found
        return None


def digest(data: bytes) -> str:
    """A 64-hex-digit blake2b digest (file names and keys)."""
    return blake2b(data, digest_size=32).hexdigest()


def hasher() -> blake2b:
    """A blake2b hasher whose ``hexdigest()`` is like :func:`digest`'s, fed piece by piece."""
    return blake2b(digest_size=32)


def package_stamp(name: str) -> tuple[str, int, int] | None:
    """Which version of a package is installed (its file, size and time), found without importing it.

    Importing ``regex`` or PyYAML only to read a version would cost a warm start ~13 ms.
    """
    # Imported here: start-up time: only a cache key needs it.
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return None
    try:
        info = os.stat(spec.origin)
    except OSError:
        return None
    return spec.origin, info.st_size, info.st_mtime_ns


def read_json(path: Path, fmt: int, key: str) -> dict[str, Any] | None:
    """The JSON object a cache file holds, if the file is trusted and written for ``fmt`` and ``key``."""
    try:
        with open(path, "rb") as handle:
            if not _trusted(os.fstat(handle.fileno())):
                return None
            data = json.loads(handle.read())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("format") != fmt or data.get("key") != key:
        return None
    return data


def _trusted(info: os.stat_result) -> bool:
    """A regular file of this user that nobody else may write (cache dirs can be shared)."""
    if not stat.S_ISREG(info.st_mode):
        return False
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: no owners to compare
        return True
    return info.st_uid == getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Store ``data`` atomically (a temporary file renamed over the old one); never raise."""
    text = json.dumps(data, separators=(",", ":"))
    # Not tempfile.mkstemp: importing tempfile costs more than this whole write. O_EXCL makes
    # the name ours alone (no symlink followed); the pid keeps concurrent writers apart.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            # Left by a process that died mid-write and had our pid (pids are reused): once
            # it is clearly not being written, it is removed, or this name stays blocked.
            if not is_stale(tmp):
                return
            os.unlink(tmp)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(text)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return  # a read-only or full disk, or a stale temporary file: the caller goes on without


# A temporary cache file this old is no write in progress (a write takes milliseconds).
STALE_SECONDS = 60


def is_stale(path: Path) -> bool:
    """Whether ``path`` (a temporary cache file) was last written over ``STALE_SECONDS`` ago."""
    # Imported here: start-up time: only a leftover temporary file needs the clock.
    import time

    try:
        return time.time() - path.stat().st_mtime > STALE_SECONDS
    except OSError:
        return False


def own_source(path: str) -> bytes | None:
    """The bytes of the module at ``path`` (its ``__file__``), read when it is imported; None if unreadable.

    A cache keyed by the code that fills it must use the code the process loaded, not the
    file as it is on disk later (a long run, forked workers).
    """
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None
