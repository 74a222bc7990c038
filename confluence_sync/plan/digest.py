"""Planning the published digest: whether this run refreshes the hub's digest page.

``digest --publish`` makes the page (its record: the hub index's ``digest``); from then on each
sync keeps it current, at no cost while nothing it shows changed. Pure: the planner compares
the :func:`~confluence_sync.digest.freshness.fingerprint` of the meeting pages as the run's
page listing shows them with the one recorded at the last refresh, and the day with the day
the digest goes stale by itself. A :class:`RefreshDigest` when they differ, when ``--publish``
asks, or when this run writes meeting pages itself (their new versions would differ next
time); the refresh reads and writes after every other change (``apply.digest``). A page that is
gone (archived or deleted by someone) ends the publishing: the record is dropped.

Imports: plan.changes, plan.page_changes, state (observe), digest (assemble, freshness),
wanted (model).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from confluence_sync.digest.assemble import is_meeting
from confluence_sync.digest.freshness import Entry, fingerprint
from confluence_sync.plan.changes import PHASE_NOTE, Change
from confluence_sync.plan.page_changes import ArchivePage, CreatePage, UpdatePage
from confluence_sync.state.observe import WikiState
from confluence_sync.wanted.model import DigestSource, Wanted

GONE = "the digest page is gone (archived or deleted in the wiki): no longer refreshed"


@dataclass(frozen=True, repr=False)
class RefreshDigest(Change):
    """Read the meeting pages once every other change is done and write the digest page
    (``page_id`` "": create it) if what it shows changed; ``drop``: forget the record."""

    since: str = ""  # ISO: the --since the page shows ("": every meeting)
    page_id: str = ""
    why: str = ""
    drop: bool = False
    kind: ClassVar[str] = "digest"
    phase: ClassVar[int] = PHASE_NOTE  # after everything: the applier runs it last

    @property
    def item(self) -> str:
        return f"digest page in {self.space}"

    @property
    def reason(self) -> str:
        return self.why


def entries(state: WikiState, source: DigestSource) -> list[Entry]:
    """The meeting pages a digest would read now, as the run's listing shows them: the same
    set ``state.digest_read`` reads (current, not archived by us or anyone)."""
    found: list[Entry] = []
    for space_key in source.spaces:
        observed = state.spaces.get(space_key)
        if observed is None or observed.info is None:
            continue
        for identity, record in observed.records.items():
            info = observed.listed.get(record.page_id)
            if (
                is_meeting(identity)
                and not record.archived
                and identity not in observed.archived
                and info is not None
                and info.status == "current"
            ):
                found.append((space_key, identity, record.page_id, info.version))
    return found


def plan_digest(
    wanted: Wanted,
    state: WikiState,
    changes: Sequence[Change],
    *,
    publish: str | None = None,
    overwrite: bool = False,
) -> list[Change]:
    """The digest's refresh, if it needs one. ``publish``: ``digest --publish`` asks, with
    this ``--since`` ("": all); None: only keep a published page current. ``overwrite``
    (``--overwrite-conflicts``): also when someone saved the page since our last write, so
    a member's edit inside the region is replaced."""
    source, hub = wanted.digest, state.spaces.get(wanted.hub_key)
    record = hub.index.digest if hub is not None else None
    if source is None or hub is None or (record is None and publish is None):
        return []
    listed = record is not None and record.page_id in hub.listed
    if publish is None and record is not None and not listed:
        return [RefreshDigest(wanted.hub_key, since=record.since, why=GONE, drop=True)]
    since = publish if publish is not None else record.since if record else ""
    page_id = record.page_id if record is not None and listed else ""
    why = _why(wanted, state, changes, source, since) if record is not None and listed else ""
    saved = record is not None and listed and hub.listed[record.page_id].version != record.version
    if not why and overwrite and saved:
        why = "--overwrite-conflicts: the page was saved since our last write"
    if publish is not None:
        why = why or ("published" if page_id else "published: a new page")
    if not why:
        return []
    return [RefreshDigest(wanted.hub_key, since=since, page_id=page_id, why=why)]


def _why(
    wanted: Wanted, state: WikiState, changes: Sequence[Change], source: DigestSource, since: str
) -> str:
    hub = state.spaces[wanted.hub_key]
    record = hub.index.digest
    assert record is not None
    if record.since != since:
        return f"published again from {since or 'the first meeting'}"
    if fingerprint(source.token(), since, entries(state, source)) != record.fingerprint:
        return "meeting pages or the config changed since the last refresh"
    if record.until and wanted.today >= record.until:
        return f"as of {record.until} a meeting is held or an action item overdue"
    writes = (CreatePage, UpdatePage, ArchivePage)
    if any(
        isinstance(c, writes) and c.space in source.spaces and is_meeting(c.identity)
        for c in changes
    ):
        return "this run writes meeting pages"
    return ""
