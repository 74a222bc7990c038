"""Confluence's rules, enforced over real HTTP (item 2 of the local wiki issue)."""

from __future__ import annotations

import logging

import pytest

from .conftest import Wiki


def test_stale_version_is_409_with_confluence_message(wiki: Wiki) -> None:
    wiki.space()
    page = wiki.page("Plan")
    update = {
        "type": "page",
        "title": "Plan",
        "version": {"number": 3},
        "body": {"storage": {"value": "<p>y</p>", "representation": "storage"}},
    }
    response = wiki.v1("PUT", f"/content/{page['id']}", json=update)
    assert response.status_code == 409
    assert response.json()["message"] == (
        "Version must be incremented on update. Current version is: 1"
    )
    assert response.json()["statusCode"] == 409
    update["version"] = {"number": 2}
    assert wiki.v1("PUT", f"/content/{page['id']}", json=update).status_code == 200
    # Replaying the same update is stale now.
    assert wiki.v1("PUT", f"/content/{page['id']}", json=update).status_code == 409


def test_update_without_title_or_version_is_400(dc: Wiki) -> None:
    dc.space()
    page = dc.page("Plan")
    response = dc.v1("PUT", f"/content/{page['id']}", json={"type": "page", "title": "Plan"})
    assert response.status_code == 400


def test_title_unique_case_insensitively_but_lookup_is_case_sensitive(wiki: Wiki) -> None:
    wiki.space()
    wiki.page("Übersicht")
    found = wiki.v1("GET", "/content", params={"spaceKey": "NET", "title": "übersicht"})
    assert found.status_code == 200 and found.json()["results"] == []
    exact = wiki.v1("GET", "/content", params={"spaceKey": "NET", "title": "Übersicht"})
    assert [r["title"] for r in exact.json()["results"]] == ["Übersicht"]
    duplicate = wiki.v1(
        "POST",
        "/content",
        json={
            "type": "page",
            "title": "übersicht",
            "space": {"key": "NET"},
            "body": {"storage": {"value": "", "representation": "storage"}},
        },
    )
    assert duplicate.status_code == 400
    assert duplicate.json()["message"] == (
        "A page with this title already exists: A page already exists with the title "
        "übersicht in the space with key NET"
    )


def test_trash_frees_the_title_and_second_delete_purges(wiki: Wiki) -> None:
    wiki.space()
    page = wiki.page("Old")
    first = wiki.v1("DELETE", f"/content/{page['id']}")
    assert first.status_code == (204 if wiki.server.options.flavour == "cloud" else 200)
    assert wiki.v1("GET", f"/content/{page['id']}").status_code == 404
    trashed = wiki.v1("GET", f"/content/{page['id']}", params={"status": "trashed"})
    assert trashed.json()["status"] == "trashed"
    again = wiki.page("Old")  # the trashed title no longer blocks
    assert again["id"] != page["id"]
    purge = wiki.v1("DELETE", f"/content/{page['id']}", params={"status": "trashed"})
    assert purge.status_code == 204
    assert wiki.v1("GET", f"/content/{page['id']}", params={"status": "any"}).status_code == 404


def test_purging_a_current_page_is_refused(dc: Wiki) -> None:
    dc.space()
    page = dc.page("Keep")
    response = dc.v1("DELETE", f"/content/{page['id']}", params={"status": "trashed"})
    assert response.status_code == 400


def test_body_over_5_mib_is_413(wiki: Wiki) -> None:
    wiki.space()
    big = "<p>" + "x" * 5_242_880 + "</p>"
    response = wiki.v1(
        "POST",
        "/content",
        json={
            "type": "page",
            "title": "Big",
            "space": {"key": "NET"},
            "body": {"storage": {"value": big, "representation": "storage"}},
        },
    )
    assert response.status_code == 413


@pytest.mark.parametrize("key", ["A-B", "ÄB", "A B", "", "K" * 256])
def test_invalid_space_keys_are_400(dc: Wiki, key: str) -> None:
    response = dc.v1("POST", "/space", json={"key": key, "name": "X"})
    assert response.status_code == 400


def test_space_key_of_255_alphanumerics_is_fine_and_duplicates_are_400(dc: Wiki) -> None:
    assert dc.v1("POST", "/space", json={"key": "k" * 255, "name": "X"}).status_code == 200
    assert dc.v1("POST", "/space", json={"key": "K" * 255, "name": "Y"}).status_code == 400


def test_name_and_title_limits(dc: Wiki) -> None:
    assert dc.v1("POST", "/space", json={"key": "N", "name": "n" * 201}).status_code == 400
    dc.space()
    response = dc.v1(
        "POST", "/content", json={"type": "page", "title": "t" * 256, "space": {"key": "NET"}}
    )
    assert response.status_code == 400


def test_limit_cap_and_next_link_relative_to_context(dc: Wiki) -> None:
    space = dc.space()
    for n in range(3):
        dc.page(f"P{n}")
    first = dc.v1("GET", "/content", params={"spaceKey": "NET", "limit": 2}).json()
    links = first["_links"]
    assert links["base"] == dc.server.root_url + "/confluence"
    assert links["context"] == "/confluence"
    assert links["next"].startswith("/rest/api/content?")  # no context in next
    second = dc.http.get(links["base"] + links["next"]).json()
    titles = [r["title"] for r in first["results"] + second["results"]]
    assert sorted(titles) == sorted([space["name"], "P0", "P1", "P2"])
    assert "next" not in second["_links"]
    capped = dc.v1("GET", "/content", params={"spaceKey": "NET", "limit": 5000}).json()
    assert capped["limit"] == 200


def test_v2_limit_cap_and_cursor_links(cloud: Wiki) -> None:
    space = cloud.v2("POST", "/spaces", json={"key": "NET", "name": "Netz"}).json()
    store = cloud.server.store
    for n in range(260):
        store.create_page(space_key="NET", title=f"P{n}", body="", author="admin")
    response = cloud.v2("GET", "/pages", params={"space-id": space["id"], "limit": 1000})
    body = response.json()
    assert len(body["results"]) == 250
    assert body["_links"]["next"].startswith("/wiki/api/v2/pages?")
    assert response.headers["Link"].startswith(f'<{body["_links"]["next"]}>; rel="next"')
    rest = cloud.http.get(cloud.server.root_url + body["_links"]["next"]).json()
    assert len(rest["results"]) == 261 - 250 and "next" not in rest["_links"]
    bad = cloud.v2("GET", "/pages", params={"cursor": "!!!"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["status"] == 400


def test_property_versions_are_independent_of_page_versions(wiki: Wiki) -> None:
    wiki.space()
    page = wiki.page("Props")
    created = wiki.v1(
        "POST", f"/content/{page['id']}/property", json={"key": "sync", "value": {"hash": "a"}}
    )
    assert created.status_code == 200 and created.json()["version"]["number"] == 1
    ok = wiki.v1(
        "PUT",
        f"/content/{page['id']}/property/sync",
        json={"value": {"hash": "b"}, "version": {"number": 2}},
    )
    assert ok.status_code == 200 and ok.json()["value"] == {"hash": "b"}
    stale = wiki.v1(
        "PUT",
        f"/content/{page['id']}/property/sync",
        json={"value": {"hash": "c"}, "version": {"number": 2}},
    )
    assert stale.status_code == 409
    history = wiki.v1("GET", f"/content/{page['id']}/history").json()
    assert history["lastUpdated"]["number"] == 1
    duplicate = wiki.v1("POST", f"/content/{page['id']}/property", json={"key": "sync", "value": 1})
    assert duplicate.status_code == 400


def test_space_delete_is_a_long_task(wiki: Wiki) -> None:
    wiki.space()
    response = wiki.v1("DELETE", "/space/NET")
    assert response.status_code == 202
    status_url = response.json()["links"]["status"]
    assert wiki.v1("GET", "/space/NET").status_code == 200  # still there while running
    polls = 0
    while True:
        polls += 1
        task = wiki.http.get(status_url).json()
        if task["finished"]:
            break
        assert polls < 10
    assert polls > 1 and task["successful"] is True
    assert wiki.v1("GET", "/space/NET").status_code == 404


@pytest.mark.parametrize("body", ["<p>unclosed", "<p>a</br></p>", "<p>&bogus;</p>"])
def test_malformed_storage_is_400(wiki: Wiki, body: str) -> None:
    wiki.space()
    response = wiki.v1(
        "POST",
        "/content",
        json={
            "type": "page",
            "title": "Bad",
            "space": {"key": "NET"},
            "body": {"storage": {"value": body, "representation": "storage"}},
        },
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("Error parsing xhtml")


def test_storage_is_normalised_on_save(wiki: Wiki) -> None:
    wiki.space()
    sent = "<p><b>x</b>&nbsp;<i>y</i><br></br></p><ac:structured-macro ac:name='toc'/>"
    page = wiki.page("Norm", sent)
    stored = page["body"]["storage"]["value"]
    assert stored != sent
    assert "<strong>x</strong>" in stored and "<em>y</em>" in stored and "<br />" in stored
    assert 'ac:macro-id="' in stored and 'ac:name="toc"' in stored


def test_v1_create_without_ancestors_is_top_level(wiki: Wiki) -> None:
    wiki.space()
    page = wiki.page("Top")
    assert page["ancestors"] == []


def test_v2_create_without_parent_goes_under_the_home_page(cloud: Wiki) -> None:
    space = cloud.v2("POST", "/spaces", json={"key": "NET", "name": "Netz"}).json()
    page = cloud.v2(
        "POST",
        "/pages",
        json={
            "spaceId": space["id"],
            "title": "Child",
            "body": {"representation": "storage", "value": "<p/>"},
        },
    ).json()
    assert page["parentId"] == space["homepageId"]
    root = cloud.v2(
        "POST",
        "/pages",
        params={"root-level": "true"},
        json={
            "spaceId": space["id"],
            "title": "Root",
            "body": {"representation": "storage", "value": ""},
        },
    ).json()
    assert root["parentId"] is None


def test_home_page_is_titled_after_the_space(wiki: Wiki) -> None:
    space = wiki.v1("POST", "/space", json={"key": "H", "name": "Haus"}).json()
    assert space["homepage"]["title"] == "Haus"


def test_unknown_route_is_404_and_logged(dc: Wiki, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="confluence_sync.localwiki"):
        response = dc.v1("GET", "/no/such/thing")
    assert response.status_code == 404
    assert response.json()["statusCode"] == 404
    assert any(
        "unimplemented route: GET /confluence/rest/api/no/such/thing" in r.message
        for r in caplog.records
    )


def test_v1_removed_switch_answers_410_gone() -> None:
    from confluence_sync.localwiki.server import LocalWiki

    with LocalWiki(flavour="cloud", v1_removed=True) as server:
        import requests

        session = requests.Session()
        session.auth = server.admin
        assert (
            session.post(
                server.url + "/rest/api/space", json={"key": "NET", "name": "N"}
            ).status_code
            == 200
        )
        gone = session.get(server.url + "/rest/api/content", params={"spaceKey": "NET"})
        assert gone.status_code == 410
        assert "GoneException" in gone.json()["message"]
        assert (
            session.get(
                server.url + "/rest/api/content/search", params={"cql": "space = NET"}
            ).status_code
            == 200
        )
        assert session.get(server.url + "/rest/api/space/NET").status_code == 200
        assert session.get(server.url + "/rest/api/space/NET/property").status_code == 410
        assert session.get(server.url + "/api/v2/spaces").status_code == 200


def test_concurrent_updates_with_one_version_let_exactly_one_win(dc: Wiki) -> None:
    import threading

    import requests

    dc.space()
    page = dc.page("Race")
    statuses: list[int] = []
    lock = threading.Lock()

    def update(n: int) -> None:
        session = requests.Session()
        session.auth = dc.server.admin
        response = session.put(
            f"{dc.url}/rest/api/content/{page['id']}",
            json={
                "type": "page",
                "title": "Race",
                "version": {"number": 2},
                "body": {"storage": {"value": f"<p>{n}</p>", "representation": "storage"}},
            },
        )
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=update, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [409] * 7
    assert dc.server.store.require_page(int(page["id"])).version == 2


def test_old_versions_can_be_read(dc: Wiki) -> None:
    dc.space()
    page = dc.page("Versioned", "<p>one</p>")
    dc.v1(
        "PUT",
        f"/content/{page['id']}",
        json={
            "type": "page",
            "title": "Versioned",
            "version": {"number": 2},
            "body": {"storage": {"value": "<p>two</p>", "representation": "storage"}},
        },
    )
    old = dc.v1(
        "GET", f"/content/{page['id']}", params={"version": 1, "expand": "body.storage,version"}
    ).json()
    assert old["body"]["storage"]["value"] == "<p>one</p>" and old["version"]["number"] == 1
    assert dc.v1("GET", f"/content/{page['id']}", params={"version": 9}).status_code == 404


def test_oversized_property_value_is_413_and_deep_expand_is_400(dc: Wiki) -> None:
    dc.space()
    page = dc.page("Props")
    big = dc.v1(
        "POST", f"/content/{page['id']}/property", json={"key": "big", "value": "x" * 200_000}
    )
    assert big.status_code == 413
    deep = dc.v1("GET", f"/content/{page['id']}", params={"expand": "a.b.c.d.e.f.g.h.i"})
    assert deep.status_code == 400


def test_body_of_the_wrong_shape_is_400_not_500(wiki: Wiki) -> None:
    wiki.space()
    for body in ({"type": "page", "title": "T", "space": "NET"}, ["not", "an", "object"]):
        response = wiki.v1("POST", "/content", json=body)
        assert response.status_code == 400, response.text
    assert (
        wiki.v1(
            "POST", "/content", data=b"{not json", headers={"Content-Type": "application/json"}
        ).status_code
        == 400
    )


def test_dc_space_trash_lists_with_a_cursor_and_empties(dc: Wiki) -> None:
    dc.space()
    ids = [dc.page(f"T{n}")["id"] for n in range(3)]
    for page_id in ids:
        dc.v1("DELETE", f"/content/{page_id}")
    first = dc.v1("GET", "/space/NET/trash", params={"limit": 2}).json()
    assert [r["id"] for r in first["results"]] == ids[:2] and "nextCursor" in first
    rest = dc.http.get(first["_links"]["next"]).json()
    assert [r["id"] for r in rest["results"]] == ids[2:] and "nextCursor" not in rest
    assert dc.v1("DELETE", "/space/NET/trash").status_code == 204
    assert dc.v1("GET", "/space/NET/trash").json()["results"] == []
    assert dc.v1("GET", f"/content/{ids[0]}", params={"status": "any"}).status_code == 404


@pytest.mark.parametrize("status", [{"value": "archived"}, ["current"], "gone"])
def test_space_update_with_a_status_that_is_no_space_status_is_400(
    wiki: Wiki, status: object
) -> None:
    wiki.space()
    response = wiki.v1("PUT", "/space/NET", json={"name": "Netz", "status": status})
    assert response.status_code == 400, response.text
    assert wiki.v1("GET", "/space/NET").json()["status"] == "current"
