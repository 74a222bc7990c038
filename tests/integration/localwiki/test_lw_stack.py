"""The full stack LocalWiki serves: journal → faults → REST core with the viewer mounted."""

from __future__ import annotations

from pathlib import Path

import requests

from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.localwiki.testing.journal import read_journal


def test_faults_journal_and_viewer_are_wired(tmp_path: Path) -> None:
    journal = tmp_path / "journal.jsonl"
    fault = "429:retry-after=1:path=/confluence/rest/api/space*:count=1"
    with LocalWiki(
        context_path="/confluence",
        faults=[fault],
        journal_path=journal,
        db_path=tmp_path / "wiki.db",
    ) as wiki:
        session = requests.Session()
        session.auth = wiki.admin
        limited = session.get(wiki.url + "/rest/api/space")
        assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
        assert session.get(wiki.url + "/rest/api/space").status_code == 200
        assert requests.get(wiki.viewer_url).status_code == 200
    assert len(read_journal(journal)) >= 2


def test_file_store_survives_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "wiki.db"
    with LocalWiki(db_path=db) as wiki:
        requests.post(
            wiki.url + "/rest/api/space", auth=wiki.admin, json={"key": "NET", "name": "Netz"}
        ).raise_for_status()
    with LocalWiki(db_path=db) as wiki:
        again = requests.get(wiki.url + "/rest/api/space/NET", auth=wiki.admin)
        assert again.status_code == 200 and again.json()["name"] == "Netz"
