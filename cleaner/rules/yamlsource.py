"""Read YAML safely and keep where every key and value was written.

PyYAML's safe composer gives nodes with marks; we build plain values from them ourselves so
that duplicate keys, anchors/aliases (the door to alias bombs) and values YAML silently
retypes (``no`` -> False) are reported with their line and column instead of being lost.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cleaner.core.diagnostics import E100, E102, E104, E112, E113, E118, E121
from cleaner.core.model import Diagnostic

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 50_000


@dataclass(frozen=True, slots=True)
class Pos:
    """A 1-based line and column in a source file."""

    line: int
    col: int


class YMap(dict[str, object]):
    """A mapping that remembers where each key was written."""

    pos: Pos
    key_pos: dict[str, Pos]
    value_pos: dict[str, Pos]
    value_style: dict[str, str | None]


class YList(list[object]):
    """A sequence that remembers where each item was written."""

    pos: Pos
    item_pos: list[Pos]
    item_style: list[str | None]


def _pos(node: Node) -> Pos:
    return Pos(node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.seen: set[int] = set()
        self.count = 0
        self.constructor = yaml.SafeLoader("")

    def report(self, pos: Pos, code: str, message: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(self.path, pos.line, pos.col, code, message, hint))

    def build(self, node: Node) -> object:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(_pos(node))
        if id(node) in self.seen:
            # The composer shares one node object between an anchor and its aliases.
            self.report(
                _pos(node),
                E112,
                "anchors and aliases are not allowed in rule files",
                "write the value out in full; aliases can expand into huge documents",
            )
            return None
        self.seen.add(id(node))
        if isinstance(node, MappingNode):
            return self._mapping(node)
        if isinstance(node, SequenceNode):
            out = YList()
            out.pos, out.item_pos, out.item_style = _pos(node), [], []
            for item in node.value:
                out.append(self.build(item))
                out.item_pos.append(_pos(item))
                out.item_style.append(item.style if isinstance(item, ScalarNode) else None)
            return out
        assert isinstance(node, ScalarNode)
        return self.constructor.construct_object(node, deep=True)

    def _mapping(self, node: MappingNode) -> YMap:
        out = YMap()
        out.pos, out.key_pos, out.value_pos, out.value_style = _pos(node), {}, {}, {}
        for key_node, value_node in node.value:
            key = self.build(key_node)
            if not isinstance(key, str):
                self.report(
                    _pos(key_node),
                    E104,
                    f"key {key!r} is not a string",
                    "quote the key; YAML reads yes/no/on/off and numbers as other types",
                )
                key = str(key)
            if key in out:
                first = out.key_pos[key]
                self.report(
                    _pos(key_node),
                    E102,
                    f"duplicate key '{key}' (first written at line {first.line})",
                    "remove one of them; YAML would silently keep only the last",
                )
                continue
            out[key] = self.build(value_node)
            out.key_pos[key] = _pos(key_node)
            out.value_pos[key] = _pos(value_node)
            out.value_style[key] = value_node.style if isinstance(value_node, ScalarNode) else None
        return out


class _TooBig(Exception):
    def __init__(self, pos: Pos) -> None:
        self.pos = pos


def _compose(text: str) -> Node | None:
    """Compose with libyaml when available (~15x faster: start-up), else in pure Python.

    Errors are always reported by the pure-Python parser, whose messages the diagnostics
    were written for; libyaml marks plain scalars with style '' where PyYAML uses None.
    """
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    stack = [node] if node is not None else []
    # Aliases share nodes: visit each once, or a billion-laughs file walks 10**9 of them.
    visited: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in visited:
            continue
        visited.add(id(current))
        if isinstance(current, ScalarNode):
            if current.style == "":
                current.style = None
        elif isinstance(current, SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, MappingNode):
            stack.extend(item for pair in current.value for item in pair)
    return node


def _too_deep(path: str) -> Diagnostic:
    return Diagnostic(
        path, 1, 1, E121, "YAML nested too deeply to read",
        "a rule file is a list of flat mappings; remove the nesting",
    )


def load_yaml(text: str, path: str) -> tuple[object, list[Diagnostic]]:
    """Parse one YAML document safely; return its value (None on error) and diagnostics."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        return None, [
            Diagnostic(
                path, 1, 1, E113, f"file is larger than {MAX_FILE_BYTES:,} bytes",
                "split it into smaller packs; rule files are small by design",
            )
        ]
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(exc, text, path)]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(path, 1, 1, E100, f"YAML error: {exc}", "")]
    except RecursionError:
        return None, [_too_deep(path)]
    if node is None:
        return None, [Diagnostic(path, 1, 1, E118, "file is empty", "write a rule or remove the file")]
    try:
        alias = _first_alias(text, path)
    except yaml.MarkedYAMLError as exc:
        # libyaml accepted what the pure-Python parser rejects (a tab inside a key, say):
        # report it as the stricter parser sees it rather than guess.
        return None, [_syntax_error(exc, text, path)]
    if alias is not None:
        return None, [alias]
    builder = _Builder(path)
    try:
        value = builder.build(node)
    except RecursionError:
        return None, [_too_deep(path)]
    except _TooBig as big:
        builder.report(big.pos, E113, f"more than {MAX_NODES:,} YAML nodes", "split the file")
        return None, builder.diagnostics
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        builder.report(_pos(node), E100, f"YAML value error: {exc}", "")
        return None, builder.diagnostics
    if value is None and not builder.diagnostics:
        # `null`, `~` or an empty document would otherwise be skipped without a word.
        builder.report(_pos(node), E104, "a rule file must be a mapping, got null", "write a rule or remove the file")
    return value, builder.diagnostics


def _first_alias(text: str, path: str) -> Diagnostic | None:
    """Where the first alias is written: the composer shares nodes, so only events know."""
    if "*" not in text:
        return None  # every alias is written with a '*'
    count, first = 0, None
    # The same parser that composed the file (libyaml when present: ~15x faster at start-up;
    # most rule files hold a '*' in a regex, so this scan runs for nearly every file).
    for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        if isinstance(event, yaml.AliasEvent):
            count += 1
            first = first or event
    if first is None:
        return None
    mark = first.start_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return Diagnostic(
        path, line, col, E112,
        f"anchors and aliases are not allowed in rule files (alias '*{first.anchor}', {count} in the file)",
        "write the value out in full; aliases can expand into huge documents",
    )


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, path: str) -> Diagnostic:
    """Locate a syntax error where the author has to look, not where the parser gave up."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or exc.context or "invalid YAML"
    hint = "check indentation and quoting; put regex patterns in single quotes"
    context = exc.context or ""
    if exc.context_mark is not None and ("quoted scalar" in context or "flow" in context):
        # An unclosed quote or bracket: the parser fails at the end of the file, but the
        # fix belongs where it was opened.
        opened = exc.context_mark
        hint = f"the parser gave up at line {line}, col {col}; close what was opened here"
        line, col = opened.line + 1, opened.column + 1
        problem = f"{problem} ({context} opened here)"
    else:
        runaway = _runaway_quote(text, exc)
        if runaway is not None:
            hint = (
                f"the parser gave up at line {line}, col {col}: the quoted value opened at line {runaway[0]} "
                "runs over several lines; close its quote"
            )
            line, col = runaway
    return Diagnostic(path, line, col, E100, f"YAML syntax error: {problem}", hint)


def _runaway_quote(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int] | None:
    """The start of the last quoted scalar before the error that spans lines (an unclosed quote)."""
    problem = exc.problem_mark
    if problem is None:
        return None
    found = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= problem.index:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ("'", '"')
                and token.end_mark.line > token.start_mark.line
            ):
                found = (token.start_mark.line + 1, token.start_mark.column + 1)
    except yaml.YAMLError:
        pass
    return found
