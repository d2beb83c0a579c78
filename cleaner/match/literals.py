"""A cheap, sound gate on literals: what every match of a pattern must contain.

For each rule pattern we compute a *requirement* on the folded text (:func:`fold`) of
anything it matches: an and/or formula over literal strings (``Req``: "read also" or "see
also"; "sign up" or "buy", and "now" or "today"), or ``None`` when nothing is known. A text
that fails a rule's requirement holds no line the rule matches, so the rule need not run
on it, nor even be compiled: on a small document most rules are skipped before ``regex``
ever sees them (start-up time), and a lazy pattern (:mod:`cleaner.match.lazy`) refutes
single lines the same way.

Soundness, step by step:

- ``fold`` works character by character (``str.casefold`` has no context), so the fold of
  a line is a substring of the fold of the document holding it.
- A case-sensitive literal ``c`` matches exactly ``c``, whose fold is ``fold(c)``.
- Under ``(?i)`` a literal ``c`` matches any character ``regex`` lists as a case of ``c``
  (its simple case folding, ``re2.cases``: ``k`` also matches the Kelvin sign, ``i``
  the dotted capital I). A literal keeps ``c`` only when every such case folds like ``c``;
  otherwise ``c`` is unknown there and the literal is cut in two. ``_FOLD_FIX`` maps the few
  characters whose ``casefold`` disagrees with their partners' (dotted and dotless I) so
  that common letters pass the check.
- Zero-width items (``\\b``, ``^``, lookarounds) consume nothing, so literals on both sides
  are adjacent in the matched text; optional items (``x?``) contribute ``""`` or ``x``;
  an item of unknown content (a class, ``.``, ``\\w``, a repeat of unknown count) cuts the
  literal in two, and each side is still required (and); an alternation requires what one
  of its branches requires (or).
- The pattern is parsed with Python's ``re`` parser after the same refusals as the RE2
  prefilter (fuzzy braces, POSIX classes, properties widened); anything it cannot read, or
  reads differently from ``regex`` (``(?V1)``, ``(?f)``...), gives ``None``: no gate.

A property test (tests/properties/test_literal_gate.py) checks that whenever a built-in
rule matches a line, the gate passes for any text holding it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from cleaner.match.re2 import Unsupported, cases, parse_pattern
from cleaner.match.sitenames import NO_SITE_NAMES, SITE_NAMES_LIST, bind_site_names

# A requirement on the folded text, as plain nested tuples (they go into the rules cache):
#   ("lit", ("ab", "cd"))  one of these strings occurs
#   ("and", (req, ...))    every one of these holds
#   ("or", (req, ...))     at least one of these holds
# and None: nothing is known (the pattern may match any text).
Req = tuple[str, tuple[Any, ...]]
Atoms = Req | None


# Characters whose casefold differs from that of a character ``regex`` treats as the same
# letter under (?i): the dotted capital I matches ``i`` and the dotless i matches ``I``.
_FOLD_FIX = {0x130: "i", 0x131: "i"}
_FIX_CHARS = tuple(chr(c) for c in _FOLD_FIX)

# Exact sets larger than this become requirements (a cross product grows fast).
_MAX_EXACT = 32
# Classes with more characters than this are unknown content.
_MAX_CLASS = 16


def fold(text: str) -> str:
    """The form of a text atoms are looked for in: case-folded, dotted/dotless I as ``i``."""
    if not text.isascii() and any(c in text for c in _FIX_CHARS):
        text = text.translate(_FOLD_FIX)
    return text.casefold()


def _fold_char(cp: int) -> str:
    return chr(cp).translate(_FOLD_FIX).casefold()


@functools.lru_cache(maxsize=4096)
def _literal(cp: int, ignorecase: bool) -> str | None:
    """What a literal contributes to the folded text, or None when that is not one string."""
    folded = _fold_char(cp)
    if ignorecase and any(_fold_char(other) != folded for other in cases(cp)):
        return None
    return folded


class _Info:
    """What a piece of pattern matches: exactly one of ``exact`` (if finite and small) or a
    requirement ``need`` (see ``Req``; None: nothing known). Never changed once made.

    A plain class, not a frozen dataclass: making a dataclass costs ~1 ms of start-up.
    """

    __slots__ = ("exact", "need")

    def __init__(self, exact: frozenset[str] | None = None, need: Req | None = None) -> None:
        self.exact = exact
        self.need = need


_UNKNOWN = _Info()
_EMPTY = _Info(exact=frozenset({""}))


def _lit(strings: Iterable[str]) -> Req | None:
    unique = set(strings)
    # A piece that can match the empty string requires nothing.
    if not unique or "" in unique:
        return None
    # "ad" or "advert" holds exactly when "ad" does: a string holding another one of the
    # clause adds nothing, and checking fewer strings is cheaper.
    by_length = sorted(unique, key=len)
    kept: list[str] = []
    for atom in by_length:
        if not any(shorter in atom for shorter in kept):
            kept.append(atom)
    return ("lit", tuple(sorted(kept)))


def _as_need(info: _Info) -> Req | None:
    return info.need if info.exact is None else _lit(info.exact)


def _all(needs: Iterable[Req | None]) -> Req | None:
    parts: list[Req] = []
    for need in needs:
        if need is None:
            continue
        for part in need[1] if need[0] == "and" else (need,):
            if part not in parts:
                parts.append(part)
    return None if not parts else parts[0] if len(parts) == 1 else ("and", tuple(parts))


def _any(needs: Sequence[Req | None]) -> Req | None:
    if any(need is None for need in needs):
        return None  # one alternative requires nothing: neither does the whole
    atoms: set[str] = set()
    others: list[Req] = []
    for need in needs:
        assert need is not None
        for part in need[1] if need[0] == "or" else (need,):
            if part[0] == "lit":
                atoms.update(part[1])  # (a or b) or (c) is one clause: a, b or c
            elif part not in others:
                others.append(part)
    clause = _lit(atoms) if atoms else None
    parts = ([clause] if clause is not None else []) + others
    return parts[0] if len(parts) == 1 else ("or", tuple(parts))


def _concat(items: Sequence[_Info]) -> _Info:
    run: frozenset[str] = frozenset({""})
    needs: list[Req | None] = []
    exact = True
    for item in items:
        if item.exact is not None:
            product = frozenset(a + b for a in run for b in item.exact)
            if len(product) <= _MAX_EXACT:
                run = product
                continue
            needs.append(_lit(run))
            run, exact = item.exact, False
            continue
        exact = False
        needs.append(_lit(run))
        needs.append(item.need)
        run = frozenset({""})
    if exact:
        return _Info(exact=run)
    needs.append(_lit(run))
    # Every piece occurs in the match: all their requirements hold.
    return _Info(need=_all(needs))


def _branch(branches: Sequence[_Info]) -> _Info:
    if all(b.exact is not None for b in branches):
        union = frozenset().union(*(b.exact for b in branches if b.exact is not None))
        if len(union) <= _MAX_EXACT:
            return _Info(exact=union)
    return _Info(need=_any([_as_need(b) for b in branches]))


def _class(items: Sequence[tuple[Any, Any]], ignorecase: bool) -> _Info:
    chars: list[int] = []
    for op, av in items:
        name = op.name
        if name == "LITERAL":
            chars.append(av)
        elif name == "RANGE" and av[1] - av[0] < _MAX_CLASS:
            chars += range(av[0], av[1] + 1)
        else:
            return _UNKNOWN  # NEGATE, categories, wide ranges
        if len(chars) > _MAX_CLASS:
            return _UNKNOWN
    folded = [_literal(c, ignorecase) for c in chars]
    if not folded or any(f is None for f in folded):
        return _UNKNOWN
    return _Info(exact=frozenset(f for f in folded if f is not None))


def _repeat(low: int, high: int, sub: _Info) -> _Info:
    if high == 0:
        return _EMPTY
    if low == 0:
        if high == 1 and sub.exact is not None:
            return _Info(exact=sub.exact | {""})
        return _UNKNOWN
    if low == high and sub.exact is not None and len(sub.exact) ** low <= _MAX_EXACT:
        return _concat([sub] * low)
    # At least one copy occurs, whatever comes around it.
    return _Info(need=_as_need(sub))


def _info(data: Sequence[tuple[Any, Any]], flags: int) -> _Info:
    ignorecase = bool(flags & re.IGNORECASE)
    items: list[_Info] = []
    text: list[str] = []  # a run of literal characters, folded
    for op, av in data:
        name = op.name
        if name == "LITERAL":
            folded = _literal(av, ignorecase)
            if folded is not None:
                text.append(folded)
                continue
        if text:
            items.append(_Info(exact=frozenset({"".join(text)})))
            text = []
        if name == "LITERAL":
            items.append(_UNKNOWN)  # a letter whose cases fold apart
        elif name in ("NOT_LITERAL", "ANY", "CATEGORY", "GROUPREF"):
            items.append(_UNKNOWN)
        elif name == "IN":
            items.append(_class(av, ignorecase))
        elif name == "BRANCH":
            items.append(_branch([_info(branch.data, flags) for branch in av[1]]))
        elif name == "SUBPATTERN":
            _group, add, remove, sub = av
            items.append(_info(sub.data, (flags | add) & ~remove))
        elif name == "ATOMIC_GROUP":
            items.append(_info(av.data, flags))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = av
            items.append(_repeat(low, high, _info(sub.data, flags)))
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            items.append(_EMPTY)  # zero-width: the literals around it are adjacent
        elif name == "GROUPREF_EXISTS":
            _group, yes, no = av
            items.append(_branch([_info(yes.data, flags), _info(no.data, flags) if no is not None else _EMPTY]))
        else:
            raise Unsupported(f"construct {name}")
    if text:
        items.append(_Info(exact=frozenset({"".join(text)})))
    return _concat(items)


def _atoms(pattern: str, site_names: tuple[str, ...]) -> Atoms:
    try:
        data, flags = parse_pattern(bind_site_names(pattern, site_names))
        return _as_need(_info(data, flags))
    except (Unsupported, RecursionError):
        return None


# A memo of the pure function ``_atoms`` (as functools.cache would keep), which the rules
# cache can also fill: the analysis costs ~1 ms a pattern, more than loading the rules.
_MEMO: dict[tuple[str, tuple[str, ...]], Atoms] = {}
_MEMO_LIMIT = 8192


def remember(entries: Iterable[tuple[str, tuple[str, ...], Atoms]]) -> None:
    """Take ``(pattern, names, atoms)`` results of :func:`analyse` computed earlier."""
    for pattern, names, atoms in entries:
        if len(_MEMO) < _MEMO_LIMIT:
            _MEMO[pattern, names] = atoms


def analyse(patterns: Iterable[tuple[str, Sequence[str]]]) -> list[tuple[str, tuple[str, ...], Atoms]]:
    """``(pattern, names, atoms)`` for each ``(pattern, site_names)``, to be :func:`remember`-ed."""
    out = []
    for pattern, site_names in patterns:
        names = _names_key(pattern, site_names)
        out.append((pattern, names, required_literals(pattern, names)))
    return out


def _names_key(pattern: str, site_names: Sequence[str]) -> tuple[str, ...]:
    # The names only matter to patterns that use them; an empty list is bound as kinds binds it.
    if SITE_NAMES_LIST not in pattern:
        return ()
    return tuple(site_names) or (NO_SITE_NAMES,)


def required_literals(pattern: str, site_names: Sequence[str] = ()) -> Atoms:
    """What the folded text of any match of ``pattern`` contains (see ``Req``), or None.

    >>> required_literals(r"(?i)read (?:also|more).*")
    ('lit', ('read also', 'read more'))
    >>> describe(required_literals(r"(?i)(?:sign up|buy)\\s+(?:now|today)"))
    '(buy|sign up) & (now|today)'
    >>> required_literals(r"[\\W_]+") is None
    True
    """
    key = (pattern, _names_key(pattern, site_names))
    if key in _MEMO:
        return _MEMO[key]
    atoms = _atoms(*key)
    remember([(*key, atoms)])
    return atoms


def may_match(atoms: Atoms, folded: str) -> bool:
    """Whether a text whose :func:`fold` is ``folded`` can hold a match (False: provably not)."""
    if atoms is None:
        return True
    kind, parts = atoms
    if kind == "lit":
        return any(atom in folded for atom in parts)
    if kind == "and":
        return all(may_match(part, folded) for part in parts)
    return any(may_match(part, folded) for part in parts)


def describe(atoms: Atoms) -> str:
    """A requirement as text: ``a|b`` one of, ``x & y`` both, ``x / y`` either."""
    if atoms is None:
        return "*"
    kind, parts = atoms
    if kind == "lit":
        return "|".join(parts)
    inner = [describe(p) if p[0] == "lit" and len(p[1]) == 1 else f"({describe(p)})" for p in parts]
    return (" & " if kind == "and" else " / ").join(inner)


def check(value: object, depth: int = 0) -> Atoms:
    """``value`` as a requirement if it is one (read back from JSON lists), else ValueError."""
    if value is None:
        return None
    if depth > 100 or not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ValueError("not a requirement")
    kind, parts = value
    if not isinstance(parts, (list, tuple)) or not parts:
        raise ValueError("not a requirement")
    if kind == "lit" and all(isinstance(p, str) and p for p in parts):
        return ("lit", tuple(parts))
    if kind in ("and", "or"):
        checked = tuple(check(p, depth + 1) for p in parts)
        if all(c is not None for c in checked):
            return (kind, checked)
    raise ValueError("not a requirement")
