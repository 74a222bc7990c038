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
    assert caught.value.cause == "refused"
    # The other worker may have had a request on a kept-alive connection when it was cut
    # (a reset, retried once on a new connection, which is refused); nothing after that.
    assert counter.requests - at_stop[0] <= options.workers * 2
    assert caplog.text.count("retry") <= options.workers
