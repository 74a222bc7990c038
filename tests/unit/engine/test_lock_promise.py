"""The run lock's promise to renew: a lock says when it was last written and within how long
its holder writes it again (renewal interval + ``--max-wait`` + a clock margin). A run that
stopped past ``--max-wait`` cannot release its lock (the limit holds for that write too), so
the next run takes it over once the promise has passed — long before the two-hour expiry —
and says whose lock it was; within the promise the lock still counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from confluence_sync.apply.lock import LockedError, acquire, check
from confluence_sync.backends.rate_gate import stopped
from confluence_sync.run import RunOptions, sync_run
from confluence_sync.state.ledger import INDEX_KEY
from confluence_sync.wiki.values import JSON, Property

from .conftest import HUB, network, plan_for
from .fake import FakeWiki

T0 = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)
PROMISE = dt.timedelta(minutes=5 + 10 + 2)  # renewal every 5 min, --max-wait 600 s, clocks


def hub_lock(wiki: FakeWiki) -> dict[str, Any]:
    prop = wiki.space_props[(HUB, INDEX_KEY)]
    assert isinstance(prop.value, dict) and isinstance(prop.value["lock"], dict)
    return dict(prop.value["lock"])


def locked_at_t0(wiki: FakeWiki, *, max_wait: float = 600) -> None:
    """Another run took the lock at T0 and was never heard of again."""
    sync_run(wiki.backend(), network(), RunOptions(today=T0.date()), now=lambda: T0)
    _, state = plan_for(wiki, network(meetings=("2026-03-12",)))
    acquire(wiki, wiki, state.spaces[HUB], now=T0, holder="ci@runner-7 pid 41", max_wait=max_wait)


def test_a_lock_promises_a_renewal_within_its_interval_and_max_wait(wiki: FakeWiki) -> None:
    locked_at_t0(wiki)
    lock = hub_lock(wiki)
    assert lock["renewed"] == T0.isoformat(timespec="seconds")
    assert lock["renew_within"] == PROMISE.total_seconds()


def test_within_the_promise_the_lock_counts_past_it_the_next_run_takes_it_over(
    wiki: FakeWiki,
) -> None:
    locked_at_t0(wiki)
    _, state = plan_for(wiki, network())
    with pytest.raises(LockedError, match="another sync is running"):
        check(state.spaces[HUB], T0 + PROMISE - dt.timedelta(minutes=1))
    note = check(state.spaces[HUB], T0 + PROMISE + dt.timedelta(minutes=1))
    assert note == (
        "took over the lock of ci@runner-7 pid 41 since 2026-01-15T12:00:00+00:00: not renewed "
        "since 2026-01-15T12:00:00+00:00, though a running sync renews it within 17 min "
        "(that run stopped: past --max-wait for a rate limit, or killed)"
    )


def test_a_lock_of_an_older_sync_without_a_promise_counts_until_it_expires(
    wiki: FakeWiki,
) -> None:
    locked_at_t0(wiki)
    prop = wiki.space_props[(HUB, INDEX_KEY)]
    assert isinstance(prop.value, dict)
    old = {k: v for k, v in hub_lock(wiki).items() if k not in ("renewed", "renew_within")}
    wiki.set_space_property(HUB, INDEX_KEY, {**prop.value, "lock": old}, current=prop)
    _, state = plan_for(wiki, network())
    with pytest.raises(LockedError):
        check(state.spaces[HUB], T0 + dt.timedelta(hours=1))
    assert "stale lock" in check(state.spaces[HUB], T0 + dt.timedelta(hours=3))


@dataclass
class StoppedAtRelease(FakeWiki):
    """The site's limit outlasted --max-wait just before the release: every write after it is
    refused by the closed gate, without a request."""

    refused: int = 0

    def set_space_property(
        self, space_key: str, key: str, value: JSON, *, current: Property | None
    ) -> Property:
        lock = value.get("lock") if isinstance(value, dict) else None
        if space_key == HUB and isinstance(lock, dict) and "released" in lock:
            self.refused += 1
            raise stopped(f"property {key} of {HUB}", T0.timestamp() + 3600)
        return super().set_space_property(space_key, key, value, current=current)


def test_a_release_after_a_stop_is_not_tried_again_and_says_when_the_lock_is_free() -> None:
    wiki = StoppedAtRelease()
    options = RunOptions(today=T0.date(), max_wait=600)
    result = sync_run(wiki.backend(), network(), options, now=lambda: T0)
    assert wiki.refused == 1  # the limit holds for every try: one is enough
    failed = [r for r in result.results if r.failed]
    assert [r.item for r in failed] == [f"index of space {HUB}"]
    free = (T0 + PROMISE).isoformat(timespec="seconds")
    assert f"takes this run's lock over from {free} on" in failed[0].reason, failed[0].reason
    # ... and the next run then does take it over, before the lock's expiry
    _, state = plan_for(wiki, network())
    later = T0 + PROMISE + dt.timedelta(seconds=1)
    assert later < dt.datetime.fromisoformat(hub_lock(wiki)["expires"])
    assert "not renewed since" in check(state.spaces[HUB], later)
