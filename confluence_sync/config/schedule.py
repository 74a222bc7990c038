"""Expand a working group's schedule into concrete meetings, deterministically for a given day.

The rules (also in the README):

* **Date rule.** A generated meeting falls on the ``week``-th ``weekday`` of each month listed in
  ``schedule.months`` (``week: -1`` = the last such weekday). Default: the second Thursday.
* **Slots.** Every (year, listed month) is a slot. Slots are numbered in one absolute sequence:
  slot 0 is the first listed month on or after ``schedule.start`` or, without ``start``, the
  first listed month of the year 2000. Numbering never depends on the day of the run, so a
  meeting keeps its host as time passes.
* **Hosts.** With ``rotate_hosts`` slot *n* is hosted by ``members[(n + k) % len(members)]``;
  without it by the lead's organisation if that is a member, else by the first member. ``k`` is
  0 unless a kick-off opened the rotation: when explicit meetings lie between ``schedule.start``
  and slot 0 (a kick-off in a month the schedule does not list, or before slot 0's month), the
  rotation goes on after the host of the last of them (``k`` = that host's place + 1), so the
  kick-off's host does not host the first scheduled meeting too. ``k`` depends only on the
  config, never on the day of the run, so hosts stay stable as time passes.
* **Horizon.** The next ``horizon`` slots on or after today are kept provisioned. A slot whose
  month already has an explicit meeting is taken by that meeting (it counts towards the
  horizon); the others become generated meetings.
* **Explicit meetings** always stay in the list, past ones too: they have pages.
* **Past slots.** A generated meeting whose day has passed is no longer expanded, yet it is
  not removed from the config; nor is a slot beyond the horizon as seen from an earlier day
  (a run in another time zone). Every listed month from ``first_slot`` on is a slot, and the
  planner leaves such pages alone; only a month the schedule no longer covers is archived.
* **Identity** (see ``identities``), never the title or the date, so a retitled or moved
  meeting updates its page instead of making a new one. A generated meeting is its slot,
  counted within its year: ``group/UPX/meeting/slot/2026-2`` is the meeting of the second
  listed month of 2026, so moving the schedule's months ([3, 9] to [4, 10]) moves each
  meeting's page with it. An explicit meeting with an ``id`` is that id
  (``meeting/id/kickoff``: it may move to any date); one without takes the slot of its month
  when that is a schedule month, else it is its month (``meeting/2026-03``). Every meeting
  also knows its month identity, the one all meetings had before slots, so the pages of an
  existing wiki are taken over, not made again.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Literal

from confluence_sync.config.identities import PageIdentity
from confluence_sync.config.model import Meeting, NetworkConfig, Schedule, WorkingGroup
from confluence_sync.config.titles import default_meeting_title

WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EPOCH_YEAR: Final = 2000

MeetingSource = Literal["config", "schedule"]


@dataclass(frozen=True)
class PlannedMeeting:
    """One concrete meeting of a working group, explicit or generated."""

    group: str
    identity: PageIdentity
    date: dt.date
    host: str
    title: str
    agenda: tuple[str, ...]
    place: str | None
    source: MeetingSource
    # The identity by month (``meeting/2026-03``) that every meeting had before slots and
    # ids: an existing wiki's page of this meeting is still recorded under it.
    formerly: PageIdentity | None = None
    start_time: str | None = None  # "HH:MM"
    end_time: str | None = None
    online: str | None = None


def meeting_identity(group: WorkingGroup, day: dt.date) -> PageIdentity:
    """The month identity of the meeting of ``group`` in the month of ``day``
    (``group/UPX/meeting/2026-03``): an explicit meeting's without id or slot, and every
    meeting's former one."""
    return PageIdentity.meeting(group.key, day.year, day.month)


def _identity(group: WorkingGroup, day: dt.date, name: str | None) -> PageIdentity:
    """A meeting's identity: its ``id``, else the slot of its month, else its month."""
    if name is not None:
        return PageIdentity.named_meeting(group.key, name)
    schedule = group.schedule
    first = first_slot(group)
    # A schedule month from the first slot on: the slot's identity.
    if schedule and first and day.month in schedule.months and (day.year, day.month) >= first:
        number = _months(schedule).index(day.month) + 1
        return PageIdentity.slot_meeting(group.key, day.year, number)
    return meeting_identity(group, day)


def meeting_day(schedule: Schedule, year: int, month: int) -> dt.date:
    """The date of the scheduled meeting in ``year``/``month`` (the documented date rule)."""
    weekday = WEEKDAYS.index(schedule.weekday)
    first = dt.date(year, month, 1)
    first_match = 1 + (weekday - first.weekday()) % 7
    if schedule.week == -1:
        last_day = calendar.monthrange(year, month)[1]
        day = first_match + 7 * ((last_day - first_match) // 7)
    else:
        day = first_match + 7 * (schedule.week - 1)
    return dt.date(year, month, day)


def _months(schedule: Schedule) -> list[int]:
    return sorted(set(schedule.months))


def _slot_number(schedule: Schedule, year: int, month: int) -> int:
    """Position of (year, month) in the schedule's absolute sequence of slots."""
    months = _months(schedule)
    absolute = year * len(months) + months.index(month)
    if schedule.start is None:
        origin = EPOCH_YEAR * len(months)
    else:
        later = [m for m in months if m >= schedule.start.month]
        origin = (
            schedule.start.year * len(months) + months.index(later[0])
            if later
            else (schedule.start.year + 1) * len(months)
        )
    return absolute - origin


def _slots_from(schedule: Schedule, today: dt.date) -> Iterator[tuple[int, int, dt.date]]:
    """(year, month, date) of every slot on or after ``today``, in order, without end."""
    year = today.year
    while True:
        for month in _months(schedule):
            day = meeting_day(schedule, year, month)
            if day >= today:
                yield year, month, day
        year += 1


def first_slot(group: WorkingGroup) -> tuple[int, int] | None:
    """(year, month) of slot 0 of the group's schedule — ``schedule.start``'s first listed
    month, or the first listed month of the year 2000 — or None without a schedule or members.
    Every listed month from there on is a slot, whatever the day of the run."""
    schedule = group.schedule
    if schedule is None or not group.members:
        return None
    months = _months(schedule)
    if schedule.start is None:
        return EPOCH_YEAR, months[0]
    later = [m for m in months if m >= schedule.start.month]
    return (schedule.start.year, later[0]) if later else (schedule.start.year + 1, months[0])


def rotation_offset(group: WorkingGroup) -> int:
    """How many places the rotation is moved on by a kick-off (``k`` in the module docstring).

    Only explicit meetings from ``schedule.start`` up to the month before slot 0 count: those
    opened the group before its schedule began. Without ``start`` slot 0 lies in the year 2000,
    so nothing precedes it; meetings before ``start`` are history the rotation does not follow.
    """
    schedule = group.schedule
    first = first_slot(group)
    if schedule is None or schedule.start is None or first is None:
        return 0
    start = schedule.start
    openers = [
        m
        for m in group.meetings
        if m.date >= start and (m.date.year, m.date.month) < first and m.host in group.members
    ]
    if not openers:
        return 0
    last = max(openers, key=lambda meeting: meeting.date)
    return group.members.index(last.host) + 1


def _fixed_host(config: NetworkConfig, group: WorkingGroup) -> str:
    lead_organisation = config.organisation_of(group.lead)
    if lead_organisation is not None and lead_organisation.id in group.members:
        return lead_organisation.id
    return group.members[0]


def _planned(
    config: NetworkConfig,
    group: WorkingGroup,
    day: dt.date,
    host: str,
    source: Meeting | Schedule,
) -> PlannedMeeting:
    """The meeting on ``day`` hosted by ``host``; ``source`` is the explicit meeting, or the
    schedule that generated it (times and online link come from either)."""
    organisation = config.organisation(host)
    host_name = organisation.name if organisation else host
    explicit = source if isinstance(source, Meeting) else None
    place = explicit.place if explicit else None
    if place is None and organisation is not None and organisation.city:
        place = organisation.city
    identity = _identity(group, day, explicit.id if explicit else None)
    former = meeting_identity(group, day)
    return PlannedMeeting(
        group=group.key,
        identity=identity,
        date=day,
        host=host,
        title=(explicit.title if explicit else None)
        or default_meeting_title(config.network.language, host_name),
        agenda=tuple(explicit.agenda) if explicit else (),
        place=place,
        source="config" if explicit else "schedule",
        formerly=former if former != identity else None,
        start_time=source.start_time,
        end_time=source.end_time,
        online=source.online,
    )


def expand_meetings(
    config: NetworkConfig, group: WorkingGroup, today: dt.date
) -> list[PlannedMeeting]:
    """Every meeting of ``group`` as of ``today``: all explicit ones, plus generated ones for
    the next ``schedule.horizon`` slots not taken by an explicit meeting; sorted by date."""
    planned = [_planned(config, group, m.date, m.host, m) for m in group.meetings]
    schedule = group.schedule
    if schedule is not None and group.members:
        taken = {(m.date.year, m.date.month) for m in group.meetings}
        offset = rotation_offset(group)
        slots = _slots_from(schedule, today)
        for _ in range(schedule.horizon):
            year, month, day = next(slots)
            if (year, month) in taken:
                continue
            if schedule.rotate_hosts:
                number = _slot_number(schedule, year, month)
                host = group.members[(number + offset) % len(group.members)]
            else:
                host = _fixed_host(config, group)
            planned.append(_planned(config, group, day, host, schedule))
    return sorted(planned, key=lambda meeting: (meeting.date, meeting.identity))
