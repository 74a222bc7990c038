"""The sync through Atlassian's API gateway (scoped tokens, service accounts):
``CONFLUENCE_URL=…/ex/confluence/{cloudId}`` against the local wiki's gateway mode, with page
sizes of 2 so that every list the sync reads goes to page 2 and beyond (v2 ``_links.next`` is
site-relative there: atlassian-python-api#1655)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from confluence_sync.backends import cloud, scopes
from confluence_sync.cli import app
from confluence_sync.localwiki.server import LocalWiki

from .conftest import ACCOUNTS, GROUP, TODAY, Site

CLOUD_ID = "5f3c1d2e-8a7b-4c6d-9e0f-1a2b3c4d5e6f"
EXAMPLE = Path(__file__).resolve().parents[3] / "config.example.yaml"
runner = CliRunner()


@pytest.fixture(autouse=True)
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cloud, "_LIMIT", 2)


@pytest.fixture
def wiki() -> Iterator[LocalWiki]:
    with LocalWiki(flavour="cloud", v1_removed=True, gateway_cloud_id=CLOUD_ID) as server:
        yield server


def _example(wiki: LocalWiki, path: Path) -> Path:
    """The example config with its accounts as the accountIds the site gives them."""
    text = EXAMPLE.read_text(encoding="utf-8")
    for name in sorted(set(re.findall(r"account: ([\w.]+)", text))):
        user = wiki.store.create_user(name, "pw-" + name)
        text = text.replace(f"account: {name}\n", f'account: "{user.account_id}"\n')
    path.write_text(text, encoding="utf-8")
    return path


def _sync(wiki: LocalWiki, config: Path, token: str) -> tuple[int, str]:
    gateway = f"{wiki.root_url}/ex/confluence/{CLOUD_ID}"  # as the user sets it: no /wiki
    result = runner.invoke(
        app,
        ["sync", str(config), "--flavour", "cloud", "--today", TODAY.isoformat()],
        env={
            "CONFLUENCE_URL": gateway,
            "CONFLUENCE_USERNAME": wiki.admin[0],
            "CONFLUENCE_API_TOKEN": token,
        },
    )
    return result.exit_code, result.output


def test_the_example_syncs_through_the_gateway_and_a_no_op_writes_nothing(
    wiki: LocalWiki, tmp_path: Path
) -> None:
    config = _example(wiki, tmp_path / "network.yaml")
    journal = wiki.app
    code, output = _sync(wiki, config, wiki.admin[1])
    assert code == 0, output
    entries = journal.entries()  # type: ignore[attr-defined]
    assert all(e["path"].startswith(f"/ex/confluence/{CLOUD_ID}/wiki/") for e in entries)
    assert not [e for e in entries if e["status"] == 404 and "/wiki/wiki/" in e["path"]]
    assert journal.counts().writes > 0  # type: ignore[attr-defined]
    journal.clear()  # type: ignore[attr-defined]
    code, output = _sync(wiki, config, wiki.admin[1])
    assert code == 0, output
    entries = journal.entries()  # type: ignore[attr-defined]
    assert journal.counts().writes == 0, output  # type: ignore[attr-defined]
    # Page 2 of the lists was read: the cursor of a site-relative next link, followed below
    # the gateway prefix.
    assert any("cursor=" in e["query"] for e in entries)
    assert all(e["status"] < 400 for e in entries), [e for e in entries if e["status"] >= 400]


def test_a_member_edit_is_kept_through_the_gateway(wiki: LocalWiki, tmp_path: Path) -> None:
    accounts = {name: wiki.store.create_user(name, "pw-" + name).account_id for name in ACCOUNTS}
    site = Site(wiki, "cloud", tmp_path / "network.yaml", accounts)
    try:
        site.write_config()
        assert site.sync().exit_code() == 0
        meeting = site.page(GROUP, "2026-03-12 Frühjahrstreffen bei HANSA-FLEX")
        words = "<p>Protokoll: Rundgang durch die Halle.</p>"
        site.member_save("sluedtke", meeting, meeting.body + words)
        site.write_config(["2026-03-19", "2026-09-10"])
        result = site.sync()
        assert result.exit_code() == 0
        assert not [r for r in result.results if r.status in ("conflict", "failed")]
        moved = site.page(GROUP, "2026-03-19 Frühjahrstreffen bei HANSA-FLEX")
        assert moved.info.id == meeting.info.id and "Rundgang durch die Halle" in moved.body
    finally:
        for backend in site.backends:
            backend.close()


def test_a_scoped_token_missing_a_scope_stops_the_sync_and_names_it(
    wiki: LocalWiki, tmp_path: Path
) -> None:
    config = _example(wiki, tmp_path / "network.yaml")
    token = wiki.store.create_token("admin", scopes=["read:page:confluence"])
    code, output = _sync(wiki, config, token)
    assert code == 8, output
    assert "X-Failure-Category: FAILURE_CLIENT_SCOPE_CHECK" in output
    assert "lacks read:space:confluence, which GET" in " ".join(output.split())
    assert token not in output
    assert wiki.app.counts().writes == 0  # type: ignore[attr-defined]


def test_a_token_without_a_write_scope_fails_items_and_one_with_the_listed_scopes_syncs(
    wiki: LocalWiki, tmp_path: Path
) -> None:
    config = _example(wiki, tmp_path / "network.yaml")
    # A token that can read but not write pages passes the first request; each page update
    # is then refused, and the item names the scope it lacks.
    reader = [s for s in scopes.all_needed() if s != "write:page:confluence"]
    code, output = _sync(wiki, config, wiki.store.create_token("admin", scopes=reader))
    assert code != 0
    assert "lacks write:page:confluence, which " in " ".join(output.split())
    # The scopes the first-request hint lists are all the sync needs.
    everything = wiki.store.create_token("admin", scopes=scopes.all_needed())
    code, output = _sync(wiki, config, everything)
    assert code == 0, output
