"""One small hierarchy of errors, each message naming what went wrong and what to do."""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.core.model import Diagnostic

DISTRIBUTION = "residue-cleaner"
"""The name on the package index (``cleaner`` there is an unrelated project); the import
package and the command stay ``cleaner``."""


def install_hint(extra: str) -> str:
    """The command that installs an optional extra.

    >>> install_hint("html")
    "pip install 'residue-cleaner[html]'"
    """
    return f"pip install '{DISTRIBUTION}[{extra}]'"


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


class MissingExtraError(CleanerError):
    """An optional dependency is not installed; the message names the extra that brings it."""
