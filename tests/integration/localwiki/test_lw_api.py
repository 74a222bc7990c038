"""Labels, properties, templates, hierarchy, CQL and v2 pages/spaces over real HTTP."""

from __future__ import annotations

from typing import Any

from .conftest import Wiki


def _v2_space(cloud: Wiki) -> dict[str, Any]:
    return dict(cloud.v2("POST", "/spaces", json={"key": "NET", "name": "Netz"}).json())


def test_labels_add_list_remove(wiki: Wiki) -> None:
    wiki.space()
    page = wiki.page("Labelled")
    added = wiki.v1(
        "POST",
        f"/content/{page['id']}/label",
        json=[{"prefix": "global", "name": "Meeting"}, {"name": "wg-energy"}],
    )
    assert added.status_code == 200
    assert sorted(x["name"] for x in added.json()["results"]) == ["meeting", "wg-energy"]
    wiki.v1("POST", f"/content/{page['id']}/label", json={"prefix": "global", "name": "x"})
    assert (
        wiki.v1("DELETE", f"/content/{page['id']}/label", params={"name": "x"}).status_code == 204
    )
    assert wiki.v1("DELETE", f"/content/{page['id']}/label/meeting").status_code == 204
    left = wiki.v1("GET", f"/content/{page['id']}/label").json()["results"]
    assert [x["name"] for x in left] == ["wg-energy"]
    bad = wiki.v1("POST", f"/content/{page['id']}/label", json={"name": "has space"})
    assert bad.status_code == 400


def test_dc_create_ignores_inline_labels_and_properties_then_expand(dc: Wiki) -> None:
    """Data Center takes no ``metadata`` in a create (confluencebuilder#664, confluence.js#55):
    the page is created, its labels and properties are not."""
    dc.space()
    created = dc.v1(
        "POST",
        "/content",
        json={
            "type": "page",
            "title": "Inline",
            "space": {"key": "NET"},
            "body": {"storage": {"value": "<p>a</p>", "representation": "storage"}},
            "metadata": {
                "labels": [{"prefix": "global", "name": "meeting"}],
                "properties": {"sync": {"value": {"hash": "h1"}}},
            },
        },
    ).json()
    got = dc.v1(
        "GET",
        f"/content/{created['id']}",
        params={"expand": "metadata.labels,metadata.properties.sync,version,body.storage,space"},
    ).json()
    assert got["metadata"]["labels"]["results"] == []
    assert "sync" not in got["metadata"].get("properties", {})
    assert dc.v1("GET", f"/content/{created['id']}/property/sync").status_code == 404
    assert got["version"]["number"] == 1 and got["space"]["key"] == "NET"
    assert got["body"]["storage"]["value"] == "<p>a</p>"
    plain = dc.v1("GET", f"/content/{created['id']}").json()
    assert "body" not in plain and "body" in plain["_expandable"]


def test_hierarchy_children_descendants_ancestors_and_move(wiki: Wiki) -> None:
    space = wiki.space()
    home = space["homepage"]["id"]
    a = wiki.page("A", parent=home)
    b = wiki.page("B", parent=a["id"])
    c = wiki.page("C", parent=b["id"])
    assert [x["id"] for x in c["ancestors"]] == [home, a["id"], b["id"]]
    kids = wiki.v1("GET", f"/content/{home}/child/page").json()["results"]
    assert [k["title"] for k in kids] == ["A"]
    desc = wiki.v1("GET", f"/content/{home}/descendant/page").json()["results"]
    assert [d["title"] for d in desc] == ["A", "B", "C"]
    expanded = wiki.v1(
        "GET", f"/content/{a['id']}", params={"expand": "children.page,ancestors"}
    ).json()
    assert [k["title"] for k in expanded["children"]["page"]["results"]] == ["B"]
    if wiki.server.options.flavour == "dc":
        # Data Center has no REST move (only the UI action); the route is Cloud v1's.
        assert wiki.v1("PUT", f"/content/{c['id']}/move/append/{home}").status_code == 404
        return
    moved = wiki.v1("PUT", f"/content/{c['id']}/move/append/{home}")
    assert moved.status_code == 200
    kids = wiki.v1("GET", f"/content/{home}/child/page").json()["results"]
    assert [k["title"] for k in kids] == ["A", "C"]
    loop = wiki.v1("PUT", f"/content/{a['id']}/move/append/{b['id']}")
    assert loop.status_code == 400


def test_update_moves_with_ancestors_and_restores_from_trash(dc: Wiki) -> None:
    space = dc.space()
    page = dc.page("Mover")
    moved = dc.v1(
        "PUT",
        f"/content/{page['id']}",
        json={
            "type": "page",
            "title": "Mover",
            "version": {"number": 2},
            "ancestors": [{"id": space["homepage"]["id"]}],
        },
    ).json()
    assert moved["ancestors"][-1]["id"] == space["homepage"]["id"]
    assert moved["body"]["storage"]["value"] == "<p>x</p>"  # body kept when not sent
    dc.v1("DELETE", f"/content/{page['id']}")
    restored = dc.v1(
        "PUT",
        f"/content/{page['id']}",
        json={"type": "page", "title": "Mover", "status": "current", "version": {"number": 3}},
    )
    assert restored.status_code == 200 and restored.json()["status"] == "current"


def test_space_properties_v1(wiki: Wiki) -> None:
    wiki.space()
    made = wiki.v1("POST", "/space/NET/property", json={"key": "index", "value": {"n": 1}})
    assert made.status_code == 200
    updated = wiki.v1(
        "PUT", "/space/NET/property/index", json={"value": {"n": 2}, "version": {"number": 2}}
    )
    assert updated.json()["version"]["number"] == 2
    stale = wiki.v1(
        "PUT", "/space/NET/property/index", json={"value": {"n": 3}, "version": {"number": 2}}
    )
    assert stale.status_code == 409
    assert wiki.v1("GET", "/space/NET/property/index").json()["value"] == {"n": 2}
    assert wiki.v1("DELETE", "/space/NET/property/index").status_code == 204
    assert wiki.v1("GET", "/space/NET/property/index").status_code == 404


def test_data_center_has_no_template_api_under_rest_api(dc: Wiki) -> None:
    """DC 10.0.3's spec has no ``/template`` path; only the old experimental reads answer."""
    dc.space()
    template = {"name": "Minutes", "templateType": "page", "space": {"key": "NET"}}
    assert dc.v1("POST", "/template", json=template).status_code == 404
    assert dc.v1("GET", "/template/page", params={"spaceKey": "NET"}).status_code == 404
    experimental = dc.http.get(
        f"{dc.url}/rest/experimental/template/page", params={"spaceKey": "NET"}
    )
    assert experimental.status_code == 200
    assert experimental.json()["results"] == []


def test_templates_crud(cloud: Wiki) -> None:
    wiki = cloud
    wiki.space()
    made = wiki.v1(
        "POST",
        "/template",
        json={
            "name": "Minutes",
            "templateType": "page",
            "description": "Protokoll",
            "body": {"storage": {"value": "<p><b>Agenda</b></p>", "representation": "storage"}},
            "space": {"key": "NET"},
        },
    )
    assert made.status_code == 200
    template = made.json()
    assert template["body"]["storage"]["value"] == "<p><strong>Agenda</strong></p>"
    listed = wiki.v1("GET", "/template/page", params={"spaceKey": "NET"}).json()["results"]
    assert [t["name"] for t in listed] == ["Minutes"]
    updated = wiki.v1(
        "PUT",
        "/template",
        json={
            "templateId": template["templateId"],
            "name": "Minutes v2",
            "templateType": "page",
            "body": {"storage": {"value": "<p/>", "representation": "storage"}},
            "space": {"key": "NET"},
        },
    )
    assert updated.json()["name"] == "Minutes v2"
    assert wiki.v1("GET", f"/template/{template['templateId']}").json()["name"] == "Minutes v2"
    assert wiki.v1("DELETE", f"/template/{template['templateId']}").status_code == 204
    assert wiki.v1("GET", f"/template/{template['templateId']}").status_code == 403
    assert wiki.v1("POST", "/template", json={"name": "", "body": {}}).status_code == 400


def test_cql_search_fields_and_operators(wiki: Wiki) -> None:
    space = wiki.space()
    home = space["homepage"]["id"]
    a = wiki.page("Meeting 1", parent=home)
    wiki.page("Meeting 2", parent=a["id"])
    wiki.page("Other")
    wiki.v1("POST", f"/content/{a['id']}/label", json={"name": "meeting"})

    def titles(cql: str) -> list[str]:
        response = wiki.v1("GET", "/content/search", params={"cql": cql, "limit": 50})
        assert response.status_code == 200, response.text
        return sorted(r["title"] for r in response.json()["results"])

    assert titles('space = NET and type = page and title = "Meeting 1"') == ["Meeting 1"]
    assert titles("label = meeting") == ["Meeting 1"]
    assert titles(f"parent = {home}") == ["Meeting 1"]
    assert titles(f"ancestor = {home}") == ["Meeting 1", "Meeting 2"]
    assert titles('title ~ "Meeting" and label != meeting') == ["Meeting 2"]
    assert titles('(title = "Other" or label = meeting) and space in (NET, X)') == [
        "Meeting 1",
        "Other",
    ]
    bad = wiki.v1("GET", "/content/search", params={"cql": "space = "})
    assert bad.status_code == (400 if wiki.server.options.flavour == "cloud" else 404)
    wrapped = wiki.v1("GET", "/search", params={"cql": "label = meeting"}).json()
    assert wrapped["totalSize"] == 1 and wrapped["results"][0]["content"]["title"] == "Meeting 1"
    assert wiki.v1("GET", "/search", params={"cql": "nonsense ="}).status_code == 400


def test_cql_paging_cursor_on_cloud(cloud: Wiki) -> None:
    cloud.space()
    for n in range(5):
        cloud.page(f"P{n}")
    first = cloud.v1("GET", "/content/search", params={"cql": "space = NET", "limit": 4}).json()
    assert "cursor=" in first["_links"]["next"]
    rest = cloud.http.get(first["_links"]["base"] + first["_links"]["next"]).json()
    assert len(first["results"]) + len(rest["results"]) == 6


def test_v2_page_lifecycle(cloud: Wiki) -> None:
    space = _v2_space(cloud)
    made = cloud.v2(
        "POST",
        "/pages",
        json={
            "spaceId": space["id"],
            "status": "current",
            "title": "V2",
            "body": {"representation": "storage", "value": "<p><i>x</i></p>"},
        },
    )
    assert made.status_code == 200
    page = made.json()
    got = cloud.v2("GET", f"/pages/{page['id']}", params={"body-format": "storage"}).json()
    assert got["body"]["storage"]["value"] == "<p><em>x</em></p>"
    by_title = cloud.v2("GET", "/pages", params={"space-id": space["id"], "title": "V2"}).json()
    assert [p["id"] for p in by_title["results"]] == [page["id"]]
    update = {
        "id": page["id"],
        "status": "current",
        "title": "V2 renamed",
        "body": {"representation": "storage", "value": "<p>y</p>"},
        "version": {"number": 2, "message": "edit"},
    }
    assert cloud.v2("PUT", f"/pages/{page['id']}", json=update).status_code == 200
    stale = cloud.v2("PUT", f"/pages/{page['id']}", json=update)
    assert (
        stale.status_code == 409 and "Current version is: 2" in stale.json()["errors"][0]["detail"]
    )
    dup = cloud.v2(
        "POST",
        "/pages",
        json={
            "spaceId": space["id"],
            "title": "v2 RENAMED",
            "body": {"representation": "storage", "value": ""},
        },
    )
    assert dup.status_code == 400
    assert cloud.v2("DELETE", f"/pages/{page['id']}").status_code == 204
    assert cloud.v2("DELETE", f"/pages/{page['id']}", params={"purge": "true"}).status_code == 204
    assert cloud.v2("GET", f"/pages/{page['id']}").status_code == 404


def test_v2_hierarchy_labels_and_properties(cloud: Wiki) -> None:
    space = _v2_space(cloud)
    home = space["homepageId"]
    parent = cloud.page("Parent", parent=home)
    child = cloud.page("Child", parent=parent["id"])
    cloud.v1("POST", f"/content/{child['id']}/label", json={"name": "meeting"})
    kids = cloud.v2("GET", f"/pages/{parent['id']}/children").json()["results"]
    assert [k["id"] for k in kids] == [child["id"]]
    direct = cloud.v2("GET", f"/pages/{parent['id']}/direct-children").json()["results"]
    assert direct[0]["type"] == "page"
    ancestors = cloud.v2("GET", f"/pages/{child['id']}/ancestors").json()["results"]
    assert [a["id"] for a in ancestors] == [home, parent["id"]]
    descendants = cloud.v2("GET", f"/pages/{home}/descendants").json()["results"]
    assert {d["id"] for d in descendants} == {parent["id"], child["id"]}
    labels = cloud.v2("GET", f"/pages/{child['id']}/labels").json()["results"]
    assert [x["name"] for x in labels] == ["meeting"]
    single = cloud.v2("GET", f"/pages/{child['id']}", params={"include-labels": "true"}).json()
    assert single["labels"]["results"][0]["name"] == "meeting"
    prop = cloud.v2(
        "POST", f"/pages/{child['id']}/properties", json={"key": "sync", "value": {"h": 1}}
    ).json()
    found = cloud.v2("GET", f"/pages/{child['id']}/properties", params={"key": "sync"}).json()
    assert found["results"][0]["id"] == prop["id"]
    put = cloud.v2(
        "PUT",
        f"/pages/{child['id']}/properties/{prop['id']}",
        json={"key": "sync", "value": {"h": 2}, "version": {"number": 2}},
    )
    assert put.status_code == 200 and put.json()["version"]["number"] == 2
    stale = cloud.v2(
        "PUT",
        f"/pages/{child['id']}/properties/{prop['id']}",
        json={"key": "sync", "value": {"h": 3}, "version": {"number": 2}},
    )
    assert stale.status_code == 409
    all_labels = cloud.v2("GET", "/labels").json()["results"]
    assert "meeting" in [x["name"] for x in all_labels]


def test_v2_spaces_and_space_properties(cloud: Wiki) -> None:
    space = _v2_space(cloud)
    by_key = cloud.v2("GET", "/spaces", params={"keys": "NET"}).json()["results"]
    assert [s["id"] for s in by_key] == [space["id"]]
    got = cloud.v2("GET", f"/spaces/{space['id']}", params={"description-format": "plain"})
    assert got.json()["description"]["plain"]["representation"] == "plain"
    pages = cloud.v2("GET", f"/spaces/{space['id']}/pages").json()["results"]
    assert [p["id"] for p in pages] == [space["homepageId"]]
    prop = cloud.v2(
        "POST", f"/spaces/{space['id']}/properties", json={"key": "index", "value": [1]}
    ).json()
    assert prop["version"]["number"] == 1
    listed = cloud.v2("GET", f"/spaces/{space['id']}/properties").json()["results"]
    assert [p["key"] for p in listed] == ["index"]
    assert cloud.v2("DELETE", f"/spaces/{space['id']}/properties/{prop['id']}").status_code == 204
    assert cloud.v2("GET", "/spaces/1").status_code == 404
    invalid = cloud.v2("POST", "/spaces", json={"key": "bad-key", "name": "x"})
    assert invalid.status_code == 400 and "errors" in invalid.json()


def test_groups_and_users_admin(dc: Wiki) -> None:
    made = dc.v1("POST", "/admin/group", json={"name": "wg-air", "type": "group"})
    assert made.status_code == 200 and made.json()["name"] == "wg-air"
    user = dc.v1(
        "POST",
        "/admin/user",
        json={"userName": "carla", "password": "pw", "email": "c@x.invalid", "fullName": "Carla"},
    )
    assert user.status_code == 201
    assert dc.v1("PUT", "/user/carla/group/wg-air").status_code == 204
    members = dc.v1("GET", "/group/wg-air/member").json()["results"]
    assert [m["username"] for m in members] == ["carla"]
    assert dc.v1("GET", "/user", params={"username": "carla"}).json()["displayName"] == "Carla"
    memberof = dc.v1("GET", "/user/memberof", params={"username": "carla"}).json()["results"]
    assert "wg-air" in [g["name"] for g in memberof]
    again = dc.v1("POST", "/admin/user", json={"userName": "carla", "password": "x"})
    assert again.status_code == 409
    assert dc.v1("DELETE", "/admin/group/wg-air").status_code == 204
    deleted = dc.v1("DELETE", "/admin/user/carla")
    assert deleted.status_code == 202
    assert dc.http.get(deleted.json()["links"]["status"]).json()["finished"] is True
    assert dc.v1("GET", "/group/wg-air").status_code == 404


def test_v2_single_page_includes(cloud: Wiki) -> None:
    space = _v2_space(cloud)
    page = cloud.page("Inc", parent=space["homepageId"])
    cloud.v1("POST", f"/content/{page['id']}/property", json={"key": "k", "value": 1})
    got = cloud.v2(
        "GET",
        f"/pages/{page['id']}",
        params={
            "include-versions": "true",
            "include-properties": "true",
            "include-version": "false",
        },
    ).json()
    assert "version" not in got
    assert [v["number"] for v in got["versions"]["results"]] == [1]
    assert [p["key"] for p in got["properties"]["results"]] == ["k"]


def test_cql_date_comparisons(dc: Wiki) -> None:
    dc.space()
    dc.page("Dated")
    hits = dc.v1(
        "GET",
        "/content/search",
        params={
            "cql": 'title = "Dated" and created >= "2000-01-01" and lastmodified < "2999-01-01"'
        },
    ).json()
    assert [r["title"] for r in hits["results"]] == ["Dated"]


def test_root_depth_pages_page_correctly(cloud: Wiki) -> None:
    space = _v2_space(cloud)
    home = space["homepageId"]
    for n in range(3):
        cloud.page(f"Child {n}", parent=home)
    roots = cloud.v2(
        "GET", f"/spaces/{space['id']}/pages", params={"depth": "root", "limit": 1}
    ).json()
    assert [p["id"] for p in roots["results"]] == [home] and "next" not in roots["_links"]


def test_v2_page_sort(cloud: Wiki) -> None:
    space = _v2_space(cloud)
    for title in ("b", "c", "a"):
        cloud.page(title, parent=space["homepageId"])
    by_title = cloud.v2("GET", "/pages", params={"space-id": space["id"], "sort": "-title"})
    assert [p["title"] for p in by_title.json()["results"]] == ["c", "b", "a", "Netz"]
    assert cloud.v2("GET", "/pages", params={"sort": "bogus"}).status_code == 400


def test_cloud_groups_by_id_and_membership_by_account(cloud: Wiki) -> None:
    user = cloud.server.store.create_user("dora", "pw", groups=())
    made = cloud.v1("POST", "/group", json={"name": "wg-boden"})
    assert made.status_code == 201
    group_id = made.json()["id"]
    added = cloud.v1(
        "POST",
        "/group/userByGroupId",
        params={"groupId": group_id},
        json={"accountId": user.account_id},
    )
    assert added.status_code == 201
    members = cloud.v1("GET", f"/group/{group_id}/membersByGroupId").json()["results"]
    assert [m["accountId"] for m in members] == [user.account_id]
    assert (
        cloud.v1("GET", "/user", params={"accountId": user.account_id}).json()["displayName"]
        == "dora"
    )
    assert cloud.v1("GET", "/group/by-id", params={"id": group_id}).json()["name"] == "wg-boden"
    assert (
        cloud.v1(
            "DELETE",
            "/group/userByGroupId",
            params={"groupId": group_id, "accountId": user.account_id},
        ).status_code
        == 204
    )
    assert cloud.v1("DELETE", "/group/by-id", params={"id": group_id}).status_code == 204
    assert cloud.v1("POST", "/admin/group", json={"name": "x"}).status_code == 404  # DC only


def test_space_list_update_archive_and_labels(wiki: Wiki) -> None:
    wiki.space("B", "Beta")
    wiki.space("A", "Alpha")
    listed = wiki.v1("GET", "/space", params={"expand": "description.plain"}).json()
    assert [s["key"] for s in listed["results"]] == ["A", "B"]
    updated = wiki.v1(
        "PUT",
        "/space/A",
        json={
            "key": "A",
            "name": "Alpha 2",
            "description": {"plain": {"value": "Über uns", "representation": "plain"}},
        },
    ).json()
    assert updated["name"] == "Alpha 2"
    assert updated["description"]["plain"]["value"] == "Über uns"
    if wiki.server.options.flavour == "dc":
        assert wiki.v1("PUT", "/space/A/archive").status_code == 204
        archived = wiki.v1("GET", "/space", params={"status": "archived"}).json()["results"]
        assert [s["key"] for s in archived] == ["A"]
        assert wiki.v1("PUT", "/space/A/restore").status_code == 204
    else:
        labelled = wiki.v1(
            "POST", "/space/A/label", json=[{"prefix": "global", "name": "netzwerk"}]
        )
        assert [x["name"] for x in labelled.json()["results"]] == ["netzwerk"]
