"""Frozen values that flow through the cleaner: rules, removals, results, configuration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["tail", "head", "block", "line", "run", "span", "repeat"]
Status = Literal["stable", "preview"]
Severity = Literal["error", "warning"]

# The fixed order in which kinds run; later stages only see what earlier ones kept.
# ``run`` (shape-based lists, cleaner/kinds/run.py) comes after ``line`` so that prompts and
# labels line rules removed no longer break a related-links list or hide the document's end.
STAGE_ORDER: tuple[Kind, ...] = ("tail", "head", "block", "line", "run", "span", "repeat")


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a rule file or an input, located as ``path:line:col``."""

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = "error"

    def format(self) -> str:
        """Render as ``path:line:col: CODE message`` with the hint indented below."""
        head = f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"
        return f"{head}\n  hint: {self.hint}" if self.hint else head


@dataclass(frozen=True, slots=True)
class Case:
    """A whole-document example: cleaning ``input`` with the rule alone gives ``output``."""

    input: str
    output: str


@dataclass(frozen=True, slots=True)
class Examples:
    """The evidence a rule carries: lines it must match, real prose it must leave alone."""

    match: tuple[str, ...] = ()
    no_match: tuple[str, ...] = ()
    cases: tuple[Case, ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    """A validated rule as written in YAML; compiled into a matcher by :mod:`cleaner.kinds`.

    ``options`` holds the kind-specific keys (``max_chars``, ``where``, ``min_position``...)
    after validation, as an immutable tuple of pairs.
    """

    id: str
    pack: str
    kind: Kind
    summary: str
    pattern: str | None
    options: tuple[tuple[str, object], ...] = ()
    examples: Examples = Examples()
    status: Status = "stable"
    source: str = ""
    line: int = 0
    # The rule's longer explanation (YAML ``description``), shown in the rule docs.
    description: str = ""

    @property
    def qualified_id(self) -> str:
        """``pack/id``, the name every removal carries."""
        return f"{self.pack}/{self.id}"

    def option(self, name: str, default: object = None) -> object:
        """Return a kind-specific option, or ``default`` when the rule does not set it."""
        for key, value in self.options:
            if key == name:
                return value
        return default


@dataclass(frozen=True, slots=True)
class SitePack:
    """A site's header: how to recognise it and which common rules it turns off."""

    site: str
    aliases: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    detect: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    source: str = ""

    @property
    def hosts(self) -> tuple[str, ...]:
        """Every host this pack answers for: the site itself and its aliases."""
        return (self.site, *self.aliases)


@dataclass(frozen=True, slots=True)
class Removal:
    """One deletion: lines ``start..end`` (0-based, end exclusive) of the normalised text.

    A span removal (``columns`` set) deletes ``columns[0]:columns[1]`` inside line ``start``
    only, and then ``end == start + 1``.
    """

    rule: str
    start: int
    end: int
    text: str
    columns: tuple[int, int] | None = None
    # For a removal by weighed evidence (rule ``evidence``): the signals that fired, with their
    # weights, largest first, and the score (bias + weights) that reached the threshold.
    evidence: tuple[tuple[str, float], ...] = ()
    score: float | None = None

    @property
    def why(self) -> str:
        """For an evidence removal, its score and the signals that fired; "" for a rule's.

        >>> Removal("evidence", 0, 1, "Evan Vucci/AP", (("signals/photo-credit", 2.7),), 1.9).why
        'score 1.9: signals/photo-credit +2.7'
        """
        if self.score is None:
            return ""
        return f"score {self.score:g}: " + ", ".join(f"{name} {weight:+g}" for name, weight in self.evidence)

    @property
    def lines(self) -> str:
        """Human line range, 1-based and inclusive: ``"3"`` or ``"3-7"``."""
        first, last = self.start + 1, self.end
        return str(first) if first == last else f"{first}-{last}"


@dataclass(frozen=True, slots=True)
class CleanResult:
    """What cleaning one document produced, and why.

    ``text`` is ``normalized`` minus ``removals`` (see :func:`cleaner.replay`), for every
    result: ``text == replay(normalized, removals)``. When a guard refused the cleaning,
    ``skipped`` says why, ``text == normalized``, ``removals`` is empty and ``refused`` lists
    what would have been removed.
    """

    text: str
    normalized: str
    removals: tuple[Removal, ...]
    site: str | None
    skipped: str | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    # The removals a guard refused to make (empty unless ``skipped``): shown, never applied.
    refused: tuple[Removal, ...] = ()


@dataclass(frozen=True, slots=True)
class Config:
    """Engine settings. The defaults are what the CLI and :func:`cleaner.clean` use."""

    # A cleaning that would remove more than this share of a document's words is refused.
    max_removed_share: float = 0.6
    # Rules with ``status: preview`` only run when asked for.
    preview: bool = False
    # Seconds one regex match may take before the rule is skipped for that document.
    match_timeout: float = 0.5
    normalize: bool = True
    # Skip rules an RE2 set proves cannot match (same output; False runs every rule).
    prefilter: bool = True
    # Weigh the signals (rules/signals/) on the lines the decisive rules keep. Off by default
    # until it meets its speed budget (CHANGELOG); True adds it after the decisive rules.
    evidence: bool = False

