"""``confluence-sync doctor`` against the local wiki on 127.0.0.1:0: each thing that stops a
sync gives its own ✗ line and exit code, the right set-up exits 0 (both flavours)."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from confluence_sync.localwiki.server import LocalWiki

from ..localwiki.publishing import self_signed, server_context
from .conftest import Site

runner = CliRunner()


def doctor(
    url: str,
    flavour: str,
    username: str,
    secret: str,
    *args: str,
    token: bool = False,
) -> tuple[int, str]:
    from confluence_sync.cli import app

    env = {"CONFLUENCE_URL": "", "CONFLUENCE_API_TOKEN": "", "CONFLUENCE_TOKEN": ""}
    options = ["--url", url, "--flavour", flavour]
    if token:
        env["CONFLUENCE_TOKEN"] = secret
    else:
        env["CONFLUENCE_API_TOKEN"] = secret
        options += ["--username", username]
    result = runner.invoke(app, ["doctor", *args, *options], env=env)
    return result.exit_code, result.output


def as_admin(site: Site, *args: str, url: str | None = None, flavour: str = "") -> tuple[int, str]:
    user, secret = site.wiki.admin
    chosen = flavour or ("cloud" if site.cloud else "datacenter")
    return doctor(url or site.wiki.url, chosen, user, secret, *args)


def lines(output: str, mark: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(mark)]


def test_the_right_set_up_passes_every_check(site: Site) -> None:
    config = site.write_config()
    code, output = as_admin(site, str(config))
    assert code == 0, output
    assert lines(output, "✗") == []
    names = [line.split(":")[0][2:] for line in lines(output, "✓")]
    assert names == ["connection", "site", "credentials", "rights", "api", "accounts"]
    flavour = "Confluence Cloud" if site.cloud else "Confluence Data Center 10.0.3"
    assert flavour in output and "a sync can succeed" in output
    assert site.journal.counts().writes == 0  # doctor only reads


def test_json_has_one_object_with_the_checks_and_the_exit_code(site: Site) -> None:
    site.accounts["cherm"] = "ghost-" + site.accounts["cherm"]
    config = site.write_config()
    code, output = as_admin(site, str(config), "--format", "json")
    data = json.loads(output)
    assert code == 9 == data["exit_code"]
    assert [c["name"] for c in data["checks"]][-1] == "accounts"
    assert all(set(c) == {"name", "ok", "found", "todo", "warnings"} for c in data["checks"])
    failed = [c for c in data["checks"] if not c["ok"]]
    assert len(failed) == 1 and site.accounts["cherm"] in failed[0]["found"]
    assert data["requests"] > 0


def test_missing_accounts_are_named_together(site: Site) -> None:
    site.accounts["cherm"] = "ghost-one"
    site.accounts["sluedtke"] = "ghost-two"
    config = site.write_config()
    code, output = as_admin(site, str(config))
    assert code == 9, output
    (line,) = lines(output, "✗")
    assert line.startswith("✗ accounts: 2 of the 4 accounts") and "ghost-one, ghost-two" in line


def test_a_bad_token_fails_the_credentials_line(site: Site) -> None:
    secret = "tok-doctor-4e5f-not-valid"
    flavour = "cloud" if site.cloud else "datacenter"
    code, output = doctor(site.wiki.url, flavour, site.wiki.admin[0], secret)
    assert code == 8, output
    (line,) = lines(output, "✗")
    assert line.startswith("✗ credentials: the site refused the credentials (HTTP 401)")
    assert "CONFLUENCE_API_TOKEN" in output
    assert secret not in output


def test_a_wrong_personal_access_token_on_an_anonymous_site() -> None:
    # CONFSERVER-98199: with anonymous access on, a Bearer token that matches nobody runs as
    # the anonymous user instead of getting 401 (the local wiki's ``anonymous_access``).
    with LocalWiki(flavour="dc", anonymous_access=True) as wiki:
        code, output = doctor(wiki.url, "datacenter", "", "no-such-token", token=True)
    assert code == 8, output
    (line,) = lines(output, "✗")
    assert "anonymous" in line


def test_an_account_without_admin_rights_fails_the_rights_line(site: Site) -> None:
    user = site.wiki.store.create_user("plain", "pw-plain")
    name = user.email if site.cloud else "plain"
    token = site.wiki.store.create_token("plain")
    flavour = "cloud" if site.cloud else "datacenter"
    code, output = doctor(site.wiki.url, flavour, name, token)
    assert code == 8, output
    (line,) = lines(output, "✗")
    assert line.startswith("✗ rights:")
    assert ("administer" in line) if site.cloud else ("not a Confluence administrator" in line)
    assert "✓ credentials: accepted: signed in as plain" in output


@pytest.mark.parametrize("site", ["dc"], indirect=True)
def test_an_administrator_by_another_group_passes_on_its_global_permission(site: Site) -> None:
    # Not in confluence-administrators, but in a group the site made administrators (the
    # local wiki's second admin group): DC 10's global permission list says administer.
    site.wiki.store.create_user("ops", "pw-ops", groups=("confluence-users", "site-admins"))
    token = site.wiki.store.create_token("ops")
    code, output = doctor(site.wiki.url, "datacenter", "ops", token)
    assert code == 0, output
    assert (
        "✓ rights: Confluence administrator (ops holds the global administer permission)" in output
    )


@pytest.mark.parametrize("site", ["dc"], indirect=True)
def test_a_wrong_flavour_is_named(site: Site) -> None:
    code, output = as_admin(site, flavour="cloud")
    assert code == 7, output
    (line,) = lines(output, "✗")
    assert "this is Confluence Data Center" in line and "not Confluence Cloud" in line
    assert "CONFLUENCE_FLAVOUR=datacenter" in output


def test_cloud_asked_as_data_center_is_named() -> None:
    with LocalWiki(flavour="cloud", v1_removed=True) as wiki:
        code, output = doctor(wiki.root_url, "datacenter", *wiki.admin)
    assert code == 7, output
    (line,) = lines(output, "✗")
    assert "this is Confluence Cloud" in line and "CONFLUENCE_FLAVOUR=cloud" in output


def test_a_missing_context_path_is_named_with_the_right_url() -> None:
    with LocalWiki(flavour="dc", context_path="/confluence") as wiki:
        code, output = doctor(wiki.root_url, "datacenter", *wiki.admin)
        right = wiki.root_url + "/confluence"
    assert code == 7, output
    (line,) = lines(output, "✗")
    assert line.startswith("✗ site: no Confluence below") and f"CONFLUENCE_URL={right}" in output


def test_a_context_path_too_many_is_named_with_the_root() -> None:
    with LocalWiki(flavour="dc") as wiki:
        code, output = doctor(wiki.root_url + "/confluence", "datacenter", *wiki.admin)
        root = wiki.root_url
    assert code == 7, output
    assert f"set CONFLUENCE_URL={root} " in output


def test_a_refused_port_names_host_and_port() -> None:
    with socket.socket() as spare:  # a port nothing listens on once closed
        spare.bind(("127.0.0.1", 0))
        port = spare.getsockname()[1]
    code, output = doctor(f"http://127.0.0.1:{port}", "datacenter", "admin", "x")
    assert code == 7, output
    (line,) = lines(output, "✗")
    refused = f"refused the connection (nothing listens on port {port})"
    assert line == f"✗ connection: 127.0.0.1:{port} {refused}"


def test_https_against_a_plain_http_port_is_named() -> None:
    with LocalWiki(flavour="dc") as wiki:
        url = wiki.url.replace("http://", "https://")
        code, output = doctor(url, "datacenter", *wiki.admin)
        where = f"127.0.0.1:{wiki.port}"
    assert code == 7, output
    (line,) = lines(output, "✗")
    assert line == f"✗ connection: https to {where}, but the port answers plain HTTP, not TLS"
    assert f"use http://{where}" in output


def test_http_against_a_tls_port_is_named(tmp_path: Path) -> None:
    try:
        cert, key = self_signed(tmp_path)
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"openssl cannot make a test certificate: {error}")
    with LocalWiki(flavour="dc", ssl_context=server_context(cert, key)) as wiki:
        url = wiki.url.replace("https://", "http://")
        code, output = doctor(url, "datacenter", *wiki.admin)
        where = f"127.0.0.1:{wiki.port}"
    assert code == 7, output
    (line,) = lines(output, "✗")
    assert line == f"✗ connection: http to {where}, but the port speaks TLS"
    assert f"use https://{where}" in output


@pytest.mark.parametrize("site", ["dc"], indirect=True)
def test_the_embedded_default_is_checked_and_named(site: Site) -> None:
    from confluence_sync.cli import app

    config = site.write_config()
    env = {"CONFLUENCE_URL": "", "CONFLUENCE_API_TOKEN": "", "CONFLUENCE_TOKEN": ""}
    result = runner.invoke(app, ["doctor", str(config)], env=env)
    assert result.exit_code == 0, result.output
    assert "the embedded local wiki (no CONFLUENCE_URL)" in result.output
    assert "✓ accounts: the embedded wiki creates the 4 accounts" in result.output
    bare = runner.invoke(app, ["doctor"], env=env)
    assert bare.exit_code == 0 and "give FILE to check that one" in bare.output


def test_a_host_that_does_not_resolve_is_named() -> None:
    # .invalid never resolves (RFC 6761), so no resolver has an answer to give.
    code, output = doctor("https://wiki.example.invalid", "datacenter", "admin", "x")
    assert code == 7, output
    (line,) = lines(output, "✗")
    assert line.startswith("✗ connection: the host wiki.example.invalid does not resolve")


@pytest.mark.parametrize("release", ["8.1.4", "8.5.9", "9.0.3", "10.0.3"])
def test_a_data_center_release_without_rest_apis_is_a_warning_of_the_steps_by_hand(
    release: str,
) -> None:
    """A release the sync plans manual steps for passes (a sync can succeed) and warns, in the
    plan's words, of what the admin will be asked to do by hand; 10.0 has nothing to say."""
    with LocalWiki(flavour="dc", dc_version=release) as wiki:
        user, secret = wiki.admin
        code, output = doctor(wiki.url, "datacenter", user, secret)
        data = json.loads(doctor(wiki.url, "datacenter", user, secret, "--format", "json")[1])
    assert code == 0 and "a sync can succeed" in output, output
    assert lines(output, "✗") == []
    api = next(line for line in lines(output, "✓") if line.startswith("✓ api:"))
    warnings = [line.strip()[2:] for line in output.splitlines() if line.startswith("    ! ")]
    checked = next(c for c in data["checks"] if c["name"] == "api")
    assert checked["ok"] and checked["warnings"] == warnings
    if release == "10.0.3":
        assert api.startswith("✓ api: Data Center 10.0.3: space permissions: REST; group admin")
        assert warnings == []
        return
    assert f"Data Center {release}: space permissions: by hand (no REST before 9.1)" in api
    assert warnings[0].startswith(f"Data Center {release} has no REST API for space permissions")
    assert "one per space, for a space admin to do by hand" in warnings[0]
    assert "(Space tools → Permissions → Edit Permissions)" in warnings[0]
    if release == "8.1.4":
        assert "group admin: by hand (no REST before 8.2)" in api
        assert warnings[1].startswith("Data Center 8.1.4 has no REST API for group admin")
        assert "(Administration (cog) → User management → Groups)" in warnings[1]
    else:
        assert len(warnings) == 1 and "group admin: REST" in api
