"""Validated rules cached on disk, so a warm start skips YAML parsing and validation.

Loading the built-in rules (YAML with marks, schema checks that compile every pattern) takes
~100 ms, most of a one-off ``cleaner clean``. Its result, :class:`~cleaner.rules.loader.LoadedRules`,
depends only on the rule files' paths and bytes and on the code that reads them, so it is
stored as JSON keyed by a hash of exactly those:

- the path and bytes of every rule file (the same sorted ``common/`` and ``sites/`` globs
  the loader reads) and whether each directory exists;
- the cleaner version, the Python version, the installed ``regex`` and PyYAML, and
  the source of the modules that parse, validate and analyse rules.

A cache file that is missing, unreadable, corrupt, written for another key or not owned by
the user is ignored and rebuilt; a directory that cannot be written is skipped (the load
still works). The JSON holds plain values only and is rebuilt field by field into frozen
dataclasses, with every type checked: nothing in it is ever executed (no pickle). It also
holds each pattern's required literals (:mod:`cleaner.match.literals`), which take longer to
compute than the rules take to load.

Location: ``$CLEANER_CACHE_DIR``, else ``$XDG_CACHE_HOME/cleaner``, else
``~/.cache/cleaner``; ``CLEANER_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleaner.core.model import STAGE_ORDER, Case, Diagnostic, Examples, Rule, SitePack
from cleaner.rules.loader import LoadedRules, load_dirs, rule_files

try:
    # hashlib's own blake2b: importing hashlib also loads OpenSSL, ~3 ms of every start-up.
    from _blake2 import blake2b
except ImportError:  # an interpreter built without it
    from hashlib import blake2b

if TYPE_CHECKING:
    from cleaner.match.literals import Atoms

# Bump when the JSON layout changes.
FORMAT = 1
# The modules whose code decides what a rule file loads as (their source is in the key).
# Paths are relative to the package; a folder stands for every module in it.
_CODE = ("core", "match", "kinds", "rules/loader.py", "rules/schema.py", "rules/yamlsource.py", "rules/cache.py")


class _Corrupt(ValueError):
    """The cache file does not hold what this module writes."""


def cache_dir() -> Path | None:
    """Where cache files go, or None when caching is off."""
    if os.environ.get("CLEANER_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("CLEANER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "cleaner"
    try:
        return Path.home() / ".cache" / "cleaner"
    except RuntimeError:  # no home directory to be found
        return None


def load_rules(directories: Sequence[Path]) -> LoadedRules:
    """:func:`cleaner.rules.loader.load_dirs`, from the cache when the rules and code are unchanged.

    The result is equal to a fresh load, diagnostics (warnings) included.
    """
    folder = cache_dir()
    key = _key(directories) if folder is not None else None
    if folder is None or key is None:
        return load_dirs(directories)
    path = folder / f"rules-{digest(repr([str(d) for d in directories]).encode())[:32]}.json"
    cached = _read(path, key)
    if cached is not None:
        return cached
    loaded = load_dirs(directories)
    _write(path, key, loaded)
    return loaded


def digest(data: bytes) -> str:
    """A 64-hex-digit blake2b digest (file names and keys)."""
    return blake2b(data, digest_size=32).hexdigest()


def _key(directories: Sequence[Path]) -> str | None:
    """A hash of everything a load depends on; None when a file cannot be read (no caching)."""
    from cleaner.core.version import __version__

    hasher = blake2b(digest_size=32)

    def add(*parts: object) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass")
            hasher.update(len(data).to_bytes(8, "little"))
            hasher.update(data)

    add(FORMAT, __version__, sys.version, package_stamp("regex"), package_stamp("yaml"))
    package = Path(__file__).parent.parent
    try:
        for name in _CODE:
            for path in _code_files(package / name):
                add(path.relative_to(package).as_posix(), path.read_bytes())
        for directory in directories:
            exists = directory.is_dir()
            add(str(directory), exists)
            if not exists:
                continue
            common, sites = rule_files(directory)
            for path in (*common, *sites):
                add(str(path), path.read_bytes())
    except OSError:
        return None
    return hasher.hexdigest()


def _code_files(path: Path) -> list[Path]:
    """The module ``path`` names, or every module of the folder it names, in a stable order."""
    return sorted(path.glob("*.py")) if path.is_dir() else [path]


def package_stamp(name: str) -> tuple[str, int, int] | None:
    """Which version of a package is installed (its file, size and time), found without importing it.

    Importing ``regex`` or PyYAML only to read a version would cost a warm start ~13 ms.
    """
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


def _read(path: Path, key: str) -> LoadedRules | None:
    data = read_json(path, FORMAT, key)
    if data is None:
        return None
    try:
        loaded = _loaded(data.get("rules"))
        literals = _literals(data.get("literals"))
    except (_Corrupt, TypeError, ValueError, KeyError, IndexError):
        return None
    from cleaner.match import literals as literalgate

    literalgate.remember(literals)
    return loaded


def _trusted(info: os.stat_result) -> bool:
    """A regular file of this user that nobody else may write (cache dirs can be shared)."""
    if not stat.S_ISREG(info.st_mode):
        return False
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: no owners to compare
        return True
    return info.st_uid == getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _write(path: Path, key: str, loaded: LoadedRules) -> None:
    from cleaner.match import literals as literalgate

    write_json(path, {"format": FORMAT, "key": key, "rules": _dump(loaded),
                      "literals": [list(entry) for entry in literalgate.analyse(_patterns(loaded))]})


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
    import time

    try:
        return time.time() - path.stat().st_mtime > STALE_SECONDS
    except OSError:
        return False


def _patterns(loaded: LoadedRules) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every pattern a RuleSet over ``loaded`` compiles, with the site names it binds."""
    names = tuple(sorted({name for pack in loaded.packs for name in pack.names}, key=lambda n: (-len(n), n)))
    for rule in loaded.rules:
        for key, value in rule.options:
            if key in ("pattern", "start", "end") and isinstance(value, str):
                yield value, names
    for pack in loaded.packs:
        for pattern in pack.detect:
            yield pattern, names


# --- LoadedRules <-> plain JSON values, every field checked on the way back ---------------


def _dump(loaded: LoadedRules) -> dict[str, Any]:
    return {
        "common": [_dump_rule(r) for r in loaded.common],
        "packs": [[p.site, p.aliases, p.names, p.detect, p.disable, p.source] for p in loaded.packs],
        "site_rules": [_dump_rule(r) for r in loaded.site_rules],
        "diagnostics": [[d.path, d.line, d.col, d.code, d.message, d.hint, d.severity] for d in loaded.diagnostics],
    }


def _dump_rule(rule: Rule) -> list[Any]:
    examples = rule.examples
    return [
        rule.id, rule.pack, rule.kind, rule.summary, rule.pattern, [list(pair) for pair in rule.options],
        [examples.match, examples.no_match, [[c.input, c.output] for c in examples.cases]],
        rule.status, rule.source, rule.line,
    ]


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise _Corrupt("expected a string")
    return value


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Corrupt("expected an integer")
    return value


def _strs(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _Corrupt("expected a list")
    return tuple(_str(item) for item in value)


def _list(value: object, size: int | None = None) -> list[Any]:
    if not isinstance(value, list) or (size is not None and len(value) != size):
        raise _Corrupt("expected a list" + (f" of {size}" if size is not None else ""))
    return value


def _option(value: object) -> tuple[str, object]:
    key, item = _list(value, 2)
    if not isinstance(item, (str, int, float)):  # bool is an int
        raise _Corrupt("an option value must be a string, number or boolean")
    return _str(key), item


def _rule(value: object) -> Rule:
    rule_id, pack, kind, summary, pattern, options, examples, status, source, line = _list(value, 10)
    match, no_match, cases = _list(examples, 3)
    if kind not in STAGE_ORDER or status not in ("stable", "preview"):
        raise _Corrupt("unknown kind or status")
    return Rule(
        id=_str(rule_id), pack=_str(pack), kind=kind, summary=_str(summary),
        pattern=None if pattern is None else _str(pattern),
        options=tuple(_option(o) for o in _list(options)),
        examples=Examples(_strs(match), _strs(no_match),
                          tuple(Case(_str(c[0]), _str(c[1])) for c in (_list(c, 2) for c in _list(cases)))),
        status=status, source=_str(source), line=_int(line),
    )


def _pack(value: object) -> SitePack:
    site, aliases, names, detect, disable, source = _list(value, 6)
    return SitePack(_str(site), _strs(aliases), _strs(names), _strs(detect), _strs(disable), _str(source))


def _diagnostic(value: object) -> Diagnostic:
    path, line, col, code, message, hint, severity = _list(value, 7)
    if severity not in ("error", "warning"):
        raise _Corrupt("unknown severity")
    return Diagnostic(_str(path), _int(line), _int(col), _str(code), _str(message), _str(hint), severity)


def _loaded(value: object) -> LoadedRules:
    if not isinstance(value, dict):
        raise _Corrupt("expected an object")
    return LoadedRules(
        tuple(_rule(r) for r in _list(value["common"])),
        tuple(_pack(p) for p in _list(value["packs"])),
        tuple(_rule(r) for r in _list(value["site_rules"])),
        tuple(_diagnostic(d) for d in _list(value["diagnostics"])),
    )


def _literals(value: object) -> list[tuple[str, tuple[str, ...], Atoms]]:
    from cleaner.match.literals import check

    out = []
    for entry in _list(value):
        pattern, names, atoms = _list(entry, 3)
        out.append((_str(pattern), _strs(names), check(atoms)))
    return out
