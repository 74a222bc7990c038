"""Ctrl-C during apply: queued space jobs are cancelled, running workers stop at their next
change, and the lock is released only after every worker has finished — a second Ctrl-C
while waiting does not release it under a worker that is still writing."""

from __future__ import annotations

import datetime as dt
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from confluence_sync.run import RunOptions, sync_run
from confluence_sync.state.ledger import INDEX_KEY
from confluence_sync.wiki.values import JSON, PageInfo, Property

from .conftest import GROUP, HUB, network
from .fake import FakeWiki

T0 = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)


@dataclass
class InterruptedWiki(FakeWiki):
    """Ctrl-C arrives while the hub's first page is written; the group space's first page
    write is slow (still in flight then). Every write is logged in order."""

    log: list[str] = field(default_factory=list)
    interrupts: int = 1
    second_ctrl_c: bool = False
    _gate: threading.Event = field(default_factory=threading.Event)

    def create_page(self, space_key: str, *args: Any, **kwargs: Any) -> PageInfo:
        """The fake's create (the contract's signature), slowed or interrupted first."""
        if space_key == GROUP and not self._gate.is_set():
            self._gate.set()
            time.sleep(0.15)  # in flight when Ctrl-C is pressed
            if self.second_ctrl_c:
                # Pressed again while the engine waits for us: a real SIGINT, which wakes
                # the main thread's wait (interrupt_main would only be seen after it).
                signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
            time.sleep(0.15)
        elif space_key == HUB and self.interrupts:
            self._gate.wait(5)
            self.interrupts -= 1
            self.log.append("ctrl-c")
            raise KeyboardInterrupt
        info = super().create_page(space_key, *args, **kwargs)
        self.log.append(f"page {space_key} {info.title}")
        return info

    def set_space_property(
        self, space_key: str, key: str, value: JSON, *, current: Property | None
    ) -> Property:
        prop = super().set_space_property(space_key, key, value, current=current)
        lock = value.get("lock") if isinstance(value, dict) else None
        released = isinstance(lock, dict) and "released" in lock
        self.log.append(f"index {space_key}" + (" released" if released else ""))
        return prop


@pytest.mark.parametrize("twice", [False, True], ids=["once", "twice"])
def test_ctrl_c_stops_the_workers_and_releases_the_lock_after_them(twice: bool) -> None:
    wiki = InterruptedWiki(second_ctrl_c=twice)
    with pytest.raises(KeyboardInterrupt):
        sync_run(wiki.backend(), network(), RunOptions(today=T0.date(), workers=2), now=lambda: T0)
    assert wiki.log[-1] == f"index {HUB} released", wiki.log  # nothing written after it
    # The group's slow write was in flight and finished; with two workers no change besides it
    # and the interrupted one is under way, so no further page starts after Ctrl-C. (Its
    # sibling creates run in parallel, so one may have landed before Ctrl-C.)
    after = wiki.log[wiki.log.index("ctrl-c") + 1 :]
    group_pages = [w for w in after if w.startswith(f"page {GROUP}")]
    assert len(group_pages) == 1, wiki.log
    prop = wiki.space_props[(HUB, INDEX_KEY)]
    lock = prop.value.get("lock") if isinstance(prop.value, dict) else None
    assert isinstance(lock, dict) and lock["released"]
