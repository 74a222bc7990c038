"""What the engine wants the wiki to hold: the planner's input, in plain frozen values.

The desired-wiki builder (``confluence_sync.target.desired``) speaks the config's language; this
module is the engine's narrower view of it, so the planner, observer and tests depend on a
handful of fields only. ``engine.wanted_from_desired`` converts one into the other.

Identities are stable strings derived from the config (``group/UPX/meeting/2026-03``), never
titles: a renamed meeting keeps its identity and becomes an update.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from confluence_sync.config.model import NetworkConfig, WorkingGroup, space_key
from confluence_sync.config.schedule import is_slot
from confluence_sync.target.desired import DesiredPage, DesiredWiki
from confluence_sync.wiki.values import Grant, Template

PageKind = Literal["managed", "scaffold"]


@dataclass(frozen=True)
class WantedPage:
    """One page the config describes.

    ``body`` is written once, at creation. Afterwards only the managed ``regions`` (name →
    rendered storage content) are rewritten, plus title, parent and our labels. A page with
    no regions (a pure scaffold) is never rewritten after creation.
    """

    identity: str
    space_key: str
    title: str
    body: str
    parent: str | None = None  # identity of the parent page; None → under the space home
    regions: Mapping[str, str] = field(default_factory=dict)
    labels: frozenset[str] = frozenset()
    kind: PageKind = "managed"
    home: bool = False  # the space's home page (taken over when we create the space)
    archive: bool = False  # the page archived pages are moved under
    hashes: Mapping[str, str] = field(default_factory=dict)  # region → region_hash, if known


@dataclass(frozen=True)
class ScheduleSlots:
    """The meeting pages of a group's schedule (``schedule.is_slot``) the config renders no
    longer — a past meeting (``is_past_slot``: members write its minutes) or one beyond the
    horizon as seen from an earlier day — yet did not remove: the planner leaves them alone."""

    group: WorkingGroup

    def covers(self, identity: str) -> bool:
        prefix = f"group/{self.group.key}/meeting/"
        match = _MONTH.fullmatch(identity[len(prefix) :]) if identity.startswith(prefix) else None
        return match is not None and is_slot(self.group, int(match[1]), int(match[2]))


_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class WantedSpace:
    """A space with its pages, the grants we manage and its page templates."""

    key: str
    name: str
    description: str = ""
    pages: tuple[WantedPage, ...] = ()
    grants: frozenset[Grant] = frozenset()
    templates: tuple[Template, ...] = ()
    archive_label: str = "archiviert"
    schedule_slots: ScheduleSlots | None = None

    def kept_as_is(self, identity: str) -> bool:
        """A page of ours the config still stands for though it no longer renders it."""
        return self.schedule_slots is not None and self.schedule_slots.covers(identity)

    def page(self, identity: str) -> WantedPage | None:
        return next((p for p in self.pages if p.identity == identity), None)

    @property
    def archive_page(self) -> WantedPage | None:
        return next((p for p in self.pages if p.archive), None)

    def depth(self, identity: str) -> int:
        """How many wanted ancestors a page has (parents are created before children)."""
        by_id = {p.identity: p for p in self.pages}
        depth, current = 0, by_id.get(identity)
        while current is not None and current.parent is not None and depth < 64:
            depth += 1
            current = by_id.get(current.parent)
        return depth


@dataclass(frozen=True)
class Wanted:
    """The whole network: the hub first, then one space per working group, plus groups."""

    hub_key: str
    spaces: tuple[WantedSpace, ...]
    groups: Mapping[str, frozenset[str]] = field(default_factory=dict)  # name → accounts
    notes: tuple[tuple[str, str], ...] = ()  # (item, reason) the builder wants reported

    def space(self, key: str) -> WantedSpace | None:
        return next((s for s in self.spaces if s.key == key), None)


def region_hashes(page: WantedPage) -> dict[str, str]:
    """Normalisation-proof hash of each managed region as the config renders it."""
    from confluence_sync.wiki.regions import region_hash

    if page.hashes.keys() == page.regions.keys():
        return dict(page.hashes)
    return {
        name: region_hash(content, space=page.space_key) for name, content in page.regions.items()
    }


def _outside(body: str) -> list[bytes] | None:
    """``body`` split at its regions' contents (delimiters kept); None if damaged."""
    from confluence_sync.wiki.regions import scan_regions
    from confluence_sync.wiki.storage import StorageFormatError

    try:
        scanned = scan_regions(body)
    except StorageFormatError:
        return None
    if scanned.problems:
        return None
    data = body.encode()
    parts, last = [], 0
    for region in sorted(scanned.regions.values(), key=lambda r: r.content_start):
        parts.append(data[last : region.content_start])
        last = region.content_end
    parts.append(data[last:])
    return parts


def same_outside_regions(read: str, rendered: str) -> bool:
    """Whether a body as read and our rendering say the same outside the regions, under
    Confluence's storage normalisation (``regions.canonical``)."""
    from confluence_sync.wiki.regions import canonical
    from confluence_sync.wiki.storage import StorageFormatError

    mine, theirs = _outside(rendered), _outside(read)
    if mine is None or theirs is None:
        return False
    try:
        # The delimiters stay on both sides, so the cut blocks cannot run together.
        return canonical(b"".join(theirs).decode()) == canonical(b"".join(mine).decode())
    except StorageFormatError:
        return False


def outside_hash(body: str) -> str:
    """Hash of ``body`` outside its managed regions (region contents cut, delimiters kept).

    Compares two bodies *we rendered* (the one we last wrote whole, the one the config renders
    now): when they agree outside the regions and nobody saved the page since our write, the
    fresh rendering is exactly the page with new regions, so it can be written without a read.
    Raw bytes on purpose: a body the wiki normalised or a member touched never matches a fresh
    rendering, which sends such pages down the read-and-splice path. "" when the body has
    damaged regions (never matches).
    """
    import hashlib

    parts = _outside(body)
    if parts is None:
        return ""
    return "sha256:" + hashlib.sha256(b"\0".join(parts)).hexdigest()


def wanted_from_desired(
    desired: DesiredWiki,
    *,
    templates_supported: bool,
    config: NetworkConfig | None = None,
) -> Wanted:
    """The engine's view of the desired wiki. Where the flavour has no template API the
    template's fallback page is wanted instead, and the builder's note is reported.

    ``config`` (the one the desired wiki was built from) lets each group space know its
    schedule's slots, whose pages are kept instead of archived when no longer rendered."""
    slots: dict[str, ScheduleSlots] = {}
    if config is not None:
        slots = {
            space_key(config.network, group): ScheduleSlots(group)
            for group in config.working_groups
            if group.schedule is not None
        }
    notes: list[tuple[str, str]] = []
    spaces: list[WantedSpace] = []
    for space in desired.spaces:
        pages = [_page(p) for p in desired.pages_in(space.key)]
        templates: list[Template] = []
        for template in (t for t in desired.templates if t.space_key == space.key):
            if templates_supported:
                templates.append(
                    Template(template.name, template.body, template.description, template.labels)
                )
            else:
                pages.append(_page(template.fallback_page))
                notes.append((f"template {template.identity}", template.note))
        grants = frozenset(
            Grant(g.subject_type, g.subject, operation)
            for g in desired.grants
            if g.space_key == space.key
            for operation in g.operations
        )
        spaces.append(
            WantedSpace(
                key=space.key,
                name=space.name,
                description=space.description,
                pages=tuple(pages),
                grants=grants,
                templates=tuple(templates),
                archive_label=desired.archive_label,
                schedule_slots=slots.get(space.key),
            )
        )
    groups = {g.name: frozenset(g.members) for g in desired.groups}
    return Wanted(desired.network_key, tuple(spaces), groups, tuple(notes))


def _page(page: DesiredPage) -> WantedPage:
    return WantedPage(
        identity=page.identity,
        space_key=page.space_key,
        title=page.title,
        body=page.body,
        parent=page.parent,
        regions={r.name: r.content for r in page.regions},
        labels=frozenset(page.labels),
        kind=page.kind,
        home=page.is_home,
        archive=page.is_archive,
        hashes={r.name: r.content_hash for r in page.regions},
    )
