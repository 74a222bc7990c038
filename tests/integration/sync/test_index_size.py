"""A 300-meeting working group over real HTTP, both flavours: the index no longer fits one
property (Confluence takes 32 KB of JSON each), so it is sharded. The first sync and the
second have no failed item, every content and space property on the wiki reads back under
the limit, and the second sync writes nothing within 3 requests per space + 1 per 250 pages.
An index in the single-property form of earlier versions is trusted as it is, then rewritten."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from confluence_sync.backends.writes import V1, q
from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.state import ledger_store as index_store
from confluence_sync.state.ledger import INDEX_KEY
from confluence_sync.state.ledger_store import LIMIT, size
from tests.unit.engine.legacy import legacy_value

from ...bench_scripts import bench_module
from .conftest import GROUP, HUB, Site

NETWORK = bench_module("large_network")
SHAPE = NETWORK.GROUP_300
SPACES = ("BNW", "BNWGAA")


@pytest.fixture(params=["dc", "cloud"])
def big(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    flavour = request.param
    with LocalWiki(flavour=flavour, v1_removed=flavour == "cloud") as wiki:
        accounts = {}
        for name in NETWORK.account_names(SHAPE):
            user = wiki.store.create_user(name, "pw-" + name)
            accounts[name] = user.account_id if flavour == "cloud" else name
        site = Site(wiki, flavour, tmp_path / "network.yaml", accounts)
        NETWORK.write_network(site.path, SHAPE, accounts)
        try:
            yield site
        finally:
            for backend in site.backends:
                backend.close()


def every_property(site: Site) -> dict[str, Any]:
    """Every space and content property on the wiki, read back over the REST API."""
    reader: Any = site.backend().reader
    found: dict[str, Any] = {}
    for space in SPACES:
        info = reader.get_space(space)
        if site.cloud:
            paths = [f"api/v2/spaces/{info.id}/properties"]
            paths += [f"api/v2/pages/{p.id}/properties" for p in reader.list_pages(space)]
        else:
            paths = [f"{V1}/space/{space}/property"]
            paths += [f"{V1}/content/{q(p.id)}/property" for p in reader.list_pages(space)]
        limit = 250 if site.cloud else 200
        for path in paths:
            for item in reader.transport.paginate(path, what=path, params={"limit": limit}):
                found[f"{path} {item['key']}"] = item["value"]
    return found


def failed(result: Any) -> list[str]:
    return [f"{r.item}: {r.reason}" for r in result.results if r.failed]


def test_a_300_meeting_group_syncs_twice_with_every_property_under_32_kb(big: Site) -> None:
    first = big.sync()
    assert not failed(first), failed(first)
    properties = every_property(big)
    # The spaces' indexes only: a created page carries no marker, the index records it.
    assert properties and all(f" {INDEX_KEY}" in key for key in properties), properties.keys()
    recorded = sum(len(index_store.read(big.backend().reader, k).index.pages) for k in SPACES)
    assert recorded > SHAPE.meetings
    too_big = {k: size(v) for k, v in properties.items() if size(v) > LIMIT}
    assert not too_big
    shards = [k for k in properties if f" {INDEX_KEY}.p" in k]
    assert len(shards) >= 2  # about 55 KB of page records: sharded
    big.journal.clear()
    second = big.sync()
    assert not failed(second), failed(second)
    counts = big.journal.counts()
    pages = sum(1 for r in second.results if r.item.startswith("page "))
    assert counts.writes == 0 and second.writes == 0
    # TARGETS: 2 per space + 1 per 250 pages (the spaces are read in one listing)
    assert counts.total == second.requests <= 2 * 2 + -(-pages // 250)


def test_an_index_of_the_single_property_form_is_trusted_then_rewritten(site: Site) -> None:
    site.write_config()
    site.sync()
    backend = site.backend()
    for key in (HUB, GROUP):
        stored = index_store.read(backend.reader, key)
        space = site.wiki.store.space_by_key(key)
        assert space is not None and stored.head is not None
        for prop in [stored.head, *stored.shards.values()]:
            site.wiki.store.delete_property("space", space.id, prop.key)
        value = legacy_value(stored.index)
        backend.writer().set_space_property(key, INDEX_KEY, value, current=None)
    site.journal.clear()
    again = site.sync()
    # No page is read again. The old form does not say which grants are not the sync's:
    # they are listed once and recorded (an index write), nothing else changes.
    # The old form has no record of the meetings calendars either: each is found by its
    # name holding the digest it should have (nothing uploaded), then recorded.
    assert {r.status for r in again.results if r.kind != "calendar"} <= {
        "unchanged",
        "recorded",
        "manual",
    }
    assert not [p for p in uploads_of(site) if "/child/attachment" in p]
    assert [r.item for r in again.results if r.status == "recorded"] == [
        f"grants of space {key}" for key in sorted((HUB, GROUP))
    ]
    trusted = site.sync()
    assert trusted.writes == 0 and trusted.by_method == {"GET": 1 + 2 * 2}
    site.write_config(["2026-03-19", "2026-09-10"])
    moved = site.sync()
    assert not failed(moved), failed(moved)
    written = sum(1 for r in moved.results if r.status == "updated")
    # each changed page read once (the calendars' attachment ids are recorded: no lookup)
    assert moved.by_method.get("GET") == 1 + 2 * 2 + written
    head = index_store.read(site.backend().reader, GROUP).head
    assert head is not None and isinstance(head.value, dict) and "pages" not in head.value
    assert site.sync().writes == 0


def uploads_of(site: Site) -> list[str]:
    return [e["path"] for e in site.journal.entries() if e["method"] == "POST"]
