"""A hub index write that keeps failing at the end of a run (the lock's release) is one
failed item of the run (exit 5), never an exception that throws the run's results away."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from confluence_sync.errors import TransportError
from confluence_sync.run import RunOptions, sync_run
from confluence_sync.wiki.values import JSON, Property

from .conftest import HUB, network
from .fake import FakeWiki

T0 = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)


@dataclass
class ReleaseFails(FakeWiki):
    """Every write of the hub's index with the lock released fails without an answer."""

    refused: int = 0

    def set_space_property(
        self, space_key: str, key: str, value: JSON, *, current: Property | None
    ) -> Property:
        lock = value.get("lock") if isinstance(value, dict) else None
        if space_key == HUB and isinstance(lock, dict) and "released" in lock:
            self.refused += 1
            raise TransportError(f"property {key} of {HUB}", "connection reset", cause="reset")
        return super().set_space_property(space_key, key, value, current=current)


def test_a_failed_release_is_a_failed_item_and_the_run_keeps_its_results() -> None:
    wiki = ReleaseFails()
    result = sync_run(
        wiki.backend(), network(), RunOptions(today=T0.date(), workers=2), now=lambda: T0
    )
    assert wiki.refused == 5  # HeldLock.release tried as often as it does
    failed = [r for r in result.results if r.failed]
    assert [r.item for r in failed] == [f"index of space {HUB}"], failed
    assert "the next sync rebuilds the index" in failed[0].reason
    assert any(r.status == "created" for r in result.results)  # the run's work is reported
