"""The run lock: one sync per network at a time.

The lock is a field of the head of the hub's index (a versioned space property; the index's
shards are other properties), so taking it costs one write and checking it costs nothing
extra: observe reads that property anyway. It
holds who runs (user, host, process), since when, and until when it counts (expiry).

Acquire writes the property at *the version observe read*. If another sync wrote it since —
took the lock, or finished a run — the write gets 409 and this run stops before changing
anything: its plan may be stale. A lock past its expiry is stale (a crashed run) and is taken
over, and the report says so; so is a lock taken on this host by a process that no longer
runs (a killed sync), without waiting for expiry, and a lock not renewed within the time it
promised (``lock_state``: a run killed on another host, or stopped past ``--max-wait``, which
cannot release it). Older locks without a promise need expiry or ``confluence-sync unlock``.
Release writes the index once more, lock cleared, in ``finally``. Runs with nothing to write
never take the lock, so a no-op re-sync makes no writes.

A held lock is renewed while the run applies (:class:`HeldLock`, between changes, every
five minutes), so a long run does not outlive its expiry and lose the lock to the next sync.
Should that still happen, every later write of an index that meets a 409 first checks that the
lock on the hub is still ours (holder, host, pid, started): if another run holds it, this run
stops with :class:`LockLostError` and leaves that run's lock alone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, Final

from confluence_sync.backends.contract import WikiReader, WikiWriter
from confluence_sync.backends.rate_gate import RateLimitStopError
from confluence_sync.backends.retry import DEFAULT_MAX_WAIT
from confluence_sync.errors import EXIT_LOCKED, ConflictError, ConfluenceSyncError, WikiError
from confluence_sync.state import ledger_store
from confluence_sync.state.ledger import INDEX_KEY, SpaceIndex
from confluence_sync.state.ledger_store import StoredIndex, patched_head, write_checked
from confluence_sync.state.observe import ObservedSpace
from confluence_sync.wiki.values import JSON, Property

from . import lock_state
from .lock_state import dead_holder, held_lock, renew_within, takeover_note
from .lock_state import stamp as _stamp

__all__ = ["active_lock", "dead_holder"]  # re-exported: callers read lock states from here

DEFAULT_TTL: Final = dt.timedelta(hours=2)
RENEW_EVERY: Final = dt.timedelta(minutes=5)


class LockedError(ConfluenceSyncError):
    """Another sync holds the network's lock."""

    exit_code = EXIT_LOCKED


class LockLostError(LockedError):
    """Our lock expired and another sync took it while this run was still writing."""


# What makes a lock one run's: a renewal changes only ``expires``, release adds ``released``.
_IDENTITY: Final = ("holder", "host", "pid", "started")


def is_ours(value: JSON | None, held: dict[str, Any]) -> bool:
    """Whether the hub index ``value`` still holds the lock ``held`` (released or not)."""
    lock = value.get("lock") if isinstance(value, dict) else None
    return isinstance(lock, dict) and all(lock.get(k) == held.get(k) for k in _IDENTITY)


def lost(held: dict[str, Any], value: JSON | None) -> LockLostError:
    lock = value.get("lock") if isinstance(value, dict) else None
    other = lock.get("holder") if isinstance(lock, dict) else None
    return LockLostError(
        f"this run's lock (since {held.get('started')}) expired and was taken by "
        f"{other or 'another sync'}; stopped without overwriting its lock",
        hint="the other run converges the wiki; run again after it has finished",
    )


def holder_name() -> str:
    """Who is running: user@host pid N (never a secret)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()} pid {os.getpid()}"


def active_lock(index: SpaceIndex, now: dt.datetime) -> dict[str, Any] | None:
    """The lock in ``index`` if it is held and not expired."""
    return lock_state.active_lock(index.lock, now)


def check(hub: ObservedSpace, now: dt.datetime) -> str:
    """Raise :class:`LockedError` if a live lock is held; return a note on one taken over
    (expired, its process gone, or not renewed within its promise: ``lock_state``)."""
    held = active_lock(hub.index, now)
    note = takeover_note(held, now) if held is not None else ""
    if note:
        return note
    if held is not None:
        raise LockedError(
            f"another sync is running since {held.get('started')} ({held.get('holder')}); "
            f"its lock expires at {held.get('expires')}",
            hint="wait for it to finish, then run again; if that run was killed, "
            "`confluence-sync unlock FILE` removes its lock",
        )
    stale = hub.index.lock
    if stale and held_lock(stale):
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
    created: Iterable[str] = (),
    clock: Callable[[], dt.datetime] | None = None,
    max_wait: float = DEFAULT_MAX_WAIT,
) -> HeldLock:
    """Take the lock at the version observe read; 409 (or a lost create race) → LockedError.

    ``spaces``: the network's other spaces this run wants; ``created``: those this run
    creates (and the hub, if it just did). The same write records them in the hub index, so
    a space a killed run created is known as ours — and as the sync's own creation, whose
    every grant it manages — on the next run. ``clock`` tells the held lock the time (for
    renewals); without it the lock's time stands still at ``now``. ``max_wait`` (the run's
    ``--max-wait``) goes into the lock's promise to renew (``lock_state``)."""
    check(hub, now)
    every = renew_every(ttl)
    lock = {
        "holder": holder or holder_name(),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "started": _stamp(now),
        "expires": _stamp(now + ttl),
        "renewed": _stamp(now),
        "renew_within": renew_within(every, max_wait),
    }
    recorded = tuple(sorted({*hub.index.spaces, *spaces} - {hub.key}))
    made = tuple(sorted({*hub.index.created, *created}))
    # Only the head is written, with the lock and the spaces: its shards stay as they are.
    value = patched_head(hub.index_prop, hub.index, lock=lock, spaces=recorded, created=made)
    try:
        head = writer.set_space_property(hub.key, INDEX_KEY, value, current=hub.index_prop)
    except WikiError as error:
        if error.status in (400, 409):
            raise LockedError(
                "another sync took the lock or changed the wiki after this run read it",
                hint="run again; nothing was changed by this run",
            ) from None
        # No answer or a 5xx: the write may have landed. It is ours if it holds our lock.
        current = reader.get_space_property(hub.key, INDEX_KEY)
        value_now = current.value if current is not None else None
        if current is None or not isinstance(value_now, dict) or value_now.get("lock") != lock:
            raise
        head = current
    index = replace(hub.index, lock=lock, spaces=recorded, created=made)
    stored = StoredIndex(index, head, dict(hub.index_shards))
    return HeldLock(
        reader, writer, hub.key, lock, stored, now=clock or (lambda: now), ttl=ttl, every=every
    )


def renew_every(ttl: dt.timedelta) -> dt.timedelta:
    """Often enough that a few failed renewals still leave time (at most 5 minutes apart)."""
    return min(ttl / 8, RENEW_EVERY)


class HeldLock:
    """The lock of a running sync: renewed between changes, checked before a contested write,
    released with the hub's index in one write. It owns the run's cursor of the hub's index
    (``stored``: the head and shards as last written), so the observation stays as read.

    Thread-safe: workers call :meth:`renew_if_due` between changes; one renews at a time. It
    writes the hub's head as last written with the expiry moved on, at the version last
    written, so another run's write in between is never overwritten.
    """

    def __init__(
        self,
        reader: WikiReader,
        writer: WikiWriter,
        hub_key: str,
        lock: dict[str, Any],
        stored: StoredIndex,
        *,
        now: Callable[[], dt.datetime],
        ttl: dt.timedelta = DEFAULT_TTL,
        every: dt.timedelta | None = None,
    ) -> None:
        self.reader, self.writer, self.hub_key = reader, writer, hub_key
        self.lock = dict(lock)
        self.stored = stored
        self.now, self.ttl = now, ttl
        self.every = every if every is not None else renew_every(ttl)
        self._renewed = now()
        self._guard = threading.Lock()
        self.renewals = 0

    def released(self) -> dict[str, Any]:
        return released(self.lock, self.now())

    def taken_over_from(self) -> str:
        """When another run may take this lock over if it is never released: once its promise
        to renew has passed (``lock_state``), or on this host as soon as this process ends."""
        when = lock_state.promise_ends(self.lock)
        return (
            f"from {when} on, or on this host once this run has ended"
            if when
            else (f"after it expires at {self.lock.get('expires')}")
        )

    def check(self, current: Property | None) -> None:
        """Raise LockLostError unless ``current`` (the hub index just read) holds our lock."""
        value = current.value if current is not None else None
        if not is_ours(value, self.lock):
            raise lost(self.lock, value)

    def verify(self) -> None:
        """Re-read the hub index and check the lock is still ours."""
        self.check(self.reader.get_space_property(self.hub_key, INDEX_KEY))

    def renew_if_due(self) -> None:
        """Move the expiry on once ``every`` has passed since the last renewal. A failed
        renewal is tried again at the next change (the lock counts until it expires); a lost
        lock raises LockLostError."""
        with self._guard:
            moment = self.now()
            if moment - self._renewed < self.every:
                return
            lock = {
                **self.lock,
                "expires": _stamp(moment + self.ttl),
                "renewed": _stamp(moment),
            }
            try:
                try:
                    prop = self._write(self.stored.head, lock)
                except ConflictError:
                    current = self.reader.get_space_property(self.hub_key, INDEX_KEY)
                    self.check(current)
                    prop = self._write(current, lock)
            except LockLostError:
                raise
            except WikiError:
                return
            self.stored = replace(self.stored, head=prop)
            self.lock, self._renewed = lock, moment
            self.renewals += 1

    def _write(self, current: Property | None, lock: dict[str, Any]) -> Property:
        value = current.value if current is not None else None
        base = dict(value) if isinstance(value, dict) else {}
        return self.writer.set_space_property(
            self.hub_key, INDEX_KEY, {**base, "lock": lock}, current=current
        )

    def release(self, index: SpaceIndex, attempts: int = 5) -> None:
        """Write the hub's index (``index``) with the lock released, until it lands: a lock
        left behind would stop every sync until it expires. After a failure the index is
        read again, so a write that landed although we saw an error is not repeated; and if
        the lock read is no longer ours (another run took it over), nothing is written:
        LockLostError. After a stop past ``--max-wait`` nothing is sent (the limit holds for
        the release too) and the error is raised at once: the next run takes the lock over
        once its promise to renew has passed (``lock_state``)."""
        for attempt in range(attempts):
            try:
                self.stored = write_checked(
                    self.reader,
                    self.writer,
                    self.hub_key,
                    replace(index, lock=self.released()),
                    self.stored,
                    check=lambda stored: self.check(stored.head),
                )
                return
            except (LockLostError, RateLimitStopError):
                raise
            except WikiError:
                if attempt == attempts - 1:
                    raise
                with contextlib.suppress(WikiError):
                    self.stored = ledger_store.read(self.reader, self.hub_key)
                head = self.stored.head
                if head is not None and not is_ours(head.value, self.lock):
                    raise lost(self.lock, head.value) from None


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
