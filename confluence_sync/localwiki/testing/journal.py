"""The local wiki's request journal: one JSON line per request that reached the server.

Tests and benchmarks count what a sync really sent ("a write is any request that is not GET,
HEAD or OPTIONS"), and compare it with the sync's own report. Each entry holds ``time`` (UTC,
ISO 8601), ``method``, ``path``, ``query``, ``status`` (0 when the connection was dropped),
``duration_ms``, ``fault`` (whether a fault was injected), ``fault_kind`` and ``notifies``:
whether the write sends the page's watchers a notification — a page created, or updated
other than as a minor edit (DC ``version.minorEdit``; Cloud v2 has no such flag, so every v2
update notifies). A move, a label or a property notifies nobody.

The journal sits outside the fault middleware so it sees injected faults too. Its own admin
route, ``/__localwiki/journal`` (GET: entries and counts; DELETE: clear), and every other
``/__localwiki/`` route are not recorded.

Imports: ``web.environ`` only (what the inner layers leave in the environ).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from confluence_sync.localwiki.web.environ import (
    ADMIN_PREFIX,
    ENVIRON_BEFORE_RESET,
    ENVIRON_FAULT_KEY,
    ENVIRON_NOTIFIES,
)

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class RequestCounts:
    """How many requests a journal holds, split the ways tests and benchmarks ask."""

    total: int = 0
    reads: int = 0
    writes: int = 0
    faults: int = 0
    by_method: dict[str, int] = field(default_factory=dict)
    notifies: int = 0  # writes that sent watchers a notification

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "total": self.total,
            "reads": self.reads,
            "writes": self.writes,
            "faults": self.faults,
            "by_method": dict(self.by_method),
            "notifies": self.notifies,
        }


def count_requests(entries: Iterable[dict[str, Any]]) -> RequestCounts:
    """Count journal entries: total, reads, writes (not GET/HEAD/OPTIONS), faults, per method."""
    by_method: Counter[str] = Counter()
    faults = notifies = 0
    for entry in entries:
        by_method[str(entry["method"]).upper()] += 1
        faults += bool(entry.get("fault"))
        notifies += bool(entry.get("notifies"))
    reads = sum(n for method, n in by_method.items() if method in READ_METHODS)
    total = sum(by_method.values())
    return RequestCounts(
        total, reads, total - reads, faults, dict(sorted(by_method.items())), notifies
    )


def read_journal(path: str | Path) -> list[dict[str, Any]]:
    """Read a journal file written by :class:`JournalMiddleware` (blank lines are skipped)."""
    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class _Recorded:
    """Response iterable that records the entry just before the body's last chunk goes out."""

    def __init__(self, inner: Iterable[bytes], finish: Any) -> None:
        self._inner = inner
        self._finish = finish
        self._done = False

    def __iter__(self) -> Iterator[bytes]:
        # Hold the last chunk back and record before sending it: a client that has read the
        # whole answer must find the entry already there when it asks the journal next.
        held: bytes | None = None
        for chunk in self._inner:
            if held is not None:
                yield held
            held = chunk
        self._record_once()
        if held is not None:
            yield held

    def _record_once(self) -> None:
        if not self._done:
            self._done = True
            self._finish()

    def close(self) -> None:
        # The server calls close() after sending, also when the client went away mid-body.
        try:
            close = getattr(self._inner, "close", None)
            if close is not None:
                close()
        finally:
            self._record_once()


_SECOND: tuple[int, str] = (-1, "")  # (epoch second, its ISO text): one strftime a second


def _stamp() -> str:
    """Now as ``2026-01-02T03:04:05.678Z`` (UTC, milliseconds)."""
    global _SECOND
    now = time.time()
    second = int(now)
    cached = _SECOND  # one tuple, read and replaced atomically: threads never see a mix
    if cached[0] != second:
        cached = _SECOND = (second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)))
    return f"{cached[1]}.{int((now - second) * 1000):03d}Z"


class JournalMiddleware:
    """Wrap a WSGI app and journal every request to memory and, if ``path`` is set, a file."""

    def __init__(self, app: WSGIApplication, path: str | Path | None = None) -> None:
        self.app = app
        self.path = Path(path) if path is not None else None
        self._lock = threading.Lock()
        self._entries: list[dict[str, Any]] = []
        self._file = self.path.open("a", encoding="utf-8") if self.path is not None else None

    def entries(self) -> list[dict[str, Any]]:
        """A copy of the entries so far, oldest first."""
        with self._lock:
            return list(self._entries)

    def counts(self) -> RequestCounts:
        """:func:`count_requests` over the current entries."""
        return count_requests(self.entries())

    def clear(self) -> None:
        """Forget every entry; the file is emptied too, so memory and file stay equal."""
        with self._lock:
            self._entries.clear()
            if self._file is not None:
                self._file.seek(0)
                self._file.truncate()

    def close(self) -> None:
        """Close the journal file (entries in memory stay readable)."""
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def record(self, entry: dict[str, Any]) -> None:
        """Append one entry (used by the middleware; public for servers that journal by hand)."""
        # Serialised only for a file: the in-memory journal keeps the dict as it is.
        line = json.dumps(entry, ensure_ascii=False) if self._file is not None else ""
        with self._lock:
            self._entries.append(entry)
            if self._file is not None:
                self._file.write(line + "\n")
                self._file.flush()  # readers (tests, other processes) see it at once

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        if ADMIN_PREFIX in path:
            if path.endswith("/__localwiki/journal"):
                return self._admin(environ, start_response)
            return self.app(environ, start_response)

        started = time.perf_counter()
        stamp = _stamp()
        status_seen = [0]

        def recording_start_response(
            status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None
        ) -> Any:
            status_seen[0] = int(status.split(None, 1)[0])
            return start_response(status, headers, exc_info)

        done = [False]

        def finish() -> None:
            if done[0]:
                return
            done[0] = True
            fault = environ.get(ENVIRON_FAULT_KEY)
            self.record(
                {
                    "time": stamp,
                    "method": environ.get("REQUEST_METHOD", "GET").upper(),
                    "path": path,
                    "query": environ.get("QUERY_STRING", ""),
                    "status": status_seen[0],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 3),
                    "fault": fault is not None,
                    "fault_kind": fault,
                    "notifies": bool(environ.get(ENVIRON_NOTIFIES)),
                }
            )

        def before_reset() -> None:
            status_seen[0] = 0
            finish()

        environ[ENVIRON_BEFORE_RESET] = before_reset
        try:
            result = self.app(environ, recording_start_response)
        except BaseException:
            # A crash ends the request here; it still reached the server (a reset is recorded).
            status_seen[0] = 500
            finish()
            raise
        if isinstance(result, list) and status_seen[0]:
            # A finished answer (the REST core's, the page cache's): record it now and hand
            # the list on as it is, without a wrapping iterator per request.
            finish()
            return result
        return _Recorded(result, finish)

    def _admin(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if method == "DELETE":
            self.clear()
        elif method != "GET":
            body = json.dumps({"error": "use GET or DELETE"}).encode()
            start_response(
                "405 Method Not Allowed",
                [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
            )
            return [body]
        entries = self.entries()
        payload = {"entries": entries, "counts": count_requests(entries).as_dict()}
        body = json.dumps(payload, ensure_ascii=False).encode()
        start_response(
            "200 OK",
            [
                ("Content-Type", "application/json;charset=UTF-8"),
                ("Content-Length", str(len(body))),
            ],
        )
        return [body]


__all__ = [
    "JournalMiddleware",
    "RequestCounts",
    "count_requests",
    "read_journal",
]
