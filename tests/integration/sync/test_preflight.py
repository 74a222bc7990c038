"""The pre-flight of ``plan`` and ``sync``: an unusable site, refused credentials or accounts
missing from the site stop the run before its first write (the local wiki's journal counts
0 writes) with one grouped message; ``--skip-missing-accounts`` goes on and reports what it
skipped; a no-op run pays nothing for it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from confluence_sync.cli import app

from .conftest import GROUP, HUB, TODAY, Site
from .test_cli import invoke

runner = CliRunner()


def _missing_two(site: Site) -> Path:
    site.accounts["netzwerkbuero"] = "ghost-admin"  # a network admin: user grants on the hub
    site.accounts["moeztuerk"] = "ghost-member"  # a contact: a group membership
    return site.write_config()


def test_missing_accounts_stop_plan_and_sync_before_any_write(site: Site) -> None:
    config = _missing_two(site)
    site.journal.clear()
    for command in ("plan", "sync"):
        code, output = invoke(site, command, str(config))
        assert code == 9, output
        errors = [line for line in output.splitlines() if line.startswith("error:")]
        assert errors == [
            "error: 2 accounts the config names are not on the site: ghost-admin, ghost-member"
        ]
        assert "--skip-missing-accounts" in output
    counts = site.journal.counts()
    assert counts.writes == 0, counts
    assert site.backend().reader.get_space(HUB) is None  # not even the hub was created


def test_skip_missing_accounts_goes_on_and_reports_the_skipped_grants(
    site: Site, tmp_path: Path
) -> None:
    config = _missing_two(site)
    code, output = invoke(site, "plan", str(config), "--skip-missing-accounts", "--format", "json")
    assert code == 0, output
    planned = json.loads(output)["items"]
    skipped = [i for i in planned if i["status"] == "skipped" and "ghost-" in i["reason"]]
    assert {i["item"] for i in skipped} >= {"member ghost-member of group puu-upx-members"}
    assert any("for user ghost-admin on" in i["item"] for i in skipped)
    assert all("(--skip-missing-accounts)" in i["reason"] for i in skipped)

    report = tmp_path / "report.json"
    code, output = invoke(
        site, "sync", str(config), "--skip-missing-accounts", "--report", str(report)
    )
    assert code == 0, output
    items = json.loads(report.read_text(encoding="utf-8"))["items"]
    assert [i["item"] for i in items if "ghost-" in i["reason"]] == [i["item"] for i in skipped]
    assert site.titles(GROUP)  # the rest was applied
    members = {u.id for u in site.backend().reader.list_group_members("puu-upx-members")}
    assert members == {site.accounts["cherm"], site.accounts["sluedtke"]}


def _sync(site: Site, config: Path, url: str, flavour: str, secret: str) -> tuple[int, str]:
    """``sync`` as the admin with ``secret`` at ``url`` in ``flavour``."""
    login = ["--username", site.wiki.admin[0], "--today", TODAY.isoformat()]
    result = runner.invoke(
        app,
        ["sync", str(config), "--url", url, "--flavour", flavour, *login],
        env={"CONFLUENCE_API_TOKEN": secret, "CONFLUENCE_URL": ""},
    )
    return result.exit_code, result.output


def test_refused_credentials_stop_the_sync_before_any_write(site: Site) -> None:
    config = site.write_config()
    site.journal.clear()
    flavour = "cloud" if site.cloud else "datacenter"
    code, output = _sync(site, config, site.wiki.url, flavour, "not-the-token")
    assert code == 8, output
    # The run's first request names it (backends/first_request.py), with what to check.
    assert "refused the credentials of" in output and "(HTTP 401 to GET" in output
    assert ("API token" if site.cloud else "CONFLUENCE_TOKEN") in output
    assert "not-the-token" not in output
    assert site.journal.counts().writes == 0


def test_a_wrong_flavour_stops_the_sync_and_names_the_right_one(site: Site) -> None:
    config = site.write_config()
    site.journal.clear()
    wrong = "datacenter" if site.cloud else "cloud"
    url = site.wiki.root_url if site.cloud else site.wiki.url
    code, output = _sync(site, config, url, wrong, site.wiki.admin[1])
    assert code == 7, output
    right = "cloud" if site.cloud else "datacenter"
    assert f"CONFLUENCE_FLAVOUR={right}" in output
    assert site.journal.counts().writes == 0


def test_a_no_op_pays_nothing_for_the_pre_flight(site: Site, tmp_path: Path) -> None:
    config = site.write_config()
    assert invoke(site, "sync", str(config))[0] == 0
    site.journal.clear()
    report = tmp_path / "report.json"
    code, output = invoke(site, "sync", str(config), "--report", str(report))
    assert code == 0, output
    summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    entries = site.journal.entries()
    assert summary["requests"] == len(entries) and summary["writes"] == 0
    # Nothing to write, so nothing to check: the sync account is not even read.
    assert [e["path"].rsplit("/rest/api", 1)[-1] for e in entries].count("/user/current") == 0
    # No account is looked up: every grant and membership is in place already.
    assert not [e for e in entries if e["path"].endswith("/rest/api/user")]


def test_a_token_that_runs_as_anonymous_stops_the_sync_before_any_write(tmp_path: Path) -> None:
    """Data Center with anonymous access runs a Bearer token that matches nobody as the
    anonymous user (CONFSERVER-98199): the reads answer, so only the pre-flight's read of the
    sync account tells, before the first write."""
    from confluence_sync.localwiki.server import LocalWiki

    config = tmp_path / "network.yaml"
    config.write_text(
        (Path(__file__).resolve().parents[3] / "config.example.yaml").read_text("utf-8"),
        "utf-8",
    )
    with LocalWiki(anonymous_access=True) as wiki:
        result = runner.invoke(
            app,
            ["sync", str(config), "--url", wiki.url, "--flavour", "dc", "--today", "2026-01-15"],
            env={"CONFLUENCE_TOKEN": "matches-nobody", "CONFLUENCE_URL": ""},
        )
        assert result.exit_code == 8, result.output
        assert "matches-nobody" not in result.output
        assert wiki.app.counts().writes == 0  # type: ignore[attr-defined]
