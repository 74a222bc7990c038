"""The house's shape, read from the code's own imports (every ``import`` statement, also those
inside functions): no module of ``confluence_sync`` imports itself back through others, and
each part imports only the parts below it, as docs/architecture.md draws them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests import import_graph

ROOT = Path(__file__).resolve().parents[2] / "confluence_sync"

# What each part may import (besides itself); docs/architecture.md draws the same table.
# A part is a package of confluence_sync or one of its top-level modules.
MAY_IMPORT: dict[str, set[str]] = {
    "errors": set(),
    "flavours": set(),
    "files": {"errors"},
    "wiki": {"errors"},
    "config": {"errors", "files"},
    "settings": {"errors", "flavours"},
    "wanted": {"errors", "config", "wiki"},
    "backends": {"errors", "settings", "wiki"},
    "localwiki": set(),  # a Confluence of its own: it knows nothing of the client
    "embedded": {"errors", "flavours", "config", "settings", "localwiki"},
    "state": {"errors", "wiki", "config", "wanted", "backends", "digest"},
    "plan": {"errors", "wiki", "config", "wanted", "state", "digest"},
    "apply": {"errors", "wiki", "wanted", "state", "plan", "backends", "digest"},
    "checks": {"errors", "flavours", "settings", "config", "backends", "embedded", "plan"},
    "run": {"errors", "config", "settings", "wiki", "wanted", "backends", "state", "plan"}
    | {"apply", "digest"},
    "commands": {"errors", "config", "settings", "wanted", "backends", "embedded", "state"}
    | {"plan", "apply", "checks", "run"},
    "digest": {"errors", "config", "wiki"},
    "run_digest": {"errors", "config", "settings", "wiki", "wanted", "backends", "state"}
    | {"digest", "run", "commands"},
    "report": {"errors", "files", "plan", "apply", "run"},
    "cli": {"errors", "flavours", "files", "settings", "config", "backends", "localwiki"}
    | {"run", "commands", "report", "checks", "run_digest"},
    "__main__": {"cli"},
    "__init__": set(),
}


MODULES = import_graph.modules(ROOT, "confluence_sync")
GRAPH = import_graph.graph(MODULES)


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_the_graph_is_read() -> None:
    """The reader finds the imports it must (a test of the test: an empty graph has no cycle)."""
    assert len(MODULES) > 80
    assert "confluence_sync.plan.changes" in GRAPH["confluence_sync.apply.applier"]
    # A function-level import counts too: ``open_backend`` loads the adapters when called.
    assert "confluence_sync.backends.cloud" in GRAPH["confluence_sync.backends"]


def test_no_module_imports_itself_back() -> None:
    assert import_graph.circles(GRAPH) == [], import_graph.loops_text(GRAPH)


def test_the_circle_finder_finds_a_circle() -> None:
    # A guard on the guards: a finder that found nothing anywhere would pass them all.
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_graph.circles(edges) == [["a", "b", "c"]]
    assert import_graph.loops_text(edges) == "a → b → c → a"


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
    assert import_graph.circles({part: set(allowed) for part, allowed in MAY_IMPORT.items()}) == []


def _stated(part: str) -> set[str] | None:
    """What the part's own docstring says it may import ("May import: a, b."), or None."""
    folder = ROOT / part
    path = folder / "__init__.py" if folder.is_dir() else ROOT / f"{part}.py"
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    lines = doc.splitlines()
    start = next((i for i, x in enumerate(lines) if x.startswith("May import:")), None)
    if start is None:
        return None
    line = lines[start]
    for more in lines[start + 1 :]:  # a long list goes on until its full stop
        if line.rstrip().endswith("."):
            break
        line += " " + more.strip()
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


def _libraries(name: str, path: Path) -> set[str]:
    return {target.split(".")[0] for target, _line in import_graph.imported(name, path, MODULES)}


@pytest.mark.parametrize("library", sorted(LIBRARIES))
def test_each_library_stays_in_its_part(library: str) -> None:
    found = {_part(name) for name, path in MODULES.items() if library in _libraries(name, path)}
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
