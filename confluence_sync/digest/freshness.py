"""When a published digest is stale: the one rule the sync's planner and the digest page's
write both ask, so a sync that changes nothing reads nothing more for the digest.

A digest shows the config (``DigestSource.token``) and the meeting pages of the group spaces;
a page can change what it shows only with a new version (a member's save, the sync's own
write). So the :func:`fingerprint` of a digest is the hash of the config's part, ``--since``,
and every meeting page it was read from with its version: the planner computes it from the
page listing every sync makes anyway and compares it with the one recorded at the last
refresh. The digest also changes by itself as days pass: an upcoming meeting is held from its
day on, an open task is overdue the day after it was due — :func:`stale_on` is the first
such day.

Imports: digest (model).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from confluence_sync.digest.model import Digest

# One meeting page as read: (space key, identity, page id, version).
Entry = tuple[str, str, str, int]


def fingerprint(token: str, since: str, entries: Iterable[Entry]) -> str:
    """``sha256:…`` of what a digest was (or would be) read from."""
    lines = [token, since, *(f"{s}\t{i}\t{p}\t{v}" for s, i, p, v in sorted(entries))]
    return "sha256:" + hashlib.sha256("\n".join(lines).encode()).hexdigest()


def stale_on(digest: Digest) -> dt.date | None:
    """The first day after ``digest.day`` on which the same pages give another digest: an
    upcoming meeting's day, or the day after an open task's due date (None: never)."""
    days: list[dt.date] = []
    for group in digest.groups:
        for meeting in group.meetings:
            if not meeting.held:
                days.append(meeting.day)
            days += [
                t.due + dt.timedelta(days=1)
                for t in meeting.recorded.tasks
                if not t.done and t.due is not None and t.due >= digest.day
            ]
    later = [d for d in days if d > digest.day]
    return min(later) if later else None
