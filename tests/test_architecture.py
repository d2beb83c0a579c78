"""The layout's rules that import-linter does not check: private names, the root package,
import cycles (function-level imports included) and a reason for every function-level import.

The layers themselves are the import-linter contract in pyproject.toml (``lint-imports``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "cleaner"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(tree: ast.AST) -> Iterator[tuple[ast.Import | ast.ImportFrom, list[ast.AST]]]:
    """Every import statement with the chain of nodes enclosing it."""
    stack: list[tuple[ast.AST, list[ast.AST]]] = [(tree, [])]
    while stack:
        node, parents = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child, [*parents, node]
            stack.append((child, [*parents, node]))


def _targets(node: ast.Import | ast.ImportFrom) -> Iterator[tuple[str, str | None]]:
    """(module imported, name taken from it or None) for each name of an import statement."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name, None
    elif node.module is not None and node.level == 0:
        for alias in node.names:
            yield node.module, alias.name


def _is_type_checking(parents: list[ast.AST]) -> bool:
    return any(isinstance(p, ast.If) and "TYPE_CHECKING" in ast.unparse(p.test) for p in parents)


def _in_function(parents: list[ast.AST]) -> bool:
    return any(isinstance(p, (ast.FunctionDef, ast.AsyncFunctionDef)) for p in parents)


def _edges(include_type_checking: bool) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for node, parents in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if not include_type_checking and _is_type_checking(parents):
                continue
            for module, taken in _targets(node):
                if taken is not None and f"{module}.{taken}" in MODULES:
                    graph[name].add(f"{module}.{taken}")  # a submodule
                elif module in MODULES:
                    graph[name].add(module)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), or a module importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph[v]:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles_top_level_and_function_level_imports_together() -> None:
    assert _cycles(_edges(include_type_checking=False)) == []


def test_no_import_cycles_even_counting_type_checking_imports() -> None:
    assert _cycles(_edges(include_type_checking=True)) == []


def test_no_module_imports_a_private_name_of_another_module() -> None:
    found = []
    for path in MODULES.values():
        for node, _parents in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            for module, taken in _targets(node):
                private = [part for part in [*module.split("."), taken or ""] if part.startswith("_")]
                if module.startswith("cleaner") and any(not p.startswith("__") for p in private):
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {ast.unparse(node)}")
    assert found == []


def test_nothing_inside_imports_the_cleaner_package_itself() -> None:
    found = []
    for name, path in MODULES.items():
        if name == "cleaner":
            continue
        for node, _parents in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if any(module == "cleaner" for module, _taken in _targets(node)):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {ast.unparse(node)}")
    assert found == []


def test_every_function_level_import_says_why() -> None:
    """Function-level imports are for start-up time only; a comment next to each says so."""
    found = []
    for path in MODULES.values():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node, parents in _imports(ast.parse(source)):
            if not _in_function(parents) or _is_type_checking(parents):
                continue
            # A comment on the import's line, or above the block of imports it belongs to.
            above = node.lineno - 2
            while above >= 0 and (not lines[above].strip() or lines[above].strip().startswith(("import ", "from "))):
                above -= 1
            before = lines[above].strip() if above >= 0 else ""
            if not (before.startswith("#") or "#" in lines[node.lineno - 1].split("import", 1)[1]):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {ast.unparse(node)}")
    assert found == []
