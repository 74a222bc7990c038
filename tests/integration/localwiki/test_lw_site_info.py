"""What the local wiki says about itself, as each flavour's real site does: Data Center's
server information, Cloud's system information, and Cloud's ``user/current`` operations."""

from __future__ import annotations

import requests

from confluence_sync.localwiki.server import LocalWiki

from .conftest import Wiki


def test_data_center_serves_its_server_information(dc: Wiki) -> None:
    answer = dc.v1("GET", "/server-information")
    assert answer.status_code == 200
    data = answer.json()
    assert data["version"] == "10.0.3" and isinstance(data["buildNumber"], int)
    assert data["baseUrl"] == dc.url  # with its context path
    anonymous = requests.get(f"{dc.url}/rest/api/server-information", timeout=10)
    assert anonymous.status_code == 401  # dc-10.0.3.json documents 401 without credentials
    assert dc.v1("GET", "/settings/systemInfo").status_code == 404  # Cloud's, not DC's


def test_cloud_serves_its_system_info(cloud: Wiki) -> None:
    answer = cloud.v1("GET", "/settings/systemInfo")
    assert answer.status_code == 200
    data = answer.json()
    assert {"cloudId", "commitHash"} <= set(data) and data["baseUrl"] == cloud.url
    assert cloud.v1("GET", "/server-information").status_code == 404  # DC's, not Cloud's


def test_cloud_lists_the_callers_site_operations(cloud: Wiki) -> None:
    admin = cloud.v1("GET", "/user/current", params={"expand": "operations"}).json()
    assert {"operation": "administer", "targetType": "application"} in admin["operations"]
    cloud.server.store.create_user("member", "pw-member")
    member = cloud.as_user("member", "pw-member")
    ops = member.v1("GET", "/user/current", params={"expand": "operations"}).json()["operations"]
    assert {"operation": "create_space", "targetType": "application"} in ops
    assert all(o["operation"] != "administer" for o in ops)
    assert "operations" not in cloud.v1("GET", "/user/current").json()  # only when expanded


def test_data_center_has_no_operations_expansion() -> None:
    with LocalWiki(flavour="dc") as wiki:
        answer = requests.get(
            f"{wiki.url}/rest/api/user/current",
            params={"expand": "operations"},
            auth=wiki.admin,
            timeout=10,
        )
    assert answer.status_code == 200 and "operations" not in answer.json()


def test_data_center_lists_global_permissions_to_administrators_only(dc: Wiki) -> None:
    dc.server.store.create_user("member", "pw-member")
    mine = dc.v1("GET", "/permissions/user/admin")
    assert mine.status_code == 200
    keys = {(p["operation"]["operationKey"], p["operation"]["targetType"]) for p in mine.json()}
    assert {("administer", "application"), ("create", "space")} <= keys
    theirs = dc.v1("GET", "/permissions/user/member").json()
    assert all(p["operation"]["operationKey"] != "administer" for p in theirs)
    assert (
        dc.as_user("member", "pw-member").v1("GET", "/permissions/user/member").status_code == 403
    )
    assert dc.v1("GET", "/permissions/user/nobody").status_code == 404
