"""The plan and sync commands through Typer's CliRunner: exit codes, report, embedded wiki."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from confluence_sync.cli import app

from .conftest import TODAY, Site

runner = CliRunner()


def invoke(site: Site, *args: str) -> tuple[int, str]:
    flavour = "cloud" if site.cloud else "datacenter"
    result = runner.invoke(
        app,
        [
            *args,
            "--url",
            site.wiki.url,
            "--flavour",
            flavour,
            "--username",
            site.wiki.admin[0],
            "--today",
            TODAY.isoformat(),
            "--workers",
            "2",
        ],
        env={"CONFLUENCE_API_TOKEN": site.wiki.admin[1], "CONFLUENCE_URL": ""},
    )
    return result.exit_code, result.output


def many_meetings(site: Site, months: int) -> Path:
    meetings = "".join(
        f"      - date: 2026-{m:02d}-14\n        host: hansa-flex\n" for m in range(1, months + 1)
    )
    return site.write_config(raw=site.config_text(meetings))


def test_sync_then_a_no_op_with_report(site: Site, tmp_path: Path) -> None:
    config = site.write_config()
    report = tmp_path / "out" / "report.json"
    code, output = invoke(site, "sync", str(config), "--report", str(report))
    assert code == 0, output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["status"] == "applied" and data["summary"]["created"] > 5
    assert all({"item", "status", "reason"} <= set(item) for item in data["items"])
    site.journal.clear()
    code, output = invoke(site, "sync", str(config), "--report", str(report))
    assert code == 0, output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["summary"]["writes"] == 0 == site.journal.counts().writes
    assert data["summary"]["requests"] == site.journal.counts().total


def test_a_rejected_token_is_named_never_shown(site: Site) -> None:
    config = site.write_config()
    secret = "tok-9f8e7d-very-secret"
    result = runner.invoke(
        app,
        [
            "sync",
            str(config),
            "--url",
            site.wiki.url,
            "--username",
            site.wiki.admin[0],
            "--flavour",
            "cloud" if site.cloud else "datacenter",
            "--today",
            TODAY.isoformat(),
        ],
        env={"CONFLUENCE_API_TOKEN": secret, "CONFLUENCE_URL": ""},
    )
    assert result.exit_code != 0
    assert "401" in result.output or "credentials" in result.output.lower(), result.output
    assert secret not in result.output
    assert site.journal.counts().writes == 0


def test_plan_formats_and_dry_run_write_nothing(site: Site) -> None:
    config = site.write_config()
    code, output = invoke(site, "plan", str(config), "--format", "json")
    assert code == 0, output
    plan = json.loads(output)
    assert plan["status"] == "planned" and plan["checksum"]
    code, output = invoke(site, "plan", str(config), "--format", "markdown")
    assert code == 0 and output.startswith("### confluence-sync plan")
    code, output = invoke(site, "sync", str(config), "--dry-run")
    assert code == 0, output
    assert site.journal.counts().writes == 0


def test_invalid_config_exits_3_and_sends_nothing(site: Site) -> None:
    config = site.write_config(raw="network:\n  key: puu!\n")
    code, output = invoke(site, "sync", str(config))
    assert code == 3, output
    assert site.journal.counts().total == 0


def test_unsafe_plan_exits_4_without_force(site: Site) -> None:
    config = many_meetings(site, 10)
    assert invoke(site, "sync", str(config))[0] == 0
    many_meetings(site, 2)
    site.journal.clear()
    code, output = invoke(site, "sync", str(config))
    assert code == 4, output
    assert "--force" in output and site.journal.counts().writes == 0
    assert invoke(site, "plan", str(config))[0] == 4
    code, output = invoke(site, "sync", str(config), "--force")
    assert code == 0, output


def test_failed_items_exit_5_and_the_rest_is_applied(site: Site) -> None:
    config = site.write_config()
    # Every group-membership write answers a proxy's 502: those items fail, the rest lands.
    # (An account missing from the site no longer fails an item: the pre-flight stops the
    # run before any write, exit 9 — tests/integration/sync/test_preflight.py.)
    members = "*/user/*/group/*" if not site.cloud else "*/group/userByGroupId*"
    site.faults.add(f"502:path={members}:method=PUT,POST")
    code, output = invoke(site, "sync", str(config))
    assert code == 5, output
    assert "failed" in output
    assert site.titles("PUUUPX")  # pages were still created


@pytest.mark.parametrize("site", ["dc"], indirect=True)
def test_embedded_default_keeps_its_data_next_to_the_config(site: Site, tmp_path: Path) -> None:
    config = site.write_config()  # accounts are plain user names on the dc flavour
    env = {"CONFLUENCE_URL": "", "CONFLUENCE_API_TOKEN": "", "CONFLUENCE_TOKEN": ""}
    args = ["sync", str(config), "--today", TODAY.isoformat()]
    first = runner.invoke(app, args, env=env)
    assert first.exit_code == 0, first.output
    db = config.parent / ".confluence-sync" / "localwiki.sqlite3"
    assert db.exists()
    assert f"confluence-sync serve --db {db}" in first.output
    second = runner.invoke(app, [*args, "--report", str(tmp_path / "r.json")], env=env)
    assert second.exit_code == 0, second.output
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["writes"] == 0


def unlock(site: Site) -> tuple[int, str]:
    flavour = "cloud" if site.cloud else "datacenter"
    result = runner.invoke(
        app,
        [
            "unlock",
            str(site.path),
            "--url",
            site.wiki.url,
            "--flavour",
            flavour,
            "--username",
            site.wiki.admin[0],
        ],
        env={"CONFLUENCE_API_TOKEN": site.wiki.admin[1], "CONFLUENCE_URL": ""},
    )
    return result.exit_code, result.output


def test_unlock_removes_a_killed_runs_lock_and_names_it(site: Site) -> None:
    import datetime as dt

    from confluence_sync.apply.lock import acquire
    from confluence_sync.run import load_wanted
    from confluence_sync.state.observe import observe

    site.write_config(["2026-03-12"])
    site.sync()
    backend = site.backend()
    wanted = load_wanted(site.path, site.options())
    state = observe(backend.reader, wanted)
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    acquire(
        backend.reader,
        backend.writer(),
        state.spaces["PUU"],
        now=started,
        holder="cron@box pid 4711",
    )
    site.write_config()
    code, output = invoke(site, "sync", str(site.path))
    assert code != 0 and "cron@box pid 4711" in output and "confluence-sync unlock" in output
    code, output = unlock(site)
    assert code == 0, output
    assert "removed the lock of cron@box pid 4711" in output
    assert f"held since {started.isoformat()}" in output
    code, output = unlock(site)  # nothing left to remove: says so, changes nothing
    assert code == 0 and "no lock held" in output
    code, output = invoke(site, "sync", str(site.path))
    assert code == 0, output


FLAGS = {
    "sync": (
        "--dry-run",
        "--overwrite-conflicts",
        "--allow-removals",
        "--force",
        "--adopt",
        "--strict",
        "--help",
    ),
    "plan": ("--overwrite-conflicts", "--allow-removals", "--force", "--adopt", "--help"),
}


@pytest.mark.parametrize("command", ["sync", "plan"])
def test_help_shows_flags_without_a_value(command: str) -> None:
    out = runner.invoke(app, [command, "--help"], env={"COLUMNS": "120"}).output
    # option rows only: the epilog's examples and exit codes mention flags too
    rows = [line for line in out.splitlines() if line.startswith("│ --")]
    flags = [line for line in rows if any(line.startswith(f"│ {f} ") for f in FLAGS[command])]
    assert len(flags) == len(FLAGS[command]), out
    assert not any("<bool>" in line for line in flags), out
    assert "<int>" in out  # options that take a value still name it


def test_max_wait_bounds_a_rate_limit_wait_and_the_run_stops_with_exit_5(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    """Retry-After 2 s is short, but longer than ``--max-wait 1``: the run stops, says until
    when (once, on stderr), reports the rest as not done."""
    config = site.write_config()
    site.faults.add("429:retry-after=2:method=POST:after=4:count=1")
    with caplog.at_level(logging.WARNING, logger="confluence_sync"):
        code, output = invoke(site, "sync", str(config), "--max-wait", "1")
    site.faults.clear()
    assert code == 5, output
    said = [r.getMessage() for r in caplog.records if "rate limited until" in r.getMessage()]
    assert len(said) == 1 and re.fullmatch(r"rate limited until \d\d:\d\d", said[0]), said
    assert "not done: rate limited until" in output  # the items left, in the report
    code, output = invoke(site, "sync", str(config), "--max-wait", "-1")
    assert code == 2, output
