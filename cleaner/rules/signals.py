"""Signal files (``signals/<id>.yaml``) and the evidence model file (``evidence.yaml``).

A signal is one small test of a line with a weight::

    id: ad-label
    family: ads
    summary: An advertising label on a line of its own
    pattern: '(?i)^\\W*(?:advertisement|sponsored)\\W*$'   # searched in the stripped line
    max_words: 12                  # optional guards: min_words, max_words, zone: head|tail
    weight: 2.33                   # fitted (cleaner.bench.fit); hand values are overwritten
    examples:
      match: ['ADVERTISEMENT']
      no_match: ['The advertisement ran for a week.']

or, instead of ``pattern``, ``test: <fact>`` naming a built-in fact
(:data:`cleaner.text.linefacts.FACTS`). ``evidence.yaml`` holds the bias, the threshold and
how they were fitted. A rule directory may hold both; signals from every directory add up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cleaner.core.diagnostics import E101, E103, E104, E105, E107, E109, E110, Code, diagnostic
from cleaner.core.errors import RuleError
from cleaner.core.model import Diagnostic
from cleaner.rules.yamlsource import YMap, load_yaml
from cleaner.text.linefacts import FACTS, word_count

# The residue families of the labelling guide (../shared/corpora/news-crawl/LABELLING.md); a
# signal of a built-in fact belongs to one of the fact families instead.
LABEL_FAMILIES = frozenset(
    {
        "related", "share", "social_follow", "newsletter", "donation", "ads", "promo", "comments", "copyright",
        "source_link", "media", "nav", "section_label", "metadata", "author_bio", "markup", "other",
    }
)
FAMILIES = LABEL_FAMILIES | {"shape", "position", "neighbour", "repetition"}
_SIGNAL_KEYS = frozenset(
    {
        "id",
        "family",
        "summary",
        "description",
        "pattern",
        "test",
        "min_words",
        "max_words",
        "zone",
        "weight",
        "examples",
    }
)
_MODEL_KEYS = frozenset({"bias", "threshold", "fitted"})


@dataclass(frozen=True, slots=True)
class Signal:
    """One weighed test of a line; ``pattern`` xor ``test``."""

    id: str
    family: str
    summary: str
    weight: float
    pattern: str | None = None
    test: str | None = None
    min_words: int | None = None
    max_words: int | None = None
    zone: str | None = None
    match_examples: tuple[str, ...] = ()
    no_match_examples: tuple[str, ...] = ()
    description: str = ""
    source: str = ""

    @property
    def qualified_id(self) -> str:
        """``signals/<id>``, the name explanations carry."""
        return f"signals/{self.id}"

    def fits(self, words: int) -> bool:
        """A line of ``words`` words (:func:`cleaner.text.linefacts.word_count`) is within the word guards."""
        return (self.min_words is None or words >= self.min_words) and (
            self.max_words is None or words <= self.max_words
        )


@dataclass(frozen=True, slots=True)
class EvidenceModel:
    """The signals, the bias every line starts from, and the threshold a line must reach."""

    signals: tuple[Signal, ...]
    bias: float
    threshold: float


def _problem(code: Code, path: str, data: object, key: str | None, message: str, hint: str) -> Diagnostic:
    pos = None
    if isinstance(data, YMap):
        pos = data.key_pos.get(key) if key else None
        pos = pos or data.pos
    return diagnostic(code, path, pos.line if pos else 1, pos.col if pos else 1, message, hint)


def _number(path: str, data: YMap, key: str, problems: list[Diagnostic]) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append(
            _problem(E104, path, data, key, f"{key!r} must be a number, got {value!r}", f"write {key}: 1.5")
        )
        return 0.0
    return float(value)


def _optional_int(path: str, data: YMap, key: str, problems: list[Diagnostic]) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problems.append(_problem(E104, path, data, key, f"{key!r} must be a whole number >= 0", f"write {key}: 12"))
        return None
    return value


def _strings(path: str, data: YMap, key: str, problems: list[Diagnostic]) -> tuple[str, ...]:
    examples = data.get("examples") or {}
    if not isinstance(examples, Mapping):
        problems.append(
            _problem(E104, path, data, "examples", "'examples' must be a mapping", "examples: {match: [...]}")
        )
        return ()
    items = examples.get(key) or []
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        problems.append(_problem(E104, path, data, "examples", f"examples.{key} must be a list of strings", ""))
        return ()
    return tuple(items)


def parse_signal(path: Path, text: str) -> tuple[Signal | None, list[Diagnostic]]:
    """One signal file, validated; the signal (None on error) and what was wrong."""
    where = str(path)
    data, problems = load_yaml(text, where)
    if data is None:
        return None, problems
    if not isinstance(data, YMap):
        return None, [
            *problems,
            _problem(E104, where, data, None, "a signal file holds one mapping", "see rules/signals/"),
        ]
    for key in data:
        if key not in _SIGNAL_KEYS:
            problems.append(
                _problem(
                    E101, where, data, key, f"unknown key {key!r}", f"signal keys: {', '.join(sorted(_SIGNAL_KEYS))}"
                )
            )
    ident = data.get("id")
    if not isinstance(ident, str) or ident != path.stem:
        problems.append(_problem(E110, where, data, "id", f"id {ident!r} must equal the file name {path.stem!r}", ""))
    family = data.get("family")
    if family not in FAMILIES:
        problems.append(
            _problem(E109, where, data, "family", f"family {family!r} is unknown", ", ".join(sorted(FAMILIES)))
        )
    pattern, test = data.get("pattern"), data.get("test")
    if (pattern is None) == (test is None):
        problems.append(
            _problem(E103, where, data, None, "a signal has either 'pattern' or 'test'", "write one of them")
        )
    if pattern is not None and (not isinstance(pattern, str) or not pattern):
        problems.append(_problem(E104, where, data, "pattern", "'pattern' must be a non-empty string", "single quotes"))
    if test is not None and test not in FACTS:
        problems.append(_problem(E109, where, data, "test", f"unknown test {test!r}", ", ".join(sorted(FACTS))))
    zone = data.get("zone")
    if zone not in (None, "head", "tail"):
        problems.append(_problem(E109, where, data, "zone", f"zone {zone!r} must be head or tail", ""))
    weight = _number(where, data, "weight", problems)
    signal = Signal(
        id=str(ident),
        family=str(family),
        summary=str(data.get("summary") or ""),
        weight=weight,
        pattern=pattern if isinstance(pattern, str) else None,
        test=test if isinstance(test, str) else None,
        min_words=_optional_int(where, data, "min_words", problems),
        max_words=_optional_int(where, data, "max_words", problems),
        zone=zone if isinstance(zone, str) else None,
        match_examples=_strings(where, data, "match", problems),
        no_match_examples=_strings(where, data, "no_match", problems),
        description=str(data.get("description") or ""),
        source=where,
    )
    if signal.pattern is not None and not problems:
        try:
            import regex  # here: loading signals is rare, cleaning reads them from the model

            regex.compile(signal.pattern)
        except regex.error as error:
            problems.append(
                _problem(E105, where, data, "pattern", f"pattern does not compile: {error}", "fix the regex")
            )
    return (None if problems else signal), problems


def parse_model(path: Path, text: str) -> tuple[tuple[float, float] | None, list[Diagnostic]]:
    """``evidence.yaml``: (bias, threshold), or None with what was wrong."""
    where = str(path)
    data, problems = load_yaml(text, where)
    if not isinstance(data, YMap):
        return None, [
            *problems,
            _problem(E104, where, data, None, "evidence.yaml holds one mapping", "bias, threshold"),
        ]
    for key in data:
        if key not in _MODEL_KEYS:
            problems.append(_problem(E101, where, data, key, f"unknown key {key!r}", "keys: bias, threshold, fitted"))
    bias = _number(where, data, "bias", problems)
    threshold = _number(where, data, "threshold", problems)
    return (None if problems else (bias, threshold)), problems


def load_evidence(directories: Sequence[Path]) -> EvidenceModel | None:
    """The evidence model of ``directories`` (later ones add signals, and may reset the bias
    and threshold); None when none of them holds an ``evidence.yaml``. Raises RuleError."""
    signals: dict[str, Signal] = {}
    model: tuple[float, float] | None = None
    problems: list[Diagnostic] = []
    for directory in directories:
        model_file = directory / "evidence.yaml"
        if model_file.is_file():
            parsed, found = parse_model(model_file, model_file.read_text(encoding="utf-8"))
            problems += found
            model = parsed or model
        for path in sorted((directory / "signals").glob("*.yaml")):
            signal, found = parse_signal(path, path.read_text(encoding="utf-8"))
            problems += found
            if signal is None:
                continue
            if signal.id in signals:
                problems.append(
                    diagnostic(
                        E107,
                        str(path),
                        1,
                        1,
                        f"signal {signal.id!r} is defined twice",
                        f"first in {signals[signal.id].source}; rename one",
                    )
                )
            signals[signal.id] = signal
    if problems:
        raise RuleError(problems)
    if model is None:
        return None
    return EvidenceModel(tuple(signals[k] for k in sorted(signals)), *model)


def example_failures(model: EvidenceModel) -> list[tuple[Signal, str, str]]:
    """The examples of pattern signals that do not behave: (signal, "match" or "no_match",
    the example). A match example must be found by the pattern within the word guards; a
    no_match example must not be (zones depend on a document, so they are not applied)."""
    import regex  # here: only `cleaner rules test` and the tests ask

    failures: list[tuple[Signal, str, str]] = []
    for signal in model.signals:
        if signal.pattern is None:
            continue
        pattern = regex.compile(signal.pattern)

        def fires(line: str, signal: Signal = signal, pattern: regex.Pattern[str] = pattern) -> bool:
            return signal.fits(word_count(line)) and pattern.search(line) is not None

        failures += [(signal, "match", line) for line in signal.match_examples if not fires(line)]
        failures += [(signal, "no_match", line) for line in signal.no_match_examples if fires(line)]
    return failures
