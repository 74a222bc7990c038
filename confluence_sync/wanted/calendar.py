"""The meetings calendar: every group's meetings as calendar events, and what a calendar
remembers of them between runs (sequence, stamp, and enough of a dropped meeting to cancel it).

Pure: no clock (``today`` is an argument), no I/O. The iCalendar text itself is written by
:mod:`.ics` (with the ``icalendar`` library); here are the facts and the memory:

* **UID**: the meeting's identity (``config.identities``: the slot, the ``id`` or the month,
  never the title or the date) plus a domain-like suffix of the network key,
  ``group/UPX/meeting/slot/2026-1@puu.confluence-sync.invalid`` (``.invalid`` is reserved by
  RFC 2606, so it can never name someone else's host). A moved or retitled meeting keeps it.
* **SEQUENCE and DTSTAMP** come from an :class:`EventRecord` kept in the group space's index
  (``state.ledger``): the digest of the event's facts as last published, its sequence and the
  day that version was first published. Facts that differ from the record raise the sequence
  by one and stamp the run's day; equal facts keep both, so the same config gives the same
  bytes on any later day. Without records (``confluence-sync calendar`` on the config alone)
  every event has sequence 0 and the run's day as stamp.
* **Cancelled**: a recorded meeting the config no longer has whose day has not passed stays in
  the file as ``STATUS:CANCELLED`` (sequence + 1) until that day is over; then it leaves the
  file and the index. A calendar that had subscribed so shows the cancellation, not a silent
  disappearance.
* **Past meetings**: a schedule's generated meetings of the last :data:`PAST_DAYS` days that
  the calendar published while they lay ahead stay in the file (the wiki keeps their pages
  too); explicit meetings always do.

Imports: config (model, schedule, identities, titles), wanted.dates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final
from urllib.parse import quote_plus

from confluence_sync.config.identities import PageIdentity
from confluence_sync.config.model import NetworkConfig, WorkingGroup, space_key
from confluence_sync.config.schedule import (
    PlannedMeeting,
    expand_meetings,
    first_slot,
    meeting_day,
)
from confluence_sync.config.titles import meeting_page_title

PAST_DAYS: Final = 365
UID_SUFFIX: Final = "confluence-sync.invalid"
LINK_TEXT: Final = {"de": "Kalender abonnieren", "en": "Subscribe to the calendar"}
_LABELS: Final = {
    "de": {"group": "Arbeitskreis", "host": "Gastgeber", "agenda": "Tagesordnung",
           "online": "Online", "page": "Seite im Wiki"},
    "en": {"group": "Working group", "host": "Host", "agenda": "Agenda",
           "online": "Online", "page": "Page in the wiki"},
}  # fmt: skip


@dataclass(frozen=True)
class CalendarEvent:
    """One meeting as the calendar shows it (the page link is added with the site's URL)."""

    identity: PageIdentity
    space_key: str
    summary: str
    day: dt.date
    start: str | None  # "HH:MM"; None: an all-day event
    end: str | None
    location: str
    description: str  # without the page link
    page_title: str
    # a schedule's meeting whose day has passed: shown only if the calendar published it
    # while it lay ahead (a record), never made up for a month before the wiki existed
    past: bool = False

    def link(self, site: str) -> str:
        """The page's "pretty" address, ``{site}/display/{space}/{Title+With+Plus}``, which
        Data Center and Cloud (whose site URL ends in ``/wiki``) both resolve by title
        (support.atlassian.com KB "Differences between URL formats for a Confluence page"),
        so it is known before the page exists and stays the same across runs."""
        return f"{site}/display/{self.space_key}/{quote_plus(self.page_title)}" if site else ""


@dataclass(frozen=True)
class EventRecord:
    """What the calendar remembers of one meeting (kept in its group space's index)."""

    sequence: int
    stamp: str  # ISO day the version was first published; DTSTAMP is its 00:00 UTC
    digest: str  # of the published facts (``event_digest``)
    day: str  # ISO date of the meeting, to cancel it once dropped
    start: str = ""
    end: str = ""
    summary: str = ""
    cancelled: bool = False


@dataclass(frozen=True)
class NetworkCalendar:
    """Everything the calendar files are made of: the network's name and zone and every
    group's events (sorted by day, then identity)."""

    hub_key: str
    name: str
    language: str
    time_zone: str
    events: tuple[CalendarEvent, ...] = ()
    # each group space and its name, for its own file's title
    groups: tuple[tuple[str, str], ...] = ()

    def of_space(self, key: str) -> tuple[CalendarEvent, ...]:
        return tuple(e for e in self.events if e.space_key == key)

    def uid(self, identity: str) -> str:
        return f"{identity}@{self.hub_key.lower()}.{UID_SUFFIX}"

    def title(self, key: str) -> str:
        return dict(self.groups).get(key, self.name)


def file_name(space: str) -> str:
    """The attachment's file name: one per space, the same in every language (a new name
    would leave the old attachment behind, and subscribers on it)."""
    return f"{space}-meetings.ics"


def _past(config: NetworkConfig, group: WorkingGroup, today: dt.date) -> list[PlannedMeeting]:
    """The schedule's generated meetings of the last PAST_DAYS days (expand_meetings only
    yields those from its day on, so each past slot is expanded from its own day)."""
    schedule = group.schedule
    first = first_slot(group)
    if schedule is None or first is None:
        return []
    since = today - dt.timedelta(days=PAST_DAYS)
    found: dict[PageIdentity, PlannedMeeting] = {}
    for year in range(since.year, today.year + 1):
        for month in sorted(set(schedule.months)):
            day = meeting_day(schedule, year, month)
            if not since <= day < today or (year, month) < first:
                continue
            for meeting in expand_meetings(config, group, day):
                if meeting.source == "schedule" and meeting.date == day:
                    found[meeting.identity] = meeting
    return list(found.values())


def _description(config: NetworkConfig, group: WorkingGroup, meeting: PlannedMeeting) -> str:
    labels = _LABELS[config.network.language]
    host = config.organisation(meeting.host)
    host_name = host.name if host else meeting.host
    lines = [f"{labels['group']}: {group.name}", f"{labels['host']}: {host_name}"]
    if meeting.online:
        lines.append(f"{labels['online']}: {meeting.online}")
    if meeting.agenda:
        lines += [f"{labels['agenda']}:", *(f"- {item}" for item in meeting.agenda)]
    return "\n".join(lines)


def build_calendar(config: NetworkConfig, today: dt.date) -> NetworkCalendar:
    """The calendar of the network as of ``today``."""
    network = config.network
    events: list[CalendarEvent] = []
    for group in config.working_groups:
        key = space_key(network, group)
        past = {m.identity: m for m in _past(config, group, today)}
        meetings = {**past, **{m.identity: m for m in expand_meetings(config, group, today)}}
        for meeting in meetings.values():
            place = meeting.place or ""
            events.append(
                CalendarEvent(
                    identity=meeting.identity,
                    space_key=key,
                    summary=meeting.title,
                    day=meeting.date,
                    start=meeting.start_time,
                    end=meeting.end_time,
                    location=place or (meeting.online or ""),
                    description=_description(config, group, meeting),
                    page_title=meeting_page_title(meeting),
                    past=meeting.identity in past and meeting.date < today,
                )
            )
    events.sort(key=lambda e: (e.day, e.identity))
    groups = tuple((space_key(network, g), g.name) for g in config.working_groups)
    return NetworkCalendar(
        network.key, network.name, network.language, network.time_zone, tuple(events), groups
    )


def event_digest(event: CalendarEvent, site: str, time_zone: str) -> str:
    """The digest of what a subscriber sees of an event: a change of any of it is a change
    of the meeting (a new SEQUENCE)."""
    facts = [
        event.summary, event.day.isoformat(), event.start, event.end, event.location,
        event.description, event.link(site), time_zone if event.start else "",
    ]  # fmt: skip
    data = json.dumps(facts, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(data.encode()).hexdigest()


def remember(
    events: Sequence[CalendarEvent],
    records: Mapping[str, EventRecord],
    *,
    today: dt.date,
    site: str,
    time_zone: str,
) -> dict[str, EventRecord]:
    """The records after publishing ``events`` (one group's), given those of the last time:
    a changed event's sequence raised, a dropped upcoming one cancelled, a dropped one whose
    day has passed forgotten."""
    day = today.isoformat()
    after: dict[str, EventRecord] = {}
    for event in events:
        digest = event_digest(event, site, time_zone)
        known = records.get(event.identity)
        if event.past and (known is None or known.cancelled):
            continue
        new = EventRecord(
            0, day, digest, event.day.isoformat(), event.start or "", event.end or "",
            event.summary,
        )  # fmt: skip
        if known is not None and known.digest == digest and not known.cancelled:
            new = replace(new, sequence=known.sequence, stamp=known.stamp)
        elif known is not None:
            new = replace(new, sequence=known.sequence + 1)
        after[event.identity] = new
    for identity, known in records.items():
        if identity in after or known.day < day:
            continue  # still wanted, or its day is over: it leaves the file
        if known.cancelled:
            after[identity] = known
        else:
            after[identity] = replace(known, sequence=known.sequence + 1, stamp=day, cancelled=True)
    return after


def published(
    events: Sequence[CalendarEvent], records: Mapping[str, EventRecord]
) -> tuple[CalendarEvent, ...]:
    """The events a file shows: every one ahead, and the past ones the records keep."""
    return tuple(e for e in events if not e.past or e.identity in records)
