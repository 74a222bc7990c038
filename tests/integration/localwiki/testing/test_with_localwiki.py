"""The fault and journal middleware as wired into the real ``LocalWiki`` (both flavours)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.localwiki.testing.journal import read_journal

PAGE = {
    "type": "page",
    "title": "Sitzung März",
    "space": {"key": "CH"},
    "body": {"storage": {"value": "<p>x</p>", "representation": "storage"}},
}


@pytest.fixture
def dc(tmp_path: Path) -> Iterator[tuple[LocalWiki, requests.Session]]:
    with LocalWiki(journal_path=tmp_path / "journal.jsonl") as wiki:
        session = requests.Session()
        session.auth = wiki.admin
        session.post(f"{wiki.url}/rest/api/space", json={"key": "CH", "name": "Chaos"}, timeout=5)
        yield wiki, session
        session.close()


def faults(wiki: LocalWiki, *specs: str) -> None:
    answer = requests.post(
        f"{wiki.root_url}/__localwiki/faults",
        json={"specs": list(specs), "replace": True},
        timeout=5,
    )
    assert answer.status_code == 200, answer.text


def find(wiki: LocalWiki, session: requests.Session, title: str) -> list[Any]:
    answer = session.get(
        f"{wiki.url}/rest/api/content", params={"spaceKey": "CH", "title": title}, timeout=5
    )
    return list(answer.json()["results"])


def test_commit_500_on_create_really_creates_the_page(
    dc: tuple[LocalWiki, requests.Session],
) -> None:
    wiki, session = dc
    faults(wiki, "commit-500:method=POST:path=*/rest/api/content:count=1")
    answer = session.post(f"{wiki.url}/rest/api/content", json=PAGE, timeout=5)
    assert answer.status_code == 500
    assert len(find(wiki, session, "Sitzung März")) == 1
    # A blind retry would now hit Confluence's duplicate-title rule: the reason to look first.
    again = session.post(f"{wiki.url}/rest/api/content", json=PAGE, timeout=5)
    assert again.status_code == 400


def test_commit_reset_on_update_really_updates(dc: tuple[LocalWiki, requests.Session]) -> None:
    wiki, session = dc
    page = session.post(f"{wiki.url}/rest/api/content", json=PAGE, timeout=5).json()
    faults(wiki, "commit-reset:method=PUT:count=1")
    update = {**PAGE, "id": page["id"], "version": {"number": 2}}
    with pytest.raises(requests.ConnectionError):
        session.put(f"{wiki.url}/rest/api/content/{page['id']}", json=update, timeout=5)
    current = session.get(f"{wiki.url}/rest/api/content/{page['id']}", timeout=5).json()
    assert current["version"]["number"] == 2


def test_409_uses_the_version_the_client_sent(dc: tuple[LocalWiki, requests.Session]) -> None:
    wiki, session = dc
    page = session.post(f"{wiki.url}/rest/api/content", json=PAGE, timeout=5).json()
    faults(wiki, "409")
    update = {**PAGE, "id": page["id"], "version": {"number": 2}}
    conflict = session.put(f"{wiki.url}/rest/api/content/{page['id']}", json=update, timeout=5)
    assert conflict.status_code == 409
    assert conflict.json()["message"].endswith("Current version is: 1")
    assert session.put(f"{wiki.url}/rest/api/content/{page['id']}", json=update, timeout=5).ok


def test_faults_given_at_start_and_journal_file(tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    with LocalWiki(faults=["503:retry-after=7:count=1"], journal_path=journal) as wiki:
        first = requests.get(f"{wiki.url}/rest/api/space", auth=wiki.admin, timeout=5)
        second = requests.get(f"{wiki.url}/rest/api/space", auth=wiki.admin, timeout=5)
        counts = requests.get(f"{wiki.root_url}/__localwiki/journal", timeout=5).json()["counts"]
    assert (first.status_code, first.headers["Retry-After"]) == (503, "7")
    assert second.status_code == 200
    assert counts["total"] == 2 and counts["faults"] == 1
    entries = read_journal(journal)
    assert [e["status"] for e in entries] == [503, 200]


def test_cloud_v2_conflict_and_429_shapes() -> None:
    with LocalWiki(
        flavour="cloud", faults=["429:retry-after=0:path=/wiki/api/v2/*:count=1"]
    ) as wiki:
        answer = requests.get(f"{wiki.root_url}/wiki/api/v2/spaces", auth=wiki.admin, timeout=5)
    assert (answer.status_code, answer.headers["Retry-After"]) == (429, "0")
    assert answer.json()["errors"][0]["status"] == 429


def test_reset_on_the_real_server_is_quiet(
    dc: tuple[LocalWiki, requests.Session], capfd: pytest.CaptureFixture[str]
) -> None:
    wiki, session = dc
    faults(wiki, "reset:count=2")
    for _ in range(2):
        with pytest.raises(requests.ConnectionError):
            session.get(f"{wiki.url}/rest/api/space", timeout=5)
    assert session.get(f"{wiki.url}/rest/api/space", timeout=5).ok
    assert "Traceback" not in capfd.readouterr().err
