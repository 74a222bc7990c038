"""A rate limit longer than ``--max-wait`` mid-run stops the run cleanly: no exception, what
is left is reported as not done (exit 5), nothing more is sent; the next run does the rest
and the one after has nothing left to write."""

from __future__ import annotations

import datetime as dt

from confluence_sync.errors import EXIT_PARTIAL
from confluence_sync.run import load_wanted, sync_run

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

    # The next run (a new process on this host, or one after the lock's expiry) does the rest.
    options = site.options()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)
    again = sync_run(site.backend(), load_wanted(site.path, options), options, now=lambda: later)
    assert not [r for r in again.results if r.failed], [r.reason for r in again.results]
    site.journal.clear()
    last = site.sync()
    assert site.journal.counts().writes == 0, [r for r in last.results if r.status != "unchanged"]
