"""The Cloud and Data Center adapters against a scripted server: which requests they send,
in what shape, and how many."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.wrappers import Request

from confluence_sync.backends import open_backend
from confluence_sync.backends.cloud import CloudReader
from confluence_sync.backends.contract import Backend
from confluence_sync.backends.datacenter import DataCenterReader
from confluence_sync.backends.retry import RetryPolicy
from confluence_sync.errors import ConflictError, ServerError
from confluence_sync.settings import Settings
from confluence_sync.wiki.values import Grant, Page, PageInfo, PageUpdate, Property

from .conftest import ScriptedServer

Reply = tuple[int, Any, dict[str, str]]


def dc(wiki: ScriptedServer, policy: RetryPolicy) -> Backend:
    settings = Settings.from_env({}, url=wiki.url, flavour="datacenter", token="pat")
    return open_backend(settings, policy=policy)


def cloud(wiki: ScriptedServer, policy: RetryPolicy) -> Backend:
    settings = Settings.from_env(
        {}, url=wiki.url + "/wiki", flavour="cloud", username="a@example.org", api_token="t"
    )
    return open_backend(settings, policy=policy)


def dc_page(
    page_id: str, version: int, parent: str | None = None, body: str = ""
) -> dict[str, Any]:
    return {
        "id": page_id,
        "type": "page",
        "status": "current",
        "title": f"Page {page_id}",
        "space": {"key": "UPX"},
        "version": {"number": version},
        "ancestors": [{"id": "1"}, {"id": parent}] if parent else [],
        "body": {"storage": {"value": body, "representation": "storage"}},
    }


def cloud_space_route(wiki: ScriptedServer) -> None:
    wiki.route(
        "GET",
        "/wiki/api/v2/spaces",
        (200, {"results": [{"id": "9001", "key": "UPX", "name": "Upx", "homepageId": "50"}]}, {}),
    )


def test_reader_cannot_write_by_construction(wiki: ScriptedServer, policy: RetryPolicy) -> None:
    for backend in (dc(wiki, policy), cloud(wiki, policy)):
        for name in ("create_page", "update_page", "grant", "set_page_property", "move_page"):
            assert not hasattr(backend.reader, name)
            assert hasattr(backend.writer(), name)


def test_capabilities_per_flavour(wiki: ScriptedServer, policy: RetryPolicy) -> None:
    assert dc(wiki, policy).reader.capabilities.supports_templates is False
    assert cloud(wiki, policy).reader.capabilities.supports_templates is True


def test_dc_create_page_sends_marker_then_labels_in_their_own_requests(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    """Data Center ignores ``metadata`` in a create (confluencebuilder#664): nothing rides
    inline; the marker follows first, then the labels."""
    wiki.route("POST", "/rest/api/content", (200, dc_page("77", 1, parent="10"), {}))
    wiki.route(
        "POST",
        "/rest/api/content/77/property",
        (200, {"key": "confluence-sync", "value": {}, "version": {"number": 1}}, {}),
    )
    wiki.route("POST", "/rest/api/content/77/label", (200, {"results": []}, {}))
    backend = dc(wiki, policy)
    page = backend.writer().create_page(
        "UPX",
        "Treffen März",
        "<p>hi</p>",
        parent_id="10",
        labels=["Meeting", "meeting", "upx"],
        properties={"confluence-sync": {"id": "group/UPX/meeting/2026-03"}},
    )
    assert page == PageInfo("77", "Page 77", "UPX", "10", 1)
    create, marker, labels = wiki.seen
    assert create.body["ancestors"] == [{"id": "10"}]
    assert "metadata" not in create.body
    assert marker.body == {
        "key": "confluence-sync",
        "value": {"id": "group/UPX/meeting/2026-03"},
    }
    assert labels.body == [
        {"prefix": "global", "name": "meeting"},
        {"prefix": "global", "name": "upx"},
    ]
    assert backend.counter.requests == 3


def test_dc_list_pages_paginates_and_reads_parents(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    def pages(request: Request) -> Reply:
        if request.args.get("start") == "1":
            return 200, {"results": [dc_page("3", 4, parent="2")], "_links": {}}, {}
        return (
            200,
            {"results": [dc_page("2", 1)], "_links": {"next": "/rest/api/content?start=1"}},
            {},
        )

    wiki.route("GET", "/rest/api/content", pages)
    listed = dc(wiki, policy).reader.list_pages("UPX")
    assert wiki.seen[0].args["spaceKey"] == ["UPX"]
    assert "ancestors" in wiki.seen[0].args["expand"][0]
    assert [(p.id, p.parent_id, p.version) for p in listed] == [("2", None, 1), ("3", "2", 4)]


def test_dc_update_conflict_rereads_and_asks_before_writing(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    puts: list[int] = []

    def put(request: Request) -> Reply:
        version = request.get_json()["version"]["number"]
        puts.append(version)
        if version == 3:
            return 409, {"statusCode": 409, "message": "Version must be incremented"}, {}
        return 200, dc_page("5", version), {}

    wiki.route("PUT", "/rest/api/content/5", put)
    wiki.route("GET", "/rest/api/content/5", (200, dc_page("5", 6, body="member edit"), {}))
    seen_by_recheck: list[Page] = []

    def recheck(current: Page) -> PageUpdate | None:
        seen_by_recheck.append(current)
        return PageUpdate("5", "Page 5", current.body + "<p>ours</p>", current.info.version)

    writer = dc(wiki, policy).writer()
    result = writer.update_page(PageUpdate("5", "Page 5", "<p>ours</p>", 2), recheck=recheck)
    assert puts == [3, 7]
    assert result.version == 7
    assert seen_by_recheck[0].body == "member edit"
    assert wiki.calls("PUT")[-1].body["body"]["storage"]["value"] == "member edit<p>ours</p>"

    with pytest.raises(ConflictError):
        writer.update_page(PageUpdate("5", "Page 5", "x", 2), recheck=lambda _page: None)
    with pytest.raises(ConflictError):
        writer.update_page(PageUpdate("5", "Page 5", "x", 2))
    assert puts == [3, 7, 3, 3]


def test_dc_permissions_use_user_keys_and_dc_vocabulary(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    wiki.route(
        "GET",
        "/rest/api/user",
        (200, {"username": "jo", "userKey": "ff01", "displayName": "Jo Müller"}, {}),
    )
    wiki.route("PUT", "/rest/api/space/UPX/permissions/user/ff01/grant", (204, "", {}))
    wiki.route("PUT", "/rest/api/space/UPX/permissions/group/Vorstand Nord/revoke", (204, "", {}))
    wiki.route(
        "GET",
        "/rest/api/space/UPX/permissions",
        (
            200,
            [
                {
                    "operation": {"operationKey": "restrict", "targetType": "space"},
                    "subject": {"type": "group", "name": "board"},
                },
                {
                    "operation": {"operationKey": "read", "targetType": "space"},
                    "subject": {"type": "user", "username": "jo"},
                },
                {
                    "operation": {"operationKey": "read", "targetType": "space"},
                    "subject": {"type": "anonymous"},
                },
            ],
            {},
        ),
    )
    backend = dc(wiki, policy)
    backend.writer().grant("UPX", Grant("user", "jo", "restrict"))
    backend.writer().revoke("UPX", Grant("group", "Vorstand Nord", "delete_own"))
    assert wiki.calls("PUT")[0].body == [{"targetType": "space", "operationKey": "restrict"}]
    assert wiki.calls("PUT")[1].body == [{"targetType": "space", "operationKey": "delete_own"}]
    assert backend.reader.list_grants("UPX") == [
        Grant("group", "board", "restrict"),
        Grant("user", "jo", "read"),
    ]


def test_cloud_space_id_is_resolved_once(wiki: ScriptedServer, policy: RetryPolicy) -> None:
    cloud_space_route(wiki)
    reader = cloud(wiki, policy).reader
    assert isinstance(reader, CloudReader)
    assert reader.get_space("UPX") == reader.get_space("UPX")
    assert len(wiki.seen) == 1 and wiki.seen[0].args["keys"] == ["UPX"]


def test_cloud_create_page_puts_marker_first_then_labels(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    cloud_space_route(wiki)
    wiki.route(
        "POST",
        "/wiki/api/v2/pages",
        (
            200,
            {
                "id": "88",
                "title": "T",
                "spaceId": "9001",
                "parentId": "50",
                "version": {"number": 1},
            },
            {},
        ),
    )
    wiki.route(
        "POST",
        "/wiki/api/v2/pages/88/properties",
        (200, {"id": "p1", "key": "confluence-sync", "value": {}, "version": {"number": 1}}, {}),
    )
    wiki.route("POST", "/wiki/rest/api/content/88/label", (200, {"results": []}, {}))
    backend = cloud(wiki, policy)
    page = backend.writer().create_page(
        "UPX", "T", "<p/>", labels=["meeting"], properties={"confluence-sync": {"v": 1}}
    )
    assert page == PageInfo("88", "T", "UPX", "50", 1)
    assert [s.path for s in wiki.seen] == [
        "/wiki/api/v2/spaces",
        "/wiki/api/v2/pages",
        "/wiki/api/v2/pages/88/properties",
        "/wiki/rest/api/content/88/label",
    ]
    assert wiki.seen[1].body == {
        "spaceId": "9001",
        "status": "current",
        "title": "T",
        "body": {"representation": "storage", "value": "<p/>"},
    }


def test_cloud_ambiguous_create_is_looked_up_not_duplicated(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    cloud_space_route(wiki)
    wiki.route("POST", "/wiki/api/v2/pages", (504, "<html>gateway timeout</html>", {}))
    found = PageInfo("88", "T", "UPX", "50", 1)
    page = cloud(wiki, policy).writer().create_page("UPX", "T", "<p/>", find_existing=lambda: found)
    assert page is found
    assert len(wiki.calls("POST")) == 1

    with pytest.raises(ServerError):
        cloud(wiki, policy).writer().create_page("UPX", "T", "<p/>")


def test_cloud_property_update_addresses_the_property_id(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    wiki.route(
        "PUT",
        "/wiki/api/v2/pages/88/properties/p1",
        (200, {"id": "p1", "key": "k", "value": {"n": 2}, "version": {"number": 4}}, {}),
    )
    current = Property("k", {"n": 1}, 3, "p1")
    saved = cloud(wiki, policy).writer().set_page_property("88", "k", {"n": 2}, current=current)
    assert saved == Property("k", {"n": 2}, 4, "p1")
    assert wiki.seen[0].body == {"key": "k", "value": {"n": 2}, "version": {"number": 4}}


def test_cloud_grants_map_vocabulary_and_group_names(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    cloud_space_route(wiki)
    wiki.route(
        "GET",
        "/wiki/api/v2/spaces/9001/permissions",
        (
            200,
            {
                "results": [
                    {
                        "id": "11",
                        "principal": {"type": "group", "id": "g-uuid"},
                        "operation": {"key": "restrict_content", "targetType": "space"},
                    },
                    {
                        "id": "12",
                        "principal": {"type": "user", "id": "5570:abc"},
                        "operation": {"key": "delete", "targetType": "space"},
                    },
                    {
                        "id": "13",
                        "principal": {"type": "role", "id": "r"},
                        "operation": {"key": "read", "targetType": "space"},
                    },
                ]
            },
            {},
        ),
    )
    wiki.route(
        "GET", "/wiki/rest/api/group", (200, {"results": [{"id": "g-uuid", "name": "board"}]}, {})
    )
    wiki.route("DELETE", "/wiki/rest/api/space/UPX/permission/12", (204, "", {}))
    wiki.route("GET", "/wiki/api/v2/space-role-mode", (200, {"mode": "ROLES_TRANSITION"}, {}))
    backend = cloud(wiki, policy)
    grants = backend.reader.list_grants("UPX")
    assert grants == [Grant("group", "board", "restrict"), Grant("user", "5570:abc", "delete_own")]
    assert grants[1].native_id == "12"
    backend.writer().revoke("UPX", Grant("user", "5570:abc", "delete_own"))
    assert wiki.calls("DELETE")[0].path.endswith("/permission/12")


def test_dc_reader_is_the_flavours_reader(wiki: ScriptedServer, policy: RetryPolicy) -> None:
    assert isinstance(dc(wiki, policy).reader, DataCenterReader)
