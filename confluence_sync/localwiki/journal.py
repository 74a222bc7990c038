"""The request journal under its old path, kept for code written against the flat layout
(``from confluence_sync.localwiki.journal import read_journal``). It lives in
``testing/journal.py``; new code imports it from there.

Imports: ``testing.journal`` only.
"""

from confluence_sync.localwiki.testing.journal import (
    JournalMiddleware,
    RequestCounts,
    count_requests,
    read_journal,
)

__all__ = ["JournalMiddleware", "RequestCounts", "count_requests", "read_journal"]
