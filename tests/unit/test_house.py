"""The house's shape, read from the code's own imports (every ``import`` statement, also those
inside functions): no module of ``confluence_sync`` imports itself back through others, and
each part imports only the parts below it, as docs/architecture.md draws them."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "confluence_sync"

# What each part may import (besides itself); docs/architecture.md draws the same table.
# A part is a package of confluence_sync or one of its top-level modules.
MAY_IMPORT: dict[str, set[str]] = {
    "errors": set(),
    "flavours": set(),
    "wiki": {"errors"},
    "config": {"errors"},
    "settings": {"errors", "flavours"},
    "wanted": {"errors", "config", "wiki"},
    "backends": {"errors", "settings", "wiki"},
    "localwiki": set(),  # a Confluence of its own: it knows nothing of the client
    "embedded": {"config", "settings", "localwiki"},
    "state": {"errors", "wiki", "config", "wanted", "backends"},
    "plan": {"errors", "wiki", "config", "wanted", "state"},
    "apply": {"errors", "wiki", "wanted", "state", "plan", "backends"},
    "run": {"errors", "config", "settings", "wiki", "wanted", "backends", "embedded"}
    | {"state", "plan", "apply"},
    "report": {"errors", "plan", "apply", "run"},
    "cli": {"errors", "flavours", "settings", "config", "backends", "localwiki", "run"}
    | {"report"},
    "__main__": {"cli"},
    "__init__": set(),
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = ["confluence_sync", *path.relative_to(ROOT).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[str]:
    """The modules of confluence_sync that ``name`` imports (a name taken from a package
    counts as an import of that package's ``__init__``, unless it is a submodule)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        yield from (t for t in targets if t in MODULES and t != name)


GRAPH = {name: set(_imports(name, path)) for name, path in MODULES.items()}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return circles


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_the_graph_is_read() -> None:
    """The reader finds the imports it must (a test of the test: an empty graph has no cycle)."""
    assert len(MODULES) > 80
    assert "confluence_sync.plan.changes" in GRAPH["confluence_sync.apply.applier"]
    # A function-level import counts too: ``run`` loads the lock module inside functions.
    assert "confluence_sync.apply.lock" in GRAPH["confluence_sync.run"]


def test_no_module_imports_itself_back() -> None:
    assert _circles(GRAPH) == []


def test_the_circle_finder_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(graph) == [["a", "b", "c"]]


@pytest.mark.parametrize("part", sorted(MAY_IMPORT))
def test_each_part_imports_only_the_parts_below_it(part: str) -> None:
    wrong = sorted(
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if _part(name) == part
        for target in targets
        if _part(target) != part and _part(target) not in MAY_IMPORT[part]
    )
    assert wrong == []


def test_every_part_is_in_the_table() -> None:
    assert {_part(name) for name in MODULES} <= set(MAY_IMPORT)


def test_the_table_has_no_circle() -> None:
    """The allowed directions themselves run one way only."""
    assert _circles({part: set(allowed) for part, allowed in MAY_IMPORT.items()}) == []


def _stated(part: str) -> set[str] | None:
    """What the part's own docstring says it may import ("May import: a, b."), or None."""
    folder = ROOT / part
    path = folder / "__init__.py" if folder.is_dir() else ROOT / f"{part}.py"
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    line = next((x for x in doc.splitlines() if x.startswith("May import:")), None)
    if line is None:
        return None
    said = line.removeprefix("May import:").strip().rstrip(".")
    if said.startswith("nothing"):
        return set()
    return {word.split(" ")[0] for word in said.split(", ")}


@pytest.mark.parametrize("part", sorted(MAY_IMPORT))
def test_each_part_says_what_it_may_import(part: str) -> None:
    """The docstrings a newcomer reads say the same as the table this test holds."""
    assert _stated(part) == MAY_IMPORT[part]


# Where each library may be imported: HTTP only in the backends (and the local wiki's own
# server), the terminal only at the edge, templates only where pages are rendered.
LIBRARIES: dict[str, set[str]] = {
    "requests": {"backends"},
    "atlassian": {"backends"},
    "tenacity": {"backends"},
    "typer": {"cli"},
    "rich": {"cli", "report"},
    "jinja2": {"wanted"},
    "werkzeug": {"localwiki"},
    "yaml": {"config"},
}


def _libraries(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("library", sorted(LIBRARIES))
def test_each_library_stays_in_its_part(library: str) -> None:
    found = {_part(name) for name, path in MODULES.items() if library in set(_libraries(path))}
    assert found, f"nothing imports {library}: the table is stale"
    assert found <= LIBRARIES[library]


def test_the_architecture_page_draws_the_same_table() -> None:
    """docs/architecture.md stays true: its dependency table is this test's."""
    page = (ROOT.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = {}
    for line in page.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`") and cells[0].strip("`") in MAY_IMPORT:
            said = cells[1]
            rows[cells[0].strip("`")] = set() if said == "—" else set(said.split(", "))
    assert rows == MAY_IMPORT
