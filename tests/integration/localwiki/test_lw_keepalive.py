"""HTTP/1.1 keep-alive: one connection serves many requests, bodies never leak into the next.

werkzeug 3's own handler closes every connection; ``localwiki/web/keepalive.py`` keeps them open.
These tests talk raw ``http.client`` on one connection, so a response framed wrongly or a body
left unread shows up as a broken next exchange.
"""

from __future__ import annotations

import base64
import http.client
import json
from collections.abc import Iterable

import pytest
import requests

from confluence_sync.localwiki.server import LocalWiki

AUTH = {"Authorization": "Basic " + base64.b64encode(b"admin:admin").decode()}
JSON = {**AUTH, "Content-Type": "application/json"}


def _exchange(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    body: bytes | Iterable[bytes] | None = None,
    headers: dict[str, str] | None = None,
    **kwargs: bool,
) -> tuple[int, bytes, http.client.HTTPResponse]:
    conn.request(method, path, body=body, headers=headers or AUTH, **kwargs)
    response = conn.getresponse()
    return response.status, response.read(), response


def test_one_connection_serves_a_sequence_of_requests() -> None:
    with LocalWiki(flavour="dc") as wiki:
        conn = http.client.HTTPConnection("127.0.0.1", wiki.port, timeout=10)
        status, body, answer = _exchange(
            conn, "POST", "/rest/api/space", b'{"key": "NET", "name": "Netz \xc3\xa4"}', JSON
        )
        assert status == 200 and answer.getheader("Connection") is None
        assert int(answer.getheader("Content-Length") or -1) == len(body)
        sock = conn.sock
        status, body, answer = _exchange(conn, "HEAD", "/rest/api/space/NET")
        assert status == 200 and body == b"" and answer.getheader("Content-Length")
        # A body the server never reads (no such route) must not leak into the next request.
        assert _exchange(conn, "POST", "/rest/api/nothing", b"x" * 200_000, AUTH)[0] == 404
        # Too large: 413, and the rest of the body is drained, not read as a request line.
        assert _exchange(conn, "POST", "/rest/api/content", b"y" * 5_300_000, JSON)[0] == 413
        status, body, _ = _exchange(
            conn,
            "POST",
            "/rest/api/space",
            iter([b'{"key": "TWO",', b' "name": "Zwei"}']),
            JSON,
            encode_chunked=True,
        )
        assert status == 200, body
        status, body, _ = _exchange(conn, "GET", "/rest/api/space/TWO")
        assert status == 200 and json.loads(body)["name"] == "Zwei"
        assert conn.sock is sock  # still the first connection
        conn.close()


def test_client_connection_close_is_honoured() -> None:
    with LocalWiki(flavour="cloud") as wiki:
        conn = http.client.HTTPConnection("127.0.0.1", wiki.port, timeout=10)
        headers = {
            "Authorization": "Basic "
            + base64.b64encode(b"admin@localwiki.invalid:localwiki-admin-token").decode(),
            "Connection": "close",
        }
        status, _, answer = _exchange(conn, "GET", "/wiki/rest/api/space", headers=headers)
        assert status == 200 and answer.getheader("Connection") == "close"
        conn.close()


def test_stop_ends_kept_alive_connections() -> None:
    wiki = LocalWiki(flavour="dc").start()
    session = requests.Session()
    session.auth = wiki.admin
    assert session.get(wiki.url + "/rest/api/space", timeout=10).status_code == 200
    wiki.stop()
    # The pooled connection was shut down and the port is closed: no answer from a stopped wiki.
    with pytest.raises(requests.ConnectionError):
        session.get(wiki.url + "/rest/api/space", timeout=10)
    session.close()


def test_an_idle_connection_times_out_without_an_error_line(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from confluence_sync.localwiki.web.keepalive import KeepAliveHandler

    monkeypatch.setattr(KeepAliveHandler, "timeout", 0.2)
    with LocalWiki(flavour="dc") as wiki, caplog.at_level("INFO"):
        conn = http.client.HTTPConnection("127.0.0.1", wiki.port, timeout=10)
        assert _exchange(conn, "GET", "/__localwiki/ping")[0] == 200
        assert conn.sock is not None
        assert conn.sock.recv(1) == b""  # the server closed the idle connection
        conn.close()
    assert not [r for r in caplog.records if "timed out" in r.getMessage()]
