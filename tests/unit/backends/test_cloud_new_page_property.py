"""A new page's marker on Cloud, which may write the page's properties in the background right
after the create (CONFCLOUD-72142): a 409 on the marker's create leads to a read and an update
with the property's version in the same call; a duplicate key is said in plain words."""

from __future__ import annotations

import pytest

from confluence_sync.backends.retry import RetryPolicy
from confluence_sync.errors import BadRequestError
from confluence_sync.wiki.values import PageInfo, Property

from .conftest import ScriptedServer
from .test_backend_adapters import cloud, cloud_space_route

PROPS = "/wiki/api/v2/pages/88/properties"
PAGE = {"id": "88", "title": "T", "spaceId": "9001", "parentId": "50", "version": {"number": 1}}
CONFLICT = {"errors": [{"status": 409, "title": "ConflictException: created meanwhile"}]}


def _create(wiki: ScriptedServer, policy: RetryPolicy) -> PageInfo:
    return (
        cloud(wiki, policy)
        .writer()
        .create_page(
            "UPX", "T", "<p/>", labels=["meeting"], properties={"confluence-sync": {"v": 1}}
        )
    )


def test_a_409_on_the_marker_create_is_read_and_updated_with_its_version(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    cloud_space_route(wiki)
    wiki.route("POST", "/wiki/api/v2/pages", (200, PAGE, {}))
    wiki.route("POST", PROPS, (409, CONFLICT, {}))
    background = {"id": "p1", "key": "confluence-sync", "value": None, "version": {"number": 1}}
    wiki.route("GET", PROPS, (200, {"results": [background]}, {}))
    saved = {**background, "value": {"v": 1}, "version": {"number": 2}}
    wiki.route("PUT", PROPS + "/p1", (200, saved, {}))
    wiki.route("POST", "/wiki/rest/api/content/88/label", (200, {"results": []}, {}))
    assert _create(wiki, policy).id == "88"
    assert [(s.method, s.path) for s in wiki.seen[2:]] == [
        ("POST", PROPS),
        ("GET", PROPS),
        ("PUT", PROPS + "/p1"),
        ("POST", "/wiki/rest/api/content/88/label"),
    ]
    assert wiki.seen[4].body == {
        "key": "confluence-sync",
        "value": {"v": 1},
        "version": {"number": 2},
    }


def test_a_409_whose_property_holds_our_value_already_writes_nothing_more(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    wiki.route("POST", PROPS, (409, CONFLICT, {}))
    ours = {"id": "p1", "key": "k", "value": {"v": 1}, "version": {"number": 1}}
    wiki.route("GET", PROPS, (200, {"results": [ours]}, {}))
    writer = cloud(wiki, policy).writer()
    prop = writer.set_page_property("88", "k", {"v": 1}, current=None)
    assert prop == Property("k", {"v": 1}, 1, "p1")
    assert [s.method for s in wiki.seen] == ["POST", "GET"]


def test_a_duplicate_key_is_reported_as_such(wiki: ScriptedServer, policy: RetryPolicy) -> None:
    cloud_space_route(wiki)
    wiki.route("POST", "/wiki/api/v2/pages", (200, PAGE, {}))
    duplicate = {"errors": [{"status": 400, "title": "jsonproperty.duplicate.key"}]}
    wiki.route("POST", PROPS, (400, duplicate, {}))
    with pytest.raises(BadRequestError) as raised:
        _create(wiki, policy)
    text = str(raised.value)
    assert "holds this property key twice" in text and "CONFCLOUD-72142" in text
    assert "page 88 was created; the next sync completes it" in text
    assert not wiki.calls("POST", "/wiki/rest/api/content/88/label")  # stopped there
