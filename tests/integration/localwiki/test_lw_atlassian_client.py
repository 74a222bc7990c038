"""atlassian-python-api 5.0.5, unmodified, doing real work against both flavours.

Data Center: ``Confluence(url=BASE, username, password)`` picks the Server client.
Cloud: ``Confluence(url=BASE/wiki, api_version=2)`` is the v2-rooted client; v1-only work
(templates, label writes, space permissions, space create with a home page) goes through the
Server client pointed at ``BASE/wiki`` and the legacy Cloud client (``cloud=True``), whose
template helpers address ``/wiki/rest/api/template`` explicitly.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from atlassian import Confluence, ConfluenceServer
from requests import HTTPError

from .conftest import Wiki

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _dc_client(dc: Wiki) -> Any:
    return Confluence(url=dc.url, username="admin", password="admin")


def test_dc_client_spaces_pages_labels_properties(dc: Wiki) -> None:
    c = _dc_client(dc)
    assert type(c._impl).__name__ == "Server"
    c.create_space("NET", "Netzwerk")
    space = c.get_space("NET", expand="description.plain,homepage")
    assert space["homepage"]["title"] == "Netzwerk"
    page = c.create_page(
        "NET", "Treffen", "<p><b>Agenda</b></p>", parent_id=space["homepage"]["id"]
    )
    child = c.create_page("NET", "Protokoll", "<p>x</p>", parent_id=page["id"])
    assert c.page_exists("NET", "Treffen") and not c.page_exists("NET", "treffen")
    # 5.0.5's Server client returns the whole result list here.
    listed = c.get_page_by_title("NET", "Treffen", expand="body.storage,version")
    found = listed["results"][0]
    assert found["id"] == page["id"]
    assert found["body"]["storage"]["value"] == "<p><strong>Agenda</strong></p>"
    updated = c.update_page(page["id"], "Treffen", "<p>Neu</p>")
    assert updated["version"]["number"] == 2
    assert c.history(page["id"])["lastUpdated"]["number"] == 2
    assert [p["id"] for p in c.get_page_child_by_type(page["id"])] == [child["id"]]
    assert c.get_parent_content_id(child["id"]) == page["id"]
    assert len(list(c.get_all_pages_from_space_as_generator("NET"))) == 3
    c.set_page_label(page["id"], "meeting")
    assert [x["name"] for x in c.get_page_labels(page["id"])["results"]] == ["meeting"]
    c.remove_page_label(page["id"], "meeting")
    assert c.get_page_labels(page["id"])["results"] == []
    c.set_page_property(page["id"], {"key": "sync", "value": {"hash": "a"}})
    c.update_page_property(
        page["id"], {"key": "sync", "value": {"hash": "b"}, "version": {"number": 2}}
    )
    assert c.get_page_property(page["id"], "sync")["value"] == {"hash": "b"}
    hits = c.cql('space = NET and label = meeting or title = "Protokoll"')
    assert [r["content"]["id"] for r in hits["results"]] == [child["id"]]


def test_dc_client_stale_update_is_conflict(dc: Wiki) -> None:
    c = _dc_client(dc)
    c.create_space("NET", "Netzwerk")
    page = c.create_page("NET", "Treffen", "<p>a</p>")
    dc.server.store.update_page(int(page["id"]), title="Treffen", version=2, author="admin")
    response = dc.v1(
        "PUT",
        f"/content/{page['id']}",
        json={
            "type": "page",
            "title": "Treffen",
            "version": {"number": 2},
            "body": {"storage": {"value": "<p>b</p>", "representation": "storage"}},
        },
    )
    assert response.status_code == 409
    # The library reads the current version from /history, so its update still lands.
    assert c.update_page(page["id"], "Treffen", "<p>c</p>")["version"]["number"] == 3


def test_dc_client_no_templates_permissions_groups_and_space_delete(dc: Wiki) -> None:
    c = _dc_client(dc)
    c.create_space("NET", "Netzwerk")
    body = {"storage": {"value": "<p>Vorlage</p>", "representation": "storage"}}
    # The library's server client posts Cloud's /rest/api/template; Data Center has no such
    # route (its 10.0.3 spec lists none), so a real site answers 404 and so does ours.
    with pytest.raises(HTTPError) as no_templates:
        c.create_or_update_template("Protokoll", body, space="NET")
    assert no_templates.value.response.status_code == 404
    assert c.get_all_blueprints_from_space("NET") == []  # the experimental reads answer
    c.create_group("wg-energie")
    assert "wg-energie" in [g["name"] for g in c.get_all_groups()]
    # add_space_permissions posts Cloud's one-at-a-time route, which DC does not have; and
    # 5.0.5's DC helpers send bodies the DC spec does not take. Grant through the DC route.
    with pytest.raises(HTTPError) as cloud_only:
        c.add_space_permissions("NET", "group", "wg-energie", "read", "space")
    assert cloud_only.value.response.status_code == 404
    dc.v1(
        "PUT",
        "/space/NET/permissions/group/wg-energie/grant",
        json=[{"operationKey": "read", "targetType": "space"}],
    ).raise_for_status()
    grants = c.get_all_space_permissions("NET")
    assert any(g["subject"].get("groupName") == "wg-energie" for g in grants)
    c.delete_space("NET")
    for _ in range(5):
        if dc.v1("GET", "/space/NET").status_code == 404:
            break
        dc.v1("GET", "/longtask")  # listing does not advance tasks; polling the id does
        for task in dc.server.store.longtasks():
            dc.v1("GET", f"/longtask/{task.id}")
    assert dc.v1("GET", "/space/NET").status_code == 404


def test_dc_client_with_context_path_and_bearer_token(dc: Wiki) -> None:
    c = Confluence(url=dc.url, token="localwiki-admin-token")
    c.create_space("TOK", "Token")
    assert c.get_space("TOK")["key"] == "TOK"


def _cloud_clients(cloud: Wiki) -> tuple[Any, Any, Any]:
    user, token = cloud.server.admin
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        v2 = Confluence(url=cloud.url, username=user, password=token, api_version=2)
        v1_labels = Confluence(url=cloud.url, username=user, password=token, api_version=1)
        server_v1 = ConfluenceServer(url=cloud.url, username=user, password=token)
    return v2, v1_labels, server_v1


def test_cloud_v2_client_pages_properties_labels(cloud: Wiki) -> None:
    v2, v1_labels, _ = _cloud_clients(cloud)
    assert type(v2).__name__ == "ConfluenceCloud"
    v2.create_space("NET", "Netzwerk")
    space = v2.get_space_by_key("NET")
    page = v2.create_page(space_id=space["id"], title="Treffen", body="<p>a</p>")
    assert page["parentId"] == space["homepageId"]
    child = v2.create_page(
        space_id=space["id"], title="Protokoll", body="<p/>", parent_id=page["id"]
    )
    assert v2.get_page_by_title("NET", "Treffen")["results"][0]["id"] == page["id"]
    assert v2.get_page_by_title("NET", "treffen")["results"] == []
    assert v2.get_page_id("NET", "Protokoll") == child["id"]
    assert v2.get_page_by_id(page["id"])["title"] == "Treffen"
    assert (
        v2.update_page(page_id=page["id"], title="Treffen", body="<p>b</p>")["version"]["number"]
        == 2
    )
    with pytest.raises(HTTPError) as stale:
        v2.update_page(page_id=page["id"], title="Treffen", body="<p>c</p>", version=1)
    assert stale.value.response.status_code == 409
    assert [p["id"] for p in v2.get_child_pages(page["id"])] == [child["id"]]
    v2.create_page_property(page["id"], "sync", {"hash": "a"})
    assert [p["key"] for p in v2.get_page_properties(page["id"])] == ["sync"]
    v1_labels.add_label(page["id"], "meeting")
    assert [x["name"] for x in v2.get_page_labels(page["id"])] == ["meeting"]
    assert v2.delete_page(child["id"])


def test_cloud_v1_helpers_templates_and_permissions(cloud: Wiki) -> None:
    _, _, server_v1 = _cloud_clients(cloud)
    user, token = cloud.server.admin
    server_v1.create_space("NET", "Netzwerk")
    group = cloud.server.store.create_group("wg-wasser")
    granted = server_v1.add_space_permissions("NET", "group", group.id, "read", "space")
    assert granted["subject"] == {"type": "group", "identifier": group.id}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        legacy = Confluence(url=cloud.url, username=user, password=token, cloud=True)
    body = {"storage": {"value": "<p>Vorlage</p>", "representation": "storage"}}
    made = legacy.create_or_update_template("Protokoll", body, space="NET")
    assert legacy.get_content_template(made["templateId"])["name"] == "Protokoll"
    assert "wg-wasser" in [g["name"] for g in legacy.get_groups()["results"]]


def test_cloud_v1_removed_leaves_v2_client_working() -> None:
    from confluence_sync.localwiki.server import LocalWiki

    with LocalWiki(flavour="cloud", v1_removed=True) as server:
        user, token = server.admin
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            v2 = Confluence(url=server.url, username=user, password=token, api_version=2)
        v2.create_space("NET", "Netzwerk")
        space = v2.get_space_by_key("NET")
        page = v2.create_page(space_id=space["id"], title="Treffen", body="<p>a</p>")
        assert v2.get_page_by_id(page["id"])["id"] == page["id"]


def test_dc_client_permission_methods_that_work_and_faithful_failures(dc: Wiki) -> None:
    c = _dc_client(dc)
    c.create_space("NET", "Netzwerk")
    dc.server.store.create_group("wg-energie")
    dc.v1(
        "PUT",
        "/space/NET/permissions/group/wg-energie/grant",
        json=[{"operationKey": "read", "targetType": "space"}],
    ).raise_for_status()
    granted = c.get_permissions_granted_to_group_for_space("NET", "wg-energie")
    assert [g["operation"] for g in granted] == [{"targetType": "space", "operationKey": "read"}]
    admin_key = dc.server.store.user_by_name("admin").user_key  # type: ignore[union-attr]
    assert c.get_permissions_granted_to_user_for_space("NET", admin_key)
    assert c.get_permissions_granted_to_anonymous_for_space("NET") == []
    assert len(c.get_space("NET", expand="permissions")["permissions"]) > 0
    assert [x["key"] for x in c.get_all_spaces()["results"]] == ["NET"]
    assert c.get_space_content("NET")["results"][0]["title"] == "Netzwerk"
    assert c.get_space_property("NET")["results"] == []
    operations = [{"targetType": "space", "operationKey": "read"}]
    # 5.0.5 PUTs {"operations": [...]} where DC 9.1+ takes an array, and grants without the
    # "/grant" suffix (a GET-only resource): DC answers 400 and 405.
    with pytest.raises(HTTPError) as wrapped:
        c.remove_permissions_from_group_for_space("NET", "wg-energie", operations)
    assert wrapped.value.response.status_code == 400
    with pytest.raises(HTTPError) as no_grant:
        c.set_permissions_to_group_for_space("NET", "wg-energie", operations)
    assert no_grant.value.response.status_code == 405
    # JSON-RPC was removed in DC 9.
    with pytest.raises(HTTPError) as rpc:
        c.remove_space_permission("NET", "wg-energie", "VIEWSPACE")
    assert rpc.value.response.status_code == 404
    assert c.get_permissions_granted_to_group_for_space("NET", "wg-energie") == granted


def test_cloud_server_client_v1_properties_labels_templates_permissions(cloud: Wiki) -> None:
    v2, _, server_v1 = _cloud_clients(cloud)
    v2.create_space("NET", "Netzwerk")
    space = v2.get_space_by_key("NET")
    page_id = v2.create_page(space_id=space["id"], title="Treffen", body="<p>a</p>")["id"]
    server_v1.set_page_property(page_id, {"key": "sync", "value": {"hash": "ä"}})
    server_v1.update_page_property(
        page_id, {"key": "sync", "value": {"hash": "ö"}, "version": {"number": 2}}
    )
    assert server_v1.get_page_property(page_id, "sync")["value"] == {"hash": "ö"}
    assert [p["key"] for p in v2.get_page_properties(page_id)] == ["sync"]
    server_v1.delete_page_property(page_id, "sync")
    assert v2.get_page_properties(page_id) == []
    # v2 addresses properties by id; 5.0.5 puts the key there, which Cloud does not serve.
    v2.create_page_property(page_id, "k", 1)
    with pytest.raises(HTTPError):
        v2.get_page_property_by_key(page_id, "k")
    server_v1.set_page_label(page_id, "treffen")
    assert [x["name"] for x in v2.get_page_labels(page_id)] == ["treffen"]
    server_v1.remove_page_label(page_id, "treffen")
    assert v2.get_page_labels(page_id) == []
    body = {"storage": {"value": "<p>Vorlage</p>", "representation": "storage"}}
    made = server_v1.create_or_update_template("Protokoll", body, space="NET")
    assert [t["name"] for t in server_v1.get_content_templates("NET")] == ["Protokoll"]
    server_v1.remove_template(made["templateId"])
    assert server_v1.get_content_templates("NET") == []
    with pytest.raises(HTTPError) as experimental:  # Cloud has no rest/experimental
        server_v1.get_all_templates_from_space("NET")
    assert experimental.value.response.status_code == 404
    group = cloud.server.store.create_group("wg-wasser")
    server_v1.add_space_permissions("NET", "group", group.id, "read", "space")
    listed = server_v1.get_space("NET", expand="permissions")["permissions"]
    # Cloud v1's Space.permissions items: subjects as lists, operation{operation, targetType}.
    read = [p for p in listed if "group" in p["subjects"] and p["operation"]["operation"] == "read"]
    assert group.id in [g["id"] for p in read for g in p["subjects"]["group"]["results"]]
