"""Dates and times as the pages say them, in the page's language: ``Do., 12. März 2026``,
``14:00–16:30 Uhr``; ``Thu 12 March 2026``, ``14:00–16:30``.

Spelled out here rather than through the C library's locales: a machine running the sync
may have no German locale installed, and the page must not depend on where it was rendered.
(The ``<time datetime>`` lozenge stays where a report sorts by the date: Confluence shows it
in each reader's own locale.)

Imports: config (the language type) only.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from confluence_sync.config.model import Language

_WEEKDAYS: Final = {
    "de": ("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS: Final = {
    "de": (
        "Januar", "Februar", "März", "April", "Mai", "Juni",
        "Juli", "August", "September", "Oktober", "November", "Dezember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip


def long_date(day: dt.date, language: Language) -> str:
    """``Do., 12. März 2026`` / ``Thu 12 March 2026``."""
    weekday = _WEEKDAYS[language][day.weekday()]
    month = _MONTHS[language][day.month - 1]
    if language == "de":
        return f"{weekday}, {day.day}. {month} {day.year}"
    return f"{weekday} {day.day} {month} {day.year}"


def time_span(start: str | None, end: str | None, language: Language) -> str:
    """``14:00–16:30 Uhr`` / ``14:00–16:30``; ``ab 14:00 Uhr`` / ``from 14:00``; "" without
    a start time. ``start`` and ``end`` are ``HH:MM`` (the config checked them)."""
    if start is None:
        return ""
    if end is None:
        return f"ab {start} Uhr" if language == "de" else f"from {start}"
    return f"{start}–{end} Uhr" if language == "de" else f"{start}–{end}"


def when(day: dt.date, start: str | None, end: str | None, language: Language) -> str:
    """The date with its weekday, and the time where the config gives one."""
    span = time_span(start, end, language)
    return f"{long_date(day, language)}, {span}" if span else long_date(day, language)
