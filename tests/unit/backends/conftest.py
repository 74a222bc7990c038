"""A tiny scripted HTTP server on 127.0.0.1:0 for the backend unit tests.

A test installs ``wiki.route(method, path, responder)``; a responder gets the werkzeug
request and returns ``(status, body, headers)``. A request nobody expected answers 599 and
is recorded in ``wiki.unexpected``, which the fixture asserts is empty at teardown.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from confluence_sync.backends.retry import RetryPolicy

Reply = tuple[int, Any, dict[str, str]]
Responder = Callable[[Request], Reply]


@dataclass
class Seen:
    method: str
    path: str
    args: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class ScriptedServer:
    """Answers a test wrote down, in order, and every request it saw: for pinning the exact
    requests an adapter sends and how it reads odd answers. Not a fake of the wiki (it keeps
    no state); the engine's one fake is tests/unit/engine/fake.py."""

    url: str = ""
    routes: dict[tuple[str, str], Responder] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def route(self, method: str, path: str, responder: Responder | Reply) -> None:
        if isinstance(responder, tuple):
            fixed = responder
            self.routes[(method, path)] = lambda _request: fixed
        else:
            self.routes[(method, path)] = responder

    def sequence(self, method: str, path: str, replies: list[Reply]) -> None:
        """Answer with each reply in turn, repeating the last one."""
        queue = list(replies)

        def next_reply(_request: Request) -> Reply:
            with self.lock:
                return queue.pop(0) if len(queue) > 1 else queue[0]

        self.routes[(method, path)] = next_reply

    def calls(self, method: str | None = None, path: str | None = None) -> list[Seen]:
        return [
            s
            for s in self.seen
            if (method is None or s.method == method) and (path is None or s.path == path)
        ]

    def __call__(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        raw = request.get_data(as_text=True)
        body = json.loads(raw) if raw else None
        with self.lock:
            self.seen.append(
                Seen(
                    request.method,
                    request.path,
                    {k: request.args.getlist(k) for k in request.args},
                    dict(request.headers),
                    body,
                )
            )
        responder = self.routes.get((request.method, request.path))
        if responder is None:
            self.unexpected.append(f"{request.method} {request.path}")
            return Response("unexpected", status=599)(environ, start_response)
        status, payload, headers = responder(request)
        text = payload if isinstance(payload, str) else json.dumps(payload)
        mimetype = "text/html" if isinstance(payload, str) else "application/json"
        response = Response(text if status != 204 else "", status=status, headers=headers)
        response.mimetype = mimetype
        return response(environ, start_response)


@pytest.fixture
def wiki() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer()
    server = make_server("127.0.0.1", 0, scripted, threaded=True)
    scripted.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield scripted
    finally:
        server.shutdown()
        thread.join(5)
    assert not scripted.unexpected, f"requests nobody expected: {scripted.unexpected}"


class FakeTime:
    """A clock whose sleep advances it; records every sleep. Thread-safe."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def policy(fake_time: FakeTime) -> RetryPolicy:
    return RetryPolicy(
        floor=1.0,
        cap=30.0,
        max_attempts=5,
        max_total=120.0,
        backoff_base=0.5,
        clock=fake_time.clock,
        sleep=fake_time.sleep,
        jitter=lambda: 1.0,
    )
