"""What a run has done so far, per space: the page records, home pages, grants, templates and
group members the indexes will record. Shared by the parts of the applier (pages, index,
spaces and groups), each of which writes only its own entries; one lock guards the dicts that
several workers touch (groups, created spaces)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from confluence_sync.state.ledger import DigestRecord, PageRecord
from confluence_sync.state.observe import WikiState
from confluence_sync.wanted.calendar import EventRecord
from confluence_sync.wanted.model import Wanted
from confluence_sync.wiki.values import Grant


@dataclass
class Books:
    """The run's bookkeeping. Per space key unless said otherwise."""

    records: dict[str, dict[str, PageRecord]]  # identity → record
    homes: dict[str, str | None]  # the home page id (a space created: its own)
    templates: dict[str, dict[str, tuple[str, str]]]  # name → (template id, digest)
    groups: dict[str, frozenset[str]]  # group name → the members we record as ours
    grants: dict[str, frozenset[Grant]] = field(default_factory=dict)  # the grants we made
    # Grants the sync did not make and keeps (adopted spaces), as the index records them.
    extra: dict[str, frozenset[Grant]] = field(default_factory=dict)
    kept: dict[str, set[Grant]] = field(default_factory=dict)
    created: set[str] = field(default_factory=set)  # spaces this run created
    # The grants a space's create carried (Cloud): done without a request of their own.
    taken: dict[str, frozenset[Grant]] = field(default_factory=dict)
    # the meetings calendar: each group space's records of its meetings, and every space's
    # attachment (id, digest) as the index records them
    calendar: dict[str, dict[str, EventRecord]] = field(default_factory=dict)
    calendar_files: dict[str, tuple[str, str] | None] = field(default_factory=dict)
    # the hub's digest page as the run leaves it (``apply.digest``; None: not published)
    digest: DigestRecord | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def start(cls, wanted: Wanted, state: WikiState) -> Books:
        """The books as observe left the wiki, before any write."""
        spaces = state.spaces.items()
        # Members we record as ours: those the hub index already records and those the
        # config wants; someone added by hand is neither, so a later run never removes them.
        hub = state.spaces.get(wanted.hub_key)
        recorded = hub.index.groups if hub is not None else {}
        groups = {
            name: (members or frozenset())
            & (recorded.get(name, frozenset()) | wanted.groups.get(name, frozenset()))
            for name, members in state.groups.items()
        }
        return cls(
            records={key: dict(space.records) for key, space in spaces},
            homes={key: space.homepage_id for key, space in spaces},
            templates={key: dict(space.index.templates) for key, space in spaces},
            groups=groups,
            calendar={key: dict(space.index.calendar) for key, space in spaces},
            calendar_files={key: space.index.calendar_file for key, space in spaces},
            digest=hub.index.digest if hub is not None else None,
        )

    def space_created(self, key: str, homepage_id: str | None) -> None:
        with self.lock:
            self.created.add(key)
            self.homes[key] = homepage_id

    def change_members(
        self, group: str, add: frozenset[str] = frozenset(), remove: frozenset[str] = frozenset()
    ) -> None:
        with self.lock:  # one group per worker, but the dict is shared
            self.groups[group] = (self.groups.get(group, frozenset()) | add) - remove
