"""Rules beyond types: references, duplicates, space keys, lengths and page-title collisions.

The rules run on a ``ConfigView``: the parts of the file that passed the model checks, each with
its index in the file. They run even when other parts failed, so one run reports everything.
Ids written in the file are known to the view even where their item failed, so a member that
names a broken organisation is not reported a second time as dangling.

Each rule yields ``(loc, message)``; the caller turns ``loc`` into FILE:LINE:COL.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from confluence_sync.config.model import (
    MAX_SPACE_KEY,
    MAX_SPACE_NAME,
    Network,
    NetworkConfig,
    Organisation,
    WorkingGroup,
    space_key,
)
from confluence_sync.config.page_sizes import MAX_BODY, oversized
from confluence_sync.config.schedule import expand_meetings
from confluence_sync.config.titles import (
    GROUP_FIXED_PAGES,
    HUB_FIXED_PAGES,
    MAX_TITLE_LENGTH,
    fixed_title,
    group_home_title,
    hub_home_title,
    meeting_page_title,
    title_key,
    title_length,
)
from confluence_sync.config.yaml_source import Loc, format_path

Finding = tuple[Loc, str]
_SPACE_KEY_CHARS = re.compile(r"[A-Z0-9]+")


@dataclass
class ConfigView:
    """The valid parts of a config, with their positions in the file's lists."""

    network: Network | None
    organisations: list[tuple[int, Organisation]] = field(default_factory=list)
    groups: list[tuple[int, WorkingGroup]] = field(default_factory=list)
    written_org_ids: set[str] = field(default_factory=set)
    written_emails: set[str] = field(default_factory=set)  # casefolded
    # False when the organisations could not be read at all: then nothing is known to exist,
    # and reporting every member and lead as dangling would only bury the real problem.
    references_known: bool = True
    # Lists salvaged item by item from an invalid file: list path → file positions of the
    # items kept (the others failed their own checks), so findings name the right item.
    kept: dict[Loc, tuple[int, ...]] = field(default_factory=dict)

    def at(self, where: Loc, k: int) -> Loc:
        """The file path of item ``k`` of the (maybe salvaged) list at ``where``."""
        positions = self.kept.get(where)
        return (*where, positions[k] if positions is not None else k)

    @classmethod
    def of(cls, config: NetworkConfig) -> ConfigView:
        """The view of a fully valid config."""
        return cls(
            network=config.network,
            organisations=list(enumerate(config.organisations)),
            groups=list(enumerate(config.working_groups)),
            written_org_ids={o.id for o in config.organisations},
            written_emails={c.email.casefold() for o in config.organisations for c in o.contacts},
        )

    def as_config(self) -> NetworkConfig | None:
        """A config made of the valid parts only (for expanding meetings), if there is a
        network."""
        if self.network is None:
            return None
        return NetworkConfig.model_construct(
            network=self.network,
            organisations=[o for _, o in self.organisations],
            working_groups=[g for _, g in self.groups],
        )


def suggest(word: str, choices: Iterable[str]) -> str:
    """'; did you mean X?' if a choice is close to ``word``, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _duplicates(items: Iterable[tuple[Loc, str]], what: str) -> Iterator[Finding]:
    first: dict[str, Loc] = {}
    for loc, value in items:
        if value in first:
            yield loc, f"duplicate {what} '{value}' (also at {format_path(first[value])})"
        else:
            first[value] = loc


def _network_rules(network: Network) -> Iterator[Finding]:
    if not _SPACE_KEY_CHARS.fullmatch(network.key):
        yield (
            ("network", "key"),
            (f"space key '{network.key}' may contain only capital letters A-Z and digits 0-9"),
        )
    if len(network.name) > MAX_SPACE_NAME:
        yield (
            ("network", "name"),
            (
                f"name is {len(network.name)} characters; a space name may have at most "
                f"{MAX_SPACE_NAME}"
            ),
        )
    yield from _duplicates(
        ((("network", "admins", i, "account"), a.account) for i, a in enumerate(network.admins)),
        "admin account",
    )


def _organisation_rules(view: ConfigView) -> Iterator[Finding]:
    yield from _duplicates(
        ((("organisations", i, "id"), o.id) for i, o in view.organisations), "organisation id"
    )
    contacts = [
        (view.at(("organisations", i, "contacts"), j), contact)
        for i, organisation in view.organisations
        for j, contact in enumerate(organisation.contacts)
    ]
    yield from _duplicates(
        (((*loc, "email"), c.email.casefold()) for loc, c in contacts), "contact email"
    )
    yield from _duplicates(
        (((*loc, "account"), c.account) for loc, c in contacts if c.account), "contact account"
    )


def _space_rules(view: ConfigView, here: Loc, group: WorkingGroup) -> Iterator[Finding]:
    if not _SPACE_KEY_CHARS.fullmatch(group.key):
        yield (
            (*here, "key"),
            (
                f"key '{group.key}' may contain only capital letters A-Z and digits 0-9 "
                "(it becomes part of a space key)"
            ),
        )
    if view.network is not None and len(space_key(view.network, group)) > MAX_SPACE_KEY:
        yield (*here, "key"), f"space key would be longer than {MAX_SPACE_KEY} characters"
    if len(group.name) > MAX_SPACE_NAME:
        yield (
            (*here, "name"),
            (
                f"name is {len(group.name)} characters; a space name may have at most "
                f"{MAX_SPACE_NAME}"
            ),
        )


def _reference_rules(view: ConfigView, here: Loc, group: WorkingGroup) -> Iterator[Finding]:
    known = view.written_org_ids
    for k, member in enumerate(group.members):
        if view.references_known and member not in known:
            yield (
                (*here, "members", k),
                (f"no organisation has the id '{member}'{suggest(member, known)}"),
            )
    yield from _duplicates(
        (((*here, "members", k), m) for k, m in enumerate(group.members)), "member"
    )
    if view.references_known and group.lead.casefold() not in view.written_emails:
        yield (
            (*here, "lead"),
            (
                f"the lead '{group.lead}' is no contact's email"
                f"{suggest(group.lead.casefold(), view.written_emails)}"
            ),
        )


def _meeting_rules(view: ConfigView, here: Loc, group: WorkingGroup) -> Iterator[Finding]:
    known = view.written_org_ids
    first_in_month: dict[tuple[int, int], int] = {}
    for m, meeting in enumerate(group.meetings):
        loc: Loc = view.at((*here, "meetings"), m)
        if view.references_known and meeting.host not in known:
            yield (
                (*loc, "host"),
                (f"no organisation has the id '{meeting.host}'{suggest(meeting.host, known)}"),
            )
        elif meeting.host not in group.members:
            yield (*loc, "host"), f"host '{meeting.host}' is not a member of this working group"
        month = (meeting.date.year, meeting.date.month)
        if month in first_in_month:
            yield (
                (*loc, "date"),
                (
                    f"a second meeting in {month[0]:04d}-{month[1]:02d} (the first is "
                    f"meetings[{first_in_month[month]}]); a group has at most one meeting per month"
                ),
            )
        else:
            first_in_month[month] = int(loc[-1])
    # An id names one page: two meetings with one id would be one page.
    yield from _duplicates(
        (
            ((*view.at((*here, "meetings"), m), "id"), meeting.id)
            for m, meeting in enumerate(group.meetings)
            if meeting.id is not None
        ),
        "meeting id",
    )
    schedule = group.schedule
    if schedule is not None:
        yield from _duplicates(
            (((*here, "schedule", "months", k), str(v)) for k, v in enumerate(schedule.months)),
            "month",
        )
        if schedule.per_year is not None and schedule.per_year != len(schedule.months):
            yield (
                (*here, "schedule", "per_year"),
                (f"per_year is {schedule.per_year} but {len(schedule.months)} months are listed"),
            )


def _group_rules(view: ConfigView, index: int, group: WorkingGroup) -> Iterator[Finding]:
    here: Loc = ("working_groups", index)
    yield from _space_rules(view, here, group)
    yield from _reference_rules(view, here, group)
    yield from _meeting_rules(view, here, group)


def _title_rules(view: ConfigView, today: dt.date) -> Iterator[Finding]:
    """No two pages of one space may get the same title (Confluence ignores case)."""
    config = view.as_config()
    network = view.network
    if config is None or network is None:
        return
    language = network.language
    hub: list[tuple[str, Loc | None]] = [(hub_home_title(network), ("network", "name"))]
    hub += [(fixed_title(page, language), None) for page in HUB_FIXED_PAGES]
    yield from _collisions(hub, network.key)
    for index, group in view.groups:
        here: Loc = ("working_groups", index)
        pages: list[tuple[str, Loc | None]] = [
            (fixed_title(page, language), None) for page in GROUP_FIXED_PAGES
        ]
        pages.append((group_home_title(group), (*here, "name")))
        explicit = {(m.date.year, m.date.month): i for i, m in enumerate(group.meetings)}
        for meeting in expand_meetings(config, group, today):
            if meeting.source == "config":
                m = explicit[(meeting.date.year, meeting.date.month)]
                field_name = "title" if group.meetings[m].title else "date"
                loc: Loc = (*view.at((*here, "meetings"), m), field_name)
            else:
                loc = (*here, "schedule")
            pages.append((meeting_page_title(meeting), loc))
        yield from _collisions(pages, space_key(network, group))


def _too_long(title: str, loc: Loc | None) -> Iterator[Finding]:
    """Confluence counts a title in UTF-16 units (an emoji is two), at most 255."""
    if loc is not None and (length := title_length(title)) > MAX_TITLE_LENGTH:
        yield (
            loc,
            f"page title '{title[:40]}…' is {length} characters long as Confluence counts "
            f"them (UTF-16; an emoji counts twice); at most {MAX_TITLE_LENGTH}",
        )


def _collisions(pages: list[tuple[str, Loc | None]], space: str) -> Iterator[Finding]:
    for title, loc in pages:
        yield from _too_long(title, loc)
    seen: dict[str, tuple[str, Loc | None]] = {}
    for title, loc in pages:
        key = title_key(title)
        if key in seen:
            other_title, other_loc = seen[key]
            # Report at the title written in the file; a fixed page has no place in it.
            here, there = (loc, other_loc) if loc is not None else (other_loc, None)
            if here is None:
                continue
            where = format_path(there) if there else "a page the sync creates"
            shown = (title, other_title) if loc is not None else (other_title, title)
            yield (
                here,
                (
                    f"page title '{shown[0]}' clashes with '{shown[1]}' ({where}) in space "
                    f"{space}; Confluence ignores upper and lower case in titles"
                ),
            )
        else:
            seen[key] = (title, loc)


def _size_rules(view: ConfigView, today: dt.date) -> Iterator[Finding]:
    """No page may grow past Confluence's body limit (``page_sizes``)."""
    config = view.as_config()
    if config is None:
        return
    limit = f"Confluence refuses a page body above {MAX_BODY:,} bytes (5 MB)"
    for bound in oversized(config, today):
        index, meeting = bound.group, bound.meeting
        found = f"would be up to {bound.size:,} bytes of storage format; {limit}"
        if index is None:
            directory = bound.page == "directory"
            what = "the member directory" if directory else "the hub's home page"
            loc: Loc = ("organisations",) if directory else ("working_groups",)
            yield loc, f"{what} {found}: shorten the texts it lists"
            continue
        file_index, group = view.groups[index]
        here: Loc = ("working_groups", file_index)
        if meeting is None:
            yield here, f"the group's home or members page {found}: shorten the texts it lists"
        elif meeting.source == "config":
            months = [(m.date.year, m.date.month) for m in group.meetings]
            m = months.index((meeting.date.year, meeting.date.month))
            yield view.at((*here, "meetings"), m), f"the meeting's page {found}"
        else:
            yield (*here, "schedule"), f"a generated meeting's page {found}"


def check(view: ConfigView, today: dt.date) -> list[Finding]:
    """Every rule finding for ``view``, in no particular order."""
    findings: list[Finding] = []
    if view.network is not None:
        findings += _network_rules(view.network)
    findings += _organisation_rules(view)
    findings += _duplicates(
        ((("working_groups", i, "key"), g.key) for i, g in view.groups), "working group key"
    )
    for index, group in view.groups:
        findings += _group_rules(view, index, group)
    findings += _title_rules(view, today)
    findings += _size_rules(view, today)
    return findings
