"""Page titles: the one place that says what each generated page is called, and Confluence's
rule for titles — the one rule validation, observe and the planner all use.

Confluence keeps titles unique per space by comparing them lower-cased the way Java's
``String.toLowerCase`` does (``ß`` stays ``ß``, so "Straße" and "STRASSE" are two titles; no
Unicode normalisation), and counts a title's length in Java ``char``s (UTF-16 code units), at
most 255 (cloud-v1.json ``ContentCreate.title`` maxLength; a code point beyond the BMP, such
as an emoji, is two). ``title_key`` and ``title_length`` are that rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal, Protocol

from confluence_sync.config.model import Language, Network, WorkingGroup

FixedPage = Literal["member_directory", "meetings", "group_members", "archive", "minutes_template"]

# Fixed titles per language. The hub home page is called like the network, a group's home page
# like the group; everything else has a fixed name in the network's language.
FIXED_TITLES: Final[dict[Language, dict[FixedPage, str]]] = {
    "de": {
        "member_directory": "Mitgliederverzeichnis",
        "meetings": "Treffen",
        "group_members": "Mitglieder",
        "archive": "Archiv",
        "minutes_template": "Vorlage: Protokoll eines Treffens",
    },
    "en": {
        "member_directory": "Member directory",
        "meetings": "Meetings",
        "group_members": "Members",
        "archive": "Archive",
        "minutes_template": "Template: meeting minutes",
    },
}

_DEFAULT_MEETING_TITLE: Final[dict[Language, str]] = {
    "de": "Treffen bei {host}",
    "en": "Meeting at {host}",
}

# Pages that exist in every working-group space besides its home page and meeting pages.
GROUP_FIXED_PAGES: Final[tuple[FixedPage, ...]] = (
    "meetings",
    "group_members",
    "archive",
    "minutes_template",
)
HUB_FIXED_PAGES: Final[tuple[FixedPage, ...]] = ("member_directory",)


class _DatedTitled(Protocol):
    """Anything with a date and a title, e.g. ``PlannedMeeting``."""

    @property
    def title(self) -> str: ...

    @property
    def date(self) -> dt.date: ...


def fixed_title(page: FixedPage, language: Language) -> str:
    """The title of a fixed page (directory, meetings parent, ...) in ``language``."""
    return FIXED_TITLES[language][page]


def hub_home_title(network: Network) -> str:
    """Title of the hub space's home page: the network's name."""
    return network.name


def group_home_title(group: WorkingGroup) -> str:
    """Title of a working group's home page: the group's name."""
    return group.name


def default_meeting_title(language: Language, host_name: str) -> str:
    """Title of a generated meeting, e.g. 'Treffen bei HANSA-FLEX AG'."""
    return _DEFAULT_MEETING_TITLE[language].format(host=host_name)


def meeting_page_title(meeting: _DatedTitled) -> str:
    """Title of a meeting page: ``YYYY-MM-DD <title>``, e.g. '2026-03-12 Frühjahrstreffen'."""
    return f"{meeting.date.isoformat()} {meeting.title}"


MAX_TITLE_LENGTH: Final = 255  # UTF-16 code units (Java chars)


def title_key(title: str) -> str:
    """The form in which Confluence treats two titles of one space as the same: lower-cased
    as Java lower-cases (Python's ``str.lower`` agrees: ``ß`` stays, unlike ``casefold``)."""
    return title.lower()


def title_length(title: str) -> int:
    """A title's length as Confluence counts it: UTF-16 code units."""
    return len(title.encode("utf-16-le")) // 2
