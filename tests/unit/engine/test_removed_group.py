"""A working group taken out of the config: its space is reported on every plan and never
touched (no archive, no delete, no revoke), for as long as it exists."""

from __future__ import annotations

from dataclasses import replace

from confluence_sync.plan.notes import Note

from .conftest import GROUP, HUB, network, plan_for, sync
from .fake import FakeWiki


def test_a_removed_working_groups_space_is_reported_and_left_alone(wiki: FakeWiki) -> None:
    full = network()
    sync(wiki, full)
    pages_before = {p.id: (p.title, p.version) for p in wiki.list_pages(GROUP)}
    hub_only = replace(full, spaces=tuple(s for s in full.spaces if s.key == HUB))

    plan, _ = plan_for(wiki, hub_only)
    orphans = [c for c in plan.changes if c.space == GROUP]
    assert orphans == [
        Note(
            GROUP,
            subject=f"space {GROUP}",
            status="skipped",
            text="is no longer in the config; left as it is — archive or delete it by hand",
        )
    ]

    writes = wiki.counter.writes
    _, results = sync(wiki, hub_only)
    assert [r.status for r in results if r.space == GROUP] == ["skipped"]
    assert {p.id: (p.title, p.version) for p in wiki.list_pages(GROUP)} == pages_before
    assert wiki.counter.writes == writes  # nothing else changed, nothing written

    plan, _ = plan_for(wiki, hub_only)  # still reported on the next run
    assert [c.item for c in plan.changes if c.space == GROUP] == [f"space {GROUP}"]
