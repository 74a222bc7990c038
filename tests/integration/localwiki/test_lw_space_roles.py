"""Cloud's space roles in the local wiki: the mode, the system roles, role assignments (set,
removed, paged, checked), access from a role, role principals in the permission listing,
creating a space with roles, and v1 permission writes refused in ROLES mode."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.localwiki.store.model import Group

from .conftest import Wiki, _serve

VIEWER, COLLABORATOR, ADMIN = "327684", "327683", "327681"


@pytest.fixture
def roles() -> Iterator[Wiki]:
    yield from _serve(flavour="cloud", space_role_mode="ROLES")


@pytest.fixture
def transition() -> Iterator[Wiki]:
    yield from _serve(flavour="cloud", space_role_mode="ROLES_TRANSITION")


def _space(wiki: Wiki, key: str = "NET", **extra: Any) -> str:
    made = wiki.v2("POST", "/spaces", json={"key": key, "name": "Netz", **extra})
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _member(wiki: Wiki, name: str = "bob") -> tuple[Wiki, Group, str]:
    """A user (not in the space) and a group holding them; the user's session and account id."""
    store = wiki.server.store
    user = store.create_user(name, "pw-" + name)
    group = store.create_group(name + "-team")
    store.add_member(group.name, name)
    return wiki.as_user(name, "pw-" + name), group, user.account_id


def _assign(wiki: Wiki, space: str, *entries: dict[str, Any]) -> requests.Response:
    return wiki.v2("POST", f"/spaces/{space}/role-assignments", json=list(entries))


def _group(group: Group, role: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"principal": {"principalType": "GROUP", "principalId": group.id}}
    if role is not None:
        entry["roleId"] = role
    return entry


def test_the_mode_is_answered_in_every_mode_and_roles_only_past_pre_roles(cloud: Wiki) -> None:
    assert cloud.v2("GET", "/space-role-mode").json() == {"mode": "PRE_ROLES"}
    assert cloud.v2("GET", "/space-roles").status_code == 404
    space = _space(cloud)
    assert cloud.v2("GET", f"/spaces/{space}/role-assignments").status_code == 404
    anonymous = requests.get(cloud.url + "/api/v2/space-role-mode", timeout=10)
    assert anonymous.status_code in (401, 404)
    for mode in ("ROLES_TRANSITION", "ROLES"):
        with LocalWiki(flavour="cloud", space_role_mode=mode) as wiki:
            answer = requests.get(wiki.url + "/api/v2/space-role-mode", auth=wiki.admin, timeout=10)
            assert answer.json() == {"mode": mode}
    with pytest.raises(ValueError, match="space_role_mode"):
        LocalWiki(flavour="cloud", space_role_mode="roles")
    with pytest.raises(ValueError, match="cloud"):
        LocalWiki(flavour="dc", space_role_mode="ROLES")


def test_system_roles_have_stable_ids_and_permission_ids(roles: Wiki) -> None:
    listed = roles.v2("GET", "/space-roles").json()["results"]
    by_name = {r["name"]: r for r in listed}
    assert set(by_name) == {"Admin", "Manager", "Collaborator", "Viewer"}
    assert by_name["Viewer"]["id"] == VIEWER and by_name["Admin"]["id"] == ADMIN
    assert all(r["type"] == "SYSTEM" for r in listed)
    viewer, collaborator = (
        set(by_name["Viewer"]["spacePermissions"]),
        set(by_name["Collaborator"]["spacePermissions"]),
    )
    assert "read/space" in viewer and "create/page" not in viewer
    assert viewer < collaborator and "update/page" in collaborator
    assert "administer/space" in by_name["Admin"]["spacePermissions"]
    assert "administer/space" not in by_name["Manager"]["spacePermissions"]
    one = roles.v2("GET", f"/space-roles/{VIEWER}").json()
    assert one["spacePermissions"] == by_name["Viewer"]["spacePermissions"]
    assert roles.v2("GET", "/space-roles/1").status_code == 404
    assert roles.v2("GET", "/space-roles", params={"role-type": "CUSTOM"}).json()["results"] == []


def test_a_role_gives_exactly_its_permissions_and_removal_takes_them(roles: Wiki) -> None:
    space = _space(roles, createPrivateSpace=True)
    bob, team, _ = _member(roles)
    assert bob.v2("GET", f"/spaces/{space}").status_code == 404  # private: nobody else
    set_viewer = _assign(roles, space, _group(team, VIEWER))
    assert set_viewer.status_code == 200, set_viewer.text
    assert set_viewer.json()["results"] == [_group(team, VIEWER)]
    assert bob.v2("GET", f"/spaces/{space}").status_code == 200  # a role alone lets bob read
    home = roles.v2("GET", f"/spaces/{space}").json()["homepageId"]
    assert bob.v2("GET", f"/pages/{home}").status_code == 200
    page = {"spaceId": space, "status": "current", "title": "Neu", "body": {
        "representation": "storage", "value": "<p>x</p>"}}  # fmt: skip
    assert bob.v2("POST", "/pages", json=page).status_code == 404  # Viewer: no create
    assert _assign(roles, space, _group(team, COLLABORATOR)).status_code == 200
    assert bob.v2("POST", "/pages", json=page).status_code == 200
    # One role per principal: the set replaced Viewer.
    held = roles.v2("GET", f"/spaces/{space}/role-assignments").json()["results"]
    assert [a["roleId"] for a in held if a["principal"]["principalType"] == "GROUP"] == [
        COLLABORATOR
    ]
    removed = _assign(roles, space, _group(team, None))  # roleId omitted: removed
    assert removed.status_code == 200 and removed.json()["results"] == []
    assert bob.v2("GET", f"/spaces/{space}").status_code == 404


def test_setting_roles_needs_space_admin_and_a_valid_payload_changes_nothing_else(
    roles: Wiki,
) -> None:
    space = _space(roles, createPrivateSpace=True)
    bob, team, bob_id = _member(roles)
    assert _assign(roles, space, _group(team, COLLABORATOR)).status_code == 200
    # A Collaborator cannot manage roles: 404, as the spec documents.
    refused = _assign(bob, space, _group(team, ADMIN))
    assert refused.status_code == 404 and "errors" in refused.json()
    user = {"principal": {"principalType": "USER", "principalId": bob_id}, "roleId": VIEWER}
    bad = [
        [user, {"principal": {"principalType": "USER", "principalId": "nobody"}, "roleId": VIEWER}],
        [user, {**user}],  # the same principal twice
        [{**user, "roleId": "999"}],
        [{"principal": {"principalType": "TEAM", "principalId": "x"}, "roleId": VIEWER}],
        [{"principal": {"principalType": "ACCESS_CLASS", "principalId": "everyone"}}],
        {"principal": user["principal"]},  # not a list
    ]
    for body in bad:
        answer = roles.v2("POST", f"/spaces/{space}/role-assignments", json=body)
        assert answer.status_code == 400, (body, answer.text)
        assert answer.json()["errors"][0]["status"] == 400
    held = roles.v2("GET", f"/spaces/{space}/role-assignments").json()["results"]
    assert {a["principal"]["principalType"] for a in held} == {"USER", "GROUP"}
    assert bob_id not in {a["principal"]["principalId"] for a in held}  # nothing half-done
    assert roles.v2("GET", "/spaces/1/role-assignments").status_code == 404


def test_assignments_are_paged_and_filtered(roles: Wiki) -> None:
    space = _space(roles, createPrivateSpace=True)
    people = [_member(roles, f"p{n}") for n in range(5)]
    entries = [
        {"principal": {"principalType": "USER", "principalId": account}, "roleId": VIEWER}
        for _, _, account in people
    ]
    assert _assign(roles, space, *entries).status_code == 200
    url = f"/spaces/{space}/role-assignments"
    first = roles.v2("GET", url, params={"limit": 4})
    body = first.json()
    assert len(body["results"]) == 4 and body["_links"]["next"].startswith("/wiki/api/v2/")
    assert 'rel="next"' in first.headers["Link"]
    rest = roles.http.get(roles.server.root_url + body["_links"]["next"]).json()
    assert len(rest["results"]) == 2 and "next" not in rest["_links"]  # the creator too
    viewers = roles.v2("GET", url, params={"role-id": VIEWER}).json()["results"]
    assert len(viewers) == 5
    one = roles.v2(
        "GET", url, params={"principal-type": "USER", "principal-id": people[0][2]}
    ).json()["results"]
    assert [a["principal"]["principalId"] for a in one] == [people[0][2]]
    half = roles.v2("GET", url, params={"principal-type": "USER"})
    assert half.status_code == 400  # a principal-id must come with it
    assert roles.v2("GET", url, params={"cursor": "nonsense"}).status_code == 400


def test_a_space_is_created_with_the_default_roles_or_exactly_the_given_ones(roles: Wiki) -> None:
    bob, team, _ = _member(roles)
    default = _space(roles, "DEF")
    held = roles.v2("GET", f"/spaces/{default}/role-assignments").json()["results"]
    assert {(a["principal"]["principalType"], a["roleId"]) for a in held} == {
        ("USER", ADMIN),
        ("ACCESS_CLASS", COLLABORATOR),  # all licensed users: the site's default access
    }
    assert bob.v2("GET", f"/spaces/{default}").status_code == 200
    admin_id = roles.v1("GET", "/user/current").json()["accountId"]
    mine = {"principal": {"principalType": "USER", "principalId": admin_id}, "roleId": ADMIN}
    exact = _space(roles, "EXA", roleAssignments=[mine, _group(team, VIEWER)])
    listed = roles.v2("GET", f"/spaces/{exact}/role-assignments").json()["results"]
    assert sorted(a["roleId"] for a in listed) == sorted([ADMIN, VIEWER])
    no_admin = roles.v2(
        "POST",
        "/spaces",
        json={"key": "NOA", "name": "x", "roleAssignments": [_group(team, VIEWER)]},
    )
    assert no_admin.status_code == 400 and "Admin" in no_admin.text
    # The v1 create gives roles too, and refuses individual permissions.
    roles.space("VONE")
    one = roles.v2("GET", "/spaces", params={"keys": "VONE"}).json()["results"][0]["id"]
    assert roles.v2("GET", f"/spaces/{one}/role-assignments").json()["results"]
    legacy = roles.v1("POST", "/space", json={"key": "LEG", "name": "x", "permissions": []})
    assert legacy.status_code == 400


def test_roles_mode_refuses_v1_permission_writes_and_transition_takes_both(
    roles: Wiki, transition: Wiki
) -> None:
    grant = {
        "subject": {"type": "group", "identifier": "confluence-users"},
        "operation": {"key": "read", "target": "space"},
    }
    roles.space("NET")
    refused = roles.v1("POST", "/space/NET/permission", json=grant)
    assert refused.status_code == 400
    assert refused.json()["statusCode"] == 400 and "role-assignments" in refused.json()["message"]
    assert roles.v1("DELETE", "/space/NET/permission/196608").status_code == 400
    # Transition: individual permissions and roles side by side.
    space = transition.space("NET")
    transition.server.store.create_group("auditors")
    audit = {**grant, "subject": {"type": "group", "identifier": "auditors"}}
    assert transition.v1("POST", "/space/NET/permission", json=audit).status_code == 200
    bob, team, _ = _member(transition)
    assert _assign(transition, str(space["id"]), _group(team, VIEWER)).status_code == 200
    listed = transition.v2("GET", f"/spaces/{space['id']}/permissions", params={"limit": 250})
    principals = {(p["principal"]["type"], p["principal"]["id"]) for p in listed.json()["results"]}
    assert ("role", VIEWER) in principals and any(kind == "group" for kind, _ in principals)
    role_rows = [p for p in listed.json()["results"] if p["principal"]["type"] == "role"]
    assert {"key": "read", "targetType": "space"} in [p["operation"] for p in role_rows]
    assert bob.v2("GET", f"/spaces/{space['id']}").status_code == 200


def test_serve_takes_the_mode_and_refuses_one_that_is_not() -> None:
    command = [sys.executable, "-m", "confluence_sync", "serve", "--port", "0"]
    done = subprocess.run(
        [*command, "--flavour", "cloud", "--space-role-mode", "ROLLS"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "--space-role-mode" in done.stderr
    on_dc = subprocess.run(
        [*command, "--space-role-mode", "ROLES"], capture_output=True, text=True, timeout=60
    )
    assert on_dc.returncode == 2 and "--flavour" in on_dc.stderr
    process = subprocess.Popen(
        [*command, "--flavour", "cloud", "--space-role-mode", "roles"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split(" at ", 1)[1].strip()
        auth = ("admin@localwiki.invalid", "localwiki-admin-token")
        mode = requests.get(url + "/api/v2/space-role-mode", auth=auth, timeout=10)
        assert mode.json() == {"mode": "ROLES"}
    finally:
        process.terminate()
        process.wait(timeout=10)
