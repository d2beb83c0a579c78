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
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from cleaner.core.model import STAGE_ORDER, Case, Diagnostic, Examples, Rule, SitePack
from cleaner.core.version import __version__
from cleaner.match import literals as literals_module
from cleaner.match.literals import Atoms, check
from cleaner.rules.loader import LoadedRules, learned_files, load_dirs, read_rule_file, rule_files
from cleaner.util.diskcache import cache_dir, digest, hasher, package_stamp, read_json, write_json

# Bump when the JSON layout changes.
FORMAT = 3
# The kinds whose rules may have no pattern (see cleaner.kinds: repeat and run).
_PATTERN_OPTIONAL = ("repeat", "run")
# The modules whose code decides what a rule file loads as (their source is in the key).
# Paths are relative to the package; a folder stands for every module in it.
_CODE = ("core", "match", "kinds", "rules/loader.py", "rules/schema.py", "rules/yamlsource.py", "rules/cache.py")


class _Corrupt(ValueError):
    """The cache file does not hold what this module writes."""


def load_rules(directories: Sequence[Path]) -> LoadedRules:
    """:func:`cleaner.rules.loader.load_dirs`, from the cache when the rules and code are unchanged.

    The result is equal to a fresh load, diagnostics (warnings) included.
    """
    folder = cache_dir()
    if folder is None:
        return load_dirs(directories)
    # Each rule file is read once: the key hashes exactly the bytes a miss then parses, so a
    # file swapped between the two cannot have its new content stored under the old key.
    contents = _contents(directories)
    key = _key(directories, contents)
    if key is None:
        return load_dirs(directories, contents)
    path = folder / f"rules-{digest(repr([str(d) for d in directories]).encode())[:32]}.json"
    cached = _read(path, key)
    if cached is not None:
        return cached
    loaded = load_dirs(directories, contents)
    _write(path, key, loaded)
    return loaded


def _contents(directories: Sequence[Path]) -> dict[Path, bytes | Diagnostic]:
    """Every rule file's bytes (or why it cannot be read), read the way the loader reads them."""
    contents: dict[Path, bytes | Diagnostic] = {}
    for directory in directories:
        if directory.is_dir():
            common, sites = rule_files(directory)
            for path in (*common, *sites, *learned_files(directory)):
                contents[path] = read_rule_file(path)
    return contents


def _key(directories: Sequence[Path], contents: dict[Path, bytes | Diagnostic]) -> str | None:
    """A hash of everything a load depends on; None when a file cannot be read (no caching)."""
    key = hasher()

    def add(*parts: object) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass")
            key.update(len(data).to_bytes(8, "little"))
            key.update(data)

    add(FORMAT, __version__, sys.version, package_stamp("regex"), package_stamp("yaml"))
    try:
        for name in _code_files():
            with open(os.path.join(_PACKAGE, name), "rb") as handle:
                add(name, handle.read())
        for directory in directories:
            exists = directory.is_dir()
            add(str(directory), exists)
            if not exists:
                continue
            common, sites = rule_files(directory)
            for path in (*common, *sites, *learned_files(directory)):
                data = contents.get(path)
                if not isinstance(data, bytes):
                    return None  # unreadable: loaded fresh, with its diagnostic, never cached
                add(str(path), data)
    except OSError:
        return None
    return key.hexdigest()


# The package folder. Plain os.path, not pathlib: this runs on every start-up.
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _code_files() -> list[str]:
    """``_CODE`` as module paths relative to the package (a folder: each of its modules, sorted)."""
    out: list[str] = []
    for name in _CODE:
        folder = os.path.join(_PACKAGE, name)
        if os.path.isdir(folder):
            out += sorted(f"{name}/{entry}" for entry in os.listdir(folder) if entry.endswith(".py"))
        else:
            out.append(name)
    return out


def _read(path: Path, key: str) -> LoadedRules | None:
    data = read_json(path, FORMAT, key)
    if data is None:
        return None
    if data.get("check") != _check(key, data.get("rules"), data.get("literals")):
        return None  # edited since it was written (by hand, a tool, a bad disk): rebuilt
    try:
        loaded = _loaded(data.get("rules"))
        literals = _literals(data.get("literals"))
    except (_Corrupt, TypeError, ValueError, KeyError, IndexError):
        return None
    literals_module.remember(literals)
    return loaded


def _write(path: Path, key: str, loaded: LoadedRules) -> None:
    rules = _dump(loaded)
    literals = [list(entry) for entry in literals_module.analyse(_patterns(loaded))]
    write_json(path, {"format": FORMAT, "key": key, "check": _check(key, rules, literals), "rules": rules,
                      "literals": literals})


def _check(key: str, rules: object, literals: object) -> str:
    """A digest binding what a cache file holds to its key.

    Its values are type-checked on the way in, but a pattern edited into one that does not
    compile (or an emptied one) is well typed and would only fail mid-cleaning: such an entry
    no longer matches its check and is rebuilt from the rule files. (It guards against damage
    and careless edits; someone able to rewrite the file and this digest could equally edit
    the rule files, which this user's cache trusts.)
    """
    payload = json.dumps([key, rules, literals], ensure_ascii=True, separators=(",", ":"))
    return digest(payload.encode("ascii"))


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
        rule.status, rule.source, rule.line, rule.description,
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
    rule_id, pack, kind, summary, pattern, options, examples, status, source, line, description = _list(value, 11)
    match, no_match, cases = _list(examples, 3)
    if kind not in STAGE_ORDER or status not in ("stable", "preview"):
        raise _Corrupt("unknown kind or status")
    if kind not in _PATTERN_OPTIONAL and not (isinstance(pattern, str) and pattern):
        raise _Corrupt("a rule of this kind needs a pattern")
    return Rule(
        id=_str(rule_id), pack=_str(pack), kind=kind, summary=_str(summary),
        pattern=None if pattern is None else _str(pattern),
        options=tuple(_option(o) for o in _list(options)),
        examples=Examples(_strs(match), _strs(no_match),
                          tuple(Case(_str(c[0]), _str(c[1])) for c in (_list(c, 2) for c in _list(cases)))),
        status=status, source=_str(source), line=_int(line), description=_str(description),
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
    out = []
    for entry in _list(value):
        pattern, names, atoms = _list(entry, 3)
        out.append((_str(pattern), _strs(names), check(atoms)))
    return out
