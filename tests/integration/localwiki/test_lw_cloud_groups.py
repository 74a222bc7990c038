"""Cloud's group routes: those that name a group by its name are deprecated (CHANGE-2520) and
answer 410 GoneException once the v1 removals are on; the group picker finds groups by part
of their name; the id routes stay. Data Center keeps its name routes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .conftest import Wiki, _serve


@pytest.fixture
def removed() -> Iterator[Wiki]:
    yield from _serve(flavour="cloud", v1_removed=True)


def _group(wiki: Wiki, name: str) -> str:
    made = wiki.v1("POST", "/group", json={"name": name})
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def test_name_routes_are_gone_and_id_routes_stay(removed: Wiki) -> None:
    user = removed.server.store.create_user("dora", "pw", groups=())
    group_id = _group(removed, "wg-boden")
    body = {"accountId": user.account_id}
    for method, path, params in [
        ("GET", "/group/by-name", {"name": "wg-boden"}),
        ("GET", "/group/member", {"name": "wg-boden"}),
        ("GET", "/group/wg-boden", {}),
        ("GET", "/group/wg-boden/member", {}),
        ("POST", "/group/user", {"name": "wg-boden"}),
        ("DELETE", "/group/user", {"name": "wg-boden", "accountId": user.account_id}),
    ]:
        answer = removed.v1(method, path, params=params, json=body)
        assert answer.status_code == 410, (method, path, answer.text)
        assert "GoneException" in answer.json()["message"]
    assert removed.server.store.members("wg-boden") == []  # the gone add changed nothing
    by_id = {"groupId": group_id}
    assert removed.v1("POST", "/group/userByGroupId", params=by_id, json=body).status_code == 201
    listed = removed.v1("GET", f"/group/{group_id}/membersByGroupId").json()["results"]
    assert [m["accountId"] for m in listed] == [user.account_id]
    assert removed.v1("GET", "/group/by-id", params={"id": group_id}).json()["name"] == "wg-boden"
    gone = removed.v1("DELETE", "/group/userByGroupId", params={**by_id, **body})
    assert gone.status_code == 204
    assert removed.server.store.members("wg-boden") == []


def test_name_routes_answer_while_the_removals_are_off(cloud: Wiki) -> None:
    _group(cloud, "wg-boden")
    assert cloud.v1("GET", "/group/by-name", params={"name": "wg-boden"}).status_code == 200
    assert cloud.v1("GET", "/group/member", params={"name": "wg-boden"}).status_code == 200


def test_picker_matches_part_of_a_name_without_regard_to_case(removed: Wiki) -> None:
    for name in ("puu-upx-members", "PUU-Kontakte", "andere", "puu-abc"):
        _group(removed, name)
    found = removed.v1("GET", "/group/picker", params={"query": "puu"}).json()
    # In the name order of ``GET /group`` (without regard to case, as the store sorts).
    assert [g["name"] for g in found["results"]] == ["puu-abc", "PUU-Kontakte", "puu-upx-members"]
    assert {"id", "type", "name"} <= set(found["results"][0])
    assert found["size"] == 3 and "_links" in found
    nothing = removed.v1("GET", "/group/picker", params={"query": "nirgends"}).json()
    assert nothing["results"] == []
    first = removed.v1("GET", "/group/picker", params={"query": "PUU", "limit": 2}).json()
    assert [g["name"] for g in first["results"]] == ["puu-abc", "PUU-Kontakte"]
    following = removed.http.get(removed.url + first["_links"]["next"]).json()
    assert [g["name"] for g in following["results"]] == ["puu-upx-members"]
    assert "next" not in following["_links"]


def test_data_center_keeps_its_name_routes_and_has_no_picker(dc: Wiki) -> None:
    made = dc.v1("POST", "/admin/group", json={"name": "wg-boden"})
    assert made.status_code == 200, made.text
    assert dc.v1("GET", "/group/wg-boden").json()["name"] == "wg-boden"
    assert dc.v1("GET", "/group/wg-boden/member").status_code == 200
    assert dc.v1("GET", "/group/picker", params={"query": "wg"}).status_code == 404
