"""Browser sessions of the local wiki: a random session id per login, kept on the server.

A member logs in once in the viewer and the browser sends the session cookie with every later
request, the viewer's pages and the REST calls its editor makes alike, as Confluence's own UI
does with ``JSESSIONID`` (Data Center's Tomcat session; the REST API accepts it: "you can
authenticate with session cookies when requesting Confluence REST API", Atlassian Community,
"Confluence REST API: Is there anyway to authenticate by JSESSIONID", accepted answer).

Sessions live in memory, as Tomcat keeps them by default: a restart logs everyone out and
nothing of a session reaches the database. Only a hash of each id is kept, so the table
holds nothing a caller could present. A session ends after ``IDLE_SECONDS`` without use
(Confluence's ``web.xml`` ``session-timeout`` of 60 minutes), on logout, and when its user's
password changes or the user is deleted.

Imports: the standard library only (``store.people`` holds one table per store).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

SESSION_COOKIE: Final = "JSESSIONID"
IDLE_SECONDS: Final = 60 * 60
MAX_SESSIONS: Final = 10_000  # bounded: a flood of logins must not grow memory for ever


@dataclass
class _Session:
    user_id: int
    last_used: float


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionTable:
    """Session id → user id, with an idle timeout; safe to use from request threads."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, _Session] = {}

    def open(self, user_id: int) -> str:
        """A fresh session for the user; the id is returned once and never stored."""
        session_id = secrets.token_urlsafe(32)
        now = self._clock()
        with self._lock:
            if len(self._sessions) >= MAX_SESSIONS:
                self._forget_idle(now)
            if len(self._sessions) >= MAX_SESSIONS:
                oldest = min(self._sessions, key=lambda key: self._sessions[key].last_used)
                del self._sessions[oldest]
            self._sessions[_digest(session_id)] = _Session(user_id, now)
        return session_id

    def user_id(self, session_id: str) -> int | None:
        """The user of a live session (and the session's idle time starts again), or None."""
        if not session_id:
            return None
        key = _digest(session_id)
        now = self._clock()
        with self._lock:
            session = self._sessions.get(key)
            if session is None:
                return None
            if now - session.last_used > IDLE_SECONDS:
                del self._sessions[key]
                return None
            session.last_used = now
            return session.user_id

    def close(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(_digest(session_id), None)

    def close_all_of(self, user_id: int) -> None:
        """End every session of a user (a new password, a deleted account)."""
        with self._lock:
            for key in [k for k, s in self._sessions.items() if s.user_id == user_id]:
                del self._sessions[key]

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, s in self._sessions.items() if now - s.last_used > IDLE_SECONDS]:
            del self._sessions[key]


__all__ = ["IDLE_SECONDS", "SESSION_COOKIE", "SessionTable"]
