"""One small hierarchy of errors, each message naming what went wrong and what to do."""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.core.model import Diagnostic


class CleanerError(Exception):
    """Base of every error this package raises on purpose."""


class RuleError(CleanerError):
    """Rule files that cannot be used; ``diagnostics`` locates every problem."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        errors = [d for d in self.diagnostics if d.severity == "error"]
        lines = "\n".join(d.format() for d in errors)
        super().__init__(f"{len(errors)} error(s) in rule files:\n{lines}")


class InputError(CleanerError):
    """Input the cleaner cannot take as given (bytes, binary data, malformed records)."""


class UnreadableInput(InputError):
    """One input of several that cannot be read or taken (missing, binary, too big).

    The CLI reports it in its place, cleans the other inputs and exits 2 at the end.
    """


class ConfigError(CleanerError):
    """A setting or option with a value that makes no sense."""


class OutputError(CleanerError):
    """Output that cannot be written (no such folder, disk full, a worker process died)."""
