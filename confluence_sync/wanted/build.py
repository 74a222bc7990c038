"""Building the wanted wiki: the config turned into the wiki it asks for (:mod:`.model`).

Pure: no requests, no clock (``today`` is an argument); the only files read are the page
templates, through :mod:`.render`. Per space a home page; the hub also a member directory;
each group a meetings page with one page per meeting, a members page, an archive page and a
minutes template. ``managed`` pages are all managed regions; ``scaffold`` pages (meetings,
the template's stand-in) also get sections members fill, written once at creation.

Imports: config, wiki (regions, values), wanted (model, render, labels, access, calendar).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from confluence_sync.config import (
    NetworkConfig,
    PlannedMeeting,
    WorkingGroup,
    expand_meetings,
    space_key,
)
from confluence_sync.config.identities import PageIdentity
from confluence_sync.config.schedule import first_slot
from confluence_sync.config.titles import (
    fixed_title,
    group_home_title,
    hub_home_title,
    meeting_page_title,
)
from confluence_sync.wanted.access import access, members
from confluence_sync.wanted.calendar import build_calendar, file_name
from confluence_sync.wanted.dates import time_span, when
from confluence_sync.wanted.labels import ARCHIVED_LABEL, GROUP_LABEL, MEETING_LABEL, topic_labels
from confluence_sync.wanted.model import (
    DigestSource,
    ManualStep,
    MeetingSlots,
    PageKind,
    Region,
    Wanted,
    WantedPage,
    WantedSpace,
    WantedTemplate,
)
from confluence_sync.wanted.render import Renderer
from confluence_sync.wiki.regions import region_hash
from confluence_sync.wiki.values import Template

DC_TEMPLATE_NOTE: Final = (
    "Data Center has no REST API for page templates: the minutes template is provided as a "
    "page '{title}' in space {space}; a space admin can copy it into Space tools → Templates."
)
UPCOMING_ON_HUB: Final = 10


@dataclass(frozen=True)
class _MeetingView:
    """What templates see of a meeting (host resolved to a name, page title computed)."""

    identity: PageIdentity
    date: dt.date
    title: str
    page_title: str
    host_name: str
    place: str | None
    agenda: tuple[str, ...]
    space_key: str
    group_name: str
    when: str  # "Do., 12. März 2026, 14:00–16:30 Uhr"
    time: str  # "14:00–16:30 Uhr"; "" without a start time
    online: str | None
    formerly: PageIdentity | None


@dataclass(frozen=True)
class _GroupLink:
    name: str
    purpose: str
    space_key: str
    home_title: str
    next_meeting: _MeetingView | None


class _Builder:
    """Renders the pages of one network into wanted pages."""

    def __init__(self, config: NetworkConfig, today: dt.date, template_dir: Path | None) -> None:
        self.config = config
        self.language = config.network.language
        self.today = today
        self.renderer = Renderer(self.language, template_dir)
        self.base: dict[str, object] = {
            "network": config.network,
            "hub_key": config.network.key,
            "today": today,
            "calendar_file": file_name,  # the home pages link their calendar attachment
        }

    def page(
        self,
        template: str,
        context: Mapping[str, object],
        identity: PageIdentity,
        space: str,
        title: str,
        parent: PageIdentity | None,
        labels: list[str] | None = None,
        kind: PageKind = "managed",
    ) -> WantedPage:
        rendered = self.renderer.render(template, {**self.base, **context})
        return WantedPage(
            identity=identity,
            space_key=space,
            title=title,
            body=rendered.body,
            parent=parent,
            regions={
                name: Region(content, region_hash(content, space=space))
                for name, content in rendered.regions.items()
            },
            labels=frozenset(labels or ()),
            kind=kind,
            home=parent is None,
            archive=template == "archive",
        )

    def meeting_view(self, group: WorkingGroup, meeting: PlannedMeeting) -> _MeetingView:
        host = self.config.organisation(meeting.host)
        return _MeetingView(
            identity=meeting.identity,
            date=meeting.date,
            title=meeting.title,
            page_title=meeting_page_title(meeting),
            host_name=host.name if host else meeting.host,
            place=meeting.place,
            agenda=meeting.agenda,
            space_key=space_key(self.config.network, group),
            group_name=group.name,
            when=when(meeting.date, meeting.start_time, meeting.end_time, self.language),
            time=time_span(meeting.start_time, meeting.end_time, self.language),
            online=meeting.online,
            formerly=meeting.formerly,
        )

    def hub(self, views: Mapping[str, list[_MeetingView]]) -> list[WantedPage]:
        config, network, hub = self.config, self.config.network, self.config.network.key
        links = {
            group.key: _GroupLink(
                name=group.name,
                purpose=group.purpose,
                space_key=space_key(network, group),
                home_title=group_home_title(group),
                next_meeting=next((v for v in views[group.key] if v.date >= self.today), None),
            )
            for group in config.working_groups
        }
        upcoming = sorted(
            (v for key in views for v in views[key] if v.date >= self.today),
            key=lambda v: (v.date, v.space_key),
        )[:UPCOMING_ON_HUB]
        directory_title = fixed_title("member_directory", self.language)
        entries = [
            {
                "organisation": organisation,
                "groups": [
                    links[g.key] for g in config.working_groups if organisation.id in g.members
                ],
            }
            for organisation in config.organisations
        ]
        home_context = {
            "groups": list(links.values()),
            "upcoming": upcoming,
            "directory_title": directory_title,
        }
        home = PageIdentity.hub("home")
        return [
            self.page("hub_home", home_context, home, hub, hub_home_title(network), None),
            self.page(
                "member_directory",
                {"organisations": entries},
                PageIdentity.hub("directory"),
                hub,
                directory_title,
                home,
            ),
        ]

    def group(
        self, group: WorkingGroup, meetings: list[_MeetingView]
    ) -> tuple[list[WantedPage], WantedTemplate]:
        language, config = self.language, self.config
        key = space_key(config.network, group)
        home = PageIdentity.group(group.key, "home")
        topics = topic_labels(group.topics)
        meeting_label = MEETING_LABEL[language]
        organisations = members(config, group)
        template_title = fixed_title("minutes_template", language)
        context: dict[str, object] = {
            "group": group,
            "space_key": key,
            "members": organisations,
            "lead": config.contact(group.lead),
            "lead_organisation": config.organisation_of(group.lead),
            "topics": list(group.topics),
            "meeting_label": meeting_label,
            "template_title": template_title,
            "meetings_title": fixed_title("meetings", language),
            "members_title": fixed_title("group_members", language),
            "archived_label": ARCHIVED_LABEL[language],
            "upcoming": [view for view in meetings if view.date >= self.today],
        }
        meetings_page = PageIdentity.group(group.key, "meetings")
        pages = [
            self.page(
                "group_home",
                context,
                home,
                key,
                group_home_title(group),
                None,
                [GROUP_LABEL[language], *topics],
            ),
            self.page(
                "meetings",
                context,
                meetings_page,
                key,
                fixed_title("meetings", language),
                home,
            ),
            self.page(
                "group_members",
                context,
                PageIdentity.group(group.key, "members"),
                key,
                fixed_title("group_members", language),
                home,
            ),
            self.page(
                "archive",
                context,
                PageIdentity.group(group.key, "archive"),
                key,
                fixed_title("archive", language),
                home,
            ),
        ]
        pages += [
            replace(
                self.page(
                    "meeting",
                    {**context, "meeting": view, "invited": organisations},
                    view.identity,
                    key,
                    view.page_title,
                    meetings_page,
                    [meeting_label, *topics],
                    kind="scaffold",
                ),
                formerly=(view.formerly,) if view.formerly else (),
                day=view.date.isoformat(),
            )
            for view in meetings
        ]
        cloud = self.renderer.render(
            "minutes_template", {**self.base, **context, "variables": True}
        )
        fallback = self.page(
            "minutes_template",
            {**context, "variables": False},
            PageIdentity.template(group.key, "minutes", page=True),
            key,
            template_title,
            home,
            kind="scaffold",
        )
        template = WantedTemplate(
            identity=PageIdentity.template(group.key, "minutes"),
            # v1's template update takes at most 100 characters of description.
            template=Template(template_title, cloud.body, group.name[:100], (meeting_label,)),
            fallback=fallback,
            note=ManualStep(
                "template '{title}'",  # people read the title; the identity stays a fill
                DC_TEMPLATE_NOTE,
                (
                    ("identity", PageIdentity.template(group.key, "minutes")),
                    ("title", template_title),
                    ("space", key),
                ),
            ),
        )
        return pages, template


def _slots(group: WorkingGroup) -> MeetingSlots | None:
    first = first_slot(group)
    if group.schedule is None or first is None:
        return None
    return MeetingSlots(frozenset(group.schedule.months), first)


def build_wanted(
    config: NetworkConfig, *, today: dt.date, template_dir: Path | None = None
) -> Wanted:
    """The wiki the config asks for, as of ``today`` (which decides the upcoming meetings)."""
    builder = _Builder(config, today, template_dir)
    network = config.network
    language = network.language
    views = {
        group.key: [builder.meeting_view(group, m) for m in expand_meetings(config, group, today)]
        for group in config.working_groups
    }
    groups, grants = access(config)
    hub = tuple(builder.hub(views))
    spaces = [
        WantedSpace(
            network.key,
            network.name,
            network.description,
            hub,
            grants[network.key],
            archive_label=ARCHIVED_LABEL[language],
        )
    ]
    for group in config.working_groups:
        key = space_key(network, group)
        pages, template = builder.group(group, views[group.key])
        spaces.append(
            WantedSpace(
                key,
                group.name,
                group.purpose,
                tuple(pages),
                grants[key],
                (template,),
                ARCHIVED_LABEL[language],
                _slots(group),
            )
        )
    calendar = build_calendar(config, today)
    return Wanted(
        network.key,
        tuple(spaces),
        groups,
        today=today.isoformat(),
        calendar=calendar,
        digest=digest_source(config),
    )


def digest_source(config: NetworkConfig) -> DigestSource:
    """The network as its digest reads it: groups and their spaces, and the names the config
    gives accounts (Cloud: the accountId a mention stores; Data Center: the username)."""
    network = config.network
    names = {a.account: a.name for a in network.admins if a.name}
    names |= {c.account: c.name for o in config.organisations for c in o.contacts if c.account}
    return DigestSource(
        network.name,
        network.language,
        tuple((g.key, g.name, space_key(network, g)) for g in config.working_groups),
        tuple(sorted(names.items())),
    )
