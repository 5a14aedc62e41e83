"""The gateway's rooms (and every other package) stay acyclic: no cycle in the import graph.

Every import counts, including those under `if TYPE_CHECKING:` and inside functions: a cycle
hidden behind either is still two modules that cannot be understood one without the other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_of(package: str) -> dict[str, Path]:
    return {module_name(p): p for p in sorted((ROOT / package).rglob("*.py"))}


def imported_names(path: Path, name: str) -> set[str]:
    """Every dotted name `path` imports, resolving relative imports against `name`."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def import_graph(package: str) -> dict[str, set[str]]:
    """Module -> the modules of `package` it imports (a package counts as its __init__)."""
    modules = modules_of(package)
    return {
        name: {dep for dep in imported_names(path, name) if dep in modules and dep != name}
        for name, path in modules.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` as a path that starts and ends at the same node, or None."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = grey
        stack.append(node)
        for dep in sorted(graph[node]):
            if colour[dep] == grey:
                return [*stack[stack.index(dep):], dep]
            if colour[dep] == white and (cycle := visit(dep)) is not None:
                return cycle
        stack.pop()
        colour[node] = black
        return None

    for start in sorted(graph):
        if colour[start] == white and (cycle := visit(start)) is not None:
            return cycle
    return None


def test_cycle_finder_finds_a_cycle_and_accepts_a_dag() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_relative_and_type_checking_imports_count(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from gateway.state import X\n"
                      "def f():\n    from . import sibling\n")
    assert {"gateway.state", "gateway.state.X", "gateway.http.sibling"} <= imported_names(
        module, "gateway.http.m")


def test_the_graph_sees_the_rooms() -> None:
    graph = import_graph("gateway")
    assert "gateway.http.routes" in graph["gateway.app"]
    assert "gateway.state" in graph["gateway.identity.authn"]


@pytest.mark.parametrize("package", ["gateway", "parley", "proto", "services/signalling",
                                     "services/evidence", "services/audit"])
def test_no_import_cycle(package: str) -> None:
    cycle = find_cycle(import_graph(package))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize(("package", "forbidden"), [
    ("parley", ("gateway", "services")),
    ("proto", ("gateway", "services", "parley")),
    ("services/signalling", ("gateway", "services.evidence", "services.audit")),
    ("services/evidence", ("gateway", "services.signalling", "services.audit")),
    ("services/audit", ("gateway", "services.signalling", "services.evidence")),
])
def test_layers_import_downwards_only(package: str, forbidden: tuple[str, ...]) -> None:
    """The platform kit and the contracts know no domain; no service imports another."""
    offending = sorted(
        f"{name} imports {dep}"
        for name, path in modules_of(package).items()
        for dep in imported_names(path, name)
        if dep.split(".")[0] in forbidden or ".".join(dep.split(".")[:2]) in forbidden
    )
    assert offending == []


def test_long_modules_say_why() -> None:
    """A production module over 300 lines states why at its top ("Longer than 300 lines ...")."""
    unexplained = []
    for package in ("parley", "proto", "gateway", "services"):
        for path in sorted((ROOT / package).rglob("*.py")):
            text = path.read_text()
            if text.count("\n") > 300 and "Longer than 300 lines" not in "\n".join(text.split("\n")[:15]):
                unexplained.append(str(path.relative_to(ROOT)))
    assert unexplained == []
