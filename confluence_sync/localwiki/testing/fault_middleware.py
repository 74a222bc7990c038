"""Fault injection: a WSGI middleware that makes the local wiki misbehave as a plan says.

A sync must survive what real Confluence sites and their proxies do: rate limits, overloaded
nodes, HTML error pages from a gateway, dropped connections, slow answers, writes that land
although the client saw an error, and concurrent edits. ``faults.py`` parses each of those as
a rule; this middleware answers in their place (or after the wiki, for the ``commit-*``
kinds), in the error shapes of the API the path belongs to (``web/errors.py``).

The admin endpoint ``/__localwiki/faults`` (GET lists, POST ``{"specs": [...], "replace":
false, "latency_ms": N}`` adds, DELETE clears) is never subject to faults, nor is
``/__localwiki/ping``, a bare JSON route that measures the web stack without the wiki.

Imports: ``testing.faults``, ``web.environ`` and ``web.errors``.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import os
import socket
import struct
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from confluence_sync.localwiki.testing.faults import FaultPlan, FaultRule, parse_fault_spec
from confluence_sync.localwiki.web.environ import (
    ADMIN_PREFIX,
    ENVIRON_BEFORE_RESET,
    ENVIRON_FAULT_KEY,
)
from confluence_sync.localwiki.web.errors import error_body

if TYPE_CHECKING:  # only for annotations; the middleware talks plain WSGI
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


def reset_connection(environ: WSGIEnvironment) -> None:
    """Abort the client connection with a TCP RST, then stop this request quietly.

    SO_LINGER 0 makes the final close send RST instead of FIN. The handler still holds the
    socket (and a file object on it), so a plain ``close()`` would be deferred; instead the
    descriptor number is atomically re-pointed (dup2) at one end of a socket pair whose other
    end is closed. That drops the last reference to the TCP socket (RST goes out now) and
    leaves the handler reading a clean EOF, so werkzeug ends the request without a traceback.
    Only werkzeug's server offers ``werkzeug.socket``; elsewhere just the exception is raised.
    The ``ConnectionResetError`` raised at the end is what werkzeug treats as "client went
    away": it is swallowed without logging.
    """
    before = environ.get(ENVIRON_BEFORE_RESET)
    if callable(before):
        before()  # the journal records now: a client may ask for it the moment it sees the RST
    sock = environ.get("werkzeug.socket")
    if isinstance(sock, socket.socket) and sock.fileno() >= 0:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        keep, gone = socket.socketpair()
        gone.close()
        os.dup2(keep.fileno(), sock.fileno())
        keep.close()
        # Bytes of this request already buffered (an unread body) would be parsed as the next
        # request line; the socket now reads EOF, so draining ends at once.
        stream = environ.get("wsgi.input")
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                while stream.read(65536):
                    pass
    raise ConnectionResetError("localwiki fault: connection reset")


def _error_body(path: str, status: int, message: str) -> bytes:
    """The error body of the API the path belongs to; v2's ``detail`` stays empty, as in front
    of a real site's application."""
    api = "v2" if "/api/v2/" in path else "v1"
    return json.dumps(error_body(api, status, message)).encode()


_BAD_GATEWAY_HTML = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n"
)


# The texts of the two property faults (``faults.py`` cites where they come from).
_PROPERTY_CONFLICT = (
    "com.atlassian.confluence.api.service.exceptions.ConflictException: "
    "Cannot create content property: a property with this key was created meanwhile"
)
_PROPERTY_DUPLICATE = (
    "com.atlassian.confluence.api.service.exceptions.BadRequestException: "
    "jsonproperty.duplicate.key"
)


def _conflict_message(environ: WSGIEnvironment, path: str) -> str:
    """Confluence's stale-version text; the current version is the one the client saw."""
    current = ""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        payload = json.loads(environ["wsgi.input"].read(length)) if length else {}
        current = f" Current version is: {int(payload['version']['number']) - 1}"
    except (ValueError, KeyError, TypeError):
        pass  # a body we cannot read still gets a conflict, just without the number
    message = f"Version must be incremented on update.{current}"
    if path.startswith("/wiki/"):  # Cloud prefixes the Java exception class
        message = f"com.atlassian.confluence.api.service.exceptions.ConflictException: {message}"
    return message


def _drain(result: Iterable[bytes]) -> None:
    """Run the wrapped app's response to the end, so its write really happens."""
    try:
        for _chunk in result:
            pass
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()


class FaultMiddleware:
    """Wrap a WSGI app; apply ``plan``'s faults and ``latency_ms`` to every non-admin request."""

    def __init__(self, app: WSGIApplication, plan: FaultPlan, *, latency_ms: int = 0) -> None:
        self.app = app
        self.plan = plan
        self.latency_ms = latency_ms

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        if ADMIN_PREFIX in path:
            if path.endswith("/__localwiki/faults"):
                return self._admin(environ, start_response)
            if path.endswith("/__localwiki/ping"):
                return _json(start_response, "200 OK", {"ok": True})
            return self.app(environ, start_response)
        method = environ.get("REQUEST_METHOD", "GET").upper()
        rule = self.plan.pick(method, path)
        delay = self.latency_ms + (rule.delay_ms if rule else 0)
        if delay:
            time.sleep(delay / 1000)
        if rule is None or rule.kind == "delay":
            return self.app(environ, start_response)
        if rule.kind == "near-limit":
            return self.app(environ, _with_headers(start_response, _limit_headers(rule)))
        environ[ENVIRON_FAULT_KEY] = rule.kind
        return self._inject(rule, environ, start_response, path)

    def _inject(
        self, rule: FaultRule, environ: WSGIEnvironment, start_response: StartResponse, path: str
    ) -> Iterable[bytes]:
        kind = rule.kind
        if kind == "reset":
            reset_connection(environ)
        if kind in ("commit-500", "commit-reset"):
            # Swallow the real status: the client must not learn that the write landed.
            _drain(self.app(environ, lambda status, headers, exc_info=None: lambda data: None))
            if kind == "commit-reset":
                reset_connection(environ)
            body = _error_body(
                path, 500, "java.lang.RuntimeException: localwiki fault after commit"
            )
            return _respond(start_response, "500 Internal Server Error", body)
        if kind == "502":
            return _respond(
                start_response, "502 Bad Gateway", _BAD_GATEWAY_HTML, content_type="text/html"
            )
        if kind == "409":
            body = _error_body(path, 409, _conflict_message(environ, path))
            return _respond(start_response, "409 Conflict", body)
        if kind == "property-409":
            # The property is there (the background write's), yet the client hears 409.
            _drain(self.app(environ, lambda status, headers, exc_info=None: lambda data: None))
            body = _error_body(path, 409, _PROPERTY_CONFLICT)
            return _respond(start_response, "409 Conflict", body)
        if kind == "property-duplicate":
            body = _error_body(path, 400, _PROPERTY_DUPLICATE)
            return _respond(start_response, "400 Bad Request", body)
        status = 429 if kind == "429" else 503
        headers: list[tuple[str, str]] = []
        if rule.retry_after is not None:
            if rule.retry_format == "date":
                value = email.utils.formatdate(time.time() + rule.retry_after, usegmt=True)
            else:
                value = str(rule.retry_after)
            headers.append(("Retry-After", value))
        headers += _limit_headers(rule)
        text = "Rate limit exceeded" if status == 429 else "Service temporarily unavailable"
        line = "429 Too Many Requests" if status == 429 else "503 Service Unavailable"
        return _respond(start_response, line, _error_body(path, status, text), headers=headers)

    def _admin(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if method == "DELETE":
            self.plan.clear()
        elif method == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
                payload = json.loads(environ["wsgi.input"].read(length) or b"{}")
                if not isinstance(payload, dict):
                    raise ValueError("body must be a JSON object")
                specs = payload.get("specs", [])
                if isinstance(payload.get("spec"), str):
                    specs = [*specs, payload["spec"]]
                if not isinstance(specs, list) or not all(isinstance(s, str) for s in specs):
                    raise ValueError("specs must be a list of strings")
                rules = [parse_fault_spec(spec) for spec in specs]  # all or nothing
                latency = payload.get("latency_ms")
                if latency is not None and (not isinstance(latency, int) or latency < 0):
                    raise ValueError("latency_ms must be a whole number ≥ 0")
            except ValueError as error:  # JSONDecodeError is a ValueError too
                return _json(start_response, "400 Bad Request", {"error": str(error)})
            if payload.get("replace"):
                self.plan.clear()
            for rule in rules:
                self.plan.add(rule)
            if latency is not None:
                self.latency_ms = latency
        elif method != "GET":
            return _json(
                start_response, "405 Method Not Allowed", {"error": "use GET, POST or DELETE"}
            )
        return _json(
            start_response, "200 OK", {"rules": self.plan.snapshot(), "latency_ms": self.latency_ms}
        )


def _limit_headers(rule: FaultRule) -> list[tuple[str, str]]:
    """Cloud's ``X-RateLimit-*`` headers as the rule asks for them (see ``faults``)."""
    headers: list[tuple[str, str]] = []
    if rule.reset_in is not None:
        moment = time.gmtime(time.time() + rule.reset_in)
        headers.append(("X-RateLimit-Reset", time.strftime("%Y-%m-%dT%H:%MZ", moment)))
    if rule.near_limit:
        headers.append(("X-RateLimit-NearLimit", "true"))
    return headers


def _with_headers(start_response: StartResponse, extra: list[tuple[str, str]]) -> StartResponse:
    def start(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> object:
        return start_response(status, [*headers, *extra], exc_info)  # type: ignore[arg-type]

    return start  # type: ignore[return-value]


def _respond(
    start_response: StartResponse,
    status: str,
    body: bytes,
    *,
    content_type: str = "application/json;charset=UTF-8",
    headers: Sequence[tuple[str, str]] = (),
) -> Iterator[bytes]:
    start_response(
        status, [("Content-Type", content_type), ("Content-Length", str(len(body))), *headers]
    )
    return iter((body,))


def _json(start_response: StartResponse, status: str, payload: object) -> Iterator[bytes]:
    return _respond(start_response, status, json.dumps(payload).encode())


__all__ = ["FaultMiddleware", "reset_connection"]
