"""A rate limit longer than ``--max-wait`` mid-run stops the run cleanly: no exception, what
is left is reported as not done (exit 5), nothing more is sent — the lock's release neither,
as the limit holds for it too; the next run after the limit takes the lock over without
waiting for its two-hour expiry (the lock was not renewed within its promise), says so, and
does the rest; the one after has nothing left to write."""

from __future__ import annotations

import datetime as dt

import pytest

from confluence_sync.apply.lock import LockedError
from confluence_sync.errors import EXIT_PARTIAL
from confluence_sync.run import load_wanted, sync_run
from confluence_sync.state.ledger import INDEX_KEY

from .conftest import Site


def test_a_limit_past_max_wait_stops_the_run_and_the_next_run_finishes(site: Site) -> None:
    site.write_config()
    # A quota window: an hour, far past the default --max-wait of 300 s.
    site.faults.add("429:retry-after=3600:reset=3600:method=POST:after=6:count=1")
    result = site.sync()  # returns: the run is not aborted
    site.faults.clear()
    stopped = [r for r in result.results if "rate limited until" in r.reason]
    assert stopped, [(r.item, r.status, r.reason) for r in result.results]
    assert all(r.failed for r in stopped)
    assert result.exit_code(strict=False) == EXIT_PARTIAL
    entries = site.journal.entries()
    at = next(n for n, entry in enumerate(entries) if entry.get("fault"))
    after = [f"{e['method']} {e['path']}" for e in entries[at + 1 :]]
    # after the 429 only what the other workers had in flight before the client read it
    assert len(after) <= 2 * site.options().workers, after

    # The lock stays (its release met the limit too) and the report says until when.
    hub = site.backend().reader.get_space_property("PUU", INDEX_KEY)
    assert hub is not None and isinstance(hub.value, dict)
    lock = hub.value["lock"]
    assert lock.get("holder") and not lock.get("released"), lock
    assert lock["renew_within"] == 5 * 60 + 300 + 2 * 60  # renewal + --max-wait + clocks
    index = next(r for r in result.results if r.item == "index of space PUU")
    assert "takes this run's lock over from " in index.reason, index.reason

    # The next run in this process (as another host's would: the pid check cannot help)
    # while the promise stands is refused; after the limit it takes the lock over, long
    # before the lock's expiry (two hours), and says so.
    options = site.options()
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    with pytest.raises(LockedError, match="another sync is running"):
        sync_run(site.backend(), load_wanted(site.path, options), options, now=lambda: soon)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=61)
    assert later < dt.datetime.fromisoformat(lock["expires"])
    again = sync_run(site.backend(), load_wanted(site.path, options), options, now=lambda: later)
    assert not [r for r in again.results if r.failed], [r.reason for r in again.results]
    took = [n for n in again.notes if "took over the lock" in n]
    assert took and "not renewed since" in took[0] and "past --max-wait" in took[0], again.notes
    site.journal.clear()
    last = site.sync()
    assert site.journal.counts().writes == 0, [r for r in last.results if r.status != "unchanged"]
