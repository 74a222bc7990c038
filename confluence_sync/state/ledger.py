"""Ownership records: the per-space index property and the per-page marker property.

The **index** (space property ``confluence-sync.index``) records every page the sync owns:
its identity and kind, the version our last write produced, the region hashes as written, our
labels and the hash of the body outside the regions when we wrote it whole; plus the grants
and templates we manage. It is written once per space at the end of a run, so a region-only
update costs the page write and nothing per page, and a no-op run reads it in one request per
space. A page the sync **created** is recorded by the index alone: no property is written at
creation (Cloud v2 ``POST /pages`` and DC ``POST /rest/api/content`` take none, so a marker
would be a second request per page).

The **marker** (content property ``confluence-sync``: identity and kind, plus the facts of
the write that set it) is written only where the sync's own authorship cannot vouch for a
page: adoption (someone else created it), archiving and un-archiving (the page leaves the
config, or comes back), and a rename of a page that already carries one. Markers written by
earlier releases, which marked every create, are still read and honoured.

When the index is lost or stale, a page's marker still proves it is ours; its version then
differs from the page's, so observe reads the body and the planner compares region hashes: a
region equal to the config or to what the marker recorded is ours, anything else is reported
as a conflict and kept (never overwritten on a guess). A page with neither index record nor
marker is ours only if its body is exactly what we would write (our create, cut off before the
index write), or the sync account created it and every managed region still equals the
config's (``plan.pages``); otherwise it is blocked until ``--adopt``. On the hub the index also
holds the memberships of our groups and the run lock (see ``lock``).

Confluence documents at most 32 KB of JSON per property, so a big index is not one property:
``ledger_store`` moves the page records (and the hub's group members) to shards next to a head
that holds every other field and, on the hub, the run lock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final

from confluence_sync.wanted.calendar import EventRecord
from confluence_sync.wiki.values import JSON, Grant, Property

MARKER_KEY: Final = "confluence-sync"
INDEX_KEY: Final = "confluence-sync.index"
FORMAT: Final = 1


@dataclass(frozen=True)
class PageRecord:
    """What we know we wrote to one page."""

    identity: str
    page_id: str
    version: int  # the page version our last write produced
    kind: str = "managed"
    regions: Mapping[str, str] = field(default_factory=dict)  # region → hash as written
    labels: frozenset[str] = frozenset()  # labels we set (others are members')
    archived: bool = False
    # Version of the page's marker property, to update it without a read; 0: the page has no
    # marker (a page the sync created: the index alone records it). An index written before
    # creates went unmarked leaves the field out, which reads as 1.
    marker_version: int = 1
    marker_id: str = ""  # Cloud v2 property id
    # Hash of the body outside the regions (``wanted.outside_hash``) when our last write was
    # a whole rendering of the config; "" when the page holds words we did not render (a
    # splice around a member's text, an adopted page, an acknowledged edit): read it first.
    outside: str = ""
    # A meeting page: the ISO date of the meeting our last write described ("" otherwise), so
    # a slot whose meeting took place is never rewritten into another meeting.
    day: str = ""
    # Read from the page's marker, not the index (index lost or stale): its version and
    # hashes are those of the marker's write, maybe older than our last one. Not stored.
    from_marker: bool = field(default=False, compare=False)
    # The identity the page was recorded under until this run (observe took the record over
    # for a page known by another identity now, see ``WantedPage.formerly``); its marker still
    # says the old one, so the next write rewrites it. Not stored.
    renamed_from: str = field(default="", compare=False)

    @property
    def marked(self) -> bool:
        """Whether the page carries our marker property (as far as this record knows)."""
        return self.marker_version > 0

    def marker_value(self) -> JSON:
        """The marker property's value for this record."""
        return {
            "format": FORMAT,
            "identity": self.identity,
            "kind": self.kind,
            "version": self.version,
            "regions": dict(sorted(self.regions.items())),
            "labels": _strs(sorted(self.labels)),
            "archived": self.archived,
            **({"day": self.day} if self.day else {}),
        }

    def marker_property(self) -> Property:
        """The marker as it should stand on the wiki (for a versioned update)."""
        return Property(MARKER_KEY, self.marker_value(), self.marker_version, self.marker_id)


def record_from_marker(page_id: str, prop: Property) -> PageRecord | None:
    """The record a marker property describes, or None when it is not one of ours."""
    value = prop.value
    if not isinstance(value, dict) or not isinstance(value.get("identity"), str):
        return None
    return replace(_record(page_id, value, prop.version, prop.id), from_marker=True)


def _record(
    page_id: str,
    value: Mapping[str, Any],
    marker_version: int,
    marker_id: str,
    outside: str = "",
) -> PageRecord:
    regions = value.get("regions") or {}
    labels = value.get("labels") or []
    return PageRecord(
        identity=str(value["identity"]),
        page_id=page_id,
        version=int(value.get("version") or 0),
        kind=str(value.get("kind") or "managed"),
        regions={str(k): str(v) for k, v in dict(regions).items()},
        labels=frozenset(str(label) for label in labels),
        archived=bool(value.get("archived", False)),
        marker_version=marker_version,
        marker_id=marker_id,
        outside=outside,
        day=str(value.get("day") or ""),
    )


def _strs(items: Iterable[str]) -> list[JSON]:
    return [str(item) for item in items]


def grant_json(grant: Grant) -> list[JSON]:
    return [grant.subject_type, grant.subject, grant.operation]


def grant_from_json(item: Any) -> Grant | None:
    if isinstance(item, list) and len(item) == 3 and item[0] in ("user", "group", "access_class"):
        return Grant(item[0], str(item[1]), str(item[2]))
    return None


@dataclass(frozen=True)
class DigestRecord:
    """The hub's digest page as the sync last left it (``apply.digest``): the page, the version
    and region hash of our last write, the ``fingerprint`` of the meeting pages and config it
    was read from, the day it goes stale by itself (``until``, ISO; "": never — a meeting
    becomes held, a task overdue) and the ``--since`` it was published with."""

    page_id: str
    version: int
    region: str
    fingerprint: str
    until: str = ""
    since: str = ""

    def to_json(self) -> JSON:
        return {
            "page": self.page_id,
            "v": self.version,
            "region": self.region,
            "fp": self.fingerprint,
            **({"until": self.until} if self.until else {}),
            **({"since": self.since} if self.since else {}),
        }


def digest_from_json(value: JSON) -> DigestRecord | None:
    if not isinstance(value, dict) or not isinstance(value.get("page"), str):
        return None
    version = value.get("v")
    return DigestRecord(
        str(value["page"]),
        version if isinstance(version, int) else 0,
        str(value.get("region") or ""),
        str(value.get("fp") or ""),
        str(value.get("until") or ""),
        str(value.get("since") or ""),
    )


@dataclass(frozen=True)
class SpaceIndex:
    """The index of one space. ``grants`` None: we have never recorded them.

    ``pages`` and ``groups`` are stored in shards (``ledger_store``); every other field in the
    head property, through :data:`HEAD_FIELDS` (a new field needs a line there, and a merge
    rule in :func:`merge_index`)."""

    pages: Mapping[str, PageRecord] = field(default_factory=dict)
    grants: frozenset[Grant] | None = None
    templates: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # name → id, hash
    groups: Mapping[str, frozenset[str]] = field(default_factory=dict)  # hub only
    lock: Mapping[str, Any] | None = None  # hub only
    # hub only: the other spaces this network's syncs manage, so that a working group taken
    # out of the config is still known (and reported, never deleted)
    spaces: tuple[str, ...] = ()
    # hub only: the spaces (the hub included) a sync created itself, private. Every grant on
    # them is the sync's to manage; a space that existed before (adopted) keeps grants the
    # sync did not make unless the admin asks for their removal.
    created: tuple[str, ...] = ()
    # Grants last seen on the space that the sync neither made nor wants (site defaults or
    # added by hand), so a run that does not list grants can still report them. None: the
    # grants were never listed by a sync that records them.
    extra: frozenset[Grant] | None = None
    # The meetings calendar (``wanted.calendar``): per meeting of a group space what its
    # calendar last published (sequence, stamp, digest; sharded like the pages) …
    calendar: Mapping[str, EventRecord] = field(default_factory=dict)
    # … and the space's calendar attachment as last uploaded: (attachment id, SHA-256 of
    # the file), so an unchanged file is neither read nor sent again.
    calendar_file: tuple[str, str] | None = None
    # hub only: the digest page, once ``digest --publish`` made it (``apply.digest``)
    digest: DigestRecord | None = None


def merge_index(theirs: SpaceIndex, ours: SpaceIndex) -> SpaceIndex:
    """``ours`` written over an index another writer changed since we read it: their
    records of pages, templates, groups and spaces we know nothing of are kept (ours win
    where both have one), so a contested write loses no record."""
    return replace(
        ours,
        pages={**theirs.pages, **ours.pages},
        grants=ours.grants if ours.grants is not None else theirs.grants,
        templates={**theirs.templates, **ours.templates},
        groups={**theirs.groups, **ours.groups},
        spaces=tuple(sorted({*theirs.spaces, *ours.spaces})),
        created=tuple(sorted({*theirs.created, *ours.created})),
        extra=ours.extra if ours.extra is not None else theirs.extra,
        calendar={**theirs.calendar, **ours.calendar},
        calendar_file=ours.calendar_file or theirs.calendar_file,
        digest=ours.digest or theirs.digest,
    )


# --- the head's fields -------------------------------------------------------------------


def _grants(value: JSON) -> frozenset[Grant] | None:
    if not isinstance(value, list):
        return None
    return frozenset(g for g in (grant_from_json(item) for item in value) if g is not None)


def _templates(value: JSON) -> dict[str, tuple[str, str]]:
    pairs = value.items() if isinstance(value, dict) else ()
    return {n: (str(p[0]), str(p[1])) for n, p in pairs if isinstance(p, list) and len(p) == 2}


def _pair(value: JSON) -> tuple[str, str] | None:
    if isinstance(value, list) and len(value) == 2:
        return str(value[0]), str(value[1])
    return None


def _list(value: JSON) -> list[JSON]:
    return value if isinstance(value, list) else []


@dataclass(frozen=True)
class HeadField:
    """How one field of :class:`SpaceIndex` is kept in the head property, under its own name.
    A field at its default value is left out (an older sync reads it as the default too)."""

    name: str
    encode: Callable[[Any], JSON]
    decode: Callable[[JSON], Any]


HEAD_FIELDS: Final = (
    HeadField("grants", lambda gs: [grant_json(g) for g in sorted(gs)], _grants),
    HeadField("templates", lambda ts: {n: _strs(p) for n, p in sorted(ts.items())}, _templates),
    HeadField("lock", dict, lambda v: v if isinstance(v, dict) else None),
    HeadField("spaces", lambda ks: _strs(sorted(ks)), lambda v: tuple(map(str, _list(v)))),
    HeadField("created", lambda ks: _strs(sorted(ks)), lambda v: tuple(map(str, _list(v)))),
    HeadField("extra", lambda gs: [grant_json(g) for g in sorted(gs)], _grants),
    HeadField("calendar_file", _strs, _pair),
    HeadField("digest", lambda d: d.to_json(), digest_from_json),
)
_DEFAULTS: Final = {f.name: getattr(SpaceIndex(), f.name) for f in HEAD_FIELDS}


def head_fields(index: SpaceIndex, **changed: Any) -> dict[str, JSON | None]:
    """The head's fields of ``index`` (with ``changed`` applied) as JSON; None where a field is
    at its default, meaning "leave the key out"."""
    values = {f.name: changed.get(f.name, getattr(index, f.name)) for f in HEAD_FIELDS}
    return {
        f.name: None if values[f.name] == _DEFAULTS[f.name] else f.encode(values[f.name])
        for f in HEAD_FIELDS
    }


def head_from_json(value: Mapping[str, JSON]) -> dict[str, Any]:
    """The :class:`SpaceIndex` fields a head value holds (keyword arguments)."""
    return {f.name: f.decode(value[f.name]) for f in HEAD_FIELDS if value.get(f.name) is not None}


def index_from_json(value: JSON) -> SpaceIndex:
    """Parse an index kept in one property (the format before shards, which an older sync
    still writes: pages and groups in the head); anything unreadable yields an empty index."""
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        return SpaceIndex()
    pages: dict[str, PageRecord] = {}
    raw_pages = value.get("pages")
    for identity, raw in raw_pages.items() if isinstance(raw_pages, dict) else []:
        if not isinstance(raw, dict) or "id" not in raw:
            continue
        pages[identity] = _record(
            str(raw["id"]),
            {
                "identity": identity,
                "version": raw.get("v"),
                "kind": raw.get("k"),
                "regions": raw.get("r"),
                "labels": raw.get("l"),
                "archived": raw.get("a"),
            },
            mv if isinstance(mv := raw.get("mv"), int) else 1,
            str(raw.get("mid") or ""),
            str(raw.get("o") or ""),
        )
    groups: dict[str, frozenset[str]] = {}
    raw_groups = value.get("groups")
    for name, members in raw_groups.items() if isinstance(raw_groups, dict) else []:
        if isinstance(members, list):
            groups[name] = frozenset(str(m) for m in members)
    return SpaceIndex(pages=pages, groups=groups, **head_from_json(value))
