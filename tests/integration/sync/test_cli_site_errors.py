"""``plan``/``sync`` against a site that cannot be used: each cause is named, with its exit
code (7 site, 8 credentials), in exactly one ``error:`` line and its hint; no retry per
request, no token, never "unexpected error".

The sites: a closed port, an unresolvable name (``.invalid``, RFC 2606: no network needed),
an address that cannot be parsed, https against a port that speaks plain HTTP, a certificate
nobody trusts, a port whose connect never completes, a server that accepts and never
answers, a web page instead of Confluence, and local wikis addressed at the wrong context
path, with the wrong flavour or with a wrong token.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from confluence_sync.cli import app
from confluence_sync.errors import EXIT_CREDENTIALS, EXIT_SITE
from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.settings import Settings

from .conftest import TODAY, Site

runner = CliRunner()
TOKEN = "tok-5ite-err0r-do-not-print"


@pytest.fixture
def short_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings' connect and read timeouts at half a second (a hung site must not cost
    a minute's read timeout in a test)."""
    original = Settings.from_env.__func__  # type: ignore[attr-defined]

    def short(cls: type[Settings], *args: Any, **kwargs: Any) -> Settings:
        settings: Settings = original(cls, *args, **kwargs)
        return settings.model_copy(update={"connect_timeout": 0.5, "read_timeout": 0.5})

    monkeypatch.setattr(Settings, "from_env", classmethod(short))


def run(
    caplog: pytest.LogCaptureFixture,
    command: str,
    config: Path,
    url: str,
    *,
    flavour: str = "datacenter",
    username: str = "sync@example.org",
    token: str = TOKEN,
) -> tuple[int, list[str]]:
    """The command through the CLI; its exit code and its output lines. Fails when a request
    was retried (the retry log) or the token shows."""
    args = [command, str(config), "--url", url, "--flavour", flavour, "--username", username]
    with caplog.at_level(logging.WARNING, logger="confluence_sync"):
        result = runner.invoke(
            app,
            [*args, "--today", TODAY.isoformat(), "--workers", "2"],
            env={"CONFLUENCE_API_TOKEN": token, "CONFLUENCE_TOKEN": "", "CONFLUENCE_URL": ""},
        )
    output = result.output
    assert token not in output and token not in caplog.text
    assert "retry" not in output and "retry" not in caplog.text, output + caplog.text
    assert "unexpected" not in output, output
    return result.exit_code, output.splitlines()


def one_error(lines: list[str]) -> str:
    """The single ``error:`` line (with its hint right after it)."""
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, lines
    at = lines.index(errors[0])
    assert lines[at + 1].startswith("  hint: "), lines
    return "\n".join(lines[at : at + 2])


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "network.yaml"
    path.write_text(
        "network:\n  key: PUU\n  name: Partnerschaft\n  language: de\norganisations: []\n"
        "working_groups: []\n",
        encoding="utf-8",
    )
    return path


def closed_port() -> int:
    """A port nothing listens on: bound, then closed again."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(answer: bytes | None) -> Iterator[str]:
    """A tiny socket server on 127.0.0.1:0: ``answer`` sent to every request (None: accept
    and never answer). Yields its http URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            held.append(conn)
            if answer is not None:
                conn.recv(65536)
                conn.sendall(answer)
                conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()
        for conn in held:
            conn.close()
        thread.join(5)


@pytest.mark.parametrize("command", ["plan", "sync"])
def test_a_closed_port_ends_the_run_at_once_with_one_line(
    caplog: pytest.LogCaptureFixture, config: Path, command: str
) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    code, lines = run(caplog, command, config, url)
    assert code == EXIT_SITE
    assert "refused the connection" in one_error(lines)


def test_an_unresolvable_host_is_named_as_dns(
    caplog: pytest.LogCaptureFixture, config: Path
) -> None:
    code, lines = run(caplog, "sync", config, "https://wiki.confluence-sync.invalid")
    assert code == EXIT_SITE
    error = one_error(lines)
    assert "wiki.confluence-sync.invalid does not resolve (DNS)" in error


@pytest.mark.parametrize("url", ["http://wiki..example.org", "http://127.0.0.1:99999"])
def test_an_address_that_cannot_be_parsed_is_named(
    caplog: pytest.LogCaptureFixture, config: Path, url: str
) -> None:
    code, lines = run(caplog, "plan", config, url)
    assert code == EXIT_SITE
    error = one_error(lines)
    assert f"cannot use {url}: the address cannot be parsed" in error
    assert "spaceKey" not in error  # the query string (space keys, titles) stays out


def test_https_against_a_plain_http_port_is_named_as_tls(
    caplog: pytest.LogCaptureFixture, config: Path
) -> None:
    with LocalWiki(flavour="dc") as wiki:
        url = wiki.url.replace("http://", "https://")
        code, lines = run(caplog, "plan", config, url, username="admin")
        assert wiki.app.counts().total == 0  # type: ignore[attr-defined]
    assert code == EXIT_SITE
    error = one_error(lines)
    assert "does not speak TLS on that port" in error and "use http://127.0.0.1:" in error


def test_an_untrusted_certificate_is_named_as_tls(
    caplog: pytest.LogCaptureFixture, config: Path, tmp_path: Path
) -> None:
    from tests.integration.localwiki.publishing import self_signed, server_context

    try:
        cert, key = self_signed(tmp_path)
    except (OSError, Exception) as error:  # no openssl on this machine
        pytest.skip(f"cannot make a certificate: {error}")
    with LocalWiki(flavour="dc", ssl_context=server_context(cert, key)) as wiki:
        code, lines = run(caplog, "plan", config, wiki.url, username="admin")
    assert code == EXIT_SITE
    error = one_error(lines)
    assert "certificate of 127.0.0.1:" in error and "is not trusted" in error
    assert "REQUESTS_CA_BUNDLE" in error


@pytest.mark.usefixtures("short_timeouts")
def test_a_site_that_never_answers_is_named_as_a_read_timeout(
    caplog: pytest.LogCaptureFixture, config: Path
) -> None:
    with serving(None) as url:
        code, lines = run(caplog, "sync", config, url)
    assert code == EXIT_SITE
    assert "accepted the connection but sent no answer within 0.5 s" in one_error(lines)


@contextmanager
def full_backlog() -> Iterator[str]:
    """A port whose listen queue is full and never accepted from: a connect waits until its
    timeout (Linux drops the SYN), as for a firewall that drops packets. Skips where the
    system refuses instead."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    queued = []
    for _ in range(3):
        waiting = socket.socket()
        waiting.setblocking(False)
        waiting.connect_ex(("127.0.0.1", port))
        queued.append(waiting)
    try:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.3).close()
        except TimeoutError:
            yield f"http://127.0.0.1:{port}"
        except OSError as error:
            pytest.skip(f"this system does not let a connect wait: {error}")
        else:
            pytest.skip("this system accepts beyond the listen queue")
    finally:
        for waiting in queued:
            waiting.close()
        listener.close()


@pytest.mark.usefixtures("short_timeouts")
def test_a_connect_that_never_completes_is_named_as_a_connect_timeout(
    caplog: pytest.LogCaptureFixture, config: Path
) -> None:
    with full_backlog() as url:
        code, lines = run(caplog, "sync", config, url)
    assert code == EXIT_SITE
    assert "no connection to 127.0.0.1:" in one_error(lines)
    assert "within 0.5 s" in one_error(lines)


def test_a_web_page_is_not_confluence(caplog: pytest.LogCaptureFixture, config: Path) -> None:
    page = b"<html><body>Intranet</body></html>"
    answer = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n"
        + f"Content-Length: {len(page)}\r\n\r\n".encode()
        + page
    )
    with serving(answer) as url:
        code, lines = run(caplog, "plan", config, url)
    assert code == EXIT_SITE
    error = one_error(lines)
    assert "does not answer like Confluence" in error and "text/html" in error
    assert "right URL and flavour" in error


def test_a_missing_context_path_is_found(caplog: pytest.LogCaptureFixture, config: Path) -> None:
    with LocalWiki(flavour="dc", context_path="/confluence") as wiki:
        user, password = wiki.admin
        code, lines = run(caplog, "sync", config, wiki.root_url, username=user, token=password)
        assert wiki.app.counts().writes == 0  # type: ignore[attr-defined]
    assert code == EXIT_SITE
    assert f"set CONFLUENCE_URL={wiki.root_url}/confluence" in one_error(lines)


def test_a_context_path_the_site_has_not_is_found(
    caplog: pytest.LogCaptureFixture, config: Path
) -> None:
    with LocalWiki(flavour="dc") as wiki:
        user, password = wiki.admin
        url = wiki.root_url + "/confluence"
        code, lines = run(caplog, "plan", config, url, username=user, token=password)
    assert code == EXIT_SITE
    assert f"set CONFLUENCE_URL={wiki.root_url}\n" in one_error(lines) + "\n"


def test_cloud_addressed_as_data_center_is_the_wrong_flavour(
    caplog: pytest.LogCaptureFixture, config: Path
) -> None:
    with LocalWiki(flavour="cloud", v1_removed=True) as wiki:
        user, password = wiki.admin
        code, lines = run(caplog, "sync", config, wiki.root_url, username=user, token=password)
    assert code == EXIT_SITE
    error = one_error(lines)
    assert "answers as Confluence Cloud" in error and "CONFLUENCE_FLAVOUR=cloud" in error


def test_data_center_addressed_as_cloud_is_the_wrong_flavour(
    caplog: pytest.LogCaptureFixture, config: Path
) -> None:
    with LocalWiki(flavour="dc") as wiki:
        user, password = wiki.admin
        code, lines = run(
            caplog, "plan", config, wiki.url, flavour="cloud", username=user, token=password
        )
    assert code == EXIT_SITE
    error = one_error(lines)
    assert "answers as Confluence Data Center" in error
    assert "CONFLUENCE_FLAVOUR=datacenter" in error


def test_a_wrong_token_exits_8_and_says_what_to_check(
    caplog: pytest.LogCaptureFixture, site: Site
) -> None:
    config = site.write_config()
    flavour = "cloud" if site.cloud else "datacenter"
    code, lines = run(caplog, "sync", config, site.wiki.url, flavour=flavour)
    assert code == EXIT_CREDENTIALS
    error = one_error(lines)
    assert "refused the credentials of sync@example.org (HTTP 401" in error
    assert ("API token" in error) if site.cloud else ("not deactivated" in error)
    assert site.journal.counts().writes == 0


def test_unlock_names_an_unreachable_site_too(config: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    result = runner.invoke(
        app,
        ["unlock", str(config), "--url", url, "--username", "sync@example.org"],
        env={"CONFLUENCE_API_TOKEN": TOKEN, "CONFLUENCE_TOKEN": "", "CONFLUENCE_URL": ""},
    )
    assert result.exit_code == EXIT_SITE
    assert "refused the connection" in one_error(result.output.splitlines())
    assert TOKEN not in result.output and "unexpected" not in result.output
