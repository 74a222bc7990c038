"""The import graph of a package, read from its source with ``ast``, for the tests that hold
the house's rules (tests/unit/test_house.py for the whole package, tests/unit/localwiki/
test_imports.py inside the local wiki).

Every ``import`` counts, at any depth (inside functions and ``TYPE_CHECKING`` blocks too: a
lazy import that closes a loop is still a loop). ``from a.b import c`` names the module
``a.b.c`` if there is one, else ``a.b``; a name inside a module is that module. Importing a
submodule is not counted as importing its package's ``__init__``, which Python runs first but
which no module depends on for a name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path


def modules(root: Path, package: str) -> dict[str, Path]:
    """Dotted module name → file, for every module below ``root`` (the folder of ``package``)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = [*package.split("."), *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported(module: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """(dotted name, line) of everything ``module`` imports; a name taken from one of the
    ``known`` modules is that module."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                # Inside the package a name taken from a module is that module; outside it
                # the whole dotted name stays (``from urllib import request``).
                inside = base in known and candidate not in known
                yield (base if inside else candidate), node.lineno


def graph(known: dict[str, Path]) -> dict[str, set[str]]:
    """Module → the modules among ``known`` it imports (itself left out)."""
    edges: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for target, _line in imported(name, path, known):
            while target and target not in known and "." in target:
                target = target.rpartition(".")[0]  # a name inside a module: that module
            if target in known and target != name:
                edges[name].add(target)
    return edges


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def shortest_loop(edges: dict[str, set[str]], component: list[str]) -> list[str]:
    """A shortest import loop through the component's first module, for a failure's text."""
    start, inside = component[0], set(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(edges[node] & inside):
                if target == start:
                    return [*paths[node], start]
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    return component  # not reached: a component of two or more holds a loop through each


def loops_text(edges: dict[str, set[str]]) -> str:
    """One line per circle, as a loop of module names ('' when there is none)."""
    return "\n".join(" → ".join(shortest_loop(edges, c)) for c in circles(edges))
