"""Writing the per-space index at the end of a run: what it records, and what happens when
another writer changed it since observe read it.

Owns the index writes of a run; reads the shared :class:`~confluence_sync.apply.books.Books`,
never changes them. The index records only what the sync added (grants and group members that
stood before stay unrecorded, so they are never removed later). It is written as a head and
shards (``state.ledger_store``), only the properties that changed. A write that meets a 409
re-reads them all; while a run lock is held it first checks that the lock on the hub is still
this run's (``lock.HeldLock``) and stops with ``LockLostError`` otherwise, then merges the
other writer's records into its own.
"""

from __future__ import annotations

from confluence_sync.apply.books import Books
from confluence_sync.apply.lock import HeldLock
from confluence_sync.backends.contract import WikiReader, WikiWriter
from confluence_sync.state.ledger import SpaceIndex
from confluence_sync.state.ledger_store import StoredIndex, write_checked
from confluence_sync.state.observe import ObservedSpace, WikiState
from confluence_sync.wanted.model import Wanted
from confluence_sync.wiki.values import Grant


def still_recorded(observed: ObservedSpace) -> set[Grant]:
    """The grants of a space we record as ours before this run's writes: those the index
    records that still stand (all of them when the grants were not read). A grant that
    existed before the sync, even one equal to a wanted grant, is not ours to revoke later."""
    recorded = observed.index.grants or frozenset()
    return set(recorded if observed.grants is None else recorded & observed.grants)


class IndexWriter:
    """The index operations of one run. ``held``: the run lock, set once it is taken; a write
    that meets another writer first checks the lock is still this run's."""

    def __init__(
        self, wanted: Wanted, state: WikiState, reader: WikiReader, writer: WikiWriter, books: Books
    ) -> None:
        self.wanted, self.state, self.reader, self.writer = wanted, state, reader, writer
        self.books = books
        self.held: HeldLock | None = None

    def index_for(self, key: str) -> SpaceIndex:
        """The index of space ``key`` as this run leaves it (lock excluded)."""
        observed = self.state.spaces[key]
        books = self.books
        grants = books.grants.get(key)
        if grants is None and (observed.grants is not None or observed.index.grants is not None):
            grants = frozenset(still_recorded(observed))
        groups: dict[str, frozenset[str]] = {}
        spaces: tuple[str, ...] = ()
        created: tuple[str, ...] = ()
        if key == self.wanted.hub_key:
            groups = {name: books.groups.get(name, frozenset()) for name in self.wanted.groups}
            others = {space.key for space in self.wanted.spaces if space.key != key}
            spaces = tuple(sorted(others | set(self.state.orphans)))
            created = tuple(sorted({*observed.index.created, *books.created}))
        extra = books.extra.get(key, observed.index.extra)
        return SpaceIndex(
            books.records[key],
            grants,
            books.templates[key],
            groups,
            None,
            spaces,
            created,
            extra,
            books.calendar.get(key, {}),
            books.calendar_files.get(key),
            books.digest if key == self.wanted.hub_key else None,
        )

    def write(self, key: str, index: SpaceIndex) -> None:
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
