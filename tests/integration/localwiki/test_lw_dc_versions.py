"""The Data Center releases the local wiki plays (``LocalWiki(dc_version=…)``): the REST routes
an older release lacks answer the 404 of an unknown route, 9.1+ answers a non-admin's
permission listing with 500 (CONFSERVER-99908), and the server information names the release."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from confluence_sync.localwiki.api.v1.site import parse_version
from confluence_sync.localwiki.server import LocalWiki

from .conftest import Wiki, _serve

PERMISSIONS = "/space/NET/permissions"
GRANT = [{"targetType": "space", "operationKey": "read"}]


@pytest.fixture(params=["8.1.4", "8.5.9", "9.0.3", "9.1.0", "10.0.3"])
def versioned(request: pytest.FixtureRequest) -> Iterator[Wiki]:
    yield from _serve(flavour="dc", dc_version=request.param)


def _since(wiki: Wiki, version: tuple[int, ...]) -> bool:
    return (parse_version(wiki.server.options.dc_version) or ()) >= version


def test_server_information_names_the_played_release(versioned: Wiki) -> None:
    data = versioned.v1("GET", "/server-information").json()
    assert data["version"] == versioned.server.options.dc_version
    assert data["buildNumber"] == int(data["version"].split(".")[0]) * 1000


def test_space_permission_routes_exist_from_9_1(versioned: Wiki) -> None:
    versioned.space()
    versioned.server.store.create_group("wg")
    listing = versioned.v1("GET", PERMISSIONS)
    grant = versioned.v1("PUT", f"{PERMISSIONS}/group/wg/grant", json=GRANT)
    unknown = versioned.v1("GET", "/no-such-route")
    if _since(versioned, (9, 1)):
        assert listing.status_code == 200 and grant.status_code == 204
    else:  # the same answer as a route the wiki does not know
        assert listing.status_code == grant.status_code == unknown.status_code == 404
        assert listing.json()["message"].startswith("No route for GET")


def test_group_admin_routes_exist_from_8_2(versioned: Wiki) -> None:
    created = versioned.v1("POST", "/admin/group", json={"type": "group", "name": "wg"})
    versioned.server.store.create_user("member", "pw-member")
    versioned.server.store.create_group("other")
    joined = versioned.v1("PUT", "/user/member/group/other")
    assert versioned.v1("GET", "/group/other").status_code == 200  # reads are older
    if not _since(versioned, (8, 2)):
        assert created.status_code == joined.status_code == 404
    else:
        assert created.status_code == 200 and joined.status_code == 204


def test_a_non_admin_gets_500_from_the_listing_on_9_1_and_later(versioned: Wiki) -> None:
    versioned.space()
    versioned.server.store.create_user("member", "pw-member")
    member = versioned.as_user("member", "pw-member")
    status = member.v1("GET", PERMISSIONS).status_code
    expected = 500 if _since(versioned, (9, 1)) else 404
    assert status == expected
    # Not the write: a non-admin's grant stays the 403 it was.
    if expected == 500:
        versioned.server.store.create_group("wg")
        assert member.v1("PUT", f"{PERMISSIONS}/group/wg/grant", json=GRANT).status_code == 403


def test_a_release_that_is_not_one_is_refused() -> None:
    with pytest.raises(ValueError, match="dc_version"):
        LocalWiki(dc_version="ten")
