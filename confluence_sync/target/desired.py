"""What the wiki should be: the config turned into plain, frozen values.

Pure: no requests, no clock (``today`` is an argument); the only files read are the page
templates, through :mod:`confluence_sync.target.render`.

``build_desired(config, today=...)`` returns a :class:`DesiredWiki`: spaces, pages, page
templates, Confluence groups and space-permission grants. Every object has an *identity*
derived from the config, never from a title, so renaming a meeting is an update::

    hub/home  hub/directory
    group/UPX/home  group/UPX/meetings  group/UPX/meeting/2026-03  group/UPX/members
    group/UPX/archive  group/UPX/template/minutes (Cloud content template)
    group/UPX/template/minutes/page (its stand-in page on Data Center, no template API there)

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
from confluence_sync.target.labels import ARCHIVED_LABEL, GROUP_LABEL, MEETING_LABEL, topic_labels
from confluence_sync.target.render import Renderer
from confluence_sync.wiki.regions import region_hash

PageKind = Literal["managed", "scaffold"]
Level = Literal["read", "write", "admin"]
SubjectType = Literal["user", "group"]

# Space permissions per level, in the project's operation vocabulary (backends.permissions
# maps it to Cloud and Data Center). "write" is what a member needs to edit pages, comment,
# attach and remove their own content; deleting others' pages stays with the admins.
LEVEL_OPERATIONS: Final[Mapping[Level, tuple[str, ...]]] = {
    "read": ("read",),
    "write": ("read", "write", "comment", "attach", "blog", "delete_own"),
    "admin": (
        "read",
        "write",
        "comment",
        "attach",
        "blog",
        "delete_own",
        "delete_page",
        "export",
        "restrict",
        "admin",
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
    is_home: bool = False  # the space's home page (parent is None)
    is_archive: bool = False  # archived meeting pages are moved under this page

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
    def operations(self) -> tuple[str, ...]:
        """The level as space operations (``read``, ``write``, ..., ``admin``)."""
        return LEVEL_OPERATIONS[self.level]


@dataclass(frozen=True)
class DesiredWiki:
    network_key: str
    language: str
    archive_label: str  # label every archived meeting page gets
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


@dataclass(frozen=True)
class _MeetingView:
    """What templates see of a meeting (host resolved to a name, page title computed)."""

    date: dt.date
    title: str
    page_title: str
    host_name: str
    place: str | None
    agenda: tuple[str, ...]
    space_key: str
    group_name: str


@dataclass(frozen=True)
class _GroupLink:
    name: str
    purpose: str
    space_key: str
    home_title: str
    next_meeting: _MeetingView | None


class _Builder:
    """Renders pages of one network and wraps them as DesiredPage values."""

    def __init__(self, config: NetworkConfig, today: dt.date, template_dir: Path | None) -> None:
        self.config = config
        self.language = config.network.language
        self.today = today
        self.renderer = Renderer(self.language, template_dir)
        self.base: dict[str, object] = {
            "network": config.network,
            "hub_key": config.network.key,
            "today": today,
        }

    def page(
        self,
        template: str,
        context: Mapping[str, object],
        identity: str,
        space: str,
        title: str,
        parent: str | None,
        labels: list[str] | None = None,
        kind: PageKind = "managed",
    ) -> DesiredPage:
        rendered = self.renderer.render(template, {**self.base, **context})
        version = rendered.template_version
        regions = tuple(
            DesiredRegion(
                name, content, region_hash(content, space=space), _input_hash(content, version)
            )
            for name, content in rendered.regions.items()
        )
        return DesiredPage(
            identity=identity,
            space_key=space,
            title=title,
            parent=parent,
            labels=tuple(dict.fromkeys(labels or [])),
            kind=kind,
            template=template,
            template_version=version,
            regions=regions,
            body=rendered.body,
            is_home=parent is None,
            is_archive=template == "archive",
        )

    def meeting_view(self, group: WorkingGroup, meeting: PlannedMeeting) -> _MeetingView:
        host = self.config.organisation(meeting.host)
        return _MeetingView(
            date=meeting.date,
            title=meeting.title,
            page_title=meeting_page_title(meeting),
            host_name=host.name if host else meeting.host,
            place=meeting.place,
            agenda=meeting.agenda,
            space_key=space_key(self.config.network, group),
            group_name=group.name,
        )

    def hub(self, views: Mapping[str, list[_MeetingView]]) -> list[DesiredPage]:
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
        return [
            self.page("hub_home", home_context, "hub/home", hub, hub_home_title(network), None),
            self.page(
                "member_directory",
                {"organisations": entries},
                "hub/directory",
                hub,
                directory_title,
                "hub/home",
            ),
        ]

    def group(
        self, group: WorkingGroup, meetings: list[_MeetingView]
    ) -> tuple[list[DesiredPage], DesiredTemplate]:
        language, config = self.language, self.config
        key, prefix = space_key(config.network, group), f"group/{group.key}"
        home = f"{prefix}/home"
        topics = topic_labels(group.topics)
        meeting_label = MEETING_LABEL[language]
        members = _members(config, group)
        template_title = fixed_title("minutes_template", language)
        context: dict[str, object] = {
            "group": group,
            "space_key": key,
            "members": members,
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
        group_labels = [GROUP_LABEL[language], *topics]
        pages = [
            self.page(
                "group_home", context, home, key, group_home_title(group), None, group_labels
            ),
            self.page(
                "meetings",
                context,
                f"{prefix}/meetings",
                key,
                fixed_title("meetings", language),
                home,
            ),
            self.page(
                "group_members",
                context,
                f"{prefix}/members",
                key,
                fixed_title("group_members", language),
                home,
            ),
            self.page(
                "archive", context, f"{prefix}/archive", key, fixed_title("archive", language), home
            ),
        ]
        for view in meetings:
            month = f"{view.date.year:04d}-{view.date.month:02d}"
            pages.append(
                self.page(
                    "meeting",
                    {**context, "meeting": view, "invited": members},
                    f"{prefix}/meeting/{month}",
                    key,
                    view.page_title,
                    f"{prefix}/meetings",
                    [meeting_label, *topics],
                    kind="scaffold",
                )
            )
        cloud = self.renderer.render(
            "minutes_template", {**self.base, **context, "variables": True}
        )
        fallback = self.page(
            "minutes_template",
            {**context, "variables": False},
            f"{prefix}/template/minutes/page",
            key,
            template_title,
            home,
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


def build_desired(
    config: NetworkConfig, *, today: dt.date, template_dir: Path | None = None
) -> DesiredWiki:
    """The wiki the config asks for, as of ``today`` (which decides the upcoming meetings)."""
    builder = _Builder(config, today, template_dir)
    network = config.network
    views = {
        group.key: [builder.meeting_view(group, m) for m in expand_meetings(config, group, today)]
        for group in config.working_groups
    }
    spaces = [DesiredSpace("hub", network.key, network.name, network.description, "hub/home")]
    pages = builder.hub(views)
    templates: list[DesiredTemplate] = []
    for group in config.working_groups:
        identity = f"group/{group.key}"
        key = space_key(network, group)
        spaces.append(DesiredSpace(identity, key, group.name, group.purpose, f"{identity}/home"))
        group_pages, template = builder.group(group, views[group.key])
        pages.extend(group_pages)
        templates.append(template)
    groups, grants = _permissions(config)
    return DesiredWiki(
        network_key=network.key,
        language=network.language,
        archive_label=ARCHIVED_LABEL[network.language],
        spaces=tuple(spaces),
        pages=tuple(pages),
        templates=tuple(templates),
        groups=groups,
        grants=grants,
    )


def _members(config: NetworkConfig, group: WorkingGroup) -> list[Organisation]:
    found = (config.organisation(member) for member in group.members)
    return [organisation for organisation in found if organisation is not None]


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
