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
from confluence_sync.localwiki.rules import scopes as scope_rules
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


def test_every_request_of_a_sync_has_its_scopes_named_as_the_specs_give_them(
    wiki: LocalWiki, tmp_path: Path
) -> None:
    """A scope 401 names the missing scope only if ``backends.scopes`` knows the request:
    every request a first sync sends is there, with the scopes the local wiki (from the same
    specs) checks."""
    code, output = _sync(wiki, _example(wiki, tmp_path / "network.yaml"), wiki.admin[1])
    assert code == 0, output
    unnamed = set()
    for entry in wiki.app.entries():  # type: ignore[attr-defined]
        method, path = entry["method"], entry["path"]
        api, mount = ("v2", "/wiki/api/v2") if "/wiki/api/v2/" in path else ("v1", "/wiki/rest/api")
        checked = scope_rules.required(api, method, path.split(mount, 1)[1])
        if set(scopes.needed(method, path)) != set(checked):
            unnamed.add((method, re.sub(r"/\d+", "/{id}", path), tuple(sorted(checked))))
    assert not unnamed, sorted(unnamed)


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


def _lock_released(wiki: LocalWiki) -> bool:
    """Whether the hub's index (space property) holds no live lock."""
    import json

    with wiki.store._read() as conn:  # the store's own tables: no request in the journal
        rows = conn.execute(
            "SELECT value FROM properties WHERE key = 'confluence-sync.index'"
        ).fetchall()
    locks = [json.loads(row[0]).get("lock") for row in rows]
    return all(not lock or lock.get("released") for lock in locks)


def test_a_token_without_a_write_scope_stops_the_run_with_exit_8_naming_it(
    wiki: LocalWiki, tmp_path: Path
) -> None:
    config = _example(wiki, tmp_path / "network.yaml")
    # A token that can read but not write pages passes the first request and observe; the
    # first page write is refused. The run stops there (the rest: not done), releases its
    # lock and ends with the credentials' exit code, naming the scope — not exit 5 with a
    # failed item per page.
    reader = [s for s in scopes.all_needed() if s != "write:page:confluence"]
    code, output = _sync(wiki, config, wiki.store.create_token("admin", scopes=reader))
    words = " ".join(output.split())
    assert code == 8, output
    assert "error: " in output and "lacks write:page:confluence, which " in words
    refused = [e for e in wiki.app.entries() if e["status"] == 401]  # type: ignore[attr-defined]
    assert 1 <= len(refused) <= 2, refused  # one per worker that was writing a page, at most
    assert _lock_released(wiki)
    # The scopes the first-request hint lists are all the sync needs.
    everything = wiki.store.create_token("admin", scopes=scopes.all_needed())
    code, output = _sync(wiki, config, everything)
    assert code == 0, output


def test_a_token_without_a_scope_of_a_later_read_ends_with_exit_8_naming_it(
    wiki: LocalWiki, tmp_path: Path
) -> None:
    """The groups are read after the first request (observe): a token without their scope
    stops before any write, exit 8, the scope named."""
    config = _example(wiki, tmp_path / "network.yaml")
    held = [s for s in scopes.all_needed() if s != "read:confluence-groups"]
    code, output = _sync(wiki, config, wiki.store.create_token("admin", scopes=held))
    assert code == 8, output
    assert "lacks read:confluence-groups, which GET" in " ".join(output.split())
    assert wiki.app.counts().writes == 0  # type: ignore[attr-defined]
