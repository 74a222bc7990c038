"""``check_site``: the run's first request on its own, as a pre-flight check calls it."""

from __future__ import annotations

import pytest

from confluence_sync.backends import check_site
from confluence_sync.errors import CredentialsError, SiteError
from confluence_sync.localwiki.server import LocalWiki

from .conftest import Site, connect


def test_a_usable_site_passes_with_one_request(site: Site) -> None:
    site.wiki.app.clear()  # type: ignore[attr-defined]
    check_site(connect(site.wiki, site.flavour))
    assert site.wiki.app.counts().total == 1  # type: ignore[attr-defined]


def test_a_wrong_token_is_a_credentials_error(site: Site) -> None:
    with pytest.raises(CredentialsError) as caught:
        check_site(connect(site.wiki, site.flavour, api_token="not-the-token"))
    assert caught.value.status == 401 and "not-the-token" not in str(caught.value)


def test_a_wrong_context_path_names_the_right_one() -> None:
    with LocalWiki(flavour="dc", context_path="/wiki-dc") as wiki:
        wiki.url = wiki.root_url  # as if the admin left out the context path
        with pytest.raises(SiteError) as caught:
            check_site(connect(wiki, "dc"))
    # /wiki-dc is no guess of ours: nothing answered, so the hint is the general one.
    assert caught.value.cause == "wrong-path" and caught.value.suggestion == ""
    assert "right URL and flavour" in caught.value.hint
