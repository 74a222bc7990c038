"""What the wiki should be: the config turned into plain, frozen values (no I/O).

``build_desired(config, today=...)`` returns a :class:`DesiredWiki`: spaces, pages, page
templates, Confluence groups and space-permission grants. Every object has an *identity*
derived from the config, never from a title, so renaming a meeting is an update::

    hub/home  hub/directory
    group/UPX/home  group/UPX/meetings  group/UPX/meeting/2026-03  group/UPX/members
    group/UPX/archive  group/UPX/template/minutes (Cloud template; DC: a template page)

Two page kinds: ``managed`` pages consist of managed regions the sync rewrites (members may
still write around them); ``scaffold`` pages (meetings) also get sections members fill, which
are written once at creation and never again — only their managed regions (the key facts) are.

Permissions, least privilege (DOMAIN.md): admins administer every space; one Confluence group
per working group (``<network>-<group>-members``, lower case) holds the accounts of contacts
of its member organisations and may read and write the group's space; ``<network>-contacts``
holds every contact with an account, may read the hub and, for ``visibility: network``, reads
the group's space too. Anonymous users get nothing: no grant names them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

from confluence_sync.config import (
    NetworkConfig,
    Organisation,
    PlannedMeeting,
    WorkingGroup,
    expand_meetings,
    space_key,
)
from confluence_sync.config.titles import (
    fixed_title,
    group_home_title,
    hub_home_title,
    meeting_page_title,
)
from confluence_sync.labels import ARCHIVED_LABEL, GROUP_LABEL, MEETING_LABEL, topic_labels
from confluence_sync.regions import region_hash
from confluence_sync.render import RenderedPage, Renderer

PageKind = Literal["managed", "scaffold"]
Level = Literal["read", "write", "admin"]
SubjectType = Literal["user", "group"]

# Space permissions per level, as Confluence (Cloud v1 / DC REST) operation:target pairs.
# "write" is what a member needs to edit pages, comment, attach and remove their own content.
LEVEL_OPERATIONS: Final[Mapping[Level, tuple[tuple[str, str], ...]]] = {
    "read": (("read", "space"),),
    "write": (
        ("read", "space"),
        ("create", "page"),
        ("create", "blogpost"),
        ("create", "comment"),
        ("create", "attachment"),
        ("delete", "space"),  # Confluence's name for "delete own content"
    ),
    "admin": (
        ("read", "space"),
        ("create", "page"),
        ("create", "blogpost"),
        ("create", "comment"),
        ("create", "attachment"),
        ("delete", "space"),
        ("delete", "page"),
        ("delete", "blogpost"),
        ("delete", "comment"),
        ("delete", "attachment"),
        ("archive", "page"),
        ("export", "space"),
        ("restrict_content", "space"),
        ("administer", "space"),
    ),
}

DC_TEMPLATE_NOTE: Final = (
    "Data Center has no REST API for page templates: the minutes template is provided as a "
    "page '{title}' in space {space}; a space admin can copy it into Space tools → Templates."
)
UPCOMING_ON_HUB: Final = 10


@dataclass(frozen=True)
class DesiredSpace:
    identity: str  # "hub" or "group/UPX"
    key: str
    name: str
    description: str
    home: str  # identity of the page that is the space's home page


@dataclass(frozen=True)
class DesiredRegion:
    """A managed region: its content, the hash Confluence's normalisation keeps
    (``content_hash``, stored at write time to spot member edits) and ``input_hash``
    (rendered content + template version) to skip unchanged work."""

    name: str
    content: str
    content_hash: str
    input_hash: str


@dataclass(frozen=True)
class DesiredPage:
    identity: str
    space_key: str
    title: str
    parent: str | None  # identity of the parent page; None for a space's home page
    labels: tuple[str, ...]
    kind: PageKind
    template: str
    template_version: str
    regions: tuple[DesiredRegion, ...]
    body: str  # full body for creation: regions plus any scaffold sections
    is_home: bool = False

    def region(self, name: str) -> DesiredRegion:
        return next(r for r in self.regions if r.name == name)


@dataclass(frozen=True)
class DesiredTemplate:
    """A page template for a group space: a Cloud content template (``body`` may use
    ``at:`` variables); on Data Center ``fallback_page`` is created instead and ``note`` said."""

    identity: str
    space_key: str
    name: str
    description: str
    labels: tuple[str, ...]
    body: str
    template_version: str
    fallback_page: DesiredPage
    note: str


@dataclass(frozen=True)
class DesiredGroup:
    name: str
    description: str
    members: tuple[str, ...]  # wiki accounts, sorted


@dataclass(frozen=True, order=True)
class DesiredGrant:
    space_key: str
    subject_type: SubjectType
    subject: str  # account for users, group name for groups
    level: Level

    @property
    def operations(self) -> tuple[tuple[str, str], ...]:
        return LEVEL_OPERATIONS[self.level]


@dataclass(frozen=True)
class DesiredWiki:
    network_key: str
    language: str
    spaces: tuple[DesiredSpace, ...]
    pages: tuple[DesiredPage, ...]
    templates: tuple[DesiredTemplate, ...]
    groups: tuple[DesiredGroup, ...]
    grants: tuple[DesiredGrant, ...]
    _by_identity: dict[str, DesiredPage] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def __post_init__(self) -> None:
        self._by_identity.update({page.identity: page for page in self.pages})

    def page(self, identity: str) -> DesiredPage:
        return self._by_identity[identity]

    def pages_in(self, space_key: str) -> tuple[DesiredPage, ...]:
        return tuple(page for page in self.pages if page.space_key == space_key)


def _input_hash(content: str, template_version: str) -> str:
    digest = hashlib.sha256(f"{template_version}\0{content}".encode())
    return "sha256:" + digest.hexdigest()


def _page(
    rendered: RenderedPage,
    *,
    identity: str,
    space: str,
    title: str,
    parent: str | None,
    labels: list[str],
    kind: PageKind,
    is_home: bool = False,
) -> DesiredPage:
    regions = tuple(
        DesiredRegion(
            name, content, region_hash(content), _input_hash(content, rendered.template_version)
        )
        for name, content in rendered.regions.items()
    )
    return DesiredPage(
        identity=identity,
        space_key=space,
        title=title,
        parent=parent,
        labels=tuple(dict.fromkeys(labels)),
        kind=kind,
        template=rendered.template,
        template_version=rendered.template_version,
        regions=regions,
        body=rendered.body,
        is_home=is_home,
    )


@dataclass(frozen=True)
class _GroupLink:
    name: str
    purpose: str
    space_key: str
    home_title: str
    next_meeting: _MeetingView | None


@dataclass(frozen=True)
class _MeetingView:
    date: dt.date
    title: str
    page_title: str
    host_name: str
    place: str | None
    agenda: tuple[str, ...]
    space_key: str
    group_name: str


def _meeting_view(
    config: NetworkConfig, group: WorkingGroup, meeting: PlannedMeeting
) -> _MeetingView:
    host = config.organisation(meeting.host)
    return _MeetingView(
        date=meeting.date,
        title=meeting.title,
        page_title=meeting_page_title(meeting),
        host_name=host.name if host else meeting.host,
        place=meeting.place,
        agenda=meeting.agenda,
        space_key=space_key(config.network, group),
        group_name=group.name,
    )


def _members(config: NetworkConfig, group: WorkingGroup) -> list[Organisation]:
    found = (config.organisation(member) for member in group.members)
    return [organisation for organisation in found if organisation is not None]


def build_desired(
    config: NetworkConfig, *, today: dt.date, template_dir: Path | None = None
) -> DesiredWiki:
    """The wiki the config asks for, as of ``today`` (which decides the upcoming meetings)."""
    network = config.network
    language = network.language
    renderer = Renderer(language, template_dir)
    hub = network.key
    base = {"network": network, "hub_key": hub, "today": today}
    meetings = {group.key: expand_meetings(config, group, today) for group in config.working_groups}
    views = {
        group.key: [_meeting_view(config, group, m) for m in meetings[group.key]]
        for group in config.working_groups
    }
    links = {
        group.key: _GroupLink(
            name=group.name,
            purpose=group.purpose,
            space_key=space_key(network, group),
            home_title=group_home_title(group),
            next_meeting=next((v for v in views[group.key] if v.date >= today), None),
        )
        for group in config.working_groups
    }
    directory_title = fixed_title("member_directory", language)
    upcoming = sorted(
        (v for key in views for v in views[key] if v.date >= today), key=lambda v: v.date
    )[:UPCOMING_ON_HUB]

    spaces = [DesiredSpace("hub", hub, network.name, network.description, "hub/home")]
    pages = [
        _page(
            renderer.render(
                "hub_home",
                {
                    **base,
                    "groups": list(links.values()),
                    "upcoming": upcoming,
                    "directory_title": directory_title,
                },
            ),
            identity="hub/home",
            space=hub,
            title=hub_home_title(network),
            parent=None,
            labels=[],
            kind="managed",
            is_home=True,
        ),
        _page(
            renderer.render(
                "member_directory",
                {
                    **base,
                    "organisations": [
                        {
                            "organisation": organisation,
                            "groups": [
                                links[g.key]
                                for g in config.working_groups
                                if organisation.id in g.members
                            ],
                        }
                        for organisation in config.organisations
                    ],
                },
            ),
            identity="hub/directory",
            space=hub,
            title=directory_title,
            parent="hub/home",
            labels=[],
            kind="managed",
        ),
    ]
    templates: list[DesiredTemplate] = []
    for group in config.working_groups:
        group_pages, template = _group(config, group, renderer, base, views[group.key], today)
        spaces.append(
            DesiredSpace(
                f"group/{group.key}",
                space_key(network, group),
                group.name,
                group.purpose,
                f"group/{group.key}/home",
            )
        )
        pages.extend(group_pages)
        templates.append(template)
    groups, grants = _permissions(config)
    return DesiredWiki(
        network_key=hub,
        language=language,
        spaces=tuple(spaces),
        pages=tuple(pages),
        templates=tuple(templates),
        groups=groups,
        grants=grants,
    )


def _group(
    config: NetworkConfig,
    group: WorkingGroup,
    renderer: Renderer,
    base: Mapping[str, object],
    meetings: list[_MeetingView],
    today: dt.date,
) -> tuple[list[DesiredPage], DesiredTemplate]:
    language = config.network.language
    key = space_key(config.network, group)
    prefix = f"group/{group.key}"
    topics = topic_labels(group.topics)
    meeting_label = MEETING_LABEL[language]
    members = _members(config, group)
    lead = config.contact(group.lead)
    template_title = fixed_title("minutes_template", language)
    context = {
        **base,
        "group": group,
        "space_key": key,
        "members": members,
        "lead": lead,
        "lead_organisation": config.organisation_of(group.lead),
        "topics": list(group.topics),
        "meeting_label": meeting_label,
        "template_title": template_title,
        "meetings_title": fixed_title("meetings", language),
        "members_title": fixed_title("group_members", language),
        "archived_label": ARCHIVED_LABEL[language],
    }
    upcoming = [view for view in meetings if view.date >= today]
    pages = [
        _page(
            renderer.render("group_home", {**context, "upcoming": upcoming}),
            identity=f"{prefix}/home",
            space=key,
            title=group_home_title(group),
            parent=None,
            labels=[GROUP_LABEL[language], *topics],
            kind="managed",
            is_home=True,
        ),
        _page(
            renderer.render("meetings", context),
            identity=f"{prefix}/meetings",
            space=key,
            title=fixed_title("meetings", language),
            parent=f"{prefix}/home",
            labels=[],
            kind="managed",
        ),
        _page(
            renderer.render("group_members", context),
            identity=f"{prefix}/members",
            space=key,
            title=fixed_title("group_members", language),
            parent=f"{prefix}/home",
            labels=[],
            kind="managed",
        ),
        _page(
            renderer.render("archive", context),
            identity=f"{prefix}/archive",
            space=key,
            title=fixed_title("archive", language),
            parent=f"{prefix}/home",
            labels=[],
            kind="managed",
        ),
    ]
    for view in meetings:
        month = f"{view.date.year:04d}-{view.date.month:02d}"
        pages.append(
            _page(
                renderer.render("meeting", {**context, "meeting": view, "invited": members}),
                identity=f"{prefix}/meeting/{month}",
                space=key,
                title=view.page_title,
                parent=f"{prefix}/meetings",
                labels=[meeting_label, *topics],
                kind="scaffold",
            )
        )
    cloud = renderer.render("minutes_template", {**context, "variables": True})
    fallback = _page(
        renderer.render("minutes_template", {**context, "variables": False}),
        identity=f"{prefix}/template/minutes/page",
        space=key,
        title=template_title,
        parent=f"{prefix}/home",
        labels=[],
        kind="scaffold",
    )
    template = DesiredTemplate(
        identity=f"{prefix}/template/minutes",
        space_key=key,
        name=template_title,
        description=group.name[:100],
        labels=(meeting_label,),
        body=cloud.body,
        template_version=cloud.template_version,
        fallback_page=fallback,
        note=DC_TEMPLATE_NOTE.format(title=template_title, space=key),
    )
    return pages, template


def group_name(network_key: str, group_key: str | None = None) -> str:
    """Confluence group of a working group's members, or of every network contact."""
    suffix = f"{group_key}-members" if group_key else "contacts"
    return f"{network_key}-{suffix}".lower()


def _permissions(
    config: NetworkConfig,
) -> tuple[tuple[DesiredGroup, ...], tuple[DesiredGrant, ...]]:
    network = config.network
    everyone = sorted({c.account for o in config.organisations for c in o.contacts if c.account})
    contacts_group = group_name(network.key)
    groups = [DesiredGroup(contacts_group, f"Every contact of {network.name}", tuple(everyone))]
    admins = sorted({admin.account for admin in network.admins})
    grants = [DesiredGrant(network.key, "user", account, "admin") for account in admins]
    grants.append(DesiredGrant(network.key, "group", contacts_group, "read"))
    for group in config.working_groups:
        key = space_key(network, group)
        accounts = sorted(
            {c.account for o in _members(config, group) for c in o.contacts if c.account}
        )
        members_group = group_name(network.key, group.key)
        groups.append(DesiredGroup(members_group, f"Members of {group.name}", tuple(accounts)))
        grants.extend(DesiredGrant(key, "user", account, "admin") for account in admins)
        grants.append(DesiredGrant(key, "group", members_group, "write"))
        if group.visibility == "network":
            grants.append(DesiredGrant(key, "group", contacts_group, "read"))
    return tuple(groups), tuple(sorted(grants))
