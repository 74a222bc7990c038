"""Serialised answers to single-page GETs, reused until the store is written again.

Reading one page is what clients do most (a sync reads every page it may update, a viewer
polls), and the answer depends only on the database, the request line and the credentials.
Confluence caches rendered content too. A cached answer is the exact bytes and headers the
REST core produced, so a hit is indistinguishable from a miss.

Keyed by everything a page answer can depend on: the path (mount, API, page id), the query
(``expand``, ``status``, ``version``), the host and scheme (``_links.base``, ``self``) and the
``Authorization`` header (who asks decides between 200 and 404). A request with a cookie is
never cached: a session may end (logout, timeout) without any write to the store.
The credentials themselves are checked again only on a miss: a cached entry exists only for
a header that succeeded against the same store generation, and any write — to users, tokens,
groups, permissions, spaces or pages — moves the generation on, so no entry outlives a
change; so does another process's commit to the same database file, which the store notices
at the start of each request (``StoreBase.notice_other_writers``). Only 200 answers are
kept; errors, HEAD and requests with a body take the full path.

Imports: nothing of the local wiki (``app.WikiApp`` consults it with the store's generation).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

MAX_ENTRIES = 4096  # a full cache is emptied, not trimmed: cheap, and refills on demand
MAX_BYTES = 64 * 1024 * 1024  # bodies held at most; a larger single body is not kept at all
# What a page answer can depend on besides the store; also the cache key's fields.
KEY_FIELDS = (
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "wsgi.url_scheme",
    "SCRIPT_NAME",
    "HTTP_AUTHORIZATION",
)
Headers = list[tuple[str, str]]


def page_path_pattern(mounts: Sequence[tuple[str, str]]) -> re.Pattern[str]:
    """Paths of single-page reads below the v1 (``/content/<id>``) and v2 (``/pages/<id>``)
    mount points; anything else (children, labels, trailing slashes) is not cached."""
    tails = {"v1": r"/content/\d+", "v2": r"/pages/\d+"}
    options = [re.escape(prefix) + tails[api] for prefix, api in mounts if api in tails]
    return re.compile("(?:" + "|".join(options) + ")\\Z" if options else "(?!)")


class PageResponseCache:
    """Bytes and headers of 200 answers, tagged with the store's write generation."""

    def __init__(
        self, pattern: re.Pattern[str], max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES
    ) -> None:
        self._pattern = pattern
        self._max = max_entries
        self._max_bytes = max_bytes
        self._bytes = 0  # approximate under races; only decides when to start over
        # Plain dict reads and writes are atomic under the GIL; the worst a race does is
        # store an entry twice or drop one, both harmless.
        self._entries: dict[tuple[Any, ...], tuple[int, str, Headers, bytes]] = {}
        self.hits = 0
        self.misses = 0

    def key(self, environ: dict[str, Any]) -> tuple[Any, ...] | None:
        """The cache key of a cacheable request, or None for one that must not be cached."""
        if environ.get("REQUEST_METHOD") != "GET":
            return None
        # A GET with a body is unusual enough to take the full path (length and drain rules).
        if environ.get("CONTENT_LENGTH") not in (None, "", "0"):
            return None
        if "HTTP_TRANSFER_ENCODING" in environ or "HTTP_COOKIE" in environ:
            return None
        if self._pattern.match(environ.get("PATH_INFO", "")) is None:
            return None
        return tuple(environ.get(name) for name in KEY_FIELDS)

    def get(self, key: tuple[Any, ...], generation: int) -> tuple[str, Headers, bytes] | None:
        """The stored answer if it was computed at ``generation`` (the current one)."""
        entry = self._entries.get(key)
        if entry is None or entry[0] != generation:
            self.misses += 1
            return None
        self.hits += 1
        return entry[1], entry[2], entry[3]

    def put(
        self, key: tuple[Any, ...], generation: int, status: str, headers: Headers, body: bytes
    ) -> None:
        """Keep an answer computed from a store read at ``generation``."""
        if len(body) > self._max_bytes // 16:
            return  # a huge page would push everything else out
        if len(self._entries) >= self._max or self._bytes + len(body) > self._max_bytes:
            self.clear()
        self._bytes += len(body)
        self._entries[key] = (generation, status, headers, body)

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0
