"""Accounts: the caller cannot delete itself, user bodies are typed, and a wiki restarts on any
database it wrote (found by the spec-driven fuzz, tests/fuzz)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
import requests

from confluence_sync.localwiki.server import LocalWiki

from .conftest import Wiki


def test_the_caller_cannot_delete_its_own_account(dc: Wiki) -> None:
    refused = dc.v1("DELETE", "/admin/user/admin")
    assert refused.status_code == 403
    assert refused.json()["message"] == (
        "The calling user does not have permission to delete their own account"
    )
    assert dc.v1("GET", "/user/current").json()["username"] == "admin"


def test_a_wiki_restarts_on_a_database_whose_admin_was_deleted(tmp_path: Path) -> None:
    db = tmp_path / "wiki.db"
    with LocalWiki(flavour="dc", db_path=db) as wiki:
        wiki.store.create_user("boss", "boss-pw", groups=("confluence-administrators",))
        deleted = requests.delete(wiki.url + "/rest/api/admin/user/admin", auth=("boss", "boss-pw"))
        assert deleted.status_code == 202
        gone = requests.get(wiki.url + "/rest/api/user/current", auth=wiki.admin)
        assert gone.status_code == 401
    # Starting again neither fails on the built-in groups nor leaves the site without admin.
    for _ in range(2):
        with LocalWiki(flavour="dc", db_path=db) as again:
            me = requests.get(again.url + "/rest/api/user/current", auth=again.admin)
            assert me.status_code == 200 and me.json()["username"] == "admin"
            groups = requests.get(again.url + "/rest/api/group", auth=again.admin).json()
            assert [g["name"] for g in groups["results"]] == [
                "confluence-administrators",
                "confluence-users",
                "site-admins",
            ]


@pytest.mark.parametrize(
    "body",
    [
        {"userName": "carla", "password": "pw", "email": ["c@x.invalid"]},
        {"userName": "carla", "password": "pw", "fullName": {"first": "Carla"}},
        {"userName": "carla", "password": "pw", "email": 7},
    ],
)
def test_dc_user_create_with_a_list_or_map_for_a_string_is_400(
    dc: Wiki, body: dict[str, Any]
) -> None:
    response = dc.v1("POST", "/admin/user", json=body)
    assert response.status_code == 400, response.text
    assert dc.v1("GET", "/user", params={"username": "carla"}).status_code == 404


@pytest.mark.parametrize(
    "extra",
    [{"email": {"a": 1}}, {"displayName": ["x"]}, {"groups": "confluence-users"}, {"groups": [1]}],
)
def test_admin_endpoint_user_with_wrong_types_is_400(dc: Wiki, extra: dict[str, Any]) -> None:
    response = dc.http.post(
        dc.server.root_url + "/__localwiki/users",
        json={"username": "erika", "password": "pw", **extra},
    )
    assert response.status_code == 400, response.text
    assert dc.server.store.user_by_name("erika") is None


def test_a_database_from_before_attachments_had_a_status_opens(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with LocalWiki(flavour="cloud", db_path=db) as wiki:
        admin = wiki.store.user_by_name("admin")
        assert admin is not None
        space = wiki.store.create_space(key="OLD", name="Alt", creator=admin)
        assert space.homepage_id is not None
        wiki.store.save_attachment(
            space.homepage_id,
            "a.txt",
            b"a",
            media_type="text/plain",
            comment="",
            author="admin",
            mode="create",
        )
    with sqlite3.connect(db) as conn:  # the table as an earlier release wrote it
        conn.execute("ALTER TABLE attachments DROP COLUMN status")
    with LocalWiki(flavour="cloud", db_path=db) as again:
        listed = requests.get(
            f"{again.url}/api/v2/pages/{space.homepage_id}/attachments", auth=again.admin
        )
        assert [(a["title"], a["status"]) for a in listed.json()["results"]] == [
            ("a.txt", "current")
        ]
