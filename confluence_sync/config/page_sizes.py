"""How large the pages a config makes can get: an upper bound per page, checked against the
body limit Confluence enforces, so a file that validates never ends in a 413 halfway through a
sync.

Confluence refuses a request body above 5 MB, 5,242,880 bytes (confluence-api.md §10.2 and the
v1/v2 specs' 413; our local wiki's ``web/app.py`` ``MAX_BODY``). Per-field limits (``model``)
are not enough: the member directory lists every organisation with its contacts and groups, a
group's home page every member and upcoming meeting, so only the sum over a page can be checked.

The bound mirrors the built-in templates (``templates/<language>/*.j2``) without rendering
them (``config`` may not import ``wanted``): for each page it adds, for every config text the
template shows, the bytes that text takes once escaped for XML (``&`` → ``&amp;``, ``"`` →
``&#34;``, ...) and then written as JSON with ASCII escapes (``ä`` → ``\\u00e4``, an emoji → two
``\\uXXXX``), which is how the backends send a body; plus a generous allowance for the markup
around each item and for the template's own text. tests/unit/config/test_page_sizes.py renders
configs with many and long values and holds that the bound is never below the real body.
Custom templates are the admin's: they may show anything, so they are not bounded here.

May import: config.model, config.schedule, config.titles (nothing outside config).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from confluence_sync.config.model import NetworkConfig, Organisation, WorkingGroup, space_key
from confluence_sync.config.schedule import PlannedMeeting, expand_meetings
from confluence_sync.config.titles import meeting_page_title

MAX_BODY: Final = 5_242_880
# Room for the rest of the request: title, space, parent, version, representation (< 4 KB).
PAGE_BUDGET: Final = MAX_BODY - 16_384
# The template's own text (the largest built-in page template with its macros is under 5 KB of
# text; as JSON, quotes in the markup double), and the markup around one listed item (a table
# row, a list item with a page link: at most ~300 characters of markup).
_TEMPLATE: Final = 32_768
_ITEM: Final = 512
_WHEN: Final = 128  # "Donnerstag, 12. März 2026, 14:00–17:30 Uhr" and its escapes
UPCOMING_ON_HUB: Final = 10  # the hub lists this many upcoming meetings (wanted/build.py)

_ESCAPE_EXTRA: Final = {"&": 4, "<": 3, ">": 3, '"': 4, "'": 4, "\\": 1, "\n": 1, "\r": 1, "\t": 1}


def storage_bytes(text: str | None) -> int:
    """Bytes ``text`` takes in a page body sent as JSON: XML-escaped, then JSON-escaped with
    ASCII escapes (6 bytes per UTF-16 unit outside ASCII)."""
    if not text:
        return 0
    extra = sum(text.count(char) * more for char, more in _ESCAPE_EXTRA.items())
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    astral = sum(1 for char in text if ord(char) > 0xFFFF) if non_ascii else 0
    return len(text) + extra + 5 * non_ascii + 6 * astral


def _contacts(organisation: Organisation, *, phone: bool) -> int:
    return sum(
        _ITEM
        + storage_bytes(c.name)
        + storage_bytes(c.role)
        + 2 * storage_bytes(c.email)
        + (storage_bytes(c.phone) if phone else 0)
        for c in organisation.contacts
    )


class _Sizes:
    """The bounds of one config's pages; organisations looked up once, by id."""

    def __init__(self, config: NetworkConfig) -> None:
        self.config = config
        self.by_id: dict[str, Organisation] = {}
        for organisation in config.organisations:
            self.by_id.setdefault(organisation.id, organisation)

    def members(self, group: WorkingGroup) -> list[Organisation]:
        return [self.by_id[m] for m in group.members if m in self.by_id]

    def host(self, meeting: PlannedMeeting) -> int:
        host = self.by_id.get(meeting.host)
        return storage_bytes(host.name if host else meeting.host)

    def directory(self) -> int:
        """The member directory: every organisation, its contacts and its groups."""
        config = self.config
        links: dict[str, int] = {}  # organisation id → its links to groups
        for group in config.working_groups:
            link = _ITEM + storage_bytes(group.name) + len(space_key(config.network, group))
            for member in set(group.members):
                links[member] = links.get(member, 0) + link
        total = _TEMPLATE + storage_bytes(config.network.name)
        for organisation in config.organisations:
            total += 4 * _ITEM + storage_bytes(organisation.name)
            total += storage_bytes(organisation.sector) + storage_bytes(organisation.city)
            total += storage_bytes(organisation.address) + 2 * storage_bytes(organisation.website)
            total += _contacts(organisation, phone=True) + links.get(organisation.id, 0)
        return total

    def meeting_line(self, group: WorkingGroup, meeting: PlannedMeeting) -> int:
        """One meeting in a list: when, a link to its page (title twice), place, group."""
        return (
            _ITEM
            + _WHEN
            + len(space_key(self.config.network, group))
            + storage_bytes(meeting_page_title(meeting))
            + storage_bytes(meeting.title)
            + storage_bytes(meeting.place)
            + storage_bytes(group.name)
            + self.host(meeting)
        )

    def hub_home(self, upcoming: list[list[PlannedMeeting]]) -> int:
        """The hub's home page: every group with its purpose and next meeting, and the next
        few meetings of the whole network."""
        network = self.config.network
        total = _TEMPLATE + storage_bytes(network.name) + storage_bytes(network.description)
        lines: list[int] = []
        for group, found in zip(self.config.working_groups, upcoming, strict=True):
            total += 2 * _ITEM + 2 * storage_bytes(group.name) + storage_bytes(group.purpose)
            group_lines = [self.meeting_line(group, m) for m in found]
            total += max(group_lines, default=0)
            lines += group_lines
        return total + sum(sorted(lines, reverse=True)[:UPCOMING_ON_HUB])

    def group_pages(self, group: WorkingGroup, upcoming: list[PlannedMeeting]) -> int:
        """The larger of a group's home page (members, topics, upcoming meetings) and its
        members page (members with their contacts); both list every member."""
        config = self.config
        members = self.members(group)
        lead = config.contact(group.lead)
        lead_organisation = config.organisation_of(group.lead)
        home = _TEMPLATE + storage_bytes(group.name) + storage_bytes(group.purpose)
        home += storage_bytes(lead.name if lead else "")
        home += storage_bytes(lead_organisation.name if lead_organisation else "")
        home += sum(_ITEM + storage_bytes(o.name) for o in members)
        home += sum(4 + storage_bytes(topic) for topic in group.topics)
        home += sum(self.meeting_line(group, m) for m in upcoming)
        listing = _TEMPLATE + storage_bytes(group.name)
        for organisation in members:
            listing += _ITEM + storage_bytes(organisation.name)
            listing += storage_bytes(organisation.sector) + storage_bytes(organisation.city)
            listing += _contacts(organisation, phone=False)
        return max(home, listing)

    def meeting_page(self, meeting: PlannedMeeting, invited: int) -> int:
        """A meeting's page: its facts, its agenda and every invited member (``invited``:
        the bytes of their names, each named twice)."""
        return (
            _TEMPLATE
            + _WHEN
            + storage_bytes(meeting.title)
            + 2 * storage_bytes(meeting.online)
            + self.host(meeting)
            + storage_bytes(meeting.place)
            + invited
            + sum(_ITEM + storage_bytes(item) for item in meeting.agenda)
        )


@dataclass(frozen=True)
class PageBound:
    """The bound of one page: ``page`` is "directory", "hub", "group" (its home and members
    pages) or "meeting"; ``group`` the index in ``working_groups``; ``meeting`` for a
    meeting's page."""

    page: str
    size: int
    group: int | None = None
    meeting: PlannedMeeting | None = None


def bounds(config: NetworkConfig, today: dt.date) -> Iterator[PageBound]:
    """The bound of every page the built-in templates make of ``config`` as of ``today``."""
    sizes = _Sizes(config)
    meetings = [expand_meetings(config, group, today) for group in config.working_groups]
    upcoming = [[m for m in found if m.date >= today] for found in meetings]
    yield PageBound("directory", sizes.directory())
    yield PageBound("hub", sizes.hub_home(upcoming))
    for index, group in enumerate(config.working_groups):
        yield PageBound("group", sizes.group_pages(group, upcoming[index]), index)
        invited = sum(2 * (_ITEM + storage_bytes(o.name)) for o in sizes.members(group))
        for meeting in meetings[index]:
            yield PageBound("meeting", sizes.meeting_page(meeting, invited), index, meeting)


def oversized(config: NetworkConfig, today: dt.date) -> Iterator[PageBound]:
    """Every page whose bound exceeds ``PAGE_BUDGET``."""
    return (bound for bound in bounds(config, today) if bound.size > PAGE_BUDGET)
