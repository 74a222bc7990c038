"""A space created with its permissions (v1 ``POST /space`` with ``permissions``).

Cloud gives the space exactly the listed grants — no site default, and not the creator unless
listed — and checks every entry as the single-grant route does, before the space exists. Data
Center ignores the list on every release (its create reads key, name and description only)."""

from __future__ import annotations

from typing import Any

import pytest

from confluence_sync.localwiki.store.model import DEFAULT_GROUP

from .conftest import Wiki, _serve


def _item(
    op: str, target: str, *, users: tuple[str, ...] = (), groups: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        "operation": {"operation": op, "targetType": target},
        "subjects": {
            "user": {"results": [{"type": "known", "accountId": u} for u in users], "size": 1},
            "group": {"results": [{"type": "group", "name": g} for g in groups], "size": 1},
        },
        "anonymousAccess": False,
        "unlicensedAccess": False,
    }


def _held(wiki: Wiki, key: str) -> set[tuple[str, str, str, str]]:
    space = wiki.server.store.space_by_key(key)
    assert space is not None
    return {
        (p.subject_type, p.subject, p.operation, p.target)
        for p in wiki.server.store.permissions(space.id)
    }


def _creator(wiki: Wiki) -> tuple[Wiki, Any]:
    """A licensed user who is no site admin, with a session of their own."""
    user = wiki.server.store.create_user("schreiber", "pw-schreiber")
    return wiki.as_user("schreiber", "pw-schreiber"), user


def test_cloud_space_gets_only_the_listed_grants(cloud: Wiki) -> None:
    store = cloud.server.store
    store.create_group("wg")
    member = store.create_user("mitglied", "pw")
    session, me = _creator(cloud)
    items = [
        _item("read", "space", users=(me.account_id, member.account_id), groups=("wg",)),
        _item("administer", "space", users=(me.account_id,)),
        _item("create", "page", groups=("wg",)),
    ]
    made = session.v1("POST", "/space", json={"key": "MIT", "name": "Mit", "permissions": items})
    assert made.status_code == 200, made.text
    assert _held(cloud, "MIT") == {
        ("user", str(me.id), "read", "space"),
        ("user", str(me.id), "administer", "space"),
        ("user", str(member.id), "read", "space"),
        ("group", "wg", "read", "space"),
        ("group", "wg", "create", "page"),
    }  # no site default for DEFAULT_GROUP, nothing more for the creator
    assert session.v1("GET", "/space/MIT").status_code == 200


def test_cloud_creator_not_listed_cannot_reach_the_space(cloud: Wiki) -> None:
    cloud.server.store.create_group("wg")
    session, _me = _creator(cloud)
    body = {"key": "OHNE", "name": "Ohne", "permissions": [_item("read", "space", groups=("wg",))]}
    assert session.v1("POST", "/space", json=body).status_code == 200
    assert session.v1("GET", "/space/OHNE").status_code == 404  # only wg reads it
    assert cloud.v1("GET", "/space/OHNE").status_code == 200  # a site admin still does


def test_cloud_empty_list_is_a_space_without_permissions(cloud: Wiki) -> None:
    session, _me = _creator(cloud)
    body = {"key": "LEER", "name": "Leer", "permissions": []}
    assert session.v1("POST", "/space", json=body).status_code == 200
    assert _held(cloud, "LEER") == set()


@pytest.mark.parametrize(
    ("items", "words"),
    [
        ([_item("read", "space", groups=("nobody",))], "No group found"),
        ([_item("read", "space", users=("557058:missing",))], "No user found"),
        ([_item("fly", "space", groups=("wg",))], "Invalid operation fly"),
        ([_item("create", "page", groups=("wg",))], "must have read space permission"),
        ([{"operation": {"operation": "read", "targetType": "space"}}], "anonymousAccess"),
        ([{"subjects": {}, "anonymousAccess": False, "unlicensedAccess": False}], "operation"),
        (
            [{**_item("read", "space"), "subjects": {"group": {"results": [{"name": "wg"}]}}}],
            "results and size",
        ),
        ("read", "list of SpacePermissionCreate"),
    ],
)
def test_cloud_refuses_a_bad_entry_and_creates_nothing(cloud: Wiki, items: Any, words: str) -> None:
    cloud.server.store.create_group("wg")
    body = {"key": "BAD", "name": "Bad", "permissions": items}
    refused = cloud.v1("POST", "/space", json=body)
    assert refused.status_code == 400, refused.text
    assert words in refused.text
    assert cloud.server.store.space_by_key("BAD") is None


def test_cloud_private_create_keeps_to_the_creator(cloud: Wiki) -> None:
    cloud.server.store.create_group("wg")
    session, me = _creator(cloud)
    body = {"key": "PRIV", "name": "P", "permissions": [_item("read", "space", groups=("wg",))]}
    assert session.v1("POST", "/space/_private", json=body).status_code == 200
    assert {s for s in _held(cloud, "PRIV") if s[0] == "group"} == set()
    assert ("user", str(me.id), "administer", "space") in _held(cloud, "PRIV")


@pytest.mark.parametrize("release", ["8.5.9", "9.0.3", "9.1.0", "10.0.3"])
def test_data_center_ignores_the_list_on_every_release(release: str) -> None:
    for wiki in _serve(flavour="dc", dc_version=release):
        wiki.server.store.create_group("wg")
        items = [_item("read", "space", groups=("wg",)), _item("fly", "space")]
        made = wiki.v1("POST", "/space", json={"key": "DC", "name": "D", "permissions": items})
        assert made.status_code == 200, made.text
        held = _held(wiki, "DC")
        assert not any(s[1] == "wg" for s in held)  # the list is not read
        assert ("group", DEFAULT_GROUP, "read", "space") in held  # the site's defaults
