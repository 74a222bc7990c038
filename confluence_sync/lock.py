"""The run lock: one sync per network at a time.

The lock is a field of the hub's index property (a versioned space property), so taking it
costs one write and checking it costs nothing extra: observe reads that property anyway. It
holds who runs (user, host, process), since when, and until when it counts (expiry).

Acquire writes the property at *the version observe read*. If another sync wrote it since —
took the lock, or finished a run — the write gets 409 and this run stops before changing
anything: its plan may be stale. A lock past its expiry is stale (a crashed run) and is taken
over, and the report says so; so is a lock taken on this host by a process that no longer
runs (a killed sync), without waiting for expiry. Locks of other hosts need expiry or
``confluence-sync unlock``. Release writes the index once more, lock cleared, in ``finally``.
Runs with nothing to write never take the lock, so a no-op re-sync makes no writes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, Final

from confluence_sync.backends.base import WikiReader, WikiWriter
from confluence_sync.errors import EXIT_LOCKED, ConfluenceSyncError, WikiError
from confluence_sync.index import INDEX_KEY, SpaceIndex
from confluence_sync.observe import ObservedSpace

DEFAULT_TTL: Final = dt.timedelta(hours=2)


class LockedError(ConfluenceSyncError):
    """Another sync holds the network's lock."""

    exit_code = EXIT_LOCKED


def holder_name() -> str:
    """Who is running: user@host pid N (never a secret)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()} pid {os.getpid()}"


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def active_lock(index: SpaceIndex, now: dt.datetime) -> dict[str, Any] | None:
    """The lock in ``index`` if it is held and not expired."""
    lock = index.lock
    if not lock or not lock.get("holder") or lock.get("released"):
        return None
    try:
        expires = dt.datetime.fromisoformat(str(lock.get("expires")))
    except ValueError:
        return None
    return dict(lock) if expires > now else None


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
    A lock of another host cannot be checked from here: only expiry or ``unlock`` ends it."""
    pid = lock.get("pid")
    if lock.get("host") != socket.gethostname() or not isinstance(pid, int) or pid <= 0:
        return False
    return pid != os.getpid() and not _alive(pid)


def check(hub: ObservedSpace, now: dt.datetime) -> str:
    """Raise :class:`LockedError` if a live lock is held; return a note on a stale one."""
    held = active_lock(hub.index, now)
    if held is not None and dead_holder(held):
        return (
            f"took over the lock of {held.get('holder')} since {held.get('started')}: "
            f"its process {held.get('pid')} no longer runs on this host"
        )
    if held is not None:
        raise LockedError(
            f"another sync is running since {held.get('started')} ({held.get('holder')}); "
            f"its lock expires at {held.get('expires')}",
            hint="wait for it to finish, then run again; if that run was killed, "
            "`confluence-sync unlock FILE` removes its lock",
        )
    stale = hub.index.lock
    if stale and stale.get("holder") and not stale.get("released"):
        return f"took over a stale lock of {stale.get('holder')} since {stale.get('started')}"
    return ""


def acquire(
    reader: WikiReader,
    writer: WikiWriter,
    hub: ObservedSpace,
    *,
    now: dt.datetime,
    ttl: dt.timedelta = DEFAULT_TTL,
    holder: str | None = None,
    spaces: Iterable[str] = (),
) -> dict[str, Any]:
    """Take the lock at the version observe read; 409 (or a lost create race) → LockedError.

    ``spaces``: the network's other spaces this run wants. The same write records them in
    the hub index, so a space a killed run created is known as ours on the next run."""
    check(hub, now)
    lock = {
        "holder": holder or holder_name(),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "started": _stamp(now),
        "expires": _stamp(now + ttl),
    }
    recorded = tuple(sorted({*hub.index.spaces, *spaces} - {hub.key}))
    value = replace(hub.index, lock=lock, spaces=recorded).to_json()
    try:
        hub.index_prop = writer.set_space_property(
            hub.key, INDEX_KEY, value, current=hub.index_prop
        )
    except WikiError as error:
        if error.status not in (400, 409):
            # No answer or a 5xx: the write may have landed. It is ours if it holds our lock.
            current = reader.get_space_property(hub.key, INDEX_KEY)
            value_now = current.value if current is not None else None
            if isinstance(value_now, dict) and value_now.get("lock") == lock:
                hub.index_prop = current
                return lock
            raise
        raise LockedError(
            "another sync took the lock or changed the wiki after this run read it",
            hint="run again; nothing was changed by this run",
        ) from None
    return lock


def release(
    reader: WikiReader, write: Callable[[], None], hub: ObservedSpace, attempts: int = 5
) -> None:
    """Run ``write`` (the index with the lock released) until it lands: a lock left behind
    would stop every sync until it expires. After a failure the property is re-read, so a
    write that landed although we saw an error is not repeated."""
    for attempt in range(attempts):
        try:
            write()
            return
        except WikiError:
            if attempt == attempts - 1:
                raise
            with contextlib.suppress(WikiError):
                hub.index_prop = reader.get_space_property(hub.key, INDEX_KEY)


def released(lock: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """The lock field as release writes it (kept for the record, marked released)."""
    return {**lock, "released": _stamp(now)}


def break_lock(
    reader: WikiReader,
    writer: WikiWriter,
    hub_key: str,
    *,
    now: dt.datetime,
    holder: str | None = None,
) -> str:
    """Remove the lock a killed run left behind; say whose it was and since when.

    Only the ``lock`` field of the hub's index changes (every other byte of the value stays),
    written at the version just read: a sync that takes or releases the lock meanwhile makes
    this write fail with 409 instead of being overwritten.
    """
    prop = reader.get_space_property(hub_key, INDEX_KEY)
    value = prop.value if prop is not None else None
    lock = value.get("lock") if isinstance(value, dict) else None
    if prop is None or not isinstance(value, dict) or not isinstance(lock, dict):
        return f"no lock on {hub_key}: no sync has recorded one"
    if not lock.get("holder") or lock.get("released"):
        return (
            f"no lock held on {hub_key} (the last run, {lock.get('holder')}, "
            f"released it at {lock.get('released')})"
        )
    broken = {**lock, "released": _stamp(now), "broken_by": holder or holder_name()}
    try:
        writer.set_space_property(hub_key, INDEX_KEY, {**value, "lock": broken}, current=prop)
    except WikiError as error:
        if error.status != 409:
            raise
        raise LockedError(
            "the lock changed while it was being removed (a sync took or released it)",
            hint="run `confluence-sync unlock` again to see who holds it now",
        ) from None
    expired = not active_lock(SpaceIndex(lock=lock), now)
    state = "expired" if expired else f"valid until {lock.get('expires')}"
    return (
        f"removed the lock of {lock.get('holder')}, held since {lock.get('started')} ({state}); "
        "make sure that run is no longer running"
    )
