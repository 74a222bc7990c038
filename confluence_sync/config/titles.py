"""Page titles: the one place that says what each generated page is called.

The validation rule "no two pages of one space share a title" and the sync engine must agree on
titles, so both call these functions. Confluence compares titles within a space without regard
to case; ``title_key`` is the form we compare (Unicode NFC, then lower case).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
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


def title_key(title: str) -> str:
    """The form in which Confluence treats two titles of one space as the same."""
    return unicodedata.normalize("NFC", title).strip().lower()
