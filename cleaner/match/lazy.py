"""A ``regex`` pattern compiled on first use, so rules a run never needs cost nothing.

Compiling the built-in rules' patterns takes ~60 ms, most of a one-off ``cleaner clean``'s
budget, while a short document needs few of them (see :mod:`cleaner.match.literals`).

Until it is compiled, a lazy pattern also refutes calls cheaply: a text whose folded form
holds none of the pattern's required literals cannot match (the same sound reasoning as the
document gate), so ``fullmatch``/``search``/``finditer`` on such a line answer without
compiling. Once compiled, the compiled pattern's own methods are bound on the instance, so
the steady state costs one attribute look-up, as a plain pattern does.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from cleaner.match import literals
from cleaner.match.sitenames import NO_SITE_NAMES, SITE_NAMES_LIST

if TYPE_CHECKING:
    import regex

    # A compiled pattern, or a LazyPattern standing in for one. ``regex`` itself is imported
    # where a pattern is compiled: a short run that needs none does not load it (~13 ms).
    Pattern = regex.Pattern[str]

# After this many calls refuted without compiling, the pattern is in steady use on text
# without its literals: compile, and stop paying for the check.
_GATED_CALLS = 64


class LazyPattern:
    """Stands in for ``regex.compile(source, site_names=...)``: compiled on first real use.

    The match methods the matchers call are defined here; any other attribute (``pattern``,
    ``flags``, ``groupindex``...) is the compiled pattern's. Pickled by recipe.
    """

    def __init__(self, source: str, site_names: tuple[str, ...] | None) -> None:
        self.source = source
        # None: compiled without named lists (the pattern has no \L<...>).
        self.site_names = site_names
        self._compiled: regex.Pattern[str] | None = None
        self._refuted = 0

    def __reduce__(self) -> tuple[object, ...]:
        return (LazyPattern, (self.source, self.site_names))

    def __repr__(self) -> str:
        state = "compiled" if self._compiled is not None else "not compiled"
        return f"LazyPattern({self.source!r}, {state})"

    def compiled(self) -> regex.Pattern[str]:
        """The compiled pattern (compiling it now if needed)."""
        compiled = self._compiled
        if compiled is None:
            # Imported with the first compile: a run that compiles nothing does not load regex.
            import regex

            if self.site_names is None:
                compiled = regex.compile(self.source)
            else:
                compiled = regex.compile(self.source, site_names=list(self.site_names))
            # Bound methods on the instance shadow the class's: later calls go straight to C.
            self.fullmatch = compiled.fullmatch  # type: ignore[method-assign]
            self.search = compiled.search  # type: ignore[method-assign]
            self.match = compiled.match  # type: ignore[method-assign]
            self.finditer = compiled.finditer  # type: ignore[method-assign]
            self._compiled = compiled
        return compiled

    def _refutes(self, string: object, options: dict[str, Any]) -> bool:
        """Whether ``string`` provably holds no match (only asked before compiling)."""
        # A partial match may stop before the required literals.
        if not isinstance(string, str) or self._refuted >= _GATED_CALLS or options.get("partial"):
            return False
        atoms = literals.required_literals(self.source, self.site_names or ())
        if atoms is None or literals.may_match(atoms, literals.fold(string)):
            return False
        self._refuted += 1
        return True

    def fullmatch(self, string: str, *args: Any, **kwargs: Any) -> regex.Match[str] | None:
        if self._refutes(string, kwargs):
            return None
        return self.compiled().fullmatch(string, *args, **kwargs)

    def search(self, string: str, *args: Any, **kwargs: Any) -> regex.Match[str] | None:
        if self._refutes(string, kwargs):
            return None
        return self.compiled().search(string, *args, **kwargs)

    def match(self, string: str, *args: Any, **kwargs: Any) -> regex.Match[str] | None:
        if self._refutes(string, kwargs):
            return None
        return self.compiled().match(string, *args, **kwargs)

    def finditer(self, string: str, *args: Any, **kwargs: Any) -> Iterator[regex.Match[str]]:
        if self._refutes(string, kwargs):
            return iter(())
        return self.compiled().finditer(string, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        # Only reached for attributes not set above: pattern, flags, groups, sub, split...
        # Private names are never the pattern's (and asking compiled() for them could loop).
        if name.startswith("_") or name in ("source", "site_names"):
            raise AttributeError(name)
        return getattr(self.compiled(), name)


def compile_pattern(pattern: str, site_names: Sequence[str], *, lazy: bool = False) -> Pattern:
    """Compile, binding ``\\L<site_names>`` to the display names of the known site packs.

    ``lazy``: compile on first use instead (a :class:`LazyPattern`).
    """
    # An empty named list would match the empty string; a name nobody writes stands in.
    names = None if SITE_NAMES_LIST not in pattern else tuple(site_names) or (NO_SITE_NAMES,)
    lazy_pattern = LazyPattern(pattern, names)
    return cast("Pattern", lazy_pattern if lazy else lazy_pattern.compiled())
