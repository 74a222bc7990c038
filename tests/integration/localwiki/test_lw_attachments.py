"""Attachment uploads as both specs describe them, on both flavours: v1 ``POST
/content/{id}/child/attachment`` (multipart, ``X-Atlassian-Token: no-check``) and ``POST
…/{attachmentId}/data``, kept on Cloud when its v1 content routes are gone (cloud-v1.json has
no v2 replacement for them); the viewer lists a page's attachments, escaped, and serves each
at Confluence's download address to readers only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.localwiki.store.files import MAX_ATTACHMENT
from tests.viewer_login import viewer_session

from .conftest import Wiki, _serve, attach

NASTY = 'Treffen <b>&"x".ics'


@pytest.fixture
def removed() -> Iterator[Wiki]:
    """Cloud as it is today: the v1 content routes answer 410."""
    yield from _serve(flavour="cloud", v1_removed=True)


def _upload(wiki: Wiki, path: str, name: str, data: bytes, token: bool = True) -> requests.Response:
    headers = {"X-Atlassian-Token": "no-check"} if token else {}
    return wiki.v1("POST", path, headers=headers, files={"file": (name, data, "text/calendar")})


def test_upload_rules_on_both_flavours(wiki: Wiki) -> None:
    wiki.space()
    page = wiki.page("Start")["id"]
    base = f"/content/{page}/child/attachment"
    assert _upload(wiki, base, "k.ics", b"one", token=False).status_code == 403  # XSRF check
    att = attach(wiki, page, "k.ics", b"one")
    again = _upload(wiki, base, "k.ics", b"two")
    assert again.status_code == 400  # POST refuses a name the page has: …/data updates it
    updated = _upload(wiki, f"{base}/{att}/data", "k.ics", b"two")
    assert updated.status_code == 200, updated.text
    assert updated.json()["id"] == att and updated.json()["version"]["number"] == 2
    assert _upload(wiki, f"{base}/att999999/data", "k.ics", b"x").status_code == 404


def test_cloud_keeps_the_v1_uploads_when_its_v1_content_routes_are_gone(removed: Wiki) -> None:
    removed.v2("POST", "/spaces", json={"key": "NET", "name": "Netzwerk"})
    space = removed.v2("GET", "/spaces", params={"keys": "NET"}).json()["results"][0]["id"]
    made = removed.v2(
        "POST",
        "/pages",
        json={
            "spaceId": space,
            "title": "Start",
            "body": {"representation": "storage", "value": "<p>x</p>"},
        },
    )
    assert made.status_code == 200, made.text
    page = made.json()["id"]
    assert removed.v1("GET", f"/content/{page}/child/attachment").status_code == 410
    att = attach(removed, page, "k.ics", b"one")
    assert _upload(removed, f"/content/{page}/child/attachment/{att}/data", "k.ics", b"2").ok
    listed = removed.v2("GET", f"/pages/{page}/attachments", params={"filename": "k.ics"})
    assert [a["title"] for a in listed.json()["results"]] == ["k.ics"]


def test_the_viewer_lists_attachments_escaped_and_serves_them_to_readers(wiki: Wiki) -> None:
    server: LocalWiki = wiki.server
    wiki.space()
    page = wiki.page("Start")["id"]
    attach(wiki, page, NASTY, b"BEGIN:VCALENDAR")
    browser = viewer_session(server.viewer_url)
    shown = browser.get(f"{server.viewer_url}/pages/{page}", timeout=10).text
    assert "Treffen &lt;b&gt;&amp;&quot;x&quot;.ics" in shown and "<b>&" not in shown
    link = f"/viewer/download/attachments/{page}/Treffen%20%3Cb%3E%26%22x%22.ics"
    assert f'href="{link}"' in shown
    answer = browser.get(server.root_url + link, timeout=10)
    assert answer.status_code == 200 and answer.content == b"BEGIN:VCALENDAR"
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    assert requests.get(server.root_url + link, timeout=10).status_code == 404  # not logged in
    missing = browser.get(f"{server.viewer_url}/download/attachments/{page}/none.ics", timeout=10)
    assert missing.status_code == 404


def test_a_file_over_the_size_limit_is_a_404_on_both_upload_routes(wiki: Wiki) -> None:
    # Both specs list "the attachment exceeds the maximum configured attachment size" under
    # 404 (dc-10.0.3 and cloud-v1 POST …/child/attachment), not 400 or 413.
    wiki.space()
    page = wiki.page("Start")["id"]
    base = f"/content/{page}/child/attachment"
    att = attach(wiki, page, "k.ics", b"one")
    big = b"x" * (MAX_ATTACHMENT + 1)
    assert _upload(wiki, base, "big.ics", big).status_code == 404
    assert _upload(wiki, f"{base}/{att}/data", "k.ics", big).status_code == 404
    assert _upload(wiki, f"{base}/{att}/data", "k.ics", b"x" * MAX_ATTACHMENT).status_code == 200
