"""A space too big for one index property, synced through the engine: its index is sharded,
read in one request, written only where it changed, merged when another writer got there
first; an index written in the old single-property form is read without a storm of reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from confluence_sync.apply.lock import LockLostError, acquire
from confluence_sync.run import RunOptions, sync_run
from confluence_sync.state import ledger_store as index_store
from confluence_sync.state.ledger import INDEX_KEY
from confluence_sync.state.ledger_store import LIMIT, size
from confluence_sync.wiki.values import JSON, Property

from .conftest import GROUP, HUB, network, plan_for
from .fake import FakeWiki
from .legacy import legacy_value

OPTIONS = RunOptions(today=dt.date(2026, 1, 15), workers=2)
PAGES = 300  # the group space then holds about 305 pages: about 55 KB of index


def run(wiki: FakeWiki, **kw: Any) -> Any:
    return sync_run(wiki.backend(), network(extra_pages=PAGES, **kw), OPTIONS)


def versions(wiki: FakeWiki, space: str) -> dict[str, int]:
    return {p.key: p.version for p in wiki.index_props(space)}


def test_a_big_space_is_sharded_under_the_limit_and_a_no_op_reads_it_once() -> None:
    wiki = FakeWiki()
    first = run(wiki)
    assert not [r for r in first.results if r.failed]
    props = wiki.index_props(GROUP)
    assert len(props) > 2 and all(size(p.value) <= LIMIT for p in props)
    again = run(wiki)
    assert again.writes == 0 and again.plan.empty
    assert again.requests == 1 + 2 * 2  # the spaces; per space its pages, its index


def test_one_changed_page_rewrites_one_shard_and_not_the_groups_head() -> None:
    wiki = FakeWiki()
    run(wiki)
    before = versions(wiki, GROUP)
    result = run(wiki, facts="Hamburg")  # the meetings' facts change: two pages
    pages = sum(r.status == "updated" for r in result.results)
    after = versions(wiki, GROUP)
    changed = [k for k in after if after[k] != before[k]]
    assert after[INDEX_KEY] == before[INDEX_KEY] and 1 <= len(changed) <= pages
    assert result.writes == pages + len(changed) + 2  # and the hub's lock taken, released


def test_an_index_in_the_single_property_form_is_trusted_then_rewritten() -> None:
    wiki = FakeWiki()
    run(wiki)
    for space in (HUB, GROUP):
        index = index_store.read(wiki, space).index
        wiki.drop_index(space)
        wiki.set_space_property(space, INDEX_KEY, legacy_value(index), current=None)
    wiki.body_reads.clear()
    # No page is read again; the old form does not say which grants are not the sync's, so
    # they are listed once and recorded with the index, and then trusted.
    first = run(wiki)
    assert {r.status for r in first.results} <= {"unchanged", "recorded", "manual"}
    assert run(wiki).writes == 0
    assert wiki.body_reads == []
    result = run(wiki, facts="Hamburg")
    head = wiki.space_props[(GROUP, INDEX_KEY)].value
    assert isinstance(head, dict) and "pages" not in head  # now head and shards
    updated = [r for r in result.results if r.status == "updated"]
    assert len(wiki.body_reads) == len(updated) == 3  # the changed pages, read to splice
    assert run(wiki, facts="Hamburg").writes == 0


class Contested(FakeWiki):
    """Another writer changes a page shard of the group just before our write of it."""

    def __init__(self) -> None:
        super().__init__()
        self.contest: str | None = None  # "merge", or "lock": also takes the hub's lock

    def set_space_property(
        self, space_key: str, key: str, value: JSON, *, current: Property | None
    ) -> Property:
        if self.contest and space_key == GROUP and key.startswith(f"{INDEX_KEY}.p") and current:
            contest, self.contest = self.contest, None
            theirs: Any = current.value
            foreign = {"i": 4711, "v": 3}  # a page record only the other writer knows
            super().set_space_property(
                space_key,
                key,
                {**theirs, "p": {**theirs["p"], "group/UPX/foreign": foreign}},
                current=current,
            )
            if contest == "lock":  # run B, after our lock's expiry, takes it over
                _, state = plan_for(self, network(extra_pages=PAGES))
                later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)
                acquire(self, self, state.spaces[HUB], now=later, holder="B")
        return super().set_space_property(space_key, key, value, current=current)


def test_a_contested_shard_is_read_again_and_merged() -> None:
    wiki = Contested()
    run(wiki)
    wiki.contest = "merge"
    result = run(wiki, facts="Hamburg")
    assert not [r for r in result.results if r.failed]
    pages = index_store.read(wiki, GROUP).index.pages
    assert "group/UPX/foreign" in pages  # theirs kept
    assert pages["group/UPX/meeting/2026-03"].version == 2  # ours written


def test_a_contested_shard_under_a_lost_lock_is_not_written() -> None:
    wiki = Contested()
    run(wiki)
    wiki.contest = "lock"
    with pytest.raises(LockLostError):
        run(wiki, facts="Hamburg")
    lock = wiki.space_props[(HUB, INDEX_KEY)].value["lock"]  # type: ignore[index, call-overload]
    assert lock["holder"] == "B" and "released" not in lock
    pages = index_store.read(wiki, GROUP).index.pages
    assert "group/UPX/foreign" in pages  # their shard as they wrote it
    assert pages["group/UPX/meeting/2026-03"].version == 1  # ours not written over it
