"""Turn parsed YAML into validated rules; every problem becomes a located Diagnostic.

Each kind declares its typed key set (as Vale does for its rule types). A value YAML
retyped behind the author's back (``no`` -> False, ``1e3`` -> float) is a wrong-type
error, never coerced.
"""

from __future__ import annotations

from pathlib import Path

import regex

from cleaner.core.diagnostics import (
    E101,
    E103,
    E104,
    E105,
    E106,
    E107,
    E108,
    E109,
    E110,
    E111,
    E115,
    E116,
    E117,
    W201,
    W202,
)
from cleaner.core.model import Case, Diagnostic, Examples, Rule, SitePack
from cleaner.kinds import KINDS
from cleaner.kinds.base import Option, Options, fraction, non_negative, positive
from cleaner.match.lazy import compile_pattern
from cleaner.rules.yamlsource import Pos, YList, YMap

ID_RE = regex.compile(r"[a-z0-9][a-z0-9-]*")
SITE_RE = regex.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+")
# A group holding an unbounded quantifier, itself repeated without bound: (a+)+, (x*y)*, (a|b+){2,}.
NESTED_QUANTIFIER_RE = regex.compile(r"\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)(?:[+*]|\{\d*,\})")
# A look-around, and a group repeated without bound: together they escape the RE2 prefilter,
# which drops look-arounds (`(?:a|aa)+b(?<!ab)` passes it, then backtracks exponentially).
LOOKAROUND_RE = regex.compile(r"\(\?<?[=!]")
REPEATED_GROUP_RE = regex.compile(r"\)(?:[+*]|\{\d*,\})")


# Each kind's keys, with their types, defaults and checks: the kinds' specs (cleaner.kinds).
KIND_OPTIONS: dict[str, Options] = {spec.name: spec.options for spec in KINDS}
PATTERN_KEYS = ("pattern", "start", "end")
COMMON_KEYS = {"id", "summary", "kind", "status", "description", "examples"}
EXAMPLE_KEYS = {"match", "no_match", "cases"}
PACK_KEYS = {"site", "aliases", "names", "detect", "disable", "rules", "description"}
TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}


def _type_name(expected: type | tuple[type, ...]) -> str:
    if isinstance(expected, tuple):
        return " or ".join(TYPE_NAMES.get(t, t.__name__) for t in expected)
    return TYPE_NAMES.get(expected, expected.__name__)


def _is(value: object, expected: type | tuple[type, ...]) -> bool:
    # bool is an int in Python; YAML's `yes` must not pass for a number.
    if isinstance(value, bool) and expected is not bool:
        return False
    return isinstance(value, expected)


class _Checker:
    """Collects diagnostics for one file while its values are read."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []

    def error(self, pos: Pos, code: str, message: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(self.path, pos.line, pos.col, code, message, hint))

    def warn(self, pos: Pos, code: str, message: str, hint: str = "") -> None:
        self.diagnostics.append(
            Diagnostic(self.path, pos.line, pos.col, code, message, hint, severity="warning")
        )

    def wrong_type(self, pos: Pos, where: str, key: str, value: object, expected: str) -> None:
        retyped = ""
        if isinstance(value, bool):
            retyped = "; YAML reads yes/no/on/off/true/false as booleans"
        self.error(
            pos,
            E104,
            f"{where}: '{key}' must be {expected}, got {_yaml_type(value)} {value!r}",
            f"quote the value ('...'){retyped}",
        )

    def unknown_keys(self, data: YMap, allowed: set[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                near = _closest(key, allowed)
                hint = f"did you mean '{near}'?" if near else f"allowed keys: {', '.join(sorted(allowed))}"
                self.error(data.key_pos[key], E101, f"{where}: unknown key '{key}'", hint)

    def strings(self, data: YMap, key: str, where: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, YList):
            self.wrong_type(data.value_pos[key], where, key, value, "a list of strings")
            return ()
        out = []
        for item, pos in zip(value, value.item_pos, strict=True):
            if isinstance(item, str):
                out.append(item)
            else:
                self.wrong_type(pos, where, key, item, "a list of strings")
        return tuple(out)


def _yaml_type(value: object) -> str:
    """The type as a YAML author knows it (a list, not a YList)."""
    if isinstance(value, YList):
        return "list"
    if isinstance(value, YMap):
        return "mapping"
    return type(value).__name__


def _closest(key: str, allowed: set[str]) -> str | None:
    # Imported here: start-up time: only an unknown key needs a suggestion.
    import difflib

    found = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
    return found[0] if found else None


def check_pattern(
    check: _Checker, pattern: str, pos: Pos, style: str | None, where: str, key: str, kind: str
) -> None:
    """Report a pattern that will not compile, matches nothing useful or may backtrack."""
    if "\b" in pattern and style == '"':
        check.warn(
            pos,
            W201,
            f"{where}: '{key}' holds a backspace character: \"\\b\" in double quotes is not a word boundary",
            "put patterns in single quotes: '\\bword\\b'",
        )
    try:
        compiled = compile_pattern(pattern, ["site name"])
    except regex.error as exc:
        check.error(
            pos,
            E105,
            f"{where}: invalid regex in '{key}': {exc}",
            "fix the pattern; test it with `cleaner rules test`",
        )
        return
    except (TypeError, ValueError, OverflowError) as exc:
        check.error(pos, E105, f"{where}: invalid regex in '{key}': {exc}", "")
        return
    except RecursionError:
        check.error(
            pos, E105, f"{where}: invalid regex in '{key}': groups nested too deeply to compile",
            "flatten the pattern: a rule needs a few levels of groups, not thousands",
        )
        return
    empty = compiled.search("") if kind == "span" else compiled.fullmatch("")
    if empty is not None:
        check.error(
            pos,
            E106,
            f"{where}: '{key}' matches the empty string",
            "a pattern that matches nothing would match everything; make it require text",
        )
    if NESTED_QUANTIFIER_RE.search(pattern):
        check.warn(
            pos,
            W202,
            f"{where}: '{key}' nests quantifiers ({NESTED_QUANTIFIER_RE.search(pattern).group()}),"  # type: ignore[union-attr]
            " which can backtrack catastrophically",
            "rewrite without a repeated group of repeats; matches are time-limited, but slow",
        )
    elif LOOKAROUND_RE.search(pattern) and REPEATED_GROUP_RE.search(pattern):
        check.warn(
            pos,
            W202,
            f"{where}: '{key}' repeats a group and has a look-around, which the RE2 prefilter drops:"
            " lines it lets through can backtrack catastrophically",
            "rewrite without the look-around, or with a group whose repeats cannot overlap;"
            " matches are time-limited, but slow",
        )


def parse_rule(check: _Checker, data: object, pos: Pos, pack: str) -> Rule | None:
    """Validate one rule mapping; return the Rule, or None when it has errors."""
    if not isinstance(data, YMap):
        check.error(pos, E104, f"a rule must be a mapping, got {_yaml_type(data)}", "")
        return None
    before = len([d for d in check.diagnostics if d.severity == "error"])
    rule_id = data.get("id")
    where = f"rule '{rule_id}'" if isinstance(rule_id, str) else "rule"
    for key in ("id", "summary", "kind", "examples"):
        if key not in data:
            check.error(data.pos, E103, f"{where}: missing key '{key}'", _missing_hint(key))
    if "id" in data and not (isinstance(rule_id, str) and ID_RE.fullmatch(rule_id)):
        check.error(
            data.value_pos["id"], E115, f"{where}: id {rule_id!r} is not lower-case words joined by '-'",
            "name the boilerplate it catches, e.g. 'read-also'",
        )
    for key in ("summary", "description"):
        if key in data and not isinstance(data[key], str):
            check.wrong_type(data.value_pos[key], where, key, data[key], "a string")
    status = data.get("status", "stable")
    if status not in ("stable", "preview"):
        check.error(
            data.value_pos.get("status", data.pos),
            E116,
            f"{where}: status must be 'stable' or 'preview'",
            "",
        )
    kind = data.get("kind")
    options: Options = {}
    if "kind" in data:
        if isinstance(kind, str) and kind in KIND_OPTIONS:
            options = KIND_OPTIONS[kind]
        else:
            check.error(
                data.value_pos["kind"], E108, f"{where}: unknown kind {kind!r}",
                f"use one of: {', '.join(KIND_OPTIONS)}",
            )
    check.unknown_keys(data, COMMON_KEYS | set(options) if options else COMMON_KEYS | _ALL_OPTION_KEYS, where)
    values: list[tuple[str, object]] = []
    for key, option in options.items():
        if key not in data:
            if option.required:
                check.error(data.pos, E103, f"{where}: missing key '{key}' for kind '{kind}'", _missing_hint(key))
            elif option.default is not None:
                values.append((key, option.default))
            continue
        value, vpos = data[key], data.value_pos[key]
        if not _is(value, option.type):
            check.wrong_type(vpos, where, key, value, _type_name(option.type))
            continue
        if option.check and (problem := option.check(value)):
            check.error(vpos, E109, f"{where}: '{key}' {problem}, got {value!r}", "")
            continue
        if key in PATTERN_KEYS:
            assert isinstance(value, str)
            check_pattern(check, value, vpos, data.value_style.get(key), where, key, str(kind))
        values.append((key, value))
    examples = _parse_examples(check, data, where, str(kind))
    errors = len([d for d in check.diagnostics if d.severity == "error"])
    if errors > before:
        return None
    assert isinstance(rule_id, str) and isinstance(kind, str)
    summary = data["summary"]
    assert isinstance(summary, str)
    pattern = next((v for k, v in values if k in ("pattern", "start")), None)
    return Rule(
        id=rule_id,
        pack=pack,
        kind=kind,  # type: ignore[arg-type]
        summary=summary,
        pattern=pattern if isinstance(pattern, str) else None,
        options=tuple(values),
        examples=examples,
        status=status,  # type: ignore[arg-type]
        source=check.path,
        line=data.pos.line,
        description=description if isinstance(description := data.get("description", ""), str) else "",
    )


_ALL_OPTION_KEYS = {key for options in KIND_OPTIONS.values() for key in options}


def _missing_hint(key: str) -> str:
    return {
        "id": "add `id: name-of-the-boilerplate`",
        "summary": "add a one-line `summary:` saying what the rule catches",
        "kind": f"add `kind:` one of {', '.join(KIND_OPTIONS)}",
        "examples": "add `examples:` with `match:` residue and `no_match:` real prose",
        "pattern": "add `pattern: '...'` (single quotes)",
        "start": "add `start: '...'`, the line that opens the block",
    }.get(key, "")


def _parse_examples(check: _Checker, data: YMap, where: str, kind: str) -> Examples:
    raw = data.get("examples")
    if raw is None:
        return Examples()
    if not isinstance(raw, YMap):
        check.wrong_type(data.value_pos["examples"], where, "examples", raw, "a mapping with match/no_match")
        return Examples()
    check.unknown_keys(raw, EXAMPLE_KEYS, f"{where} examples")
    match = check.strings(raw, "match", f"{where} examples")
    no_match = check.strings(raw, "no_match", f"{where} examples")
    cases = _parse_cases(check, raw, where)
    if kind == "repeat":
        if not cases:
            check.error(
                raw.pos,
                E103,
                f"{where}: a repeat rule needs examples.cases",
                "add `cases: [{input: ..., output: ...}]`",
            )
    else:
        if not match and not raw.get("match"):
            check.error(raw.pos, E103, f"{where}: missing examples.match", "add residue lines the rule must catch")
        if not no_match and not raw.get("no_match"):
            check.error(
                raw.pos, E103, f"{where}: missing examples.no_match",
                "add real article prose the rule must leave alone",
            )
    return Examples(match, no_match, cases)


def _parse_cases(check: _Checker, raw: YMap, where: str) -> tuple[Case, ...]:
    value = raw.get("cases")
    if value is None:
        return ()
    if not isinstance(value, YList):
        check.wrong_type(raw.value_pos["cases"], where, "cases", value, "a list of {input, output}")
        return ()
    cases = []
    for item, pos in zip(value, value.item_pos, strict=True):
        if not (isinstance(item, YMap) and isinstance(item.get("input"), str) and isinstance(item.get("output"), str)):
            check.error(
                pos,
                E104,
                f"{where}: each case needs string 'input' and 'output'",
                "use a block scalar: `input: |`",
            )
            continue
        check.unknown_keys(item, {"input", "output"}, f"{where} case")
        cases.append(Case(str(item["input"]), str(item["output"])))
    return tuple(cases)


def parse_common_file(data: object, path: Path) -> tuple[Rule | None, list[Diagnostic]]:
    """A file under ``common/``: exactly one rule whose id is the file's stem."""
    check = _Checker(str(path))
    rule = parse_rule(check, data, Pos(1, 1), "common")
    if rule is not None and rule.id != path.stem:
        assert isinstance(data, YMap)
        check.error(
            data.value_pos["id"], E110, f"rule id '{rule.id}' does not match the file name '{path.name}'",
            f"rename the file to {rule.id}.yaml or the id to {path.stem}",
        )
        rule = None
    return rule, check.diagnostics


def parse_site_file(
    data: object, path: Path, known_common: set[str]
) -> tuple[SitePack | None, list[Rule], list[Diagnostic]]:
    """A file under ``sites/``: the pack header and its rules (``disable`` checked against ``known_common``)."""
    check = _Checker(str(path))
    if not isinstance(data, YMap):
        check.error(Pos(1, 1), E104, "a site pack must be a mapping with site: and rules:", "")
        return None, [], check.diagnostics
    check.unknown_keys(data, PACK_KEYS, "site pack")
    site = data.get("site")
    if not isinstance(site, str) or not SITE_RE.fullmatch(site):
        pos = data.value_pos.get("site", data.pos)
        check.error(
            pos,
            E103 if site is None else E117,
            f"site pack: 'site' must be a domain like example.com, got {site!r}",
            "",
        )
        return None, [], check.diagnostics
    if site != path.stem:
        check.error(
            data.value_pos["site"],
            E110,
            f"site '{site}' does not match the file name '{path.name}'",
            f"rename the file to {site}.yaml",
        )
    where = f"site pack '{site}'"
    detect = check.strings(data, "detect", where)
    det = data.get("detect")
    if isinstance(det, YList):
        for pattern, pos, style in zip(det, det.item_pos, det.item_style, strict=True):
            if isinstance(pattern, str):
                check_pattern(check, pattern, pos, style, where, "detect", "span")
    disable = check.strings(data, "disable", where)
    listed = data.get("disable")
    if isinstance(listed, YList):
        for name, pos in zip(listed, listed.item_pos, strict=True):
            if isinstance(name, str) and name.removeprefix("common/") not in known_common:
                near = _closest(name.removeprefix("common/"), known_common)
                check.error(
                    pos, E111, f"{where}: disables unknown rule '{name}'",
                    f"did you mean '{near}'?" if near else "list ids of common rules (`cleaner rules list`)",
                )
    pack = SitePack(
        site=site,
        aliases=check.strings(data, "aliases", where),
        names=check.strings(data, "names", where),
        detect=detect,
        disable=tuple(name.removeprefix("common/") for name in disable),
        source=str(path),
    )
    rules: list[Rule] = []
    raw_rules = data.get("rules")
    items: list[tuple[object, Pos]] = []
    if isinstance(raw_rules, YList):
        items = list(zip(raw_rules, raw_rules.item_pos, strict=True))
    elif raw_rules is not None:
        check.wrong_type(data.value_pos["rules"], where, "rules", raw_rules, "a list of rules")
    seen: dict[str, int] = {}
    for item, pos in items:
        rule = parse_rule(check, item, pos, site)
        if rule is None:
            continue
        if rule.id in seen:
            check.error(
                pos,
                E107,
                f"{where}: duplicate rule id '{rule.id}' (first at line {seen[rule.id]})",
                "give each rule its own id",
            )
            continue
        seen[rule.id] = rule.line
        rules.append(rule)
    return pack, rules, check.diagnostics


_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean"}
_JSON_BOUNDS: dict[object, dict[str, object]] = {
    fraction: {"minimum": 0, "maximum": 1}, positive: {"minimum": 1}, non_negative: {"minimum": 0},
}


def _option_schema(option: Option) -> dict[str, object]:
    types = option.type if isinstance(option.type, tuple) else (option.type,)
    names = sorted({_JSON_TYPES[t] for t in types} - ({"integer"} if float in types else set()))
    schema: dict[str, object] = {"type": names[0] if len(names) == 1 else names}
    allowed = getattr(option.check, "allowed", None)
    if allowed is not None:
        schema["enum"] = list(allowed)
    schema.update(_JSON_BOUNDS.get(option.check, {}))
    if option.default is not None:
        schema["default"] = option.default
    if option.doc:
        schema["description"] = option.doc
    return schema


def json_schema() -> dict[str, object]:
    """A JSON Schema (2020-12) of rule files, common and site packs, from the kinds' typed keys.

    For editors (yaml-language-server completes keys and flags unknown ones); the loader stays
    the judge (patterns, examples, ids across files). ``cleaner rules schema`` writes it and
    ``docs/rules.schema.json`` holds it, checked fresh in CI.
    """
    strings = {"type": "array", "items": {"type": "string"}}
    options: dict[str, dict[str, object]] = {}
    for kind_options in KIND_OPTIONS.values():
        for key, option in kind_options.items():
            options.setdefault(key, {"type": _option_schema(option)["type"]})
    per_kind = []
    for kind, kind_options in KIND_OPTIONS.items():
        others = {key: False for key in sorted(_ALL_OPTION_KEYS - set(kind_options))}
        then: dict[str, object] = {"properties": {**{k: _option_schema(o) for k, o in kind_options.items()}, **others}}
        required = [key for key, option in kind_options.items() if option.required]
        if required:
            then["required"] = required
        per_kind.append({"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]}, "then": then})
    rule = {
        "type": "object",
        "required": ["id", "summary", "kind", "examples"],
        "properties": {
            "id": {"type": "string", "pattern": f"^{ID_RE.pattern}$", "description": "what it catches, e.g. read-also"},
            "summary": {"type": "string"},
            "description": {"type": "string"},
            "kind": {"enum": list(KIND_OPTIONS)},
            "status": {"enum": ["stable", "preview"], "default": "stable"},
            "examples": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "match": strings,
                    "no_match": strings,
                    "cases": {"type": "array", "items": {
                        "type": "object", "required": ["input", "output"], "additionalProperties": False,
                        "properties": {"input": {"type": "string"}, "output": {"type": "string"}},
                    }},
                },
            },
            **dict(sorted(options.items())),
        },
        "additionalProperties": False,
        "allOf": per_kind,
    }
    pack = {
        "type": "object",
        "required": ["site"],
        "additionalProperties": False,
        "properties": {
            "site": {"type": "string", "pattern": f"^{SITE_RE.pattern}$"},
            "description": {"type": "string"},
            **{key: strings for key in ("aliases", "names", "detect", "disable")},
            "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "cleaner rule file: one common rule (rules/common/<id>.yaml) or a site pack (rules/sites/<site>.yaml)",
        # A site pack has `site`; anything else is read as one common rule (precise messages in editors).
        "if": {"type": "object", "required": ["site"]},
        "then": {"$ref": "#/$defs/pack"},
        "else": {"$ref": "#/$defs/rule"},
        "$defs": {"rule": rule, "pack": pack},
    }
