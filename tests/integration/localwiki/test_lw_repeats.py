"""A repeat of an idempotent PUT answers as the first did and changes nothing, as the specs say
(the sources are in confluence_sync/backends/repeatable.py): a Data Center grant or revoke
(204), a Data Center group membership (204), a Cloud page move (200). The sync retries these
after a 5xx or a reset, and a retry of one that had landed is such a repeat."""

from __future__ import annotations

from .conftest import Wiki

GRANT = [
    {"targetType": "space", "operationKey": "read"},
    {"targetType": "page", "operationKey": "create"},
]


def _group_grants(dc: Wiki, group: str) -> list[tuple[str, str]]:
    listing = dc.v1("GET", "/space/NET/permissions")
    assert listing.status_code == 200, listing.text
    return sorted(
        (p["operation"]["operationKey"], p["operation"]["targetType"])
        for p in listing.json()
        if (p.get("subject") or {}).get("groupName") == group
    )


def test_a_repeated_grant_or_revoke_answers_204_and_changes_nothing(dc: Wiki) -> None:
    dc.space()
    dc.server.store.create_group("wg")
    path = "/space/NET/permissions/group/wg"
    assert dc.v1("PUT", f"{path}/grant", json=GRANT).status_code == 204
    once = _group_grants(dc, "wg")
    assert dc.v1("PUT", f"{path}/grant", json=GRANT).status_code == 204
    assert _group_grants(dc, "wg") == once == [("create", "page"), ("read", "space")]
    revoke = [GRANT[1]]
    assert dc.v1("PUT", f"{path}/revoke", json=revoke).status_code == 204
    assert dc.v1("PUT", f"{path}/revoke", json=revoke).status_code == 204
    assert _group_grants(dc, "wg") == [("read", "space")]


def test_a_repeated_membership_answers_204_and_leaves_one_membership(dc: Wiki) -> None:
    dc.server.store.create_user("member", "pw-member")
    dc.server.store.create_group("wg")
    assert dc.v1("PUT", "/user/member/group/wg").status_code == 204
    assert dc.v1("PUT", "/user/member/group/wg").status_code == 204
    members = dc.v1("GET", "/group/wg/member").json()["results"]
    assert [m["username"] for m in members] == ["member"]


def test_a_repeated_move_answers_200_and_leaves_the_page_where_the_first_put_it(
    cloud: Wiki,
) -> None:
    cloud.space()
    target = cloud.page("Archiv")
    sibling = cloud.page("Schon da", parent=target["id"])
    page = cloud.page("Altes Treffen")
    move = f"/content/{page['id']}/move/append/{target['id']}"
    first = cloud.v1("PUT", move)
    again = cloud.v1("PUT", move)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() == {"pageId": page["id"]}
    children = cloud.v1("GET", f"/content/{target['id']}/child/page").json()["results"]
    assert [c["id"] for c in children] == [sibling["id"], page["id"]]
    version = cloud.v2("GET", f"/pages/{page['id']}").json()["version"]["number"]
    assert version == 1  # a move adds no version, the repeat neither
