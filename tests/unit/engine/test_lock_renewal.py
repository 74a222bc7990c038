"""The run lock outliving a run: a long run renews it between changes; a run whose lock was
taken over anyway (it outlived the expiry) stops and leaves the other run's lock, instead of
writing its own "released" index over it."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest

from confluence_sync.apply.lock import LockedError, LockLostError, acquire, check
from confluence_sync.apply.results import ItemResult
from confluence_sync.run import RunOptions, sync_run
from confluence_sync.state.ledger import INDEX_KEY
from confluence_sync.wiki.values import JSON

from .conftest import HUB, network, plan_for
from .fake import FakeWiki

T0 = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)
TTL = dt.timedelta(minutes=4)
OPTIONS = RunOptions(today=T0.date(), workers=2)


def hub_lock(wiki: FakeWiki) -> dict[str, Any]:
    prop = wiki.space_props[(HUB, INDEX_KEY)]
    lock = prop.value.get("lock") if isinstance(prop.value, dict) else None
    assert isinstance(lock, dict)
    return dict(lock)


def ticking(step: dt.timedelta) -> Callable[[], dt.datetime]:
    """A clock that moves ``step`` on at every reading (a run that takes its time)."""
    counter = itertools.count()
    return lambda: T0 + next(counter) * step


def once_locked(wiki: FakeWiki, action: Callable[[], None]) -> Callable[[ItemResult], None]:
    """A progress callback that runs ``action`` once, at the first change after the lock."""
    done: list[bool] = []

    def progress(_: ItemResult) -> None:
        if not done and (HUB, INDEX_KEY) in wiki.space_props:
            done.append(True)
            action()

    return progress


def test_a_run_past_its_expiry_leaves_the_lock_another_run_took(wiki: FakeWiki) -> None:
    later = T0 + TTL + dt.timedelta(minutes=1)

    def run_b_takes_the_expired_lock() -> None:
        _, state = plan_for(wiki, network())
        assert "stale lock" in check(state.spaces[HUB], later)
        acquire(wiki, wiki, state.spaces[HUB], now=later, ttl=TTL)

    with pytest.raises(LockLostError, match="taken by"):
        sync_run(
            wiki.backend(),
            network(),
            OPTIONS,
            progress=once_locked(wiki, run_b_takes_the_expired_lock),
            now=lambda: T0,  # run A's clock stands still: no renewal saves it
            lock_ttl=TTL,
        )
    lock = hub_lock(wiki)
    assert lock["started"] == later.isoformat(timespec="seconds")  # run B's, still held
    assert "released" not in lock


def test_a_long_run_renews_its_lock_so_no_other_run_takes_it(wiki: FakeWiki) -> None:
    clock = ticking(dt.timedelta(minutes=1))  # every change takes a minute: > TTL in all
    refused: list[str] = []

    def run_b_tries() -> None:
        _, state = plan_for(wiki, network())
        try:
            check(state.spaces[HUB], T0 + TTL + dt.timedelta(minutes=1))
        except LockedError as error:
            refused.append(str(error))

    progress = once_locked(wiki, lambda: None)
    changes: list[ItemResult] = []

    def watch(item: ItemResult) -> None:
        changes.append(item)
        progress(item)
        if len(changes) == 12:  # well into the run, past the first expiry
            run_b_tries()

    result = sync_run(wiki.backend(), network(), OPTIONS, progress=watch, now=clock, lock_ttl=TTL)
    assert result.exit_code() == 0 and len(changes) > 12
    assert refused and "another sync is running" in refused[0]
    lock = hub_lock(wiki)
    started = dt.datetime.fromisoformat(lock["started"])
    assert dt.datetime.fromisoformat(lock["expires"]) > started + TTL  # renewed
    assert lock["released"]


def test_a_lock_lost_during_the_run_stops_it_at_the_next_change(wiki: FakeWiki) -> None:
    clock = ticking(dt.timedelta(minutes=1))
    foreign: dict[str, JSON] = {
        "holder": "cron@elsewhere pid 7",
        "host": "elsewhere",
        "pid": 7,
        "started": "2026-01-15T12:30:00+00:00",
        "expires": "2026-01-15T14:30:00+00:00",
    }

    def someone_breaks_in() -> None:
        prop = wiki.space_props[(HUB, INDEX_KEY)]
        assert isinstance(prop.value, dict)
        wiki.set_space_property(HUB, INDEX_KEY, {**prop.value, "lock": foreign}, current=prop)

    results: list[ItemResult] = []

    def watch(item: ItemResult) -> None:
        results.append(item)
        once(item)

    once = once_locked(wiki, someone_breaks_in)
    with pytest.raises(LockLostError):
        sync_run(wiki.backend(), network(), OPTIONS, progress=watch, now=clock, lock_ttl=TTL)
    assert hub_lock(wiki) == foreign
    assert any(r.status == "skipped" and "taken by cron@elsewhere" in r.reason for r in results)
