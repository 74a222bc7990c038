"""Apply a plan: run its changes through a ``WikiWriter`` and record one result per item.

Order: new spaces, then groups and memberships (network-wide), then every space on its own
worker thread (independent spaces in parallel; the backend's rate limit is shared): grants,
templates, pages parents-before-children, archives, revokes, and finally the space's index
property. A failing item is recorded and the run goes on; items that depend on it (children
of a page that could not be created) fail with that reason.

The hub's index is not written here: it carries the run lock, and the engine writes it once
when it releases the lock (:meth:`Applier.index_for`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from confluence_sync.backends.base import (
    Grant,
    Page,
    PageInfo,
    PageUpdate,
    Property,
    WikiReader,
    WikiWriter,
)
from confluence_sync.errors import ConflictError, ConfluenceSyncError
from confluence_sync.index import INDEX_KEY, MARKER_KEY, PageRecord, SpaceIndex, record_from_marker
from confluence_sync.observe import ObservedSpace, WikiState
from confluence_sync.plan import (
    AddGrant,
    AddMember,
    ArchivePage,
    Change,
    CreatePage,
    CreateSpace,
    EnsureGroup,
    Note,
    Plan,
    RemoveMember,
    RevokeGrant,
    SaveTemplate,
    UpdatePage,
)
from confluence_sync.regions import region_hash, replace_region, scan_regions
from confluence_sync.wanted import Wanted

STATUS = {
    "create-space": "created",
    "create": "created",
    "update": "updated",
    "archive": "archived",
    "grant": "granted",
    "revoke": "revoked",
    "create-group": "created",
    "add-member": "added",
    "remove-member": "removed",
    "template": "saved",
}


@dataclass(frozen=True)
class ItemResult:
    """What happened to one plan item."""

    space: str
    item: str
    kind: str
    status: str  # created updated archived granted … | conflict blocked skipped manual | failed
    reason: str

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def to_json(self) -> dict[str, str]:
        return {
            "space": self.space,
            "item": self.item,
            "kind": self.kind,
            "status": self.status,
            "reason": self.reason,
        }


class _Skip(ConfluenceSyncError):
    """A change that cannot run because one it depends on failed."""


class Applier:
    """Runs one plan. ``progress`` is called once per finished item (from worker threads)."""

    def __init__(
        self,
        wanted: Wanted,
        state: WikiState,
        reader: WikiReader,
        writer: WikiWriter,
        *,
        workers: int = 4,
        progress: Callable[[ItemResult], None] | None = None,
    ) -> None:
        self.wanted, self.state, self.reader, self.writer = wanted, state, reader, writer
        self.workers = max(1, workers)
        self.progress = progress
        self.results: list[ItemResult] = []
        self._lock = threading.Lock()
        self.records: dict[str, dict[str, PageRecord]] = {
            key: dict(space.records) for key, space in state.spaces.items()
        }
        self.grants: dict[str, frozenset[Grant]] = {}
        self.templates: dict[str, dict[str, tuple[str, str]]] = {
            key: dict(space.index.templates) for key, space in state.spaces.items()
        }
        self.groups: dict[str, frozenset[str]] = {
            name: members or frozenset() for name, members in state.groups.items()
        }
        self.failed_spaces: set[str] = set()

    # --- bookkeeping ------------------------------------------------------------------

    def _record(self, change: Change, status: str, reason: str = "") -> None:
        result = ItemResult(
            change.space, change.item, Plan.kind_of(change), status, reason or change.reason
        )
        with self._lock:
            self.results.append(result)
        if self.progress:
            self.progress(result)

    def _run(self, change: Change, action: Callable[[], str | None]) -> bool:
        try:
            reason = action()
        except ConfluenceSyncError as error:
            self._record(change, "failed", str(error))
            return False
        self._record(change, STATUS.get(change.kind, "done"), reason or "")
        return True

    # --- the run ----------------------------------------------------------------------

    def run(self, plan: Plan) -> list[ItemResult]:
        by_space: dict[str, list[Change]] = {}
        for change in plan.changes:
            if isinstance(change, Note):
                self._record(change, change.status)
            elif isinstance(change, CreateSpace):
                self.create_space(change)
            elif isinstance(change, EnsureGroup | AddMember | RemoveMember):
                self._run(change, lambda c=change: self._group(c))  # type: ignore[misc]
            else:
                by_space.setdefault(change.space, []).append(change)
        keys = [space.key for space in self.wanted.spaces]
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            list(pool.map(lambda key: self._space(key, by_space.get(key, [])), keys))
        return self.results

    def create_space(self, change: CreateSpace) -> bool:
        """Create one space now (the engine creates the hub before taking the lock)."""
        if self._run(change, lambda: self._create_space(change)):
            return True
        self.failed_spaces.add(change.space)
        return False

    def _create_space(self, change: CreateSpace) -> None:
        info = self.writer.create_space(change.space, change.name, change.description)
        self.state.spaces[change.space].info = info

    def _group(self, change: Change) -> None:
        if isinstance(change, EnsureGroup):
            self.writer.ensure_group(change.group)
            self.groups.setdefault(change.group, frozenset())
        elif isinstance(change, AddMember):
            self.writer.add_group_member(change.group, change.account)
            self.groups[change.group] = self.groups.get(change.group, frozenset()) | {
                change.account
            }
        elif isinstance(change, RemoveMember):
            self.writer.remove_group_member(change.group, change.account)
            self.groups[change.group] = self.groups.get(change.group, frozenset()) - {
                change.account
            }

    def _space(self, key: str, changes: list[Change]) -> None:
        observed = self.state.spaces[key]
        wanted = self.wanted.space(key)
        assert wanted is not None
        current = observed.grants if observed.grants is not None else observed.index.grants
        granted = set(current or ()) & set(wanted.grants) if observed.info else set()
        if observed.index.grants is not None and observed.grants is None:
            granted = set(observed.index.grants)
        for change in changes:
            if key in self.failed_spaces:
                self._record(change, "failed", f"space {key} could not be created")
                continue
            if isinstance(change, AddGrant):
                if self._run(change, lambda c=change: self.writer.grant(key, c.grant)):  # type: ignore[misc]
                    granted.add(change.grant)
            elif isinstance(change, RevokeGrant):
                if self._run(change, lambda c=change: self.writer.revoke(key, c.grant)):  # type: ignore[misc]
                    granted.discard(change.grant)
            elif isinstance(change, SaveTemplate):
                self._run(change, lambda c=change: self._template(c))  # type: ignore[misc]
            elif isinstance(change, CreatePage):
                self._run(change, lambda c=change: self._create_page(observed, c))  # type: ignore[misc]
            elif isinstance(change, UpdatePage):
                self._run(change, lambda c=change: self._update_page(observed, c))  # type: ignore[misc]
            elif isinstance(change, ArchivePage):
                self._run(change, lambda c=change: self._archive(observed, c))  # type: ignore[misc]
        self.grants[key] = frozenset(granted)
        if key != self.wanted.hub_key and observed.info is not None:
            placeholder = Note(key, subject=f"index of space {key}", status="index")
            try:
                self.write_index(key, self.index_for(key))
            except ConfluenceSyncError as error:
                self._record(placeholder, "failed", f"{error} (the next sync rebuilds it)")

    # --- pages ------------------------------------------------------------------------

    def _parent_id(self, observed: ObservedSpace, parent: str | None) -> str:
        if parent is None:
            if observed.homepage_id is None:
                raise _Skip(f"space {observed.key} has no home page to put the page under")
            return observed.homepage_id
        record = self.records[observed.key].get(parent)
        if record is None:
            raise _Skip(f"parent page {parent} does not exist (failed or blocked)")
        return record.page_id

    def _finder(self, space: str, title: str, identity: str) -> Callable[[], PageInfo | None]:
        def find_existing() -> PageInfo | None:
            found = self.reader.find_page_by_title(space, title)
            if found is None:
                return None
            prop = self.reader.get_page_property(found.id, MARKER_KEY)
            record = record_from_marker(found.id, prop) if prop else None
            # Our create landed although we saw an error. (A create that landed without its
            # marker — Cloud adds properties afterwards — is the backend's to recognise.)
            return found if record is not None and record.identity == identity else None

        return find_existing

    def _create_page(self, observed: ObservedSpace, change: CreatePage) -> str | None:
        record = PageRecord(change.identity, "", 1, change.page_kind, change.regions, change.labels)
        if change.home:
            if observed.homepage_id is None:
                raise _Skip(f"space {observed.key} has no home page")
            home = self.reader.get_page(observed.homepage_id)
            update = PageUpdate(
                home.info.id,
                change.title,
                change.body,
                home.info.version,
                message="confluence-sync: home page",
            )
            base = home.info.version

            def unchanged(fresh: Page) -> PageUpdate | None:
                # A 409 although nobody saved since we read: write again at the same base.
                return update if fresh.info.version == base else None

            info = self.writer.update_page(update, recheck=unchanged)
            record = replace(record, page_id=info.id, version=info.version)
            prop = self.writer.set_page_property(
                info.id, MARKER_KEY, record.marker_value(), current=None
            )
            if change.labels:
                self.writer.add_labels(info.id, sorted(change.labels))
            record = replace(record, marker_version=prop.version, marker_id=prop.id)
        else:
            parent_id = self._parent_id(observed, change.parent)
            info = self.writer.create_page(
                observed.key,
                change.title,
                change.body,
                parent_id=parent_id,
                labels=sorted(change.labels),
                properties={MARKER_KEY: record.marker_value()},
                find_existing=self._finder(observed.key, change.title, change.identity),
            )
            record = replace(record, page_id=info.id, version=info.version)
        self.records[observed.key][change.identity] = record
        return None

    def _recheck(
        self, change: UpdatePage, record: PageRecord | None
    ) -> Callable[[Page], PageUpdate | None]:
        """After a 409: write again only if nobody touched our regions in between."""
        space = self.wanted.space(change.space)
        page = space.page(change.identity) if space else None

        def recheck(fresh: Page) -> PageUpdate | None:
            if page is None or record is None:
                return None
            body = fresh.body
            found = scan_regions(body).regions
            for name, target in change.regions.items():
                region = found.get(name)
                if region is None or name not in page.regions:
                    return None
                current = region_hash(region.content)
                if current == target:
                    continue
                if current != record.regions.get(name) and name not in change.overwritten:
                    return None  # a member edited it meanwhile: do not overwrite
                body = replace_region(body, name, page.regions[name])
            return PageUpdate(
                fresh.info.id,
                change.title,
                body,
                fresh.info.version,
                parent_id=None,
                message="confluence-sync: " + change.reason,
            )

        return recheck

    def _update_page(self, observed: ObservedSpace, change: UpdatePage) -> str | None:
        old = self.records[observed.key].get(change.identity)
        parent_id = self._parent_id(observed, change.parent) if change.move else None
        version = change.base_version
        if change.body is not None:
            update = PageUpdate(
                change.page_id,
                change.title,
                change.body,
                change.base_version,
                parent_id=parent_id,
                message="confluence-sync: " + change.reason,
            )
            version = self.writer.update_page(update, recheck=self._recheck(change, old)).version
        elif change.move and parent_id is not None:
            version = self.writer.move_page(change.page_id, parent_id).version
        if change.labels_add:
            self.writer.add_labels(change.page_id, sorted(change.labels_add))
        for label in sorted(change.labels_remove):
            self.writer.remove_label(change.page_id, label)
        record = PageRecord(
            change.identity,
            change.page_id,
            version,
            change.page_kind,
            change.regions,
            change.labels,
        )
        self._write_marker(observed, record, old)
        return None

    def _archive(self, observed: ObservedSpace, change: ArchivePage) -> str | None:
        old = self.records[observed.key][change.identity]
        archive_id = self._parent_id(observed, change.archive)
        info = self.writer.move_page(change.page_id, archive_id)
        self.writer.add_labels(change.page_id, [change.label])
        record = replace(
            old, version=info.version, archived=True, labels=old.labels | {change.label}
        )
        self._write_marker(observed, record, old)
        return None

    def _write_marker(
        self, observed: ObservedSpace, record: PageRecord, old: PageRecord | None
    ) -> None:
        current: Property | None = None
        if old is not None and old.page_id == record.page_id:
            current = old.marker_property()
        if current is None or (not current.id and self.reader.capabilities.flavour == "cloud"):
            current = self.reader.get_page_property(record.page_id, MARKER_KEY)
        try:
            prop = self.writer.set_page_property(
                record.page_id, MARKER_KEY, record.marker_value(), current=current
            )
        except ConflictError:
            # Our remembered marker version is stale (a lost write); read it and write once more.
            current = self.reader.get_page_property(record.page_id, MARKER_KEY)
            prop = self.writer.set_page_property(
                record.page_id, MARKER_KEY, record.marker_value(), current=current
            )
        record = replace(record, marker_version=prop.version, marker_id=prop.id)
        self.records[observed.key][record.identity] = record

    def _template(self, change: SaveTemplate) -> None:
        saved = self.writer.save_template(change.space, change.template)
        self.templates[change.space][saved.name or change.template.name] = (saved.id, change.digest)

    # --- index ------------------------------------------------------------------------

    def index_for(self, key: str) -> SpaceIndex:
        """The index of space ``key`` as this run leaves it (lock excluded)."""
        observed = self.state.spaces[key]
        wanted = self.wanted.space(key)
        grants = self.grants.get(key)
        if grants is None:
            grants = (
                observed.index.grants
                if observed.grants is None
                else (observed.grants & (wanted.grants if wanted else frozenset()))
            )
        groups: dict[str, frozenset[str]] = {}
        if key == self.wanted.hub_key:
            groups = {name: self.groups.get(name, frozenset()) for name in self.wanted.groups}
        return SpaceIndex(self.records[key], grants, self.templates[key], groups, None)

    def write_index(
        self, key: str, index: SpaceIndex, *, lock: dict[str, Any] | None = None
    ) -> None:
        """Write the index if it differs from what observe read (409: re-read, write once more)."""
        observed = self.state.spaces[key]
        value = replace(index, lock=lock).to_json()
        if observed.index_prop is not None and observed.index_prop.value == value:
            return
        try:
            prop = self.writer.set_space_property(
                key, INDEX_KEY, value, current=observed.index_prop
            )
        except ConflictError:
            current = self.reader.get_space_property(key, INDEX_KEY)
            prop = self.writer.set_space_property(key, INDEX_KEY, value, current=current)
        observed.index_prop = prop
