"""A Cloud site on its own domain, its flavour guessed as Data Center: Cloud's v1 space listing
answers the run's first request as Data Center's would, so the first sign is Data Center's
``server-information`` missing. The site is then asked who it is (one request, only then), and
a Cloud answer ends the run as a wrong flavour (exit 7) before anything is changed."""

from __future__ import annotations

import pytest

from confluence_sync.errors import SiteError
from confluence_sync.localwiki.server import LocalWiki

from .conftest import connect


def test_a_cloud_site_taken_for_data_center_is_named_as_cloud() -> None:
    with LocalWiki(flavour="cloud") as wiki:  # v1 routes kept: the first request passes
        backend = connect(wiki, "dc")
        try:
            with pytest.raises(SiteError) as caught:
                backend.reader.server_version()  # type: ignore[attr-defined]
            assert caught.value.cause == "wrong-flavour" and caught.value.exit_code == 7
            assert "CONFLUENCE_FLAVOUR=cloud" in str(caught.value)
        finally:
            backend.close()


def test_data_center_costs_no_request_more() -> None:
    with LocalWiki(flavour="dc") as wiki:
        backend = connect(wiki, "dc")
        try:
            before = backend.counter.requests
            assert backend.reader.server_version() == "10.0.3"  # type: ignore[attr-defined]
            assert backend.counter.requests - before == 1
        finally:
            backend.close()
