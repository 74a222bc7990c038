"""Authentication (Basic with password or token, Bearer PAT) and space permissions."""

from __future__ import annotations

import requests

from confluence_sync.localwiki.store import ADMIN_EMAIL, ADMIN_TOKEN

from .conftest import Wiki


def test_no_or_wrong_credentials_are_401_with_challenge(wiki: Wiki) -> None:
    anonymous = requests.get(wiki.url + "/rest/api/space")
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Basic")
    wrong = requests.get(wiki.url + "/rest/api/space", auth=("admin", "nope"))
    assert wrong.status_code == 401
    bearer = requests.get(
        wiki.url + "/rest/api/space", headers={"Authorization": "Bearer not-a-token"}
    )
    assert bearer.status_code == 401


def test_v2_errors_use_the_errors_array(cloud: Wiki) -> None:
    response = requests.get(cloud.url + "/api/v2/spaces")
    assert response.status_code == 401
    assert response.json()["errors"][0]["status"] == 401


def test_basic_with_password_dc(dc: Wiki) -> None:
    assert requests.get(dc.url + "/rest/api/space", auth=("admin", "admin")).status_code == 200


def test_basic_with_email_and_api_token_cloud(cloud: Wiki) -> None:
    response = requests.get(cloud.url + "/api/v2/spaces", auth=(ADMIN_EMAIL, ADMIN_TOKEN))
    assert response.status_code == 200


def test_bearer_personal_access_token_dc(dc: Wiki) -> None:
    response = requests.get(
        dc.url + "/rest/api/user/current", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    )
    assert response.status_code == 200 and response.json()["username"] == "admin"


def test_admin_endpoint_creates_users_with_tokens(dc: Wiki) -> None:
    made = dc.http.post(
        dc.server.root_url + "/__localwiki/users", json={"username": "erika", "password": "pw"}
    )
    assert made.status_code == 201
    token = made.json()["token"]
    me = requests.get(
        dc.url + "/rest/api/user/current", headers={"Authorization": f"Bearer {token}"}
    )
    assert me.json()["username"] == "erika"
    as_erika = requests.post(
        dc.server.root_url + "/__localwiki/users",
        auth=("erika", "pw"),
        json={"username": "x", "password": "y"},
    )
    assert as_erika.status_code == 403


def test_no_read_permission_looks_like_not_found(wiki: Wiki) -> None:
    wiki.space()
    page = wiki.page("Secret")
    wiki.server.store.create_user("outsider", "pw", groups=())
    outsider = wiki.as_user("outsider", "pw")
    assert outsider.v1("GET", "/space/NET").status_code == 404
    assert outsider.v1("GET", f"/content/{page['id']}").status_code == 404
    listed = outsider.v1("GET", "/content", params={"title": "Secret"}).json()
    assert listed["results"] == []
    found = outsider.v1("GET", "/content/search", params={"cql": 'title = "Secret"'}).json()
    assert found["results"] == []


def test_read_without_write_is_403(dc: Wiki) -> None:
    dc.space()
    page = dc.page("Read only")
    store = dc.server.store
    reader = store.create_user("reader", "pw", groups=())
    space = store.space_by_key("NET")
    assert space is not None
    store.grant(space.id, "user", str(reader.id), "read", "space")
    as_reader = dc.as_user("reader", "pw")
    assert as_reader.v1("GET", f"/content/{page['id']}").status_code == 200
    create = as_reader.v1(
        "POST", "/content", json={"type": "page", "title": "No", "space": {"key": "NET"}}
    )
    assert create.status_code == 403
    update = as_reader.v1(
        "PUT",
        f"/content/{page['id']}",
        json={"type": "page", "title": "X", "version": {"number": 2}},
    )
    assert update.status_code == 403
    label = as_reader.v1("POST", f"/content/{page['id']}/label", json={"name": "x"})
    assert label.status_code == 403


def test_default_members_can_write_and_admins_bypass_permissions(dc: Wiki) -> None:
    dc.space()
    store = dc.server.store
    store.create_user("member", "pw")  # joins confluence-users, which the space grants
    assert (
        dc.as_user("member", "pw")
        .v1("POST", "/content", json={"type": "page", "title": "Mine", "space": {"key": "NET"}})
        .status_code
        == 200
    )
    store.create_user("boss", "pw", groups=("confluence-administrators",))
    space = store.space_by_key("NET")
    assert space is not None
    store.revoke(space.id, "group", "confluence-users")
    assert dc.as_user("member", "pw").v1("GET", "/space/NET").status_code == 404
    assert dc.as_user("boss", "pw").v1("GET", "/space/NET").status_code == 200


def test_cloud_permission_add_and_delete_need_admin(cloud: Wiki) -> None:
    cloud.space()
    store = cloud.server.store
    user = store.create_user("anna", "pw", groups=())
    store.create_group("wg-energy")
    grant = {
        "subject": {"type": "user", "identifier": user.account_id},
        "operation": {"key": "create", "target": "page"},
    }
    # Read must come first.
    assert cloud.v1("POST", "/space/NET/permission", json=grant).status_code == 400
    read = cloud.v1(
        "POST",
        "/space/NET/permission",
        json={
            "subject": {"type": "user", "identifier": user.account_id},
            "operation": {"key": "read", "target": "space"},
        },
    )
    assert read.status_code == 200 and read.json()["operation"] == {
        "key": "read",
        "target": "space",
    }
    assert cloud.v1("POST", "/space/NET/permission", json=grant).status_code == 200
    assert cloud.v1("POST", "/space/NET/permission", json=grant).status_code == 400  # exists
    as_anna = cloud.as_user(user.email, "pw")
    assert as_anna.v1("GET", "/space/NET").status_code == 200
    denied = as_anna.v1(
        "POST",
        "/space/NET/permission",
        json={
            "subject": {"type": "group", "identifier": "wg-energy"},
            "operation": {"key": "read", "target": "space"},
        },
    )
    assert denied.status_code == 403
    removed = cloud.v1("DELETE", f"/space/NET/permission/{read.json()['id']}")
    assert removed.status_code == 204
    assert as_anna.v1("GET", "/space/NET").status_code == 404  # read removal removes all


def test_dc_permission_grant_revoke_and_set(dc: Wiki) -> None:
    dc.space()
    store = dc.server.store
    user = store.create_user("bernd", "pw", groups=())
    store.create_group("wg-water")
    ops = [
        {"operationKey": "read", "targetType": "space"},
        {"operationKey": "create", "targetType": "page"},
    ]
    grant = dc.v1("PUT", f"/space/NET/permissions/user/{user.user_key}/grant", json=ops)
    assert grant.status_code == 204
    listed = dc.v1("GET", f"/space/NET/permissions/user/{user.user_key}").json()
    assert {(p["operation"]["operationKey"], p["operation"]["targetType"]) for p in listed} == {
        ("read", "space"),
        ("create", "page"),
    }
    revoke = dc.v1(
        "PUT",
        f"/space/NET/permissions/user/{user.user_key}/revoke",
        json=[{"operationKey": "create", "targetType": "page"}],
    )
    assert revoke.status_code == 204
    assert len(dc.v1("GET", f"/space/NET/permissions/user/{user.user_key}").json()) == 1
    replaced = dc.v1(
        "POST",
        "/space/NET/permissions",
        json=[
            {
                "groupName": "wg-water",
                "operations": [{"operationKey": "read", "targetType": "space"}],
            }
        ],
    )
    assert replaced.status_code == 200
    everything = dc.v1("GET", "/space/NET/permissions").json()
    assert any(p["subject"].get("groupName") == "wg-water" for p in everything)


def test_anonymous_access_mode_lets_bad_tokens_through_as_anonymous() -> None:
    from confluence_sync.localwiki.server import LocalWiki

    with LocalWiki(anonymous_access=True) as server:
        session = requests.Session()
        session.auth = server.admin
        for key in ("OPEN", "CLOSED"):
            session.post(
                server.url + "/rest/api/space", json={"key": key, "name": key}
            ).raise_for_status()
        store = server.store
        space = store.space_by_key("OPEN")
        assert space is not None
        store.grant(space.id, "anonymous", "", "read", "space")
        bad_pat = {"Authorization": "Bearer expired-token"}
        assert requests.get(server.url + "/rest/api/space/OPEN", headers=bad_pat).ok
        assert requests.get(server.url + "/rest/api/space/OPEN").ok
        assert requests.get(server.url + "/rest/api/space/CLOSED").status_code == 404
        assert (
            requests.get(server.url + "/rest/api/space/OPEN", auth=("admin", "wrong")).status_code
            == 401
        )
        me = requests.get(server.url + "/rest/api/user/current").json()
        assert me["type"] == "anonymous"
        create = requests.post(server.url + "/rest/api/space", json={"key": "A", "name": "A"})
        assert create.status_code == 403


def test_unknown_permission_subject_is_404_on_dc_and_400_on_cloud(wiki: Wiki) -> None:
    wiki.space()
    read = [{"targetType": "space", "operationKey": "read"}]
    if wiki.server.options.flavour == "cloud":
        grant = {
            "subject": {"type": "group", "identifier": "no-such-group"},
            "operation": {"key": "read", "target": "space"},
        }
        assert wiki.v1("POST", "/space/NET/permission", json=grant).status_code == 400
        return
    url = "/space/NET/permissions"
    assert wiki.v1("GET", f"{url}/group/no-such-group").status_code == 404
    assert wiki.v1("PUT", f"{url}/user/nobody/revoke", json=read).status_code == 404
    before = wiki.v1("GET", url).json()
    # A set with one unknown subject changes nothing, also not for the subjects before it.
    mixed = [
        {"groupName": "confluence-users", "operations": []},
        {"groupName": "no-such-group", "operations": read},
    ]
    assert wiki.v1("POST", url, json=mixed).status_code == 404
    assert wiki.v1("GET", url).json() == before
    # The caller's right to change permissions is checked before the subject.
    wiki.server.store.create_user("member", "pw")
    member = wiki.as_user("member", "pw")
    # A listing answers a non-admin 500 on DC 9.1+ (CONFSERVER-99908), a change 403.
    assert member.v1("GET", f"{url}/group/no-such-group").status_code == 500
    assert member.v1("PUT", f"{url}/group/no-such-group/grant", json=read).status_code == 403
