"""Whether a run lock found on the hub still counts: held and unexpired, its holder's process
gone (this host only), or not renewed within the time its holder promised.

A held lock says when it was last written (``renewed``) and within how many seconds its holder
writes it again (``renew_within``): the renewal interval plus the longest a live run waits for
a rate limit (``--max-wait``) plus a margin for clocks. A lock not renewed in that time
belongs to a run that no longer writes: killed on another host, or stopped past ``--max-wait``.
Such a run cannot release its lock: every request after the stop, the release included, meets
the same limit (Atlassian: a request reissued "before the retry period expires … will fail and
return the same or longer Retry-After period", developer.atlassian.com/cloud/confluence/
rate-limiting/), so the lock stays, and the next run takes it over without waiting for its
expiry (two hours), saying whose it was. Should the holder still be alive after all (a wait
longer than promised), its next write of the index finds another run's lock and stops with
``LockLostError`` (``lock``): a takeover never leads to two runs writing one index.

Imports: nothing of the project (``lock`` builds on this).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Mapping
from typing import Any, Final

# Clocks of two hosts may differ a little; a promise is never judged to the second.
CLOCK_MARGIN: Final = dt.timedelta(minutes=2)


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _when(value: object) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def renew_within(every: dt.timedelta, max_wait: float) -> int:
    """The seconds a live holder may go without writing its lock: one renewal interval, one
    rate-limit wait up to ``max_wait``, and the clocks' margin."""
    return int((every + dt.timedelta(seconds=max_wait) + CLOCK_MARGIN).total_seconds())


def held_lock(lock: Mapping[str, Any] | None) -> bool:
    """A lock with a holder that was not released (expired or not)."""
    return bool(lock and lock.get("holder") and not lock.get("released"))


def active_lock(lock: Mapping[str, Any] | None, now: dt.datetime) -> dict[str, Any] | None:
    """``lock`` if it is held and not expired."""
    if lock is None or not held_lock(lock):
        return None
    expires = _when(lock.get("expires"))
    return dict(lock) if expires is not None and expires > now else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, run by another user
    except OSError:
        return True  # cannot tell: assume it runs
    return True


def dead_holder(lock: dict[str, Any]) -> bool:
    """The lock was taken on this host by a process that no longer runs (a killed sync).
    A lock of another host cannot be checked from here: its promise or its expiry ends it."""
    pid = lock.get("pid")
    if lock.get("host") != socket.gethostname() or not isinstance(pid, int) or pid <= 0:
        return False
    return pid != os.getpid() and not _alive(pid)


def promise_ends(lock: Mapping[str, Any]) -> str:
    """The instant (UTC, ISO 8601) after which an unrenewed ``lock`` may be taken over; "" for
    a lock without a promise."""
    renewed = _when(lock.get("renewed"))
    within = lock.get("renew_within")
    if renewed is None or not isinstance(within, int) or isinstance(within, bool):
        return ""
    return stamp(renewed + dt.timedelta(seconds=within))


def silent_since(lock: dict[str, Any], now: dt.datetime) -> dt.datetime | None:
    """When the holder last wrote ``lock``, if it promised to write again by now and did not;
    None while the promise stands (or for a lock that made none: an older sync's)."""
    renewed = _when(lock.get("renewed"))
    within = lock.get("renew_within")
    if renewed is None or not isinstance(within, int) or isinstance(within, bool):
        return None
    return renewed if now > renewed + dt.timedelta(seconds=within) else None


def takeover_note(lock: dict[str, Any], now: dt.datetime) -> str:
    """Why this run may take ``lock`` over (a note for the report), or "" if it may not."""
    holder, started = lock.get("holder"), lock.get("started")
    if dead_holder(lock):
        return (
            f"took over the lock of {holder} since {started}: "
            f"its process {lock.get('pid')} no longer runs on this host"
        )
    silent = silent_since(lock, now)
    if silent is not None:
        minutes = -(-int(lock["renew_within"]) // 60)
        return (
            f"took over the lock of {holder} since {started}: not renewed since "
            f"{stamp(silent)}, though a running sync renews it within {minutes} min "
            "(that run stopped: past --max-wait for a rate limit, or killed)"
        )
    return ""
