"""The local wiki's house rules, read from its imports: no cycle, nothing of the sync engine,
and every part imports only the parts below it (the direction ``localwiki/README.md`` draws).

Imports are read with ``ast`` from every module under ``confluence_sync/localwiki``, at any
depth (inside functions and ``TYPE_CHECKING`` blocks too: a lazy import that closes a loop is
still a loop). An import names a module when the dotted name is one (``from a.b import c``
names ``a.b.c`` if that is a module, else ``a.b``); importing a submodule is not counted as
importing its package's ``__init__``, which Python runs first but which no module depends on
for a name.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from pathlib import Path

import confluence_sync.localwiki

PACKAGE = "confluence_sync.localwiki"
ROOT = Path(confluence_sync.localwiki.__file__).parent

# What each part may import inside the local wiki besides itself. server.py assembles the
# stack and may import any part; the two re-export modules name the one module they hand on.
MAY_IMPORT = {
    "rules": set(),
    "store": set(),
    "web": {"store", "rules"},
    "testing": {"web"},
    "viewer": {"store", "rules"},
    "api": {"web", "store", "rules"},
    "server": {"api", "web", "store", "rules", "viewer", "testing"},
    "model": {"store"},
    "journal": {"testing"},
    "__init__": set(),
}
# Third-party packages that speak HTTP: the store and the pure rules know none.
HTTP_PACKAGES = ("werkzeug", "requests", "http", "urllib.request", "wsgiref")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


MODULES = {_module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def _imported(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """(dotted name, line) of everything ``module`` imports; inside the local wiki a name
    imported from a module is that module."""
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
                inside = base.startswith(PACKAGE) and candidate not in MODULES
                yield (base if inside else candidate), node.lineno


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for target, _line in _imported(name, path):
            while target and target not in MODULES and target.startswith(PACKAGE + "."):
                target = target.rpartition(".")[0]  # a name inside a module: that module
            if target in MODULES and target != name:
                graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
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
        for target in sorted(graph[node]):
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _part(module: str) -> str:
    """The part of the house a module belongs to: its first name below the package."""
    rest = module[len(PACKAGE) + 1 :] if module != PACKAGE else "__init__"
    return rest.split(".")[0]


def test_the_modules_are_found() -> None:
    assert f"{PACKAGE}.server" in MODULES and f"{PACKAGE}.store.wiki" in MODULES
    assert {_part(name) for name in MODULES} <= set(MAY_IMPORT)


def _shortest_loop(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """A shortest import loop through the component's first module, for the failure text."""
    start, inside = component[0], set(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & inside):
                if target == start:
                    return [*paths[node], start]
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    return component  # not reached: a component of two or more holds a loop through each


def test_no_import_cycle_inside_the_local_wiki() -> None:
    graph = _graph()
    cycles = _cycles(graph)
    loops = [" → ".join(_shortest_loop(graph, cycle)) for cycle in cycles]
    assert not cycles, "import cycles (one loop of each):\n" + "\n".join(loops)


def test_the_cycle_finder_finds_a_cycle() -> None:
    # A guard on the guard: a finder that found nothing anywhere would pass the test above.
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def _imports_where(wrong: Callable[[str, str], bool]) -> list[str]:
    """``module line N: name`` for every import of every module that ``wrong(module, name)``."""
    return [
        f"{module} line {line}: {name}"
        for module, path in MODULES.items()
        for name, line in _imported(module, path)
        if wrong(module, name)
    ]


def test_the_local_wiki_imports_nothing_of_the_sync_engine() -> None:
    engine = _imports_where(
        lambda _module, name: name.startswith("confluence_sync") and not name.startswith(PACKAGE)
    )
    assert not engine, "imports of the sync engine:\n" + "\n".join(engine)


def test_a_part_imports_only_the_parts_below_it() -> None:
    def upward(module: str, name: str) -> bool:
        part = _part(module)
        return name.startswith(PACKAGE + ".") and _part(name) not in MAY_IMPORT[part] | {part}

    wrong = _imports_where(upward)
    assert not wrong, "imports against the direction in MAY_IMPORT:\n" + "\n".join(wrong)


def test_v1_and_v2_stand_apart() -> None:
    def across(module: str, name: str) -> bool:
        for mine, other in (("api.v1", "api.v2"), ("api.v2", "api.v1")):
            if module.startswith(f"{PACKAGE}.{mine}") and name.startswith(f"{PACKAGE}.{other}"):
                return True
        return False

    found = _imports_where(across)
    assert not found, "v1 and v2 import each other (share through api/links.py or web/):\n" + (
        "\n".join(found)
    )


def test_the_store_and_the_rules_know_no_http() -> None:
    def http(module: str, name: str) -> bool:
        return _part(module) in ("store", "rules") and (
            name.split(".")[0] in HTTP_PACKAGES or name.startswith(HTTP_PACKAGES)
        )

    found = _imports_where(http)
    assert not found, "HTTP machinery in the store or the rules:\n" + "\n".join(found)
