"""The fault and journal middleware around the smallest WSGI app that records what reaches
it, served on 127.0.0.1:0: the middleware is tested apart from the wiki it wraps (for the
middleware inside the real ``LocalWiki``, see test_with_localwiki.py). Not a fake of the
wiki: it keeps a counter of writes so a test can tell whether a request really reached the
application (commit-then-fail) or was stopped in front of it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from confluence_sync.localwiki.testing.fault_middleware import FaultMiddleware
from confluence_sync.localwiki.testing.faults import FaultPlan
from confluence_sync.localwiki.testing.journal import JournalMiddleware


@dataclass
class RecordingApp:
    """Pages by id; PUT /rest/api/content/<id> stores the body and bumps a write counter."""

    pages: dict[str, dict[str, Any]] = field(default_factory=dict)
    writes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ: Any, start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        page_id = request.path.rstrip("/").rsplit("/", 1)[-1]
        if request.method in ("PUT", "POST"):
            with self.lock:
                self.writes += 1
                self.pages[page_id] = json.loads(request.get_data() or b"{}")
            response = Response(json.dumps({"id": page_id}), 200, mimetype="application/json")
        elif page_id in self.pages:
            response = Response(json.dumps(self.pages[page_id]), mimetype="application/json")
        else:
            response = Response(json.dumps({"ok": True}), mimetype="application/json")
        return response(environ, start_response)


@dataclass
class Served:
    url: str
    wiki: RecordingApp
    plan: FaultPlan
    faults: FaultMiddleware
    journal: JournalMiddleware
    server: BaseWSGIServer


@pytest.fixture
def served(tmp_path: Any) -> Iterator[Served]:
    wiki = RecordingApp()
    plan = FaultPlan()
    faults = FaultMiddleware(wiki, plan)
    journal = JournalMiddleware(faults, tmp_path / "journal.jsonl")
    server = make_server("127.0.0.1", 0, journal, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_port}", wiki, plan, faults, journal, server)
    finally:
        server.shutdown()
        server.server_close()
        journal.close()
