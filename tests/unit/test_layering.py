"""The package's architecture: imports between brianc's modules flow one
way (no cycle, counting imports inside functions too), and every module
says what it is in its first line."""
from __future__ import annotations

import ast
from pathlib import Path

import brianc

PACKAGE = Path(brianc.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list:
    """The brianc modules an ``from ... import`` names."""
    if node.level == 0:
        base = node.module or ""
    else:
        parts = module.split(".")
        if not is_package:
            parts.pop()
        parts = parts[:len(parts) - node.level + 1]
        base = ".".join(parts + ([node.module] if node.module else []))
    if not base.startswith("brianc"):
        return []
    return [base] + [f"{base}.{alias.name}" for alias in node.names]


def _import_graph() -> dict:
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text())
        is_package = path.name == "__init__.py"
        targets = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                targets.update(_resolve(name, is_package, node))
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names
                               if a.name.startswith("brianc"))
        # A package imports its own submodules to re-export them; that
        # is the direction of the map, not a cycle.
        graph[name] = {t for t in targets if t in files and t != name}
    return graph, files


def _cycle(graph: dict):
    state: dict = {}
    stack: list = []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_cycle_between_brianc_modules():
    graph, _ = _import_graph()
    # A package's __init__ re-exports its submodules, and a submodule
    # importing its own package means importing those siblings; count the
    # edge to the siblings only, which is what it really needs.
    for name in graph:
        graph[name] = {t for t in graph[name]
                       if not name.startswith(t + ".")}
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))


def test_the_checker_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c",
                                                           "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_every_module_starts_with_a_docstring():
    _, files = _import_graph()
    missing = [name for name, path in files.items()
               if ast.get_docstring(ast.parse(path.read_text())) is None]
    assert missing == []
