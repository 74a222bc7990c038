"""The CLI's conventions against the local wiki over real HTTP: ``-v`` lists every request
and never the token, ``-q`` leaves the summary line, plan rows name pages by title, ``--diff``
shows a region's before and after, and errors are JSON with ``--format json``."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import Result
from typer.testing import CliRunner

from confluence_sync.cli import app
from confluence_sync.localwiki.store import ADMIN_TOKEN

from .conftest import TODAY, Site

runner = CliRunner()
REQUEST_LINE = re.compile(r"^(GET|POST|PUT|DELETE) (/\S*) (\d{3}) (\d+) ms$")
MARCH = "2026-03-12 Frühjahrstreffen bei HANSA-FLEX"  # the 2026-03-12 meeting's page title
TWO_ITEMS = (
    "      - date: 2026-03-12\n        host: hansa-flex\n"
    "        title: Frühjahrstreffen bei HANSA-FLEX\n"
    "        agenda: [Betriebsrundgang, Besuch im Lager]\n"
)


def invoke(site: Site, *args: str) -> Result:
    """A command against the site, the admin's token in the environment (as an admin would)."""
    flavour = "cloud" if site.cloud else "dc"
    options = ["--url", site.wiki.url, "--flavour", flavour, "--username", site.wiki.admin[0]]
    options += ["--today", TODAY.isoformat(), "--workers", "2"]
    env = {"CONFLUENCE_API_TOKEN": site.wiki.admin[1], "CONFLUENCE_URL": ""}
    return runner.invoke(app, [*args, *options], env=env)


def test_verbose_lists_every_request_and_never_the_token(site: Site) -> None:
    """The wiki's admin token: a Data Center personal access token (Bearer), Cloud's API
    token (Basic, with the admin's e-mail)."""
    config = site.write_config(["2026-03-12"])
    site.journal.clear()
    args = ["sync", str(config), "-v", "--url", site.wiki.url, "--today", TODAY.isoformat()]
    if site.cloud:
        args += ["--flavour", "cloud", "--username", site.wiki.admin[0]]
        env = {"CONFLUENCE_API_TOKEN": ADMIN_TOKEN, "CONFLUENCE_URL": ""}
    else:
        env = {"CONFLUENCE_TOKEN": ADMIN_TOKEN, "CONFLUENCE_URL": ""}
        args += ["--flavour", "dc"]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    lines = [REQUEST_LINE.match(line) for line in result.stderr.splitlines()]
    requests = [m for m in lines if m]
    # One line per request that reached the wiki, each with its method, path and status.
    assert len(requests) == site.journal.counts().total > 10
    assert {m[1] for m in requests} >= {"GET", "POST"}
    # Nothing failed. On Data Center a 404 answers "does group g exist yet?"; Cloud's group
    # picker (``by-name`` is deprecated, CHANGE-2520) answers 200 without the group.
    assert {m[3][0] for m in requests} <= {"2", "4"}
    assert ("404" in {m[3] for m in requests}) is not site.cloud
    assert not any("?" in m[2] for m in requests)  # no query string: titles may be private
    assert ADMIN_TOKEN not in result.output and ADMIN_TOKEN not in result.stderr
    assert "Authorization" not in result.stderr and site.wiki.url not in result.stderr


def test_without_verbose_no_request_is_listed(site: Site) -> None:
    config = site.write_config(["2026-03-12"])
    result = invoke(site, "plan", str(config))
    assert result.exit_code == 0, result.output
    assert not [line for line in result.stderr.splitlines() if REQUEST_LINE.match(line)]


@pytest.mark.parametrize("site", ["dc"], indirect=True)
def test_quiet_leaves_the_summary_line(site: Site) -> None:
    config = site.write_config(["2026-03-12"])
    result = invoke(site, "sync", str(config), "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == 1 and result.stderr == ""
    assert re.fullmatch(r"\d+ added, \d+ created, .*; \d+ requests, \d+ writes\n", result.stdout)


def test_plan_rows_name_pages_by_title_and_diff_shows_before_and_after(site: Site) -> None:
    config = site.write_config(["2026-03-12"])
    assert invoke(site, "sync", str(config)).exit_code == 0
    config.write_text(site.config_text(TWO_ITEMS), encoding="utf-8")
    site.journal.clear()
    without = invoke(site, "plan", str(config))
    assert "hint: --diff shows each changed region's before and after" in without.stderr
    assert "+<li>" not in without.stdout
    result = invoke(site, "plan", str(config), "--diff")
    assert result.exit_code == 0, result.output
    assert "hint: --diff" not in result.stderr
    row = next(line for line in result.stdout.splitlines() if "│ update" in line)
    assert f"page '{MARCH}'" in row and "PUUUPX" in row
    assert "group/UPX/meeting" not in row  # the identity is the key, not what people read
    diff = result.stdout.split(f"~ PUUUPX page '{MARCH}'", 1)[1].splitlines()
    assert diff[1].startswith("--- region facts (as read, page ") and "version 1)" in diff[1]
    assert diff[2] == "+++ region facts (as the sync writes it)"
    assert " <li>Betriebsrundgang</li>" in diff  # context: the item that stays
    assert "+<li>Besuch im Lager</li>" in diff
    assert site.journal.counts().writes == 0


def test_json_diff_holds_both_sides(site: Site) -> None:
    config = site.write_config(["2026-03-12"])
    assert invoke(site, "sync", str(config)).exit_code == 0
    config.write_text(site.config_text(TWO_ITEMS), encoding="utf-8")
    result = invoke(site, "plan", str(config), "--format", "json", "--diff")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    [page] = document["diffs"]
    assert (page["space"], page["title"], page["read"]) == ("PUUUPX", MARCH, True)
    [region] = page["regions"]
    assert region["name"] == "facts"
    assert "<li>Besuch im Lager</li>" in region["after"]
    assert "<li>Besuch im Lager</li>" not in region["before"]
    [item] = [i for i in document["items"] if i["status"] == "planned" and i["kind"] != "calendar"]
    assert item["title"] == MARCH and item["item"].startswith("page group/UPX/meeting/")


def test_plan_json_on_an_invalid_config_is_a_json_error(site: Site) -> None:
    config = site.write_config(raw="network:\n  key: puu!\n")
    for command in ("plan", "sync"):
        result = invoke(site, command, str(config), "--format", "json")
        assert result.exit_code == 3, result.output
        document = json.loads(result.stdout)
        assert document["status"] == "invalid-config" and document["exit_code"] == 3
        assert document["error"]["type"] == "ConfigError"
        fields = {(p["line"], p["field"]) for p in document["problems"]}
        assert (2, "network.name") in fields, document
        assert all(
            set(p) >= {"file", "line", "column", "field", "message"} for p in document["problems"]
        )
        assert "network.name" in result.stderr  # people still read it on stderr
    assert site.journal.counts().total == 0


def test_a_refused_token_is_a_json_error_without_the_token(site: Site) -> None:
    config = site.write_config()
    secret = "tok-5c4b3a-very-secret"
    flavour = "cloud" if site.cloud else "datacenter"
    args = ["plan", str(config), "--format", "json", "-v", "--url", site.wiki.url]
    args += ["--flavour", flavour, "--username", site.wiki.admin[0], "--today", TODAY.isoformat()]
    result = runner.invoke(app, args, env={"CONFLUENCE_API_TOKEN": secret, "CONFLUENCE_URL": ""})
    assert result.exit_code != 0
    document = json.loads(result.stdout)
    assert document["status"] == "error" and document["exit_code"] == result.exit_code
    assert document["error"]["message"] and document["error"]["type"]
    assert secret not in result.stdout and secret not in result.stderr
    assert any(REQUEST_LINE.match(line) for line in result.stderr.splitlines())  # the 401


@pytest.mark.parametrize("site", ["cloud"], indirect=True)
def test_a_note_names_its_page_and_the_archived_parent_by_title(site: Site) -> None:
    from .test_titles import archive_as

    config = site.write_config(["2026-03-12"])
    assert invoke(site, "sync", str(config)).exit_code == 0
    archive_as(site, site.page("PUUUPX", "Treffen").info.id, "admin")
    site.write_config(["2026-03-12", "2026-09-10"])
    result = invoke(site, "plan", str(config))
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if "│ skipped" in line)
    assert "page '2026-09-10 Treffen bei Deutsche See GmbH'" in row
    assert "not created: its parent page 'Treffen' is archived in the wiki" in row


@pytest.mark.parametrize("site", ["dc"], indirect=True)
def test_diff_shows_a_title_change_and_says_when_the_page_was_not_read(site: Site) -> None:
    config = site.write_config(["2026-03-12"])
    assert invoke(site, "sync", str(config)).exit_code == 0
    renamed = TWO_ITEMS.replace("Frühjahrstreffen bei HANSA-FLEX", "Rundgang im Lager")
    config.write_text(site.config_text(renamed), encoding="utf-8")
    result = invoke(site, "plan", str(config), "--diff", "--trust-versions")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert f"--- title '{MARCH}'" in lines
    assert "+++ title '2026-03-12 Rundgang im Lager'" in lines
    before = next(line for line in lines if line.startswith("--- region facts"))
    assert before == "--- region facts (not read (--trust-versions): as the sync last wrote it)"
    assert "+<li>Besuch im Lager</li>" in lines
