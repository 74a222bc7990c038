"""Expand a working group's schedule into concrete meetings, deterministically for a given day.

The rules (also in the README):

* **Date rule.** A generated meeting falls on the ``week``-th ``weekday`` of each month listed in
  ``schedule.months`` (``week: -1`` = the last such weekday). Default: the second Thursday.
* **Slots.** Every (year, listed month) is a slot. Slots are numbered in one absolute sequence:
  slot 0 is the first listed month on or after ``schedule.start`` or, without ``start``, the
  first listed month of the year 2000. Numbering never depends on the day of the run, so a
  meeting keeps its host as time passes.
* **Hosts.** With ``rotate_hosts`` slot *n* is hosted by ``members[n % len(members)]``; without
  it by the lead's organisation if that is a member, else by the first member.
* **Horizon.** The next ``horizon`` slots on or after today are kept provisioned. A slot whose
  month already has an explicit meeting is taken by that meeting (it counts towards the
  horizon); the others become generated meetings.
* **Explicit meetings** always stay in the list, past ones too: they have pages.
* **Past slots.** A generated meeting whose day has passed is no longer expanded, yet it is
  not removed from the config; nor is a slot beyond the horizon as seen from an earlier day
  (a run in another time zone). Every listed month from ``first_slot`` on is a slot, and the
  planner leaves such pages alone; only a month the schedule no longer covers is archived.
* **Identity.** Every meeting is identified by its group and month
  (``group/UPX/meeting/2026-03``, see ``identities``), so moving a meeting within its month, or
  retitling it, updates its page instead of making a new one.
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


def meeting_identity(group: WorkingGroup, day: dt.date) -> PageIdentity:
    """Stable identity of the meeting of ``group`` in the month of ``day``:
    ``group/UPX/meeting/2026-03``."""
    return PageIdentity.meeting(group.key, day.year, day.month)


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
    title: str | None,
    agenda: tuple[str, ...],
    place: str | None,
    source: MeetingSource,
) -> PlannedMeeting:
    organisation = config.organisation(host)
    host_name = organisation.name if organisation else host
    if place is None and organisation is not None and organisation.city:
        place = organisation.city
    return PlannedMeeting(
        group=group.key,
        identity=meeting_identity(group, day),
        date=day,
        host=host,
        title=title or default_meeting_title(config.network.language, host_name),
        agenda=agenda,
        place=place,
        source=source,
    )


def _explicit(config: NetworkConfig, group: WorkingGroup, meeting: Meeting) -> PlannedMeeting:
    return _planned(
        config,
        group,
        meeting.date,
        meeting.host,
        meeting.title,
        tuple(meeting.agenda),
        meeting.place,
        "config",
    )


def expand_meetings(
    config: NetworkConfig, group: WorkingGroup, today: dt.date
) -> list[PlannedMeeting]:
    """Every meeting of ``group`` as of ``today``: all explicit ones, plus generated ones for
    the next ``schedule.horizon`` slots not taken by an explicit meeting; sorted by date."""
    planned = [_explicit(config, group, meeting) for meeting in group.meetings]
    schedule = group.schedule
    if schedule is not None and group.members:
        taken = {(m.date.year, m.date.month) for m in group.meetings}
        slots = _slots_from(schedule, today)
        for _ in range(schedule.horizon):
            year, month, day = next(slots)
            if (year, month) in taken:
                continue
            if schedule.rotate_hosts:
                number = _slot_number(schedule, year, month)
                host = group.members[number % len(group.members)]
            else:
                host = _fixed_host(config, group)
            planned.append(_planned(config, group, day, host, None, (), None, "schedule"))
    return sorted(planned, key=lambda meeting: (meeting.date, meeting.identity))
