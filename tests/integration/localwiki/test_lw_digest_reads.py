"""The reads ``digest`` makes, as harsh as a real site: Data Center cuts a listing that
expands bodies to 50 a page (and says where the rest is), Cloud's ``GET /user/bulk`` takes one
comma-separated ``accountId`` string and refuses what its spec refuses."""

from __future__ import annotations

import datetime as dt

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
    # The CQL searches the knowledge-base article is about: the same 50 with bodies.
    cql = {"cql": "space = NET and type = page", "limit": 200}
    searched = dc.v1("GET", "/content/search", params={**cql, "expand": "body.storage"}).json()
    assert searched["limit"] == 50 and searched["size"] == 50 and "next" in searched["_links"]
    found = dc.v1("GET", "/search", params={**cql, "expand": "content.body.storage"}).json()
    assert found["limit"] == 50 and found["size"] == 50
    assert dc.v1("GET", "/content/search", params=cql).json()["size"] == 61


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


TASKS = (
    "<ac:task-list>"
    "<ac:task><ac:task-id>1</ac:task-id><ac:task-status>incomplete</ac:task-status>"
    '<ac:task-body>Angebot &amp; Preis <ac:link><ri:user ri:account-id="{account}" /></ac:link> '
    '<time datetime="2026-04-01" /></ac:task-body></ac:task>'
    "<ac:task><ac:task-id>2</ac:task-id><ac:task-status>complete</ac:task-status>"
    "<ac:task-body>Protokoll</ac:task-body></ac:task>"
    "<ac:task><ac:task-id>3</ac:task-id><ac:task-status>incomplete</ac:task-status>"
    "<ac:task-body></ac:task-body></ac:task>"
    "</ac:task-list>"
)


def test_cloud_lists_the_tasks_stored_in_page_bodies(cloud: Wiki) -> None:
    anna = cloud.server.store.create_user("anna", "pw", display_name="Anna")
    space = cloud.space()
    page = cloud.page("Treffen", TASKS.format(account=anna.account_id))
    listed = cloud.v2("GET", "/tasks", params={"space-id": space["id"], "body-format": "storage"})
    assert listed.status_code == 200, listed.text
    tasks = listed.json()["results"]
    assert [(t["localId"], t["status"]) for t in tasks] == [
        ("1", "incomplete"),
        ("2", "complete"),
        ("3", "incomplete"),  # blank tasks are included by default (cloud-v2.json)
    ]
    first = tasks[0]
    assert first["pageId"] == str(page["id"]) and first["spaceId"] == str(space["id"])
    assert first["assignedTo"] == anna.account_id and first["dueAt"] == "2026-04-01T00:00:00.000Z"
    assert "Angebot &amp; Preis" in first["body"]["storage"]["value"]

    def local_ids(**params: object) -> list[str]:
        answer = cloud.v2("GET", "/tasks", params={"space-id": space["id"], **params})
        assert answer.status_code == 200, answer.text
        return [t["localId"] for t in answer.json()["results"]]

    assert local_ids(status="complete") == ["2"]
    assert local_ids(**{"include-blank-tasks": "false"}) == ["1", "2"]
    assert local_ids(**{"assigned-to": anna.account_id}) == ["1"]
    april = 1775001600000  # 2026-04-01T00:00Z in epoch ms
    assert local_ids(**{"due-at-from": april, "due-at-to": april}) == ["1"]
    assert local_ids(**{"due-at-from": april + 1}) == []

    # Every other filter the spec lists filters too (none is ignored): who made and who
    # completed a task, when (here: its page's creation and last save), blog posts (none).
    admin = first["createdBy"]
    assert local_ids(**{"created-by": admin}) == ["1", "2", "3"]
    assert local_ids(**{"created-by": anna.account_id}) == []
    assert local_ids(**{"completed-by": admin}) == ["2"]
    made = int(dt.datetime.fromisoformat(first["createdAt"].replace("Z", "+00:00")).timestamp())
    assert local_ids(**{"created-at-from": made * 1000 - 1}) == ["1", "2", "3"]
    assert local_ids(**{"created-at-to": made * 1000 - 60_000}) == []
    assert local_ids(**{"completed-at-from": made * 1000 - 1}) == ["2"]
    assert local_ids(**{"blogpost-id": 1}) == []

    paged = cloud.v2("GET", "/tasks", params={"space-id": space["id"], "limit": 2})
    assert len(paged.json()["results"]) == 2 and "next" in paged.json()["_links"]
    rest = cloud.http.get(cloud.url.removesuffix("/wiki") + paged.json()["_links"]["next"])
    assert [t["localId"] for t in rest.json()["results"]] == ["3"]

    one = cloud.v2("GET", f"/tasks/{first['id']}")
    assert one.status_code == 200 and one.json()["localId"] == "1"
    assert one.json()["body"] == {}  # no body-format: no body
    assert cloud.v2("GET", f"/tasks/{int(first['id']) + 10}").status_code == 404


def test_a_task_id_of_nine_digits_is_its_own(cloud: Wiki) -> None:
    # Task ids are global on a real site: two pages' tasks never share one, whatever the
    # page-local ids their bodies hold (the editor writes up to nine digits).
    cloud.space()
    big = TASKS.replace("<ac:task-id>1</ac:task-id>", "<ac:task-id>123456789</ac:task-id>")
    one = cloud.page("Eins", big.format(account="x"))
    two = cloud.page("Zwei", TASKS.format(account="x"))
    listed = cloud.v2("GET", "/tasks", params={"limit": 250}).json()["results"]
    ids = [t["id"] for t in listed]
    assert len(ids) == len(set(ids)) == 6
    mine = next(t for t in listed if t["localId"] == "123456789")
    got = cloud.v2("GET", f"/tasks/{mine['id']}").json()
    assert got["pageId"] == str(one["id"]) != str(two["id"])


def test_cloud_task_listing_refuses_what_its_spec_refuses(cloud: Wiki) -> None:
    for params in (
        {"status": "open"},
        {"include-blank-tasks": "maybe"},
        {"space-id": "abc"},
        {"due-at-from": "tomorrow"},
        {"body-format": "wiki"},
        {"page-id": ",".join(str(n) for n in range(251))},
    ):
        assert cloud.v2("GET", "/tasks", params=params).status_code == 400, params
    assert cloud.v2("GET", "/tasks/abc").status_code == 400


def test_a_task_on_a_page_the_caller_cannot_read_is_not_found(cloud: Wiki) -> None:
    cloud.server.store.create_user("bert", "pw-bert")
    made = cloud.space("GEHEIM", "Geheim")
    page = cloud.page("Intern", TASKS.format(account="x"), space="GEHEIM")
    cloud.server.store.revoke(int(made["id"]), "group", "confluence-users")
    admin = cloud.v2("GET", "/tasks", params={"page-id": page["id"]}).json()["results"]
    bert = cloud.as_user("bert", "pw-bert")
    assert bert.v2("GET", "/tasks", params={"page-id": page["id"]}).json()["results"] == []
    assert bert.v2("GET", f"/tasks/{admin[0]['id']}").status_code == 404
