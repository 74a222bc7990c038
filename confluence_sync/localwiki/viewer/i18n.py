"""The reader's language in the viewer: which one a request gets, dates in it, and the words the
rendered macros use (report headings, empty-report notes). Pure, no I/O.

Which language: Confluence renders a page in the *reader's* language, not the page's — dates,
report headings and messages follow the session's language, chosen "in the following order of
priority": the user's profile language, the language picked on the login screen (kept in a
cookie), the browser's ``Accept-Language`` ("the first supported language in that list"), then
the site's default language (Confluence 7.14, "Edit Your User Settings › More about Language",
https://confluence.atlassian.com/conf714/edit-your-user-settings-1087524874.html). The local
wiki has no profile language, so :func:`choose_language` takes the cookie, then the browser's
list, then the viewer's default (English, Confluence's own default). A German member with a
German browser therefore sees German pages with German dates, as in Confluence; anyone can
switch with the viewer's language links (the cookie).

Dates: a ``<time datetime>`` lozenge is shown in the reader's language with its weekday, as the
members asked (issue 11): ``Do., 12. März 2026`` in German, ``Thu, Mar 12, 2026`` in English (the
CLDR medium forms with the short weekday). The month and day names are written out here for the
two languages the sync writes pages in (``de``, ``en``), so the viewer needs no locale database.

Imports: nothing of the local wiki.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

LANGUAGES = ("en", "de")
DEFAULT_LANGUAGE = "en"
COOKIE = "localwiki-lang"

_WEEKDAYS = {
    "de": ("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS = {
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
# What the rendered macros say. Confluence's own wording where we know it ("Title" is the
# Page Properties Report's default first column); the empty-report notes are ours.
_WORDS = {
    "en": {
        "title": "Title",
        "description": "Description",
        "duedate": "Due date",
        "assignee": "Assignee",
        "location": "Task appears on",
        "no-content": "No content found.",
        "no-tasks": "No tasks found.",
        "shown": "Showing {shown} of {total}.",
        "bad-cql": "The report's query cannot be run: {error}",
        "nested": "(a report inside a report is not shown)",
        # The page byline, worded as Confluence Data Center's.
        "byline": "Created by {creator}, last modified by {updater} on {day}",
        "version": "version {number}",
        "page-info": "page information",
        "attachments": "Attachments",
    },
    "de": {
        "title": "Titel",
        "description": "Beschreibung",
        "duedate": "Fälligkeitsdatum",
        "assignee": "Zugewiesen an",
        "location": "Seite",
        "no-content": "Keine Inhalte gefunden.",
        "no-tasks": "Keine Aufgaben gefunden.",
        "shown": "{shown} von {total} angezeigt.",
        "bad-cql": "Die Abfrage des Berichts kann nicht ausgeführt werden: {error}",
        "nested": "(ein Bericht in einem Bericht wird nicht angezeigt)",
        "byline": "Erstellt von {creator}, zuletzt geändert von {updater} am {day}",
        "version": "Version {number}",
        "page-info": "Seiteninformationen",
        "attachments": "Anhänge",
    },
}


def supported(language: str | None) -> str | None:
    """``language`` as one of :data:`LANGUAGES` (``de-DE`` → ``de``), or None."""
    if not language:
        return None
    primary = language.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else None


def choose_language(
    cookie: str | None, accepted: Iterable[str], default: str = DEFAULT_LANGUAGE
) -> str:
    """The session's language: the cookie, else the first supported browser language (in the
    browser's order of preference), else ``default``."""
    for candidate in (cookie, *accepted):
        found = supported(candidate)
        if found:
            return found
    return supported(default) or DEFAULT_LANGUAGE


def parse_date(value: str) -> dt.date | None:
    """The day of a ``datetime`` attribute (``2026-03-12`` or a full ISO timestamp), or None."""
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def format_date(day: dt.date, language: str) -> str:
    """``day`` with its weekday, in ``language`` (unknown languages fall back to English)."""
    lang = supported(language) or DEFAULT_LANGUAGE
    weekday = _WEEKDAYS[lang][day.weekday()]
    month = _MONTHS[lang][day.month - 1]
    if lang == "de":
        return f"{weekday}, {day.day}. {month} {day.year}"
    return f"{weekday}, {month} {day.day}, {day.year}"


def word(language: str, key: str, **values: object) -> str:
    """One of the macros' words in ``language``, with ``values`` filled in."""
    words = _WORDS.get(supported(language) or DEFAULT_LANGUAGE, _WORDS[DEFAULT_LANGUAGE])
    return words[key].format(**values)


__all__ = [
    "COOKIE",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "choose_language",
    "format_date",
    "parse_date",
    "supported",
    "word",
]
