"""Writing the per-space index at the end of a run: what it records, and what happens when
another writer changed it since observe read it.

A mixin of :class:`confluence_sync.apply.Applier`. The index records only what the sync
added (grants and group members that stood before stay unrecorded, so they are never
removed later). A write that meets a 409 re-reads the index; while a run lock is held it
first checks that the lock on the hub is still this run's (``lock.HeldLock``) and stops
with ``LockLostError`` otherwise, then merges the other writer's records into its own.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from confluence_sync.backends.base import Grant, WikiReader, WikiWriter
from confluence_sync.errors import ConflictError
from confluence_sync.index import INDEX_KEY, PageRecord, SpaceIndex, index_from_json, merge_index
from confluence_sync.lock import HeldLock
from confluence_sync.observe import ObservedSpace, WikiState
from confluence_sync.wanted import Wanted


def still_recorded(observed: ObservedSpace) -> set[Grant]:
    """The grants of a space we record as ours before this run's writes: those the index
    records that still stand (all of them when the grants were not read). A grant that
    existed before the sync, even one equal to a wanted grant, is not ours to revoke later."""
    recorded = observed.index.grants or frozenset()
    return set(recorded if observed.grants is None else recorded & observed.grants)


class IndexWriter:
    """Index operations; needs the bookkeeping of the class it is mixed into."""

    wanted: Wanted
    state: WikiState
    reader: WikiReader
    writer: WikiWriter
    records: dict[str, dict[str, PageRecord]]
    grants: dict[str, frozenset[Grant]]
    extra: dict[str, frozenset[Grant]]
    created: set[str]
    templates: dict[str, dict[str, tuple[str, str]]]
    groups: dict[str, frozenset[str]]
    held: HeldLock | None

    def index_for(self, key: str) -> SpaceIndex:
        """The index of space ``key`` as this run leaves it (lock excluded)."""
        observed = self.state.spaces[key]
        grants = self.grants.get(key)
        if grants is None and (observed.grants is not None or observed.index.grants is not None):
            grants = frozenset(still_recorded(observed))
        groups: dict[str, frozenset[str]] = {}
        spaces: tuple[str, ...] = ()
        created: tuple[str, ...] = ()
        if key == self.wanted.hub_key:
            groups = {name: self.groups.get(name, frozenset()) for name in self.wanted.groups}
            others = {space.key for space in self.wanted.spaces if space.key != key}
            spaces = tuple(sorted(others | set(self.state.orphans)))
            created = tuple(sorted({*observed.index.created, *self.created}))
        extra = self.extra.get(key, observed.index.extra)
        return SpaceIndex(
            self.records[key],
            grants,
            self.templates[key],
            groups,
            None,
            spaces,
            created,
            extra,
        )

    def write_index(
        self, key: str, index: SpaceIndex, *, lock: dict[str, Any] | None = None
    ) -> None:
        """Write the index if it differs from what observe read (409: re-read, write once more)."""
        observed = self.state.spaces[key]
        value = replace(index, lock=lock).to_json()
        if observed.index_prop is not None and observed.index_prop.value == value:
            return
        try:
            prop = self.writer.set_space_property(
                key, INDEX_KEY, value, current=observed.index_prop
            )
        except ConflictError:
            # Someone wrote it since: if our run lock is gone (we outlived it, another run
            # holds it) stop without writing; else merge their records into ours and write.
            current = self.reader.get_space_property(key, INDEX_KEY)
            if self.held is not None and key == self.wanted.hub_key:
                self.held.check(current)
            elif self.held is not None:
                self.held.verify()
            if current is not None:
                theirs = index_from_json(current.value)
                value = merge_index(theirs, replace(index, lock=lock)).to_json()
            prop = self.writer.set_space_property(key, INDEX_KEY, value, current=current)
        observed.index_prop = prop
