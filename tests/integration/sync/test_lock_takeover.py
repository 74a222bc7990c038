"""Two runs and a short lock TTL over real HTTP: run A outlives its lock, run B takes it over;
A's release finds B's lock and stops (LockLostError) instead of writing "released" over it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from confluence_sync.apply.lock import LockLostError, acquire, check
from confluence_sync.apply.results import ItemResult
from confluence_sync.run import load_wanted, sync_run
from confluence_sync.state.ledger import INDEX_KEY
from confluence_sync.state.observe import observe

from .conftest import HUB, Site

T0 = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)
TTL = dt.timedelta(seconds=30)


def hub_lock(site: Site) -> dict[str, Any]:
    prop = site.backend().reader.get_space_property(HUB, INDEX_KEY)
    assert prop is not None and isinstance(prop.value, dict)
    lock = prop.value.get("lock")
    assert isinstance(lock, dict)
    return lock


def test_a_run_that_outlived_its_lock_leaves_the_next_runs_lock(site: Site) -> None:
    site.write_config()
    options = site.options()
    later = T0 + TTL + dt.timedelta(seconds=1)
    taken: list[dict[str, Any]] = []

    def run_b(_: ItemResult) -> None:
        reader = site.backend().reader
        if taken or reader.get_space_property(HUB, INDEX_KEY) is None:
            return  # the hub is made before A takes its lock
        backend = site.backend()
        wanted = load_wanted(site.path, options)
        state = observe(backend.reader, wanted)
        assert "stale lock" in check(state.spaces[HUB], later)
        taken.append(acquire(backend.reader, backend.writer(), state.spaces[HUB], now=later).lock)

    backend = site.backend()
    wanted = load_wanted(site.path, options)
    with pytest.raises(LockLostError, match="taken by"):
        sync_run(backend, wanted, options, progress=run_b, now=lambda: T0, lock_ttl=TTL)
    assert taken
    lock = hub_lock(site)
    assert lock["started"] == taken[0]["started"] and "released" not in lock
