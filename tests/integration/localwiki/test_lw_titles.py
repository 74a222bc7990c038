"""Titles as Confluence keeps them: unique per space lower-cased as Java lower-cases (``ß``
stays ``ß``), at most 255 UTF-16 units, held by archived pages and folders too; v2 words the
clash its own way."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import requests

from confluence_sync.localwiki.server import LocalWiki

from .conftest import Wiki

V1_CLASH = (
    "A page with this title already exists: A page already exists with the title {} in the "
    "space with key NET"
)
V2_CLASH = "A page already exists with the same TITLE in this space"


def create(wiki: Wiki, title: str) -> requests.Response:
    return wiki.v1(
        "POST",
        "/content",
        json={
            "type": "page",
            "title": title,
            "space": {"key": "NET"},
            "body": {"storage": {"value": "<p/>", "representation": "storage"}},
        },
    )


def create_v2(wiki: Wiki, space_id: str, title: str) -> requests.Response:
    return wiki.v2(
        "POST",
        "/pages",
        json={"spaceId": space_id, "status": "current", "title": title, "body": {}},
    )


def test_sharp_s_is_not_ss_but_case_still_clashes(wiki: Wiki) -> None:
    wiki.space()
    assert create(wiki, "Straße").status_code == 200
    assert create(wiki, "STRASSE").status_code == 200  # casefold would call it "strasse" too
    clash = create(wiki, "strasse")
    assert clash.status_code == 400
    assert clash.json()["message"] == V1_CLASH.format("strasse")
    assert create(wiki, "STRAßE").status_code == 400


def test_v2_words_the_clash_its_own_way(cloud: Wiki) -> None:
    space = cloud.space()
    cloud.page("Übersicht")
    clash = create_v2(cloud, str(space["id"]), "ÜBERSICHT")
    assert clash.status_code == 400
    assert clash.json()["errors"][0]["title"] == V2_CLASH


def test_title_length_counts_utf16_units(dc: Wiki) -> None:
    dc.space()
    assert create(dc, "🌱" * 128).status_code == 400  # 128 code points, 256 UTF-16 units
    assert create(dc, "🌱" * 127 + "x").status_code == 200  # 255 units


def archive(cloud: Wiki, page_id: str) -> requests.Response:
    return cloud.v1("POST", "/content/archive", json={"pages": [{"id": int(page_id)}]})


def test_an_archived_page_keeps_its_title_taken(cloud: Wiki) -> None:
    space = cloud.space()
    page = cloud.page("Treffen 2025")
    answer = archive(cloud, page["id"])
    assert answer.status_code == 202 and answer.json()["id"]
    assert archive(cloud, page["id"]).status_code == 400  # already archived
    listed = cloud.v2("GET", f"/spaces/{space['id']}/pages", params={"status": "current"})
    assert page["id"] not in {p["id"] for p in listed.json()["results"]}
    got = cloud.v2("GET", f"/pages/{page['id']}").json()
    assert got["status"] == "archived"
    assert create_v2(cloud, str(space["id"]), "treffen 2025").status_code == 400


def test_a_folder_holds_a_title_like_a_page(cloud: Wiki) -> None:
    space = cloud.space()
    folder = cloud.v2("POST", "/folders", json={"spaceId": str(space["id"]), "title": "Ablage"})
    assert folder.status_code == 200, folder.text
    body: dict[str, Any] = folder.json()
    assert body["type"] == "folder" and body["parentId"] == str(space["homepage"]["id"])
    assert create_v2(cloud, str(space["id"]), "ABLAGE").status_code == 400
    listed = cloud.v2("GET", f"/spaces/{space['id']}/pages").json()["results"]
    assert body["id"] not in {p["id"] for p in listed}  # a folder is not a page
    assert cloud.v2("DELETE", f"/folders/{body['id']}").status_code == 204
    assert create_v2(cloud, str(space["id"]), "ABLAGE").status_code == 200


def test_archive_action_for_another_user_is_admin_only(dc: Wiki) -> None:
    dc.space()
    page = dc.page("Altes Treffen")
    dc.server.store.create_user("erika", "pw")
    url = f"{dc.server.root_url}/__localwiki/archive"
    as_erika = requests.post(
        url, json={"page_id": page["id"], "username": "erika"}, auth=("erika", "pw"), timeout=5
    )
    assert as_erika.status_code == 403
    # Erika may not archive in NET (no 'archive page' permission) even when an admin asks.
    assert dc.http.post(url, json={"page_id": page["id"], "username": "erika"}).status_code == 403
    assert dc.http.post(url, json={"page_id": page["id"], "username": "admin"}).status_code == 204
    found = dc.v1("GET", f"/content/{page['id']}", params={"status": "any"}).json()
    assert found["status"] == "archived"
    assert create(dc, "altes treffen").status_code == 400


def test_a_database_with_casefolded_titles_is_folded_again(tmp_path: Path) -> None:
    db = tmp_path / "wiki.sqlite3"
    with LocalWiki(flavour="dc", db_path=db) as server:
        session = requests.Session()
        session.auth = server.admin
        wiki = Wiki(server, session)
        wiki.space()
        assert create(wiki, "Straße").status_code == 200
    # What an older local wiki stored: casefold, and no schema version.
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE content SET title_fold = 'strasse' WHERE title = 'Straße'")
        conn.execute("PRAGMA user_version = 0")
    with LocalWiki(flavour="dc", db_path=db) as server:
        session = requests.Session()
        session.auth = server.admin
        assert create(Wiki(server, session), "STRASSE").status_code == 200
