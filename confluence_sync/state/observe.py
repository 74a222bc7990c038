"""Observe: read what the wiki holds now into a :class:`WikiState`, with reads only.

Cheap by design (TARGETS: a no-op re-sync costs at most 2 requests per space + 1 per 250
pages). Every space in one listing (per 100 keys); then per space the page list (ids, titles,
parents, versions, on Data Center labels; paginated in bulk) and our index (its head and
shards: one listing of the space's properties). Everything else is read only where the index
cannot answer:

* a page body — only for pages the plan may rewrite and where the index cannot vouch for
  it: the version differs from the one we wrote (someone saved it since), or our last write
  was a splice around words we did not render. By default every page we may rewrite is read
  and only our regions are spliced: Confluence adds no page version when a member adds an
  inline comment, but inserts its ``ac:inline-comment-marker`` into the body, so an
  unchanged version does not prove an unchanged body. Only with ``trust_versions`` (opt-in,
  ``--trust-versions``) is a page still at the version of our last whole-body write, whose
  config rendering agrees outside the regions with that write, left unread: the planner
  renders it whole (``fresh``); the write carries our version as base, so a versioned edit
  in between still gets a 409 and a re-check, but such a comment marker would be dropped;
* a page marker — for a listed page that is not in the index but carries a title we want
  (a crash after a create, a lost index, or a page someone else made; its body read names
  its creator), and for a marked page's index entry whose page is not listed (the marker
  decides whether it still exists; a page we created has none, its index entry decides);
* grants, templates and group memberships — only where what the config wants differs from
  what the index says we set (no-op runs trust the index; a change run lists and compares).
  A site without the listing (DC before 9.1, or a 404) or refusing it with 500 (CONFSERVER-
  99908) leaves them unlisted, ``grants_refused`` says why, ``plan.manual`` takes it from there.

The hub's index head also carries the run lock, so the lock costs no extra read.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from confluence_sync.backends.contract import Capabilities, WikiReader
from confluence_sync.config.identities import PageIdentity
from confluence_sync.config.titles import title_key
from confluence_sync.errors import NotFoundError, ServerError
from confluence_sync.state import ledger_store
from confluence_sync.state.ledger import MARKER_KEY, PageRecord, SpaceIndex, record_from_marker
from confluence_sync.state.meeting_records import take_over_former
from confluence_sync.wanted.model import Wanted, WantedPage, WantedSpace
from confluence_sync.wiki.outside import outside_hash
from confluence_sync.wiki.values import Grant, Page, PageInfo, Property, SpaceInfo, Template


@dataclass(frozen=True)
class ObservedSpace:
    """One space as read; never changed afterwards (apply keeps its own cursors). ``info``
    None: the space does not exist (or is invisible to us)."""

    key: str
    info: SpaceInfo | None = None
    listed: Mapping[str, PageInfo] = field(default_factory=dict)  # page id → page
    index: SpaceIndex = field(default_factory=SpaceIndex)
    index_prop: Property | None = None  # the index's head (on the hub: with the run lock)
    index_shards: Mapping[str, Property] = field(default_factory=dict)  # key → shard as read
    records: Mapping[str, PageRecord] = field(default_factory=dict)  # identity → ours
    bodies: Mapping[str, Page] = field(default_factory=dict)  # page id → page with body
    foreign: Mapping[str, PageInfo] = field(default_factory=dict)  # title key → not ours
    grants: frozenset[Grant] | None = None  # None: not listed, the index is trusted
    templates: tuple[Template, ...] | None = None  # None: not listed
    vanished: tuple[str, ...] = ()  # identities whose page is gone
    # identity → our page, which someone archived in the wiki (kept in ``records``; its title
    # stays taken, so it is left archived and reported, never created again)
    archived: Mapping[str, PageInfo] = field(default_factory=dict)
    # page ids the planner may render whole instead of splicing into a body read
    fresh: frozenset[str] = frozenset()
    # page id → every account that saved a version, for the pages the planner will archive
    editors: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # why the grants could not be listed: "" (they were, or were not needed), NO_API (the
    # release has no REST permission API) or NOT_ADMIN (the listing answered 500)
    grants_refused: str = ""

    @property
    def homepage_id(self) -> str | None:
        return self.info.homepage_id if self.info else None

    def parent_id(self, page: WantedPage) -> str | None:
        """The page id the wanted page should sit under now (None: not created yet)."""
        if page.home:
            return None
        if page.parent is None:
            return self.homepage_id
        record = self.records.get(page.parent)
        return record.page_id if record else None


NO_API = "no-api"
NOT_ADMIN = "not-admin"


def _list_grants(reader: WikiReader, key: str) -> tuple[frozenset[Grant] | None, str]:
    """The space's grants, or None and why the site would not list them."""
    if not reader.capabilities.space_permission_api:
        return None, NO_API
    try:
        return frozenset(reader.list_grants(key)), ""
    except NotFoundError:  # a release that does not say its version, or a proxy's rule
        return None, NO_API
    except ServerError as error:
        if error.status != 500:
            raise
        return None, NOT_ADMIN


@dataclass(frozen=True)
class _Records:
    """What the index and the markers say of a space's pages (``_resolve_records``)."""

    records: dict[str, PageRecord]
    listed: dict[str, PageInfo]  # pages found by their marker although not listed
    vanished: tuple[str, ...]
    archived: dict[str, PageInfo]
    foreign: dict[str, PageInfo]


@dataclass(frozen=True)
class WikiState:
    """Everything observe read: spaces by key, and the members of our groups."""

    capabilities: Capabilities
    spaces: Mapping[str, ObservedSpace]
    # group → accounts; None when the group does not exist
    groups: Mapping[str, frozenset[str] | None] = field(default_factory=dict)
    hub_key: str = ""
    # spaces the hub index records but the config no longer names, and that still exist
    orphans: tuple[str, ...] = ()

    @property
    def hub(self) -> ObservedSpace:
        return self.spaces[self.hub_key]


def observe(
    reader: WikiReader,
    wanted: Wanted,
    *,
    adopt: bool = False,
    workers: int = 4,
    trust_versions: bool = False,
) -> WikiState:
    """Read the state of every space the config describes (spaces in parallel).

    ``trust_versions``: let the planner render a page whole without reading it when its
    version is unchanged since our last write (see the module docstring for the risk).
    """
    # Every space in one listing (per 100 keys), not one read each: a no-op run then costs
    # two requests per space — its pages and its index.
    reader.get_spaces([space.key for space in wanted.spaces])
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        observed = list(
            pool.map(
                lambda s: _observe_space(reader, s, adopt, trust_versions, wanted.today),
                wanted.spaces,
            )
        )
        spaces = {space.key: space for space in observed}
        hub = spaces.get(wanted.hub_key)
        known_groups = hub.index.groups if hub else {}
        # One group per worker too: a first sync of 40 groups asks for each one.
        groups = dict(
            pool.map(
                lambda item: (item[0], _observe_group(reader, item[0], item[1], known_groups)),
                sorted(wanted.groups.items()),
            )
        )
    recorded = hub.index.spaces if hub else ()
    # One read per such space and run: a space deleted by hand drops out of the record.
    candidates = [k for k in recorded if k not in spaces]
    found = reader.get_spaces(candidates) if candidates else {}
    orphans = tuple(k for k in candidates if found.get(k) is not None)
    return WikiState(reader.capabilities, spaces, groups, wanted.hub_key, orphans)


def _observe_space(
    reader: WikiReader, space: WantedSpace, adopt: bool, trust_versions: bool, today: str
) -> ObservedSpace:
    info = reader.get_space(space.key)
    if info is None:
        return ObservedSpace(space.key)
    listed = {page.id: page for page in reader.list_pages(space.key)}
    stored = ledger_store.read(reader, space.key)  # head and shards in one listing
    found = _resolve_records(reader, space, stored.index, listed, today)
    observed = ObservedSpace(
        space.key,
        info,
        {**listed, **found.listed},
        stored.index,
        stored.head,
        dict(stored.shards),
        found.records,
        foreign=found.foreign,
        vanished=found.vanished,
        archived=found.archived,
    )
    bodies, fresh = _read_bodies(reader, space, observed, trust_versions)
    index = stored.index
    grants, refused = None, ""
    # Listed where the config differs from what the index recorded, and once where the index
    # does not yet say which grants the sync did not make (an index of an older version).
    if index.grants is None or index.grants != space.grants or index.extra is None:
        grants, refused = _list_grants(reader, space.key)
    templates = None
    if space.templates and reader.capabilities.supports_templates:
        recorded = index.templates
        wanted = [t.template for t in space.templates]
        # Listed when one is not recorded, or its rendering changed since it was saved.
        if any(recorded.get(t.name, ("", ""))[1] != t.digest() for t in wanted):
            templates = tuple(reader.list_templates(space.key))
    # Who wrote what the plan would archive, so it can say so before it moves the page.
    editors = {
        record.page_id: reader.page_editors(record.page_id)
        for identity, record in sorted(observed.records.items())
        if space.page(identity) is None
        and not record.archived
        and identity not in observed.archived
        and not space.kept_as_is(PageIdentity(identity))
    }
    return replace(
        observed,
        bodies=bodies,
        fresh=fresh,
        grants=grants,
        grants_refused=refused,
        templates=templates,
        editors=editors,
    )


def _marker(reader: WikiReader, page_id: str) -> PageRecord | None:
    try:
        prop = reader.get_page_property(page_id, MARKER_KEY)
    except NotFoundError:
        return None
    return record_from_marker(page_id, prop) if prop else None


def _resolve_records(
    reader: WikiReader,
    space: WantedSpace,
    index: SpaceIndex,
    listed: Mapping[str, PageInfo],
    today: str,
) -> _Records:
    """Our pages: index entries whose page is listed, then markers where the index is silent."""
    records: dict[str, PageRecord] = {}
    found_listed: dict[str, PageInfo] = {}
    vanished: list[str] = []
    archived: dict[str, PageInfo] = {}
    for identity, record in index.pages.items():
        if record.page_id in listed:
            records[identity] = record
            continue
        # Not listed: archived, moved to another space, trashed or deleted.
        try:
            page: Page | None = reader.get_page(record.page_id, any_status=True)
        except NotFoundError:
            page = None
        if page is None or page.info.space_key != space.key:
            vanished.append(identity)
        elif page.info.status == "archived":
            # Archived in the wiki (the sync's own archiving keeps a page current, moved
            # under the archive page): a person did it.
            records[identity] = record
            archived[identity] = page.info
        elif page.info.status != "current":
            vanished.append(identity)  # trashed: its title is free, make it again
        elif not record.marked:  # current here though not listed: no marker, the index vouches
            found_listed[page.info.id] = page.info
            records[identity] = record
        elif (marker := _marker(reader, record.page_id)) is not None and (
            marker.identity == identity
        ):
            found_listed[page.info.id] = page.info
            records[identity] = marker
        else:
            vanished.append(identity)
    known = {record.page_id for record in records.values()}
    wanted_titles = {title_key(p.title) for p in space.pages}
    foreign: dict[str, PageInfo] = {}
    for page_info in [*listed.values(), *found_listed.values()]:
        if page_info.id in known or title_key(page_info.title) not in wanted_titles:
            continue
        found = _marker(reader, page_info.id)
        if found is not None and found.identity not in records:
            # Not in the index: the run that made it failed part-way (on Cloud labels are
            # added after the create). Its labels are unknown, so the planner adds them all.
            records[found.identity] = replace(found, labels=frozenset())
            known.add(page_info.id)
        elif found is None:
            foreign[title_key(page_info.title)] = page_info
    take_over_former(space, records, archived, today)
    return _Records(records, found_listed, tuple(vanished), archived, foreign)


def _read_bodies(
    reader: WikiReader, space: WantedSpace, state: ObservedSpace, trust_versions: bool
) -> tuple[dict[str, Page], frozenset[str]]:
    """Bodies of the pages the planner may rewrite or must check, nothing else; and the pages
    the planner may render whole without a read (``trust_versions``)."""
    wanted_ids: set[str] = set()
    fresh: set[str] = set()
    for page in space.pages:
        record = state.records.get(page.identity)
        if page.identity in state.archived:
            continue  # left as someone archived it
        if record is None:
            foreign = state.foreign.get(title_key(page.title))
            home_id = state.homepage_id
            if page.home and foreign is None and home_id is not None and home_id in state.listed:
                foreign = state.listed[home_id]
            # Read a page without our marker only where it has a title we want (or is the
            # home page): to adopt it, or to recognise our own write whose marker was lost.
            if foreign is not None:
                wanted_ids.add(foreign.id)
            continue
        info = state.listed[record.page_id]
        changed = (
            record.archived
            or info.version != record.version
            or info.title != page.title
            or info.parent_id != state.parent_id(page)
            or dict(record.regions) != page.hashes
        )
        if not changed:
            continue
        # Opt-in only: Confluence adds no version when a member adds an inline comment,
        # yet its marker lands in the body; a whole rewrite without a read would detach it.
        if (
            trust_versions
            and not record.archived
            and info.version == record.version
            and record.outside
            and record.outside == outside_hash(page.body)
        ):
            fresh.add(record.page_id)
        else:
            wanted_ids.add(record.page_id)
    return {page_id: reader.get_page(page_id) for page_id in sorted(wanted_ids)}, frozenset(fresh)


def _observe_group(
    reader: WikiReader,
    name: str,
    members: frozenset[str],
    known: Mapping[str, frozenset[str]],
) -> frozenset[str] | None:
    """Members of a group we manage (None: no such group); the hub index answers when it
    matches the config."""
    if known.get(name) == members:
        return members
    if reader.group_exists(name):
        return frozenset(user.id for user in reader.list_group_members(name))
    return None
