"""Fault injection for the local wiki: a WSGI middleware that makes it misbehave on purpose.

A sync must survive what real Confluence sites and their proxies do: rate limits, overloaded
nodes, HTML error pages from a gateway, dropped connections, slow answers, writes that land
although the client saw an error, and concurrent edits. Each of those is one *fault rule*,
written as a short spec string (on the command line, in tests, or through the admin endpoint).

Spec grammar::

    spec    := kind ( ":" option )*
    option  := name "=" value

    kinds   429           rate limited; Retry-After 1 s unless told otherwise
            503           service unavailable; no Retry-After unless told
            502           a proxy's HTML "Bad Gateway" page (not JSON)
            reset         the TCP connection is reset (RST) before the wiki sees the request
            delay         only wait (use ``ms=``), then answer normally
            commit-500    the wiki handles the request (a write commits), the client gets a 500
            commit-reset  the wiki handles the request, then the connection is reset
            409           version conflict on the next page update (defaults: method=PUT,
                          path = a page (``…/content/<id>`` or ``…/pages/<id>``), count=1)

    options path=GLOB[,GLOB…]    shell glob on the request path (``*`` also spans ``/``);
                                 the path includes any context path, e.g. ``/wiki/api/v2/pages*``
            method=M[,M…]        HTTP methods, case-insensitive
            after=N              let the first N matching requests through
            count=N              fire at most N times (after ``after``); default: no limit
            p=F                  fire with probability F (0..1) per eligible request …
            seed=N               … drawn from the rule's own generator seeded with N (default
                                 0), so the same sequence of requests meets the same faults
            retry-after=N|none   Retry-After in seconds (429, 503); ``0`` is sent as ``0``
            retry-format=seconds|date   send Retry-After as seconds or as an HTTP date
            delay=MS (or ms=MS)  extra latency in milliseconds before this rule's answer

Example: ``429:retry-after=2:path=/rest/api/content*:method=POST:count=3``.

Rules are tried in order; the first that fires decides the request. The admin endpoint
``/__localwiki/faults`` (GET lists, POST ``{"specs": [...], "replace": false,
"latency_ms": N}`` adds, DELETE clears) is never subject to faults, nor is
``/__localwiki/ping``, a bare JSON route that measures the web stack without the wiki.
"""

from __future__ import annotations

import contextlib
import email.utils
import fnmatch
import json
import os
import random
import re
import socket
import struct
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only for annotations; the middleware talks plain WSGI
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

KINDS = ("429", "503", "502", "reset", "delay", "commit-500", "commit-reset", "409")
ADMIN_PREFIX = "/__localwiki/"
# Set in the WSGI environ when a fault decided the request, so the journal can record it.
ENVIRON_FAULT_KEY = "localwiki.fault"
# An optional callable in the environ, called just before a connection is reset.
ENVIRON_BEFORE_RESET = "localwiki.before_reset"

_PAGE_UPDATE = re.compile(r"/(?:content|pages)/\d+/?$")
_OPTION_NAMES = {
    "path",
    "method",
    "after",
    "count",
    "p",
    "seed",
    "retry-after",
    "retry-format",
    "delay",
    "ms",
}


@dataclass
class FaultRule:
    """One parsed fault spec plus its counters (guarded by the owning plan's lock)."""

    kind: str
    spec: str
    paths: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    after: int = 0
    count: int | None = None
    probability: float | None = None
    seed: int = 0
    retry_after: int | None = None
    retry_format: str = "seconds"
    delay_ms: int = 0
    matched: int = field(default=0, compare=False)
    fired: int = field(default=0, compare=False)
    _rng: random.Random = field(default_factory=random.Random, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def matches(self, method: str, path: str) -> bool:
        """True if the request is one this rule is about (counters aside)."""
        if self.methods and method.upper() not in self.methods:
            return False
        if self.paths:
            return any(fnmatch.fnmatchcase(path, glob) for glob in self.paths)
        if self.kind == "409":
            return _PAGE_UPDATE.search(path) is not None
        return True

    def _should_fire(self) -> bool:
        # Called only for matching requests, under the plan's lock.
        self.matched += 1
        if self.matched <= self.after:
            return False
        if self.count is not None and self.fired >= self.count:
            return False
        if self.probability is not None and self._rng.random() >= self.probability:
            return False
        self.fired += 1
        return True

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for the admin endpoint."""
        return {
            "spec": self.spec,
            "kind": self.kind,
            "paths": list(self.paths),
            "methods": list(self.methods),
            "after": self.after,
            "count": self.count,
            "p": self.probability,
            "seed": self.seed,
            "retry_after": self.retry_after,
            "retry_format": self.retry_format,
            "delay_ms": self.delay_ms,
            "matched": self.matched,
            "fired": self.fired,
        }


def _int_option(name: str, value: str, spec: str, *, minimum: int = 0) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"fault spec {spec!r}: {name}={value!r} is not a whole number") from None
    if number < minimum:
        raise ValueError(f"fault spec {spec!r}: {name} must be ≥ {minimum}, got {number}")
    return number


def parse_fault_spec(spec: str) -> FaultRule:
    """Parse ``kind[:name=value…]`` into a rule; ``ValueError`` says what is wrong and where."""
    parts = [part.strip() for part in spec.strip().split(":")]
    kind = parts[0].lower()
    if kind not in KINDS:
        raise ValueError(
            f"fault spec {spec!r}: unknown kind {parts[0]!r}; expected one of {', '.join(KINDS)}"
        )
    rule = FaultRule(kind=kind, spec=spec.strip())
    if kind == "429":
        rule.retry_after = 1
    if kind == "409":
        rule.methods, rule.count = ("PUT",), 1
    for part in parts[1:]:
        name, sep, value = part.partition("=")
        name = name.strip().lower()
        value = value.strip()
        if not sep or not name:
            raise ValueError(f"fault spec {spec!r}: option {part!r} is not name=value")
        if name not in _OPTION_NAMES:
            raise ValueError(
                f"fault spec {spec!r}: unknown option {name!r}; "
                f"expected one of {', '.join(sorted(_OPTION_NAMES))}"
            )
        if name == "path":
            rule.paths = tuple(glob for glob in value.split(",") if glob)
            if not rule.paths or any(not glob.startswith(("/", "*")) for glob in rule.paths):
                raise ValueError(f"fault spec {spec!r}: path globs must start with / or *")
        elif name == "method":
            rule.methods = tuple(m.strip().upper() for m in value.split(",") if m.strip())
            if not rule.methods or not all(m.isalpha() for m in rule.methods):
                raise ValueError(f"fault spec {spec!r}: method={value!r} is not a method list")
        elif name == "after":
            rule.after = _int_option(name, value, spec)
        elif name == "count":
            rule.count = _int_option(name, value, spec, minimum=1)
        elif name == "seed":
            rule.seed = _int_option(name, value, spec)
        elif name in ("delay", "ms"):
            rule.delay_ms = _int_option(name, value, spec)
        elif name == "p":
            try:
                rule.probability = float(value)
            except ValueError:
                raise ValueError(f"fault spec {spec!r}: p={value!r} is not a number") from None
            if not 0.0 <= rule.probability <= 1.0:
                raise ValueError(f"fault spec {spec!r}: p must be between 0 and 1")
        elif name == "retry-after":
            rule.retry_after = None if value.lower() == "none" else _int_option(name, value, spec)
        elif name == "retry-format":
            if value not in ("seconds", "date"):
                raise ValueError(f"fault spec {spec!r}: retry-format must be seconds or date")
            rule.retry_format = value
    if kind == "delay" and rule.delay_ms == 0:
        raise ValueError(f"fault spec {spec!r}: delay needs ms=MILLISECONDS")
    rule.__post_init__()  # reseed after options were applied
    return rule


class FaultPlan:
    """The ordered, thread-safe list of fault rules a running wiki applies."""

    def __init__(self, rules: Iterable[FaultRule] = ()) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = list(rules)

    @classmethod
    def from_specs(cls, specs: Iterable[str]) -> FaultPlan:
        """Build a plan from spec strings; the first bad spec raises ``ValueError``."""
        return cls(parse_fault_spec(spec) for spec in specs)

    def add(self, rule: FaultRule | str) -> FaultRule:
        """Append a rule (or a spec string) and return it."""
        parsed = parse_fault_spec(rule) if isinstance(rule, str) else rule
        with self._lock:
            self._rules.append(parsed)
        return parsed

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules.clear()

    def rules(self) -> list[FaultRule]:
        """A snapshot of the rules, in the order they are tried."""
        with self._lock:
            return list(self._rules)

    def snapshot(self) -> list[dict[str, Any]]:
        """The rules with their counters, JSON-ready, read consistently."""
        with self._lock:
            return [rule.as_dict() for rule in self._rules]

    def pick(self, method: str, path: str) -> FaultRule | None:
        """The rule that fires for this request, if any; advances the counters."""
        if not self._rules:  # the usual case: no lock, no matching (a list's length is atomic)
            return None
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path) and rule._should_fire():
                    return rule
        return None


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
    """An error body in the shape of the API the path belongs to (v2 ``errors[]`` or RestError)."""
    reasons = {
        409: "Conflict",
        429: "Too Many Requests",
        500: "Internal Server Error",
        503: "Service Unavailable",
    }
    if "/api/v2/" in path:
        codes = {
            409: "CONFLICT",
            429: "TOO_MANY_REQUESTS",
            500: "INTERNAL_SERVER_ERROR",
            503: "SERVICE_UNAVAILABLE",
        }
        body: dict[str, Any] = {
            "errors": [
                {
                    "status": status,
                    "code": codes.get(status, "ERROR"),
                    "title": message,
                    "detail": None,
                }
            ]
        }
    else:
        body = {
            "statusCode": status,
            "data": {
                "authorized": True,
                "valid": True,
                "allowedInReadOnlyMode": True,
                "errors": [],
                "successful": False,
            },
            "message": message,
            "reason": reasons.get(status, "Error"),
        }
    return json.dumps(body).encode()


_BAD_GATEWAY_HTML = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n"
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
        status = 429 if kind == "429" else 503
        headers: list[tuple[str, str]] = []
        if rule.retry_after is not None:
            if rule.retry_format == "date":
                value = email.utils.formatdate(time.time() + rule.retry_after, usegmt=True)
            else:
                value = str(rule.retry_after)
            headers.append(("Retry-After", value))
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


__all__ = [
    "ENVIRON_BEFORE_RESET",
    "ENVIRON_FAULT_KEY",
    "KINDS",
    "FaultMiddleware",
    "FaultPlan",
    "FaultRule",
    "parse_fault_spec",
    "reset_connection",
]
