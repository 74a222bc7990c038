"""``unlock``: the lock a killed run left behind is removed, and only the lock."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from confluence_sync.apply.lock import LockedError, acquire, break_lock, check
from confluence_sync.state.ledger import INDEX_KEY
from confluence_sync.wiki.values import Property

from .conftest import HUB, network, plan_for, sync
from .fake import FakeWiki

NOW = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)


def test_nothing_to_remove_says_so_and_writes_nothing(wiki: FakeWiki) -> None:
    assert "no sync has recorded one" in break_lock(wiki, wiki, HUB, now=NOW)
    sync(wiki, network())
    _, state = plan_for(wiki, network())
    acquire(wiki, wiki, state.spaces[HUB], now=NOW, holder="cron@box pid 4711")
    break_lock(wiki, wiki, HUB, now=NOW)
    writes = wiki.counter.writes
    assert "no lock held" in break_lock(wiki, wiki, HUB, now=NOW)
    assert wiki.counter.writes == writes


def test_a_killed_runs_lock_is_removed_and_named(wiki: FakeWiki) -> None:
    sync(wiki, network())
    _, state = plan_for(wiki, network())
    acquire(wiki, wiki, state.spaces[HUB], now=NOW, holder="cron@box pid 4711")
    before = {p.key: p.value for p in wiki.index_props(HUB)}
    message = break_lock(wiki, wiki, HUB, now=NOW + dt.timedelta(minutes=5), holder="me")
    assert "removed the lock of cron@box pid 4711" in message
    assert "held since 2026-01-15T12:00:00+00:00" in message and "valid until" in message
    after = {p.key: p.value for p in wiki.index_props(HUB)}
    assert after[INDEX_KEY]["lock"]["broken_by"] == "me"  # type: ignore[index, call-overload]
    after[INDEX_KEY].pop("lock")  # type: ignore[union-attr]
    before[INDEX_KEY].pop("lock")  # type: ignore[union-attr]
    assert after == before  # the head's other fields and every shard as they were
    _, after = plan_for(wiki, network())
    assert check(after.spaces[HUB], NOW) == ""  # the next sync may run


def test_a_lock_that_changes_meanwhile_is_not_overwritten(wiki: FakeWiki) -> None:
    sync(wiki, network())
    _, state = plan_for(wiki, network())
    acquire(wiki, wiki, state.spaces[HUB], now=NOW, holder="cron@box pid 4711")
    current = wiki.space_props[(HUB, INDEX_KEY)]
    stale = replace(current, version=current.version - 1)

    def reads_stale(space_key: str, key: str) -> Property | None:
        return stale  # read before another sync wrote the index

    wiki.get_space_property = reads_stale  # type: ignore[method-assign]
    with pytest.raises(LockedError, match="changed while it was being removed"):
        break_lock(wiki, wiki, HUB, now=NOW)
    assert wiki.space_props[(HUB, INDEX_KEY)] == current
