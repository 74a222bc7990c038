"""The digest's values: what a meeting page records, per meeting, per group and for the whole
network. Plain frozen data; :mod:`.render` words it, :meth:`Digest.to_json` is its JSON form.

Imports: ``digest.words`` (the language type) only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from confluence_sync.digest.words import Language


@dataclass(frozen=True)
class Task:
    """An action item as the page stores it. ``assignee``: the account the task mentions
    (DC userKey, Cloud accountId; "" when none), ``assignee_name`` its display name ("" when
    the site does not know it)."""

    text: str
    done: bool
    assignee: str = ""
    assignee_name: str = ""
    due: dt.date | None = None

    def overdue(self, day: dt.date) -> bool:
        return not self.done and self.due is not None and self.due < day


@dataclass(frozen=True)
class Attendance:
    """One line of the attendees list: an organisation and the names members wrote ("" when
    nobody filled it in)."""

    organisation: str
    names: str


@dataclass(frozen=True)
class Recorded:
    """What one meeting page records, as parsed (no names resolved yet)."""

    day: dt.date | None = None
    time: str = ""
    host: str = ""
    place: str = ""
    online: str = ""
    attendance: tuple[Attendance, ...] = ()
    decisions: tuple[str, ...] = ()
    tasks: tuple[Task, ...] = ()


@dataclass(frozen=True)
class Meeting:
    """A meeting of a group, its page and what the page records."""

    identity: str
    title: str
    page_id: str
    link: str
    day: dt.date
    held: bool
    recorded: Recorded

    @property
    def attended(self) -> tuple[Attendance, ...]:
        """The organisations with names filled in."""
        return tuple(a for a in self.recorded.attendance if a.names)


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    space_key: str
    meetings: tuple[Meeting, ...]  # by day

    @property
    def held(self) -> tuple[Meeting, ...]:
        return tuple(m for m in self.meetings if m.held)

    @property
    def upcoming(self) -> tuple[Meeting, ...]:
        return tuple(m for m in self.meetings if not m.held)


@dataclass(frozen=True)
class Totals:
    held: int
    upcoming: int
    decisions: int
    open: int
    done: int
    overdue: int


@dataclass(frozen=True)
class Digest:
    """The network's digest as of ``day`` (``--until``, else today), from ``since`` on."""

    network: str
    language: Language
    day: dt.date
    since: dt.date | None
    groups: tuple[Group, ...]

    @property
    def totals(self) -> Totals:
        held = [m for g in self.groups for m in g.held]
        tasks = [t for m in held for t in m.recorded.tasks]
        return Totals(
            held=len(held),
            upcoming=sum(len(g.upcoming) for g in self.groups),
            decisions=sum(len(m.recorded.decisions) for m in held),
            open=sum(1 for t in tasks if not t.done),
            done=sum(1 for t in tasks if t.done),
            overdue=sum(1 for t in tasks if t.overdue(self.day)),
        )

    def to_json(self) -> dict[str, Any]:
        totals = self.totals
        return {
            "network": self.network,
            "language": self.language,
            "as_of": self.day.isoformat(),
            "since": self.since.isoformat() if self.since else None,
            "groups": [
                {
                    "key": g.key,
                    "name": g.name,
                    "space": g.space_key,
                    "meetings": [_meeting_json(m, self.day) for m in g.meetings],
                }
                for g in self.groups
            ],
            "totals": {
                "meetings_held": totals.held,
                "meetings_upcoming": totals.upcoming,
                "decisions": totals.decisions,
                "tasks_open": totals.open,
                "tasks_done": totals.done,
                "tasks_overdue": totals.overdue,
            },
        }


def _meeting_json(meeting: Meeting, day: dt.date) -> dict[str, Any]:
    recorded = meeting.recorded
    return {
        "identity": meeting.identity,
        "title": meeting.title,
        "date": meeting.day.isoformat(),
        "status": "held" if meeting.held else "upcoming",
        "time": recorded.time or None,
        "host": recorded.host or None,
        "place": recorded.place or None,
        "online": recorded.online or None,
        "page_id": meeting.page_id,
        "link": meeting.link,
        "attendance": [
            {"organisation": a.organisation, "names": a.names} for a in recorded.attendance
        ],
        "decisions": list(recorded.decisions),
        "tasks": [
            {
                "text": t.text,
                "status": "done" if t.done else "open",
                "overdue": t.overdue(day),
                "assignee": t.assignee or None,
                "assignee_name": t.assignee_name or None,
                "due": t.due.isoformat() if t.due else None,
            }
            for t in recorded.tasks
        ],
    }
