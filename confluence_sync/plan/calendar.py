"""Planning the meetings calendar: one iCalendar file per space, attached to its home page (the
hub's holds every group's meetings, a group home its own), uploaded only when it changed.

Pure: the file is rendered here (``wanted.ics``) from the wanted calendar and what each group
space's index remembers of its meetings (``wanted.calendar.remember``); its SHA-256 is compared
with the one the index recorded at the last upload. Equal: no change, nothing read or sent
(a no-op sync costs no request more). Different, or never uploaded: an
:class:`AttachCalendar` carrying the file and the records the index keeps after it.

Imports: plan.changes, state (observe, ledger), wanted (model, calendar, ics).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from confluence_sync.plan.changes import PHASE_ARCHIVE, Change
from confluence_sync.state.observe import WikiState
from confluence_sync.wanted.calendar import EventRecord, file_name, remember
from confluence_sync.wanted.ics import write_ics
from confluence_sync.wanted.model import Wanted


@dataclass(frozen=True, repr=False)
class AttachCalendar(Change):
    """Upload the space's calendar file to its home page (a new attachment, or the next
    version of ``attachment_id``); the index then records ``digest`` and ``records``."""

    filename: str = ""
    # The file zlib-compressed: a plan keeps every changed file until it is applied, and the
    # hub's file of a large network is ~0.7 MB of text that compresses about tenfold.
    packed: bytes = b""
    digest: str = ""
    attachment_id: str = ""
    # a group space: what its index remembers of its meetings after this file
    records: Mapping[str, EventRecord] = field(default_factory=dict)
    kind: ClassVar[str] = "calendar"
    # after the pages: the home page exists by then (created in this run, maybe)
    phase: ClassVar[int] = PHASE_ARCHIVE

    @property
    def data(self) -> bytes:
        """The file's bytes, as rendered."""
        return zlib.decompress(self.packed) if self.packed else b""

    @property
    def item(self) -> str:
        return f"calendar {self.filename}"

    @property
    def reason(self) -> str:
        return "changed" if self.attachment_id else "new"


def file_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def calendar_files(
    wanted: Wanted, records: Mapping[str, Mapping[str, EventRecord]]
) -> dict[str, tuple[bytes, dict[str, EventRecord]]]:
    """Space key → (its calendar file, the records of its meetings after it), the hub first,
    given each group space's records as its index holds them (none: config only)."""
    calendar = wanted.calendar
    if calendar is None:
        return {}
    today = dt.date.fromisoformat(wanted.today)
    after: dict[str, dict[str, EventRecord]] = {}
    for key, _name in calendar.groups:
        after[key] = remember(
            calendar.of_space(key),
            records.get(key, {}),
            today=today,
            site=wanted.site,
            time_zone=calendar.time_zone,
        )
    every = {identity: r for space in after.values() for identity, r in space.items()}
    files: dict[str, tuple[bytes, dict[str, EventRecord]]] = {
        calendar.hub_key: (
            write_ics(calendar, calendar.name, calendar.events, every, site=wanted.site),
            {},
        )
    }
    for key, _name in calendar.groups:
        title = f"{calendar.title(key)} ({calendar.name})"
        data = write_ics(calendar, title, calendar.of_space(key), after[key], site=wanted.site)
        files[key] = (data, after[key])
    return files


def plan_calendar(wanted: Wanted, state: WikiState) -> list[Change]:
    """An upload for every space whose calendar file differs from the one last uploaded."""
    observed = {key: space.index for key, space in state.spaces.items()}
    records = {key: index.calendar for key, index in observed.items()}
    changes: list[Change] = []
    for key, (data, after) in calendar_files(wanted, records).items():
        index = observed.get(key)
        recorded = index.calendar_file if index is not None else None
        digest = file_digest(data)
        if recorded is not None and recorded[1] == digest:
            continue
        changes.append(
            AttachCalendar(
                key,
                filename=file_name(key),
                packed=zlib.compress(data),
                digest=digest,
                attachment_id=recorded[0] if recorded else "",
                records=after,
            )
        )
    return changes
