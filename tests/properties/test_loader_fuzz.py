"""Fuzz the rule loader: malformed YAML gives located diagnostics, never an exception.

Inputs are random mutations of the real rule files, random YAML structures built from the
schema's own keys, and raw text. Every input goes through the whole path a rule file takes:
``load_yaml`` -> ``parse_common_file`` / ``parse_site_file`` -> (when valid) compilation
into a RuleSet and one cleaning run; a sample also goes through ``load_dirs`` on disk.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import regex
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, RuleSet
from cleaner.core.model import Diagnostic
from cleaner.rules.loader import LoadedRules, builtin_rules_dir, load_dirs
from cleaner.rules.schema import COMMON_KEYS, EXAMPLE_KEYS, KIND_OPTIONS, PACK_KEYS, parse_common_file, parse_site_file
from cleaner.rules.yamlsource import load_yaml

RULE_FILES = sorted(builtin_rules_dir().glob("*/*.yaml"))
TEXTS = {path: path.read_text(encoding="utf-8") for path in RULE_FILES}
KNOWN = {path.stem for path in RULE_FILES if path.parent.name == "common"}
CODE = regex.compile(r"[EW]\d{3}")
SAMPLE = "Politics\n\nA title - Times of India\n\nBody text.\n\nREAD ALSO: other\n\nSupport us\n\nSource link"
YAML_NOISE = ":-'\"[]{}&*!|>#%@`,? \t\n\\" + "abz09é\x00\x85\ufeff"


@st.composite
def mutated_rule_files(draw: st.DrawFn) -> tuple[Path, str]:
    """A real rule file with a few random edits: deletions, insertions, duplicated or swapped lines."""
    path = draw(st.sampled_from(RULE_FILES))
    text = TEXTS[path]
    for _ in range(draw(st.integers(1, 4))):
        edit = draw(st.sampled_from(["delete", "insert", "duplicate", "swap", "indent"]))
        lines = text.split("\n")
        if edit == "delete" and text:
            start = draw(st.integers(0, len(text) - 1))
            text = text[:start] + text[start + draw(st.integers(1, 40)) :]
        elif edit == "insert":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.text(st.sampled_from(YAML_NOISE), min_size=1, max_size=8)) + text[at:]
        elif edit == "duplicate":
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        elif edit == "swap" and len(lines) > 1:
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif edit == "indent":
            i = draw(st.integers(0, len(lines) - 1))
            lines[i] = draw(st.sampled_from(["", " ", "  ", "\t", "    "])) + lines[i].lstrip()
            text = "\n".join(lines)
    return path, text


OPTION_KEYS = {key for options in KIND_OPTIONS.values() for key in options}
KEYS = sorted(COMMON_KEYS | PACK_KEYS | EXAMPLE_KEYS | OPTION_KEYS | {"input", "output"})
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True),
    st.sampled_from(["line", "span", "tail", "head", "block", "repeat", "title", "first", "any", "stable", "x"]),
    st.sampled_from([r"(?i)read also\s*:.*", "(unclosed", "", "x*", "(?:a|aa)+$", r"\L<site_names>", "a{2,1}"]),
    st.text(max_size=30),
)
structures = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), children, max_size=8),
    ),
    max_leaves=30,
)


@st.composite
def random_yaml(draw: st.DrawFn) -> tuple[Path, str]:
    """A random structure in YAML, filed as a common rule or a site pack."""
    value = draw(structures)
    style = draw(st.sampled_from([None, False, True]))
    text = yaml.safe_dump(value, default_flow_style=style, allow_unicode=draw(st.booleans()))
    return Path(draw(st.sampled_from(["common/x.yaml", "sites/example.com.yaml"]))), text


raw_text = st.tuples(st.sampled_from([Path("common/x.yaml"), Path("sites/example.com.yaml")]), st.text(max_size=400))
inputs = st.one_of(mutated_rule_files(), random_yaml(), raw_text)


def check(diagnostics: list[Diagnostic], path: str) -> None:
    for diag in diagnostics:
        assert diag.path == path
        assert diag.line >= 1 and diag.col >= 1
        assert CODE.fullmatch(diag.code), diag
        assert diag.message and "Traceback" not in diag.message


@given(inputs)
def test_loader_gives_diagnostics_not_exceptions(case: tuple[Path, str]) -> None:
    path, text = case
    value, found = load_yaml(text, str(path))
    check(found, str(path))
    if value is None:
        assert any(d.severity == "error" for d in found)
        return
    if path.parent.name == "common":
        rule, more = parse_common_file(value, path)
        rules = [rule] if rule else []
        packs = []
    else:
        pack, rules, more = parse_site_file(value, path, KNOWN)
        packs = [pack] if pack else []
    check(more, str(path))
    if any(d.severity == "error" for d in found + more):
        return
    # A file the loader accepts compiles and runs.
    common = tuple(r for r in rules if r.pack == "common")
    site_rules = tuple(r for r in rules if r.pack != "common")
    cleaner = Cleaner(RuleSet(LoadedRules(common, tuple(packs), site_rules, ())))
    result = cleaner.clean_and_explain(SAMPLE, site=packs[0].site if packs else None)
    assert result.text is not None


# Each example writes files: a twentieth of the profile's examples (500 in CI).
@settings(max_examples=max(20, settings.default.max_examples // 20))
@given(st.lists(inputs, min_size=1, max_size=3))
def test_load_dirs_on_disk(cases: list[tuple[Path, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for n, (path, text) in enumerate(cases):
            target = root / path.parent.name / (f"{path.stem}.yaml" if n == 0 else f"{path.stem}{n}.yaml")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", errors="surrogatepass")
        loaded = load_dirs([root])
        for diag in loaded.diagnostics:
            assert diag.path.startswith(tmp) and diag.line >= 1 and diag.col >= 1 and CODE.fullmatch(diag.code)
        if not loaded.errors:
            RuleSet(loaded)
