"""A werkzeug request handler that keeps HTTP/1.1 connections alive.

werkzeug 3's handler answers every request with ``Connection: close`` because, after a
response, it drains whatever the socket still holds, which would swallow a pipelined next
request. Confluence keeps connections alive, and clients (requests' pools, the sync) reuse
them, so this handler serves one request per loop of ``BaseHTTPRequestHandler.handle`` and
leaves the connection open:

* the app's answer is collected (the local wiki's answers are small JSON or HTML) and sent
  with an exact ``Content-Length``, so the client knows where the next response starts;
* the request body's unread rest is drained by its declared length (or to the end of a
  chunked body) — never further, so the next request line stays intact; a body too large to
  drain closes the connection instead;
* the client's ``Connection: close`` or HTTP/1.0 is honoured (``parse_request`` sets
  ``close_connection``), and so is a connection reset by a fault;
* an idle connection times out, and ``close_all()`` ends every open one when the server stops,
  so a stopped wiki does not go on answering on old connections.

Imports: nothing of the local wiki.
"""

from __future__ import annotations

import contextlib
import io
import logging
import socket
import threading
from typing import Any

from werkzeug.serving import WSGIRequestHandler

log = logging.getLogger("confluence_sync.localwiki")

IDLE_TIMEOUT_S = 30.0  # a kept-alive connection with no next request is closed after this
MAX_DRAIN = 16 * 1024 * 1024  # an unread body larger than this closes the connection
_DROPPED = (ConnectionError, socket.timeout)


class KeepAliveHandler(WSGIRequestHandler):
    """WSGIRequestHandler with keep-alive; ``server.open_connections`` tracks live sockets."""

    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT_S

    def setup(self) -> None:
        super().setup()
        connections: set[socket.socket] | None = getattr(self.server, "open_connections", None)
        if connections is not None:
            with _LOCK:
                connections.add(self.connection)

    def finish(self) -> None:
        connections: set[socket.socket] | None = getattr(self.server, "open_connections", None)
        if connections is not None:
            with _LOCK:
                connections.discard(self.connection)
        super().finish()

    def log_error(self, format: str, *args: Any) -> None:
        # A kept-alive connection nobody reuses ends by timing out; that is not an error.
        if format.startswith("Request timed out"):
            return
        super().log_error(format, *args)

    def run_wsgi(self) -> None:
        if self.headers.get("Expect", "").lower().strip() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        environ = self.environ = self.make_environ()
        body = _CountingInput(environ["wsgi.input"])
        environ["wsgi.input"] = body
        answer: list[Any] = []  # [status, headers] once start_response ran
        chunks: list[bytes] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            if exc_info is not None and answer:
                raise exc_info[1].with_traceback(exc_info[2])
            answer[:] = [status, headers]
            return chunks.append

        result: Any = None
        self._sending = False
        try:
            result = self.server.app(environ, start_response)
            chunks.extend(result)
            self._drain(environ, body)
            self._send(environ, answer, b"".join(chunks))
        except _DROPPED as error:
            self.close_connection = True
            self.connection_dropped(error, environ)
        except Exception:
            log.exception("local wiki: error serving %s %s", self.command, self.path)
            self.close_connection = True
            if not self._sending:  # nothing went out yet, so a clean 500 can
                self._send(
                    environ,
                    ["500 INTERNAL SERVER ERROR", [("Content-Type", "text/plain")]],
                    b"Internal Server Error",
                )
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()  # the journal records the request here

    def _drain(self, environ: dict[str, Any], body: _CountingInput) -> None:
        """Read what the app left of the request body, and not a byte more."""
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            # werkzeug's DechunkedInput ends at the last chunk, so reading to EOF is safe.
            while data := body.read(65536):
                if body.count > MAX_DRAIN:
                    self.close_connection = True
                    return
            return
        try:
            remaining = int(environ.get("CONTENT_LENGTH") or 0) - body.count
        except ValueError:
            self.close_connection = True
            return
        if remaining > MAX_DRAIN:
            self.close_connection = True
            return
        while remaining > 0:
            data = body.read(min(remaining, 65536))
            if not data:
                self.close_connection = True
                return
            remaining -= len(data)

    def _send(self, environ: dict[str, Any], answer: list[Any], body: bytes) -> None:
        self._sending = True
        status, headers = answer
        code_text, _, reason = str(status).partition(" ")
        code = int(code_text)
        self.send_response(code, reason)
        app_length = None
        for key, value in headers:
            lower = key.lower()
            if lower == "content-length":
                app_length = value
            elif lower not in ("connection", "transfer-encoding"):
                self.send_header(key, value)
        if environ["REQUEST_METHOD"] == "HEAD":
            if app_length is not None:
                self.send_header("Content-Length", app_length)
            body = b""
        elif code not in (204, 304) and not 100 <= code < 200:
            self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        # Head and body in one write: two small writes stall ~40 ms on Nagle's algorithm
        # meeting the client's delayed ACK once the connection is reused.
        self._headers_buffer.append(b"\r\n" + body)
        self.flush_headers()


_LOCK = threading.Lock()


class _CountingInput(io.RawIOBase):
    """The request body stream, counting what was read so the rest can be drained exactly."""

    def __init__(self, raw: Any) -> None:
        super().__init__()
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)

    def read(self, size: int | None = -1) -> bytes:
        data: bytes = self._raw.read(size if size is not None else -1)
        self.count += len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        data: bytes = self._raw.readline(size if size is not None else -1)
        self.count += len(data)
        return data


def close_all(connections: set[socket.socket]) -> None:
    """End every kept-alive connection (their handler threads then see EOF and finish)."""
    with _LOCK:
        open_now = list(connections)
    for sock in open_now:
        with contextlib.suppress(OSError):  # already closed by the client or a fault
            sock.shutdown(socket.SHUT_RDWR)
