"""The wanted wiki: what the config asks for, in plain frozen values — the one model the
observer, the planner and the applier read (built by :mod:`confluence_sync.wanted.build`).

A :class:`WantedPage`'s ``body`` is written once, at creation; afterwards only its managed
``regions`` are rewritten, plus title, parent and the sync's labels. Every page and template
has a :class:`~confluence_sync.config.identities.PageIdentity`, never a title.

Imports: config (identities), wiki (values), wanted.calendar. Nothing here reads the config
model: what the planner needs of a schedule is copied into :class:`MeetingSlots`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from confluence_sync.config.identities import PageIdentity
from confluence_sync.config.model import Language
from confluence_sync.wanted.calendar import NetworkCalendar
from confluence_sync.wiki.values import Grant, Template

PageKind = Literal["managed", "scaffold"]


@dataclass(frozen=True)
class Region:
    """A managed region as the config renders it, and the hash that survives Confluence's
    normalisation and the editors' re-serialisation (stored when written, to spot edits)."""

    content: str
    hash: str


@dataclass(frozen=True)
class WantedPage:
    """One page the config describes. ``parent`` None: under the space's home page (the home
    page itself has ``home``); ``archive``: the page archived pages are moved under."""

    identity: PageIdentity
    space_key: str
    title: str
    body: str
    parent: PageIdentity | None = None
    regions: Mapping[str, Region] = field(default_factory=dict)
    labels: frozenset[str] = frozenset()
    kind: PageKind = "managed"
    home: bool = False
    archive: bool = False
    # Identities this page was recorded under by earlier releases (a meeting's month
    # identity): observe takes such a record over, so the page is kept, not made again.
    formerly: tuple[PageIdentity, ...] = ()
    day: str = ""  # a meeting page: the ISO date of its meeting

    @property
    def hashes(self) -> dict[str, str]:
        """Region name → hash, as the config renders them now."""
        return {name: region.hash for name, region in self.regions.items()}


@dataclass(frozen=True)
class ManualStep:
    """A step the sync cannot take and an admin must: reported, never applied. ``subject``
    and ``text`` have ``{name}`` blanks that ``fills`` fills (as :class:`plan.changes.Note`
    does), so the same step in several spaces reads as one."""

    subject: str
    text: str
    fills: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class WantedTemplate:
    """A page template of a group space (Cloud's Create dialog). Where the flavour has no
    template API, ``fallback`` is created as a page instead and ``note`` says so."""

    identity: PageIdentity
    template: Template
    fallback: WantedPage
    note: ManualStep


@dataclass(frozen=True)
class MeetingSlots:
    """The months a group's schedule holds meetings in, from ``first`` (year, month) on. A
    meeting page of such a slot that the config renders no longer (it took place, or lies
    beyond the horizon as seen from an earlier day) was not removed: it is kept as it is —
    known by its slot (``meeting/slot/2026-2``) or, from before slots, by its month."""

    months: frozenset[int]
    first: tuple[int, int]

    def covers(self, identity: PageIdentity) -> bool:
        slot = identity.meeting_slot
        if slot is not None:
            ordered = sorted(self.months)
            first = (self.first[0], ordered.index(self.first[1]) + 1)
            return slot[1] <= len(ordered) and slot >= first
        month = identity.meeting_month
        return month is not None and month[1] in self.months and month >= self.first


@dataclass(frozen=True)
class WantedSpace:
    """A space with its pages, the grants the config gives and its page templates."""

    key: str
    name: str
    description: str = ""
    pages: tuple[WantedPage, ...] = ()
    grants: frozenset[Grant] = frozenset()
    templates: tuple[WantedTemplate, ...] = ()
    archive_label: str = "archiviert"
    slots: MeetingSlots | None = None

    def kept_as_is(self, identity: PageIdentity) -> bool:
        """A page of ours the config still stands for though it no longer renders it."""
        return self.slots is not None and self.slots.covers(identity)

    def page(self, identity: str) -> WantedPage | None:
        return next((p for p in self.pages if p.identity == identity), None)

    @property
    def archive_page(self) -> WantedPage | None:
        return next((p for p in self.pages if p.archive), None)

    def depth(self, identity: str) -> int:
        """How many wanted ancestors a page has (parents are created before children)."""
        by_id = {p.identity: p for p in self.pages}
        depth, current = 0, by_id.get(PageIdentity(identity))
        while current is not None and current.parent is not None and depth < 64:
            depth += 1
            current = by_id.get(current.parent)
        return depth


@dataclass(frozen=True)
class DigestSource:
    """What the digest of the network is read for (``digest``, and the page ``digest
    --publish`` puts on the hub): the network's name and language, each working group as
    (key, name, space key), and the names the config gives accounts (``names``: account →
    name), which then cost no request."""

    network: str
    language: Language
    groups: tuple[tuple[str, str, str], ...] = ()
    names: tuple[tuple[str, str], ...] = ()

    @property
    def spaces(self) -> tuple[str, ...]:
        return tuple(space for _key, _name, space in self.groups)

    def token(self) -> str:
        """Everything of the config the digest shows, as one string (its fingerprint's part)."""
        return repr((self.network, self.language, self.groups, self.names))


@dataclass(frozen=True)
class Wanted:
    """The whole network: the hub first, then one space per working group; the Confluence
    groups (name → accounts); and the manual steps to report."""

    hub_key: str
    spaces: tuple[WantedSpace, ...]
    groups: Mapping[str, frozenset[str]] = field(default_factory=dict)
    notes: tuple[ManualStep, ...] = ()
    today: str = ""  # ISO: the day the wiki was built for (which meetings lie ahead)
    # The meetings calendar attached to the home pages (``wanted.calendar``), and the site's
    # address its page links start with ("" where there is none to give: no links).
    calendar: NetworkCalendar | None = None
    site: str = ""
    # What a published digest page is read for (``apply.digest``); None: no digest to keep.
    digest: DigestSource | None = None

    def space(self, key: str) -> WantedSpace | None:
        return next((s for s in self.spaces if s.key == key), None)

    @property
    def pages(self) -> tuple[WantedPage, ...]:
        """Every page of every space, hub first."""
        return tuple(page for space in self.spaces for page in space.pages)

    @property
    def templates(self) -> tuple[WantedTemplate, ...]:
        return tuple(template for space in self.spaces for template in space.templates)

    def page(self, identity: str) -> WantedPage | None:
        return next((p for p in self.pages if p.identity == identity), None)

    def without_template_api(self) -> Wanted:
        """The wanted wiki on a flavour with no page-template API (Data Center): each template's
        stand-in page is wanted instead, and reported as a manual step."""
        notes = list(self.notes)
        spaces = []
        for space in self.spaces:
            fallbacks = tuple(t.fallback for t in space.templates)
            notes += [t.note for t in space.templates]
            spaces.append(replace(space, pages=space.pages + fallbacks, templates=()))
        return replace(self, spaces=tuple(spaces), notes=tuple(notes))
