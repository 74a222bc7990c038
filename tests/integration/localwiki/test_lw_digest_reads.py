"""The reads ``digest`` makes, as harsh as a real site: Data Center cuts a listing that
expands bodies to 50 a page (and says where the rest is), Cloud's ``GET /user/bulk`` takes one
comma-separated ``accountId`` string and refuses what its spec refuses."""

from __future__ import annotations

from .conftest import Wiki


def test_a_listing_with_bodies_is_cut_to_50_and_links_the_rest(dc: Wiki) -> None:
    dc.space()
    for number in range(60):
        dc.page(f"Seite {number}", f"<p>Inhalt {number} &amp; mehr</p>")
    params = {"spaceKey": "NET", "type": "page", "limit": 200}
    with_bodies = dc.v1("GET", "/content", params={**params, "expand": "body.storage"}).json()
    assert with_bodies["limit"] == 50 and with_bodies["size"] == 50
    assert "limit=50" in with_bodies["_links"]["next"]
    bodies = [r["body"]["storage"]["value"] for r in with_bodies["results"]]
    assert "<p>Inhalt 0 &amp; mehr</p>" in bodies
    rest = dc.http.get(dc.url + with_bodies["_links"]["next"].removeprefix("/confluence")).json()
    assert rest["size"] == 61 - 50 and "next" not in rest["_links"]  # 60 pages + the home page
    plain = dc.v1("GET", "/content", params={**params, "expand": "version"}).json()
    assert plain["limit"] == 200 and plain["size"] == 61


def test_cloud_reads_accounts_in_bulk(cloud: Wiki) -> None:
    anna = cloud.server.store.create_user("anna", "pw", display_name="Anna Ä")
    bert = cloud.server.store.create_user("bert", "pw", display_name="Bert <B>")
    answer = cloud.v1(
        "GET", "/user/bulk", params={"accountId": f"{anna.account_id},nobody,{bert.account_id}"}
    )
    assert answer.status_code == 200, answer.text
    found = answer.json()["results"]
    assert [(u["accountId"], u["displayName"]) for u in found] == [
        (anna.account_id, "Anna Ä"),
        (bert.account_id, "Bert <B>"),
    ]  # an unknown id is left out, not refused
    first = cloud.v1(
        "GET",
        "/user/bulk",
        params={"accountId": f"{anna.account_id},{bert.account_id}", "limit": 1},
    )
    assert [u["accountId"] for u in first.json()["results"]] == [anna.account_id]
    assert "next" not in first.json()["_links"]  # "the first 200 will be returned", no more


def test_cloud_bulk_refuses_what_its_spec_refuses(cloud: Wiki) -> None:
    assert cloud.v1("GET", "/user/bulk").status_code == 400  # accountId is required
    for limit in ("0", "201", "x"):
        answer = cloud.v1("GET", "/user/bulk", params={"accountId": "a", "limit": limit})
        assert answer.status_code == 400, limit


def test_data_center_has_no_bulk_user_read(dc: Wiki) -> None:
    assert dc.v1("GET", "/user/bulk", params={"accountId": "a"}).status_code == 404
