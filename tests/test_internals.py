"""Private internals the package reads, at the versions pinned in pyproject.toml (issue 16, item 5).

``re._parser``/``re._constants`` (pattern analysis for the RE2 prefilter and the literal gate),
``regex._regex.get_all_cases`` (case folding), ftfy's ``BADNESS_RE`` and ``CONTROL_CHARS`` and
the sources hashed into ``cleaner/text/ftfy_trigger.py`` (the gated repair). A new Python, regex or
ftfy can change any of them without notice; these tests fail loudly there, with what to check,
instead of letting the prefilter or the repair gate go silently wrong.
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import version

import pytest
from packaging.requirements import Requirement

from tests.conftest import ROOT

KNOWN_PYTHONS = {(3, 11), (3, 12), (3, 13)}  # re._parser as read here; CI runs 3.11


def _pins() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {(r := Requirement(dep)).name: r for dep in project["dependencies"]}


def test_python_is_one_whose_re_parser_is_known() -> None:
    assert sys.version_info[:2] in KNOWN_PYTHONS, (
        f"Python {sys.version_info[:2]}: cleaner.match (re2, literals) reads re._parser and "
        "re._constants; run the prefilter and literal-gate tests on it, then add it to KNOWN_PYTHONS and the "
        "classifiers in pyproject.toml"
    )


@pytest.mark.parametrize("name", ["regex", "ftfy"])
def test_installed_version_is_in_the_pinned_range(name: str) -> None:
    pin = _pins()[name]
    assert pin.specifier, f"{name} reads private internals: pin a tested range in pyproject.toml"
    assert pin.specifier.contains(version(name)), f"{name} {version(name)} is outside the tested {pin.specifier}"
    assert any(spec.operator == "<" for spec in pin.specifier), f"{name}: the range needs an upper bound"


def test_re_parser_gives_the_tree_the_translation_reads() -> None:
    import re._constants as constants  # type: ignore[import-not-found]
    import re._parser as parser  # type: ignore[import-not-found]

    tree = list(parser.parse("a|b+"))
    assert [str(op) for op, _ in tree] == ["BRANCH"]
    repeat = list(parser.parse("b+"))
    assert [str(op) for op, _ in repeat] == ["MAX_REPEAT"] and repeat[0][1][1] == constants.MAXREPEAT


def test_regex_case_folding_internal() -> None:
    import regex
    from regex import _regex

    cases = _regex.get_all_cases(regex.IGNORECASE | regex.UNICODE, ord("k"))
    assert 0x212A in cases and ord("K") in cases  # the Kelvin sign folds to k


def test_ftfy_internals_the_repair_gate_reads() -> None:
    from ftfy.badness import BADNESS_RE
    from ftfy.chardata import CONTROL_CHARS

    assert isinstance(BADNESS_RE, re.Pattern)
    assert all(isinstance(code, int) for code in CONTROL_CHARS)
    assert 0x7F in CONTROL_CHARS or 0x80 in CONTROL_CHARS
