"""A lock names its host and process: on the same host, a lock whose process is gone (a killed
sync) is taken over at once; a lock of another host still waits for expiry or ``unlock``."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys

import pytest

from confluence_sync.apply.lock import LockedError, acquire, check, dead_holder
from confluence_sync.state.ledger import INDEX_KEY

from .conftest import HUB, network, plan_for, sync
from .fake import FakeWiki

NOW = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)


def finished_pid() -> int:
    """The pid of a process that has ended (and been reaped), so it no longer runs."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def locked_by(wiki: FakeWiki, *, host: str, pid: int) -> None:
    """Take the lock, then rewrite its owner as a run of ``host``/``pid`` would have left it."""
    sync(wiki, network())
    _, state = plan_for(wiki, network())
    lock = acquire(wiki, wiki, state.spaces[HUB], now=NOW).lock
    assert lock["host"] == socket.gethostname() and lock["pid"] == os.getpid()
    prop = wiki.space_props[(HUB, INDEX_KEY)]
    value = dict(prop.value)  # type: ignore[arg-type]
    value["lock"] = {**lock, "host": host, "pid": pid, "holder": f"cron@{host} pid {pid}"}
    wiki.set_space_property(HUB, INDEX_KEY, value, current=prop)


def test_a_dead_process_on_this_host_is_taken_over_with_a_note(wiki: FakeWiki) -> None:
    pid = finished_pid()
    locked_by(wiki, host=socket.gethostname(), pid=pid)
    _, state = plan_for(wiki, network())
    note = check(state.spaces[HUB], NOW + dt.timedelta(minutes=1))
    assert "took over the lock" in note and f"process {pid} no longer runs" in note
    acquire(wiki, wiki, state.spaces[HUB], now=NOW + dt.timedelta(minutes=1))  # no LockedError


def test_a_running_process_on_this_host_keeps_its_lock(wiki: FakeWiki) -> None:
    locked_by(wiki, host=socket.gethostname(), pid=os.getppid())
    _, state = plan_for(wiki, network())
    with pytest.raises(LockedError, match="another sync is running"):
        check(state.spaces[HUB], NOW + dt.timedelta(minutes=1))


def test_another_hosts_lock_waits_for_expiry(wiki: FakeWiki) -> None:
    locked_by(wiki, host="elsewhere.invalid", pid=finished_pid())
    _, state = plan_for(wiki, network())
    with pytest.raises(LockedError, match="another sync is running"):
        check(state.spaces[HUB], NOW + dt.timedelta(minutes=1))
    assert "stale lock" in check(state.spaces[HUB], NOW + dt.timedelta(hours=3))


def test_old_locks_without_pid_are_not_guessed_dead() -> None:
    assert not dead_holder({"holder": "a@b pid 1", "host": socket.gethostname()})
    assert not dead_holder({"holder": "me", "host": socket.gethostname(), "pid": os.getpid()})
