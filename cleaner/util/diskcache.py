"""Files of the on-disk caches (rules, RE2 translations): where they live, how they are keyed, read and written.

Location: ``$CLEANER_CACHE_DIR``, else ``$XDG_CACHE_HOME/cleaner``, else ``~/.cache/cleaner``;
``CLEANER_NO_CACHE=1`` turns caching off. A file is read only when it is a regular file of
this user that nobody else may write, and is written atomically; nothing read is executed.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
from collections.abc import Callable
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


class NotARegularFile(OSError):
    """A path that is not a regular file of at most the size asked for (a symlink, FIFO, device, huge)."""


def read_regular_file(
    path: Path | str, max_bytes: int, trusted: Callable[[os.stat_result], bool] | None = None
) -> bytes:
    """The bytes of ``path``, which must be a regular file (not a symlink) of at most ``max_bytes``.

    Opened without following a symlink and without blocking (a FIFO would hang a blocking
    open), checked with fstat on the open file (no race with a swap), then read with a
    bound: a symlink to ``/dev/zero`` or to a private file, a FIFO or a device is refused
    before anything is read. ``trusted`` (the open file's stat) may refuse it too, before a read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW on a symlink
            raise NotARegularFile(errno.ELOOP, "a symlink, not a regular file", str(path)) from None
        raise
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(errno.EINVAL, "not a regular file (a FIFO, device or folder)", str(path))
        if info.st_size > max_bytes:
            raise NotARegularFile(errno.EFBIG, f"larger than {max_bytes:,} bytes", str(path))
        if trusted is not None and not trusted(info):
            raise NotARegularFile(errno.EPERM, "not trusted (owner or permissions)", str(path))
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise NotARegularFile(errno.EFBIG, f"larger than {max_bytes:,} bytes", str(path))
    return data


# A cache file larger than this is not read (rule sets in the thousands stay far below).
MAX_CACHE_BYTES = 256 * 1024 * 1024


def read_json(path: Path, fmt: int, key: str) -> dict[str, Any] | None:
    """The JSON object a cache file holds, if the file is trusted and written for ``fmt`` and ``key``."""
    try:
        # Non-blocking and without following a symlink: a FIFO or a link planted under a cache
        # file's name in a shared folder is refused before anything is read, not waited on.
        data = json.loads(read_regular_file(path, MAX_CACHE_BYTES, _trusted))
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
