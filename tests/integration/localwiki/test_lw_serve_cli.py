"""`confluence-sync serve` starts the wiki, prints where it is, and answers requests; with
``--set-password`` it gives a member a password to log in to the viewer with."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import requests

from confluence_sync.localwiki.store import Store


def test_serve_prints_url_credentials_and_viewer() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "confluence_sync", "serve", "--port", "0", "--flavour", "cloud"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        url = lines[0].split(" at ", 1)[1].strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/wiki")
        assert "admin@localwiki.invalid" in lines[1] and "localwiki-admin-token" in lines[1]
        assert lines[2].strip().endswith("/viewer")
        response = requests.get(
            url + "/api/v2/spaces",
            auth=("admin@localwiki.invalid", "localwiki-admin-token"),
            timeout=10,
        )
        assert response.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_set_password_prints_a_password_the_member_logs_in_with(tmp_path: Path) -> None:
    db = tmp_path / "wiki.sqlite3"
    store = Store(db)
    store.create_user("cherm", secrets.token_urlsafe(16))  # as an embedded sync makes them
    store.close()
    command = [sys.executable, "-m", "confluence_sync", "serve", "--port", "0", "--db", str(db)]
    process = subprocess.Popen(
        [*command, "--set-password", "cherm"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(4)]
        viewer = lines[2].split(": ", 1)[1].strip()
        assert lines[3].startswith("password for cherm: ")
        password = lines[3].split(": ", 1)[1].split(" ", 1)[0]
        login = requests.post(
            viewer + "/login",
            data={"username": "cherm", "password": password},
            allow_redirects=False,
            timeout=10,
        )
        assert login.status_code == 303 and "JSESSIONID=" in login.headers["Set-Cookie"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_set_password_refuses_an_unknown_account_and_the_admin(tmp_path: Path) -> None:
    db = tmp_path / "wiki.sqlite3"
    Store(db).close()
    for account, words in (("nobody", "no account 'nobody'"), ("admin", "stays 'admin'")):
        command = ["serve", "--db", str(db), "--port", "0", "--set-password", account]
        done = subprocess.run(
            [sys.executable, "-m", "confluence_sync", *command],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2 and words in done.stderr


def test_dc_version_plays_a_release_and_refuses_one_that_is_not() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "confluence_sync", "serve", "--port", "0", "--dc-version", "ten"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "--dc-version" in done.stderr and "'ten'" in done.stderr
    process = subprocess.Popen(
        [sys.executable, "-m", "confluence_sync", "serve", "--port", "0", "--dc-version", "9.0.3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split(" at ", 1)[1].strip()
        auth = ("admin", "admin")
        info = requests.get(url + "/rest/api/server-information", auth=auth, timeout=10)
        assert info.json()["version"] == "9.0.3"
        missing = requests.get(url + "/rest/api/space/X/permissions", auth=auth, timeout=10)
        assert missing.status_code == 404  # a 9.1 route
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_database_of_the_other_flavour_is_refused_by_name(tmp_path: Path) -> None:
    """A Cloud site's database (account ids, Cloud's templates) served as Data Center would be
    a site no real Confluence is: the flavour it was made as is kept and asked for."""
    from confluence_sync.localwiki.server import LocalWiki

    db = tmp_path / "cloud.sqlite3"
    with LocalWiki(db_path=db, flavour="cloud"):
        pass
    done = subprocess.run(
        [sys.executable, "-m", "confluence_sync", "serve", "--db", str(db), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert f"--db {db} holds a cloud site, not a datacenter one" in done.stderr
    assert "serve it with --flavour cloud" in done.stderr
    assert "Traceback" not in done.stderr
    with LocalWiki(db_path=db, flavour="cloud") as again:  # its own flavour still opens it
        again.store.claim_flavour("cloud")
