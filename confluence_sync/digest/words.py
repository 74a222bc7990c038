"""Every word the digest shows or reads, per network language (``network.language``: de, en),
in one place.

The headings and row labels the page parser looks for are those our meeting templates write
(``templates/de/meeting.j2``, ``templates/en/meeting.j2``; ``tests/unit/digest`` checks them
against the templates). Both languages' labels are read whatever the network's language is, so
a page written before a change of language still parses.

Imports nothing of the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Language = Literal["de", "en"]


@dataclass(frozen=True)
class Labels:
    """What a meeting page of one language calls its sections and fact rows."""

    attendees: str
    minutes: str
    decisions: str
    tasks: str
    date: str
    time: str
    host: str
    place: str
    online: str


LABELS: Final[dict[Language, Labels]] = {
    "de": Labels(
        attendees="Teilnehmende",
        minutes="Protokoll",
        decisions="Beschlüsse",
        tasks="Aufgaben",
        date="Datum",
        time="Uhrzeit",
        host="Gastgeber",
        place="Ort",
        online="Online",
    ),
    "en": Labels(
        attendees="Attendees",
        minutes="Minutes",
        decisions="Decisions",
        tasks="Action items",
        date="Date",
        time="Time",
        host="Host",
        place="Place",
        online="Online",
    ),
}


def section_of(heading: str) -> str | None:
    """Which section a heading opens (``attendees``, ``minutes``, ``decisions``, ``tasks``),
    in either language; None for any other heading."""
    text = " ".join(heading.split()).casefold()
    for labels in LABELS.values():
        for name in ("attendees", "minutes", "decisions", "tasks"):
            if getattr(labels, name).casefold() == text:
                return name
    return None


def fact_of(label: str) -> str | None:
    """Which fact a row label of the key-facts table names, in either language."""
    text = " ".join(label.split()).casefold()
    for labels in LABELS.values():
        for name in ("date", "time", "host", "place", "online"):
            if getattr(labels, name).casefold() == text:
                return name
    return None


@dataclass(frozen=True)
class Wording:
    """The words of a rendered digest."""

    title: str
    period: str  # "{since}" … "{until}"
    as_of: str  # "as of {day}"
    held: str
    upcoming: str
    none: str
    host: str
    place: str
    online: str
    link: str
    attendance: str
    no_attendance: str
    decisions: str
    tasks: str
    open: str
    done: str
    overdue: str
    due: str
    unassigned: str
    unknown_user: str
    totals: str
    meetings_held: str
    meetings_upcoming: str
    group: str
    # the published page: what its paragraph below the digest tells members
    refreshed: str


WORDING: Final[dict[Language, Wording]] = {
    "de": Wording(
        title="Bericht: {network}",
        period="Zeitraum {since} bis {until}",
        as_of="Stand {day}",
        held="Treffen, die stattfanden",
        upcoming="Kommende Treffen",
        none="keine",
        host="Gastgeber",
        place="Ort",
        online="Online",
        link="Seite",
        attendance="Teilnehmende",
        no_attendance="keine Namen eingetragen",
        decisions="Beschlüsse",
        tasks="Aufgaben",
        open="offen",
        done="erledigt",
        overdue="überfällig",
        due="fällig",
        unassigned="nicht zugewiesen",
        unknown_user="unbekanntes Konto",
        totals="Summen für das Netzwerk",
        meetings_held="Treffen stattgefunden",
        meetings_upcoming="Treffen geplant",
        group="Arbeitskreis",
        refreshed=(
            "Der Bericht oben wird bei jedem Sync aus den Treffen-Seiten neu geschrieben. "
            "Eigene Notizen bitte unter diese Zeile schreiben: sie bleiben stehen."
        ),
    ),
    "en": Wording(
        title="Digest: {network}",
        period="Period {since} to {until}",
        as_of="As of {day}",
        held="Meetings held",
        upcoming="Upcoming meetings",
        none="none",
        host="Host",
        place="Place",
        online="Online",
        link="Page",
        attendance="Attendees",
        no_attendance="no names recorded",
        decisions="Decisions",
        tasks="Action items",
        open="open",
        done="done",
        overdue="overdue",
        due="due",
        unassigned="unassigned",
        unknown_user="unknown account",
        totals="Totals for the network",
        meetings_held="meetings held",
        meetings_upcoming="meetings upcoming",
        group="Working group",
        refreshed=(
            "The digest above is rewritten from the meeting pages by each sync. "
            "Write your own notes below this line: they stay."
        ),
    ),
}
