"""Read YAML safely and keep where every key and value was written.

PyYAML's safe composer gives nodes with marks; we build plain values from them ourselves so
that duplicate keys, anchors/aliases (the door to alias bombs) and values YAML silently
retypes (``no`` -> False) are reported with their line and column instead of being lost.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cleaner.model import Diagnostic

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
                "E112",
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
                    "E104",
                    f"key {key!r} is not a string",
                    "quote the key; YAML reads yes/no/on/off and numbers as other types",
                )
                key = str(key)
            if key in out:
                first = out.key_pos[key]
                self.report(
                    _pos(key_node),
                    "E102",
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


def load_yaml(text: str, path: str) -> tuple[object, list[Diagnostic]]:
    """Parse one YAML document safely; return its value (None on error) and diagnostics."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        return None, [
            Diagnostic(
                path, 1, 1, "E113", f"file is larger than {MAX_FILE_BYTES:,} bytes",
                "split it into smaller packs; rule files are small by design",
            )
        ]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        return None, [
            Diagnostic(
                path, line, col, "E100", f"YAML syntax error: {problem}",
                "check indentation and quoting; put regex patterns in single quotes",
            )
        ]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(path, 1, 1, "E100", f"YAML error: {exc}", "")]
    if node is None:
        return None, [Diagnostic(path, 1, 1, "E103", "file is empty", "write a rule or remove the file")]
    builder = _Builder(path)
    try:
        value = builder.build(node)
    except _TooBig as big:
        builder.report(big.pos, "E113", f"more than {MAX_NODES:,} YAML nodes", "split the file")
        return None, builder.diagnostics
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        builder.report(_pos(node), "E100", f"YAML value error: {exc}", "")
        return None, builder.diagnostics
    return value, builder.diagnostics
