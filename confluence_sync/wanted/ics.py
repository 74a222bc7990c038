"""The iCalendar file (RFC 5545) of a calendar's events, written with the ``icalendar`` library.

Pure and deterministic: the same events and records give the same bytes (no clock: DTSTAMP
is the day a version was first published, from its :class:`~.calendar.EventRecord`). A
meeting with a start time is a timed event in the network's zone (``DTSTART;TZID=…``, with
the ``VTIMEZONE`` the library builds from the IANA data for the years the events span; an end
time, else one hour); one without is an all-day event (``VALUE=DATE``, ending the next day,
as RFC 5545 §3.6.1 has it). ``icalendar`` is imported when a file is written, never when the
CLI starts (``bench/startup_bench.py``).

Imports: wanted.calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Final
from zoneinfo import ZoneInfo

from confluence_sync.wanted.calendar import (
    CalendarEvent,
    EventRecord,
    NetworkCalendar,
    published,
)

PRODID: Final = "-//confluence-sync//meetings calendar//EN"


def _stamp(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), tzinfo=dt.UTC)


def _times(
    day: dt.date, start: str, end: str, zone: ZoneInfo
) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime]:
    if not start:
        return day, day + dt.timedelta(days=1)
    begin = dt.datetime.combine(day, dt.time.fromisoformat(start), tzinfo=zone)
    finish = (
        dt.datetime.combine(day, dt.time.fromisoformat(end), tzinfo=zone)
        if end
        else begin + dt.timedelta(hours=1)
    )
    return begin, finish


def write_ics(
    calendar: NetworkCalendar,
    title: str,
    events: Sequence[CalendarEvent],
    records: Mapping[str, EventRecord],
    *,
    site: str,
) -> bytes:
    """The file of ``events`` (every other record that is cancelled: a dropped meeting), in
    order of day and identity. ``records`` are those after :func:`~.calendar.remember`."""
    import icalendar

    zone = ZoneInfo(calendar.time_zone)
    ical = icalendar.Calendar()
    ical.add("prodid", PRODID)
    ical.add("version", "2.0")
    ical.add("calscale", "GREGORIAN")
    ical.add("x-wr-calname", title)
    ical.add("x-wr-timezone", calendar.time_zone)
    # Each event is written out as soon as it is built and only its bytes are kept: the
    # library's component trees of a 2,000-meeting network's hub file held ~16 MiB at once
    # (bench/sync_bench.py's memory ratio), their bytes 1.5 MB.
    rows: list[tuple[str, str, bytes]] = []
    timed = False  # a VTIMEZONE only where an event names the zone (TZID)
    events = published(events, records)
    for event in events:
        record = records.get(event.identity)
        item = icalendar.Event()
        item.add("uid", calendar.uid(event.identity))
        item.add("dtstamp", _stamp(record.stamp if record else "2000-01-01"))
        item.add("sequence", record.sequence if record else 0)
        begin, finish = _times(event.day, event.start or "", event.end or "", zone)
        item.add("dtstart", begin)
        item.add("dtend", finish)
        item.add("summary", event.summary)
        if event.location:
            item.add("location", event.location)
        link = event.link(site)
        description = event.description + (f"\n{link}" if link else "")
        item.add("description", description)
        if link:
            item.add("url", link)
        item.add("status", "CONFIRMED")
        rows.append((event.day.isoformat(), event.identity, item.to_ical()))
        timed = timed or b";TZID=" in rows[-1][2]
    shown = {e.identity for e in events}
    for identity, record in records.items():
        if identity in shown or not record.cancelled:
            continue
        item = icalendar.Event()
        item.add("uid", calendar.uid(identity))
        item.add("dtstamp", _stamp(record.stamp))
        item.add("sequence", record.sequence)
        day = dt.date.fromisoformat(record.day)
        begin, finish = _times(day, record.start, record.end, zone)
        item.add("dtstart", begin)
        item.add("dtend", finish)
        item.add("summary", record.summary)
        item.add("status", "CANCELLED")
        rows.append((record.day, identity, item.to_ical()))
        timed = timed or b";TZID=" in rows[-1][2]
    if rows and timed:
        # The VTIMEZONE ``add_missing_timezones`` would insert, for the years the events span.
        years = sorted(int(day[:4]) for day, _i, _e in rows)
        ical.add_component(
            icalendar.Timezone.from_tzid(
                calendar.time_zone,
                first_date=dt.date(years[0], 1, 1),
                last_date=dt.date(years[-1] + 1, 1, 1),
            )
        )
    head: bytes = ical.to_ical()
    end = b"END:VCALENDAR\r\n"
    events_bytes = b"".join(item for _d, _i, item in sorted(rows, key=lambda r: (r[0], r[1])))
    return head[: -len(end)] + events_bytes + end
