"""Rooms a newcomer can read (issue 23): no module over 600 lines and no function over 80
lines without a reason written beside it, and no import cycle between the project's
modules (an import hidden inside a function to dodge a cycle is still a cycle).

A reason is a comment starting with ``# size:``: for a module, within its first 40 lines;
for a function, on the line above its ``def`` (or its first decorator) or within the first
three lines of its body."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

from tests.conftest import ROOT

PACKAGES = ("engine", "api", "web", "cli", "sandbox", "simplifier", "bpmn")
MODULE_LINES = 600
FUNCTION_LINES = 80
REASON = "# size:"


def _sources() -> dict[str, Path]:
    """Every module of the project by its installed name (toantrinh.engine.db …)."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules["toantrinh." + ".".join(parts)] = path
    return modules


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def long_modules(sources: dict[str, Path]) -> list[str]:
    found = []
    for path in sources.values():
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > MODULE_LINES and not any(REASON in line for line in lines[:40]):
            found.append(f"{_shown(path)}: {len(lines)} lines")
    return found


def long_functions(sources: dict[str, Path]) -> list[str]:
    found = []
    for path in sources.values():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = node.end_lineno - node.lineno + 1
            if length <= FUNCTION_LINES:
                continue
            top = min([node.lineno] + [d.lineno for d in node.decorator_list])
            body = node.body[0].lineno
            nearby = lines[top - 2 : top - 1] + lines[node.lineno - 1 : body + 2]
            if not any(REASON in line for line in nearby):
                found.append(f"{_shown(path)}:{node.lineno} {node.name}: {length} lines")
    return found


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def import_graph(sources: dict[str, Path]) -> nx.DiGraph:
    """Module → module edges of every import, at the top or inside a function; imports
    under ``if TYPE_CHECKING:`` are annotations only and left out."""
    graph = nx.DiGraph()
    for name, path in sources.items():
        graph.add_node(name)
        stack = [ast.parse(path.read_text(encoding="utf-8"))]
        while stack:
            for child in ast.iter_child_nodes(stack.pop()):
                if _is_type_checking(child):
                    continue
                targets: list[str] = []
                if isinstance(child, ast.ImportFrom) and child.module:
                    targets = [child.module] + [f"{child.module}.{a.name}" for a in child.names]
                elif isinstance(child, ast.Import):
                    targets = [a.name for a in child.names]
                for target in targets:
                    if target in sources and target != name:
                        graph.add_edge(name, target, line=child.lineno)
                stack.append(child)
    return graph


def cycles(graph: nx.DiGraph) -> list[str]:
    found = []
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            cycle = nx.find_cycle(graph.subgraph(component))
            found.append(" → ".join([a for a, _ in cycle] + [cycle[0][0]]))
    return sorted(found)


def test_no_module_is_long_without_a_reason():
    assert long_modules(_sources()) == []


def test_no_function_is_long_without_a_reason():
    assert long_functions(_sources()) == []


def test_the_modules_import_one_another_without_a_cycle():
    assert cycles(import_graph(_sources())) == []


def test_the_checks_find_what_they_look_for(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(90))
    long_one = tmp_path / "long.py"
    long_one.write_text(f"def slow():\n{body}\n")
    explained = tmp_path / "explained.py"
    explained.write_text(f"# size: one table, read top to bottom\ndef slow():\n{body}\n")
    assert [line.split(" ", 1)[1] for line in long_functions({"a": long_one})] == ["slow: 91 lines"]
    assert long_functions({"b": explained}) == []
    module = tmp_path / "big.py"
    module.write_text("x = 1\n" * 601)
    assert long_modules({"c": module}) == ["big.py: 601 lines"]
    module.write_text("# size: generated data\n" + "x = 1\n" * 600)
    assert long_modules({"c": module}) == []
    first = tmp_path / "first.py"
    second = tmp_path / "second.py"
    first.write_text("def f():\n    from toantrinh.second import g\n")
    second.write_text("from toantrinh.first import f\n")
    graph = import_graph({"toantrinh.first": first, "toantrinh.second": second})
    assert cycles(graph) == ["toantrinh.first → toantrinh.second → toantrinh.first"]
    second.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import toantrinh.first\n"
    )
    assert cycles(import_graph({"toantrinh.first": first, "toantrinh.second": second})) == []
