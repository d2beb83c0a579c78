"""The one registry of diagnostic codes: each code has one meaning, one severity and one wording.

A code is a ``str`` (``"E105"``), so a :class:`~cleaner.core.model.Diagnostic` carries it as
before and JSON holds it as text; it also knows its severity and what it means. Every module
that reports a problem names one of the constants below, never a string literal
(tests/core/test_diagnostics.py checks both, and that docs/diagnostics.md lists them all).

Families: ``E`` errors in rule files, ``W`` warnings about rule files, ``T`` time limits and
failed examples, ``B`` benchmark corpora.
"""

from __future__ import annotations

from cleaner.core.model import Diagnostic, Severity


class Code(str):
    """A diagnostic code with its severity and its meaning."""

    severity: Severity
    meaning: str

    def __new__(cls, code: str, severity: Severity, meaning: str) -> Code:
        made = super().__new__(cls, code)
        made.severity = severity
        made.meaning = meaning
        return made


# Rule files: errors (the file, or the rule, is not loaded).
E100 = Code("E100", "error", "the file is not valid YAML")
E101 = Code("E101", "error", "unknown key")
E102 = Code("E102", "error", "duplicate key in one mapping")
E103 = Code("E103", "error", "a required key is missing")
E104 = Code("E104", "error", "a value has the wrong type")
E105 = Code("E105", "error", "invalid regular expression")
E106 = Code("E106", "error", "a pattern matches the empty string")
E107 = Code("E107", "error", "duplicate rule id")
E108 = Code("E108", "error", "unknown rule kind")
E109 = Code("E109", "error", "an option's value is out of its range or not one of its choices")
E110 = Code("E110", "error", "the file name does not match the rule id or the site")
E111 = Code("E111", "error", "a site pack disables a rule that does not exist")
E112 = Code("E112", "error", "YAML anchors and aliases are not allowed")
E113 = Code("E113", "error", "the file is too large")
E114 = Code("E114", "error", "a rule file cannot be read")
E115 = Code("E115", "error", "a rule id is not lower-case words joined by '-'")
E116 = Code("E116", "error", "a rule status is not 'stable' or 'preview'")
E117 = Code("E117", "error", "a site pack's site is not a domain like example.com")
E118 = Code("E118", "error", "the rule file is empty")
E119 = Code("E119", "error", "a rules directory does not exist")
E120 = Code("E120", "error", "a rules directory holds no rule files")
E121 = Code("E121", "error", "the YAML is nested too deeply to read")
# Rule files: warnings (the rule loads).
W201 = Code("W201", "warning", "a pattern holds a backspace character (\"\\b\" in double quotes)")
W202 = Code(
    "W202", "warning",
    "a pattern can backtrack catastrophically (nested quantifiers, or a repeated group with a look-around)",
)
# Cleaning and rule tests.
T001 = Code("T001", "warning", "a rule's pattern timed out on a document and was skipped for it")
T002 = Code("T002", "warning", "a site fingerprint timed out on a document and was skipped for it")
T301 = Code("T301", "error", "a rule's example failed (`cleaner rules test`)")
# Benchmark corpora.
B001 = Code("B001", "error", "a manifest cannot be read")
B002 = Code("B002", "error", "a manifest line is not JSON")
B003 = Code("B003", "error", "a manifest record is invalid")
B004 = Code("B004", "error", "duplicate record id in a manifest")
B005 = Code("B005", "error", "a manifest has no records")
B101 = Code("B101", "error", "a gold file is not a deletion of its input")

CODES: dict[str, Code] = {
    code: value for code, value in sorted(globals().items()) if isinstance(value, Code)
}


def diagnostic(code: Code, path: str, line: int, col: int, message: str, hint: str = "") -> Diagnostic:
    """A diagnostic with ``code``'s own severity."""
    return Diagnostic(path, line, col, code, message, hint, code.severity)


def timeout_warning(code: Code, what: str, timeout: float, hint: str, consequence: str = "") -> Diagnostic:
    """A warning that ``what`` (a pattern) timed out on the document being cleaned and was skipped for it.

    One wording for every such warning (T001 a rule, T002 a site fingerprint). It is located at
    ``<document>:1:1``: the time limit cut a search of the whole document, not of one line.
    """
    message = f"{what} timed out after {timeout}s and was skipped for this document"
    if consequence:
        message += f"; {consequence}"
    return diagnostic(code, "<document>", 1, 1, message, hint)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_codes() -> str:
    """The registry as a Markdown table (docs/diagnostics.md)."""
    lines = [
        "# Diagnostic codes",
        "",
        "Generated from `cleaner/core/diagnostics.py`, the one registry; each code has one meaning.",
        "Diagnostics print as `path:line:col: CODE message`, with a hint below.",
        "",
        "| code | severity | meaning |",
        "|---|---|---|",
    ]
    lines += [f"| `{c}` | {c.severity} | {_cell(c.meaning)} |" for c in CODES.values()]
    return "\n".join(lines) + "\n"
