"""The local wiki's house rules, read from its imports: no cycle, nothing of the sync engine,
and every part imports only the parts below it (the direction ``localwiki/README.md`` draws).

Imports are read as tests/import_graph.py reads them: every ``import`` of every module under
``confluence_sync/localwiki``, at any depth.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import confluence_sync.localwiki
from tests import import_graph

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


MODULES = import_graph.modules(ROOT, PACKAGE)


def _imported(module: str, path: Path) -> Iterator[tuple[str, int]]:
    return import_graph.imported(module, path, MODULES)


def _part(module: str) -> str:
    """The part of the house a module belongs to: its first name below the package."""
    rest = module[len(PACKAGE) + 1 :] if module != PACKAGE else "__init__"
    return rest.split(".")[0]


def test_the_modules_are_found() -> None:
    assert f"{PACKAGE}.server" in MODULES and f"{PACKAGE}.store.wiki" in MODULES
    assert {_part(name) for name in MODULES} <= set(MAY_IMPORT)


def test_no_import_cycle_inside_the_local_wiki() -> None:
    graph = import_graph.graph(MODULES)
    assert not import_graph.circles(graph), "import cycles (one loop of each):\n" + (
        import_graph.loops_text(graph)
    )


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
