"""A site that goes away in the middle of a sync ends the run with one SiteError: the first
refused connection stops it, no later request is sent or retried."""

from __future__ import annotations

import logging

import pytest

from confluence_sync.apply.results import ItemResult
from confluence_sync.errors import SiteError
from confluence_sync.run import load_wanted, sync_run

from .conftest import Site


@pytest.mark.parametrize("site", ["dc", "cloud"], indirect=True)
def test_a_site_lost_mid_run_ends_the_run(site: Site, caplog: pytest.LogCaptureFixture) -> None:
    site.write_config()
    backend = site.backend()
    counter = backend.reader.counter
    options = site.options()
    wanted = load_wanted(site.path, options)
    at_stop: list[int] = []
    finished: list[ItemResult] = []

    def lose_the_site(result: ItemResult) -> None:
        finished.append(result)
        if len(finished) == 6 and not at_stop:  # both workers busy: the server goes away
            site.wiki.stop()
            at_stop.append(counter.requests)

    quiet = caplog.at_level(logging.WARNING, logger="confluence_sync")
    with quiet, pytest.raises(SiteError) as caught:
        sync_run(backend, wanted, options, progress=lose_the_site)
    # A connect to the port that just closed is refused; on a loaded machine the kernel may
    # instead reset the half-open connect (urllib3 then reports no refusal): both end the run.
    assert caught.value.cause in ("refused", "unreachable")
    # Each worker may have had a request in flight, or on a kept-alive connection, when the
    # server went (a reset, retried on a new connection, which is refused); nothing after
    # that. A retry per remaining request would be dozens.
    assert counter.requests - at_stop[0] <= options.workers * 4
    assert caplog.text.count("retry") <= options.workers * 2
