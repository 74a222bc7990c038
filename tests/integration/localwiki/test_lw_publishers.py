"""What publishing clients (md2conf, the Sphinx Confluence builder) need from the wiki.

Each test pins one behaviour of a real site that a third-party client relied on when it was
pointed at the local wiki: watches, property create-by-PUT, write answers with the body,
attachment listings, https, and the journal file closed on stop.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import requests

from confluence_sync.localwiki.server import LocalWiki

from .conftest import Wiki, attach
from .publishing import self_signed, server_context


def test_watch_add_check_remove(wiki: Wiki) -> None:
    wiki.space()
    page = wiki.page("Beobachtet")
    path = f"/user/watch/content/{page['id']}"
    assert wiki.v1("GET", path).json() == {"watching": False}
    added = wiki.v1("POST", path, headers={"X-Atlassian-Token": "no-check"})
    # Cloud documents 204, DC 10 documents 200 with the ContentWatch.
    assert added.status_code == (204 if wiki.server.options.flavour == "cloud" else 200)
    assert wiki.v1("GET", path).json() == {"watching": True}
    assert wiki.v1("DELETE", path).status_code == 204
    assert wiki.v1("DELETE", path).status_code == 204  # removing twice is fine
    assert wiki.v1("GET", path).json() == {"watching": False}
    assert wiki.v1("GET", "/user/watch/content/999999").status_code == 404


def test_put_property_version_one_creates_it_on_both_flavours(wiki: Wiki) -> None:
    wiki.space()
    page = wiki.page("Mit Eigenschaft")
    path = f"/content/{page['id']}/property/builder"
    created = wiki.v1(
        "PUT", path, json={"key": "builder", "value": {"hash": "ä1"}, "version": {"number": 1}}
    )
    assert created.status_code == 200, created.text
    assert wiki.v1("GET", path).json()["value"] == {"hash": "ä1"}
    missing = wiki.v1(
        "PUT",
        f"/content/{page['id']}/property/other",
        json={"key": "other", "value": 1, "version": {"number": 2}},
    )
    assert missing.status_code == 404
    space = wiki.v1(
        "PUT",
        "/space/NET/property/flag",
        json={"key": "flag", "value": True, "version": {"number": 1}},
    )
    assert space.status_code == 200, space.text


def test_v2_writes_answer_with_the_storage_body(cloud: Wiki) -> None:
    space = cloud.v2("POST", "/spaces", json={"key": "NET", "name": "Netz"}).json()
    body = {"representation": "storage", "value": "<p>Grüße</p>"}
    created = cloud.v2(
        "POST",
        "/pages",
        json={"spaceId": space["id"], "status": "current", "title": "Größe", "body": body},
    )
    assert created.json()["body"]["storage"]["value"] == "<p>Grüße</p>"
    page_id = created.json()["id"]
    updated = cloud.v2(
        "PUT",
        f"/pages/{page_id}",
        json={
            "id": page_id,
            "status": "current",
            "title": "Größe",
            "body": {"representation": "storage", "value": "<p>Maß</p>"},
            "version": {"number": 2},
        },
    )
    assert updated.json()["body"]["storage"]["value"] == "<p>Maß</p>"
    # A read without body-format still has an empty body, as Cloud answers.
    assert cloud.v2("GET", f"/pages/{page_id}").json()["body"] == {}
    listing = cloud.v2("GET", f"/pages/{page_id}/attachments")
    assert listing.status_code == 200 and listing.json()["results"] == []
    assert cloud.v2("GET", "/pages/999999/attachments").status_code == 404


def test_https_when_given_an_ssl_context(tmp_path: Path) -> None:
    try:
        cert, key = self_signed(tmp_path)
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"openssl cannot make a test certificate: {error}")
    context = server_context(cert, key)
    with LocalWiki(flavour="dc", ssl_context=context) as server:
        assert server.url.startswith("https://127.0.0.1:")
        answer = requests.get(
            server.url + "/rest/api/space", auth=server.admin, verify=str(cert), timeout=10
        )
        assert answer.status_code == 200


def test_stop_closes_the_journal_file(tmp_path: Path) -> None:
    journal = tmp_path / "journal.jsonl"
    server = LocalWiki(flavour="dc", journal_path=journal).start()
    requests.get(server.url + "/rest/api/space", auth=server.admin, timeout=10)
    server.stop()
    from confluence_sync.localwiki.testing.journal import JournalMiddleware

    assert isinstance(server.app, JournalMiddleware)
    assert server.app._file is None
    entries = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    assert [e["path"] for e in entries] == ["/rest/api/space"]


def test_attachments_upload_list_version_and_v2(cloud: Wiki) -> None:
    cloud.space()
    page = cloud.page("Mit Anhang")
    url = f"/content/{page['id']}/child/attachment"
    nocheck = {"X-Atlassian-Token": "no-check"}
    files = {"file": ("objects.inv", b"inventar \xc3\xa4", "application/octet-stream")}
    # Confluence's XSRF check: uploads without the header are refused.
    assert cloud.v1("POST", url, files=files).status_code == 403
    made = cloud.v1("POST", url, files=files, data={"comment": "hash:1"}, headers=nocheck)
    assert made.status_code == 200, made.text
    att = made.json()["results"][0]
    assert att["id"].startswith("att") and att["title"] == "objects.inv"
    assert att["metadata"]["comment"] == "hash:1" and att["extensions"]["fileSize"] == 11
    again = cloud.v1("POST", url, files=files, headers=nocheck)
    assert again.status_code == 400  # same name: a new version goes through PUT or /data
    listed = cloud.v1("GET", url, params={"filename": "objects.inv"}).json()["results"]
    assert [a["id"] for a in listed] == [att["id"]]
    assert cloud.v1("GET", url, params={"filename": "other"}).json()["results"] == []
    updated = cloud.v1(
        "POST",
        f"{url}/{att['id']}/data",
        headers=nocheck,
        files={"file": ("objects.inv", b"neu", "text/plain")},
    )
    assert updated.status_code == 200 and updated.json()["version"]["number"] == 2
    put = cloud.v1("PUT", url, headers=nocheck, files={"file": ("b.txt", b"b", "text/plain")})
    assert put.json()["results"][0]["version"]["number"] == 1
    watch = f"/user/watch/content/{att['id']}"
    assert cloud.v1("POST", watch, headers=nocheck).status_code == 204
    assert cloud.v1("GET", watch).json() == {"watching": True}
    v2_list = cloud.v2("GET", f"/pages/{page['id']}/attachments").json()["results"]
    assert [(a["title"], a["fileSize"]) for a in v2_list] == [("objects.inv", 3), ("b.txt", 1)]
    assert cloud.v2("GET", f"/attachments/{att['id']}").json()["mediaType"] == "text/plain"
    assert cloud.v2("DELETE", f"/attachments/{att['id']}").status_code == 204
    assert cloud.v2("GET", f"/attachments/{att['id']}").json()["status"] == "trashed"
    assert cloud.server.store.attachments(int(page["id"]))[0].title == "b.txt"


def test_v2_attachment_delete_trashes_and_only_a_purge_of_a_trashed_one_removes_it(
    cloud: Wiki,
) -> None:
    cloud.space()
    page = cloud.page("Anhang")
    att = attach(cloud, page["id"])
    listing = f"/pages/{page['id']}/attachments"
    # Purging needs the attachment in the trash first.
    assert cloud.v2("DELETE", f"/attachments/{att}", params={"purge": "true"}).status_code == 400
    assert cloud.v2("DELETE", f"/attachments/{att}").status_code == 204
    trashed = cloud.v2("GET", f"/attachments/{att}")
    assert trashed.status_code == 200 and trashed.json()["status"] == "trashed"
    assert cloud.v2("GET", listing).json()["results"] == []
    in_trash = cloud.v2("GET", listing, params={"status": "trashed"}).json()["results"]
    assert [a["id"] for a in in_trash] == [att]
    assert cloud.v1("GET", f"/content/{page['id']}/child/attachment").json()["results"] == []
    assert cloud.v2("DELETE", f"/attachments/{att}").status_code == 404  # not deleted twice
    assert cloud.v2("DELETE", f"/attachments/{att}", params={"purge": "true"}).status_code == 204
    assert cloud.v2("GET", f"/attachments/{att}").status_code == 404


def test_a_new_version_of_a_trashed_attachment_brings_it_back(cloud: Wiki) -> None:
    cloud.space()
    page = cloud.page("Anhang")
    url = f"/content/{page['id']}/child/attachment"
    nocheck = {"X-Atlassian-Token": "no-check"}
    att = cloud.v1("POST", url, headers=nocheck, files={"file": ("a.txt", b"a", "text/plain")})
    att_id = att.json()["results"][0]["id"]
    assert cloud.v2("DELETE", f"/attachments/{att_id}").status_code == 204
    again = cloud.v1("PUT", url, headers=nocheck, files={"file": ("a.txt", b"b", "text/plain")})
    assert again.json()["results"][0]["status"] == "current"
    assert again.json()["results"][0]["version"]["number"] == 2


def test_purging_a_page_removes_its_attachments(dc: Wiki) -> None:
    dc.space()
    page = dc.page("Weg damit")
    attach(dc, page["id"])
    assert dc.v1("DELETE", f"/content/{page['id']}").status_code == 200
    assert dc.v1("DELETE", f"/content/{page['id']}", params={"status": "trashed"}).ok
    assert dc.server.store.attachments(int(page["id"])) == []
