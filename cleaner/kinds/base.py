"""What every rule kind shares: the Matcher protocol and small helpers over a rule's options.

A matcher looks at the document as the previous stage left it and proposes removals; it
never edits the document. The engine unions the proposals of a stage before the next
stage runs, so the result does not depend on the order rules were loaded in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence, Set
from typing import TYPE_CHECKING, ClassVar, Generic, Literal, Protocol, TypeVar

from cleaner.core.model import Kind, Removal, Rule
from cleaner.text.document import DocState

if TYPE_CHECKING:
    import regex

    # A compiled pattern, or a LazyPattern standing in for one. ``regex`` itself is imported
    # where a pattern is compiled: a short run that needs none does not load it (~13 ms).
    Pattern = regex.Pattern[str]


class Matcher(Protocol):
    """What every kind provides to the engine."""

    @property
    def rule(self) -> Rule:
        """The validated rule this matcher was compiled from."""
        ...

    def find(self, doc: DocState, timeout: float, maybe: Set[int] | None = None) -> list[Removal]:
        """Propose removals for ``doc``; may raise TimeoutError from a regex match.

        ``maybe``, when given, holds the indices of the only lines the rule's pattern may
        match (the prefilter's answer): every other line is known not to match it.
        """
        ...

    def matches_line(self, line: str, timeout: float) -> bool:
        """Whether a single line is what this rule catches (for examples and markers)."""
        ...

    @property
    def context_free(self) -> bool:
        """Whether the rule's verdict on a line depends on that line's text alone.

        The engine's later passes then show it only the lines whose text changed.
        """
        ...


# Option, KindSpec and the matchers are plain classes, not dataclasses: every start-up
# imports them, and making a frozen dataclass costs ~1 ms each.
class Option:
    """One kind-specific key: its type, its one default, an extra check on its value, its doc text."""

    __slots__ = ("check", "default", "doc", "required", "type")

    def __init__(
        self,
        type: type | tuple[type, ...],
        default: object = None,
        check: Callable[[object], str | None] | None = None,
        required: bool = False,
        doc: str = "",
    ) -> None:
        self.type = type
        self.default = default
        self.check = check
        self.required = required
        self.doc = doc


Options = Mapping[str, Option]
# Which lines a kind's pattern must match for the kind to find anything (the gate facts of
# the candidate selection, cleaner.engine.prefilter): "line", a whole stripped live line of
# the document as it was at the start of the plan; "search", somewhere inside a line; None,
# no such promise (the rules of the kind always run).
Gate = Literal["line", "search"] | None


class KindSpec:
    """Everything about one rule kind that is not its matching code: what the schema, the
    candidate selection and ``cleaner rules docs`` read."""

    __slots__ = ("build", "doc", "gate", "name", "options")

    def __init__(
        self, name: Kind, doc: str, options: Options, gate: Gate, build: Callable[[Rule, Sequence[str]], Matcher]
    ) -> None:
        self.name = name
        self.doc = doc
        self.options = options
        self.gate = gate
        self.build = build


def fraction(value: object) -> str | None:
    """Check: a number between 0 and 1."""
    assert isinstance(value, (int, float))
    return None if 0.0 <= float(value) <= 1.0 else "must be between 0 and 1"


def positive(value: object) -> str | None:
    """Check: an integer of 1 or more."""
    assert isinstance(value, int)
    return None if value >= 1 else "must be 1 or more"


def non_negative(value: object) -> str | None:
    """Check: an integer of 0 or more."""
    assert isinstance(value, int)
    return None if value >= 0 else "must be 0 or more"


def choice(*allowed: str) -> Callable[[object], str | None]:
    """Check: one of ``allowed``."""

    def check(value: object) -> str | None:
        return None if value in allowed else f"must be one of: {', '.join(allowed)}"

    check.__dict__["allowed"] = allowed  # read by the JSON Schema (cleaner.rules.schema.json_schema)
    return check


def pattern_option(doc: str, *, required: bool = True) -> Option:
    """A pattern key (validated and compiled by the schema)."""
    return Option(str, None, None, required, doc)


def max_chars_option(default: int, doc: str = "never touches a line longer than this") -> Option:
    """The length guard most kinds have."""
    return Option(int, default, positive, doc=doc)


def range_removal(rule: Rule, doc: DocState, start: int, end: int) -> Removal:
    """The removal of lines ``start..end`` of ``doc`` by ``rule``."""
    return Removal(rule.qualified_id, start, end, "\n".join(doc.lines[start:end]))


def opt(rule: Rule, options: Options, name: str) -> object:
    """The rule's option ``name``, or its kind's one default for it."""
    return rule.option(name, options[name].default)


def opt_int(rule: Rule, options: Options, name: str) -> int | None:
    """The rule's integer option ``name`` (else its kind's default), or None."""
    value = opt(rule, options, name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def int_setting(rule: Rule, options: Options, name: str) -> int:
    """The rule's integer option ``name``, else its kind's default (an integer)."""
    value = opt_int(rule, options, name)
    if value is not None:
        return value
    default = options[name].default
    assert isinstance(default, int), name
    return default


def opt_float(rule: Rule, options: Options, name: str) -> float:
    """The rule's numeric option ``name`` as a float (else its kind's default)."""
    value = opt(rule, options, name)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    default = options[name].default
    assert isinstance(default, (int, float)), name
    return float(default)


def matches_stripped_line(rule: Rule, options: Options, pattern: Pattern, line: str, timeout: float) -> bool:
    """Whether ``pattern`` fully matches the stripped ``line``, within the rule's ``max_chars``.

    The line test of ``line`` rules and of the markers of ``tail``, ``head`` and ``block``.
    """
    line = line.strip()
    max_chars = opt_int(rule, options, "max_chars")
    if not line or (max_chars and len(line) > max_chars):
        return False
    return pattern.fullmatch(line, timeout=timeout) is not None


# The pattern a matcher holds: ``Pattern``, or ``Pattern | None`` for kinds whose pattern is optional.
P = TypeVar("P")


class RuleMatcher(Generic[P]):
    """What a matcher holds: its rule and its (lazily compiled) pattern; never changed once made.

    A plain slotted class, not a frozen dataclass: seven of those would cost every start-up
    several milliseconds.
    """

    __slots__ = ("regex", "rule")

    def __init__(self, rule: Rule, regex: P) -> None:
        self.rule = rule
        self.regex = regex

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.rule.qualified_id!r})"


class MarkerMatcher(RuleMatcher["Pattern"]):
    """A kind that acts around a marker line its pattern fully matches (``tail``, ``head``, ``block``)."""

    __slots__ = ()
    # Positions, windows or other lines decide its verdict: every pass shows it every line.
    context_free = False
    # The kind's options (its spec's), set by each subclass.
    OPTIONS: ClassVar[Options] = {}

    def matches_line(self, line: str, timeout: float) -> bool:
        return matches_stripped_line(self.rule, self.OPTIONS, self.regex, line, timeout)
