"""Writing the per-space index at the end of a run: what it records, and what happens when
another writer changed it since observe read it.

A mixin of :class:`confluence_sync.apply.applier.Applier`. The index records only what the sync
added (grants and group members that stood before stay unrecorded, so they are never
removed later). It is written as a head and shards (``index_store``), only the properties
that changed. A write that meets a 409 re-reads them all; while a run lock is held it first
checks that the lock on the hub is still this run's (``lock.HeldLock``) and stops with
``LockLostError`` otherwise, then merges the other writer's records into its own.
"""

from __future__ import annotations

from confluence_sync.apply.lock import HeldLock
from confluence_sync.backends.contract import WikiReader, WikiWriter
from confluence_sync.state.ledger import PageRecord, SpaceIndex
from confluence_sync.state.ledger_store import StoredIndex, write_checked
from confluence_sync.state.observe import ObservedSpace, WikiState
from confluence_sync.target.model import Target
from confluence_sync.wiki.values import Grant


def still_recorded(observed: ObservedSpace) -> set[Grant]:
    """The grants of a space we record as ours before this run's writes: those the index
    records that still stand (all of them when the grants were not read). A grant that
    existed before the sync, even one equal to a wanted grant, is not ours to revoke later."""
    recorded = observed.index.grants or frozenset()
    return set(recorded if observed.grants is None else recorded & observed.grants)


class IndexWriter:
    """Index operations; needs the bookkeeping of the class it is mixed into."""

    wanted: Target
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

    def write_index(self, key: str, index: SpaceIndex) -> None:
        """Write the index properties of a working group's space that differ from what this
        run last saw of them, shards before the head (409: re-read them all; if our run lock
        is gone, stop; else merge and write once more). The hub's index is the lock's to
        write (``HeldLock.release``)."""
        observed = self.state.spaces[key]
        stored = StoredIndex(observed.index, observed.index_prop, dict(observed.index_shards))

        def still_ours(_current: StoredIndex) -> None:
            if self.held is not None:
                self.held.verify()

        write_checked(self.reader, self.writer, key, index, stored, check=still_ours)
