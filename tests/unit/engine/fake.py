"""An in-memory wiki behind the WikiReader / WikiWriter contract, for the pure core's tests.

State-based, not scripted: tests assert on what the fake holds afterwards, never on the order
of calls. Every call counts as one request in the shared RequestCounter (writes by method).
Safe to call from the applier's workers at once, as a real site is: listings iterate a copy,
and a create checks its title and stores the page in one step.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from confluence_sync.backends.contract import (
    Backend,
    Capabilities,
    RequestCounter,
    UnsupportedOperationError,
    WikiReader,
    WikiWriter,
)
from confluence_sync.config.titles import title_key
from confluence_sync.errors import (
    BadRequestError,
    ConflictError,
    NotFoundError,
    TitleExistsError,
)
from confluence_sync.state import ledger_store
from confluence_sync.state.ledger import INDEX_KEY, MARKER_KEY, PageRecord
from confluence_sync.wiki.values import (
    JSON,
    Grant,
    Page,
    PageInfo,
    PageUpdate,
    Property,
    SpaceInfo,
    Template,
    UserInfo,
)


@dataclass
class FakePage:
    info: PageInfo
    body: str
    labels: set[str] = field(default_factory=set)
    properties: dict[str, Property] = field(default_factory=dict)
    editors: set[str] = field(default_factory=lambda: {"sync"})  # who saved any version


@dataclass
class FakeWiki(WikiReader, WikiWriter):
    """One fake site. ``cloud`` switches the capabilities (templates)."""

    cloud: bool = False
    batch_grants: bool = False  # Data Center 9.1+: one request per subject
    grant_calls: list[tuple[str, tuple[Grant, ...]]] = field(default_factory=list)
    spaces: dict[str, SpaceInfo] = field(default_factory=dict)
    pages: dict[str, FakePage] = field(default_factory=dict)
    space_props: dict[tuple[str, str], Property] = field(default_factory=dict)
    grants: dict[str, set[Grant]] = field(default_factory=dict)
    groups: dict[str, set[str]] = field(default_factory=dict)
    templates: dict[str, dict[str, Template]] = field(default_factory=dict)
    counter: RequestCounter = field(default_factory=RequestCounter)
    conflict_next_update: bool = False
    # A member's save that lands just before the sync's next page update (between its
    # observe and its write): page id → new body.
    edit_before_update: dict[str, str] = field(default_factory=dict)
    body_reads: list[str] = field(default_factory=list)  # page ids, in order
    marker_writes: list[str] = field(default_factory=list)  # page ids, in order
    property_reads: int = 0  # page property reads (the marker's)
    # What ``self_identities`` answers: the sync account's names the server knows, beyond
    # the configured one (Cloud: its accountId).
    identities: tuple[str, ...] = ()
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100))
    # page id → file name → (attachment id, data, comment): the pages' attachments
    attachments: dict[str, dict[str, tuple[str, bytes, str]]] = field(default_factory=dict)
    _listed: set[str] = field(default_factory=set)
    _create_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.capabilities = Capabilities(
            "cloud" if self.cloud else "datacenter",
            supports_templates=self.cloud,
            batch_grants=self.batch_grants,
        )

    def _hit(self, method: str) -> None:
        self.counter.count(method)

    def backend(self) -> Backend:
        return Backend(reader=self, _writer=self)

    # --- helpers for tests --------------------------------------------------------------

    def page_by_title(self, space: str, title: str) -> FakePage:
        return next(
            p
            for p in list(self.pages.values())
            if p.info.space_key == space and p.info.title == title
        )

    def index_props(self, space: str) -> list[Property]:
        """The index's head and shards on ``space`` (not counted as a request)."""
        return self._properties(space, INDEX_KEY)

    def drop_index(self, space: str) -> None:
        """Someone deletes the space's index (its head and every shard)."""
        for prop in self.index_props(space):
            del self.space_props[(space, prop.key)]

    def index_records(self, space: str) -> dict[str, PageRecord]:
        """The page records of the space's index as stored (not counted as a request)."""
        return dict(ledger_store.parse(self.index_props(space)).index.pages)

    def mark_like_an_older_release(self, space: str) -> None:
        """Give every page the index records the marker an older release wrote at creation
        (and at each ownership change), and the index the marker versions it then recorded,
        as wikis synced before still hold them."""
        stored = ledger_store.parse(self.index_props(space))
        pages = {}
        for identity, record in stored.index.pages.items():
            prop = Property(MARKER_KEY, record.marker_value(), 1, f"p{record.page_id}m")
            self.pages[record.page_id].properties[MARKER_KEY] = prop
            pages[identity] = replace(record, marker_version=1, marker_id=prop.id)
        ledger_store.write(self, space, replace(stored.index, pages=pages), stored)

    def member_edit(self, page_id: str, body: str, editor: str = "erika") -> None:
        """A member saves a new version of the page in the editor."""
        page = self.pages[page_id]
        page.info = replace(page.info, version=page.info.version + 1, last_editor=editor)
        page.editors.add(editor)
        page.body = body

    # --- reader -------------------------------------------------------------------------

    def get_spaces(self, keys: Sequence[str]) -> dict[str, SpaceInfo | None]:
        """One listing; the next ``get_space`` of each of these keys is answered from it (as
        the REST readers cache it for the run)."""
        self._hit("GET")
        self._listed.update(keys)
        return {key: self.spaces.get(key) for key in keys}

    def get_space(self, key: str) -> SpaceInfo | None:
        if key in self._listed:
            self._listed.discard(key)
        else:
            self._hit("GET")
        return self.spaces.get(key)

    def list_pages(self, space_key: str) -> list[PageInfo]:
        self._hit("GET")
        return [p.info for p in list(self.pages.values()) if p.info.space_key == space_key]

    def get_page(self, page_id: str, *, any_status: bool = False) -> Page:
        self._hit("GET")
        if page_id not in self.pages:
            raise NotFoundError(f"page {page_id}", 404, "not found")
        page = self.pages[page_id]
        self.body_reads.append(page_id)
        return Page(page.info, page.body)

    def list_pages_with_bodies(self, space_key: str) -> list[Page]:
        self._hit("GET")
        return [Page(p.info, p.body) for p in self.pages.values() if p.info.space_key == space_key]

    def mentioned_users(self, references: Sequence[str]) -> dict[str, UserInfo]:
        """Every reference is a known account, named after itself (as ``resolve_user``)."""
        if references:
            self._hit("GET")
        return {ref: UserInfo(ref, ref) for ref in references}

    def find_page_by_title(self, space_key: str, title: str) -> PageInfo | None:
        self._hit("GET")
        return next(
            (
                p.info
                for p in list(self.pages.values())
                if p.info.space_key == space_key and p.info.title == title
            ),
            None,
        )

    def get_space_property(self, space_key: str, key: str) -> Property | None:
        self._hit("GET")
        return self.space_props.get((space_key, key))

    def list_space_properties(self, space_key: str, prefix: str) -> list[Property]:
        self._hit("GET")
        return self._properties(space_key, prefix)

    def _properties(self, space_key: str, prefix: str) -> list[Property]:
        return [
            prop
            for (space, key), prop in sorted(list(self.space_props.items()))
            if space == space_key and (key == prefix or key.startswith(prefix + "."))
        ]

    def get_page_property(self, page_id: str, key: str) -> Property | None:
        self._hit("GET")
        self.property_reads += 1
        if page_id not in self.pages:
            raise NotFoundError(f"page {page_id}", 404, "not found")
        return self.pages[page_id].properties.get(key)

    def self_identities(self) -> tuple[str, ...]:
        return self.identities

    def page_editors(self, page_id: str) -> frozenset[str]:
        self._hit("GET")
        return frozenset(self.pages[page_id].editors)

    def get_labels(self, page_id: str) -> frozenset[str]:
        self._hit("GET")
        return frozenset(self.pages[page_id].labels)

    def list_grants(self, space_key: str) -> list[Grant]:
        self._hit("GET")
        return sorted(self.grants.get(space_key, set()))

    def group_exists(self, name: str) -> bool:
        self._hit("GET")
        return name in self.groups

    def list_group_members(self, name: str) -> list[UserInfo]:
        self._hit("GET")
        return [UserInfo(u, u) for u in sorted(self.groups.get(name, set()))]

    def resolve_user(self, identifier: str) -> UserInfo | None:
        self._hit("GET")
        return UserInfo(identifier, identifier)

    def list_templates(self, space_key: str) -> list[Template]:
        self._hit("GET")
        if not self.cloud:
            raise UnsupportedOperationError("no templates on Data Center")
        return list(self.templates.get(space_key, {}).values())

    # --- writer -------------------------------------------------------------------------

    def create_space(self, key: str, name: str, description: str = "") -> SpaceInfo:
        self._hit("POST")
        home_id = str(next(self._ids))
        info = SpaceInfo(key, str(next(self._ids)), name, home_id)
        self.spaces[key] = info
        self.pages[home_id] = FakePage(PageInfo(home_id, f"{name} Home", key, None, 1), "<p/>")
        return info

    def create_page(
        self,
        space_key: str,
        title: str,
        body: str,
        *,
        parent_id: str | None = None,
        labels: Iterable[str] = (),
        properties: Mapping[str, JSON] | None = None,
        find_existing: Callable[[], PageInfo | None] | None = None,
    ) -> PageInfo:
        self._hit("POST")
        with self._create_lock:
            if any(
                p.info.space_key == space_key and title_key(p.info.title) == title_key(title)
                for p in list(self.pages.values())
            ):
                raise TitleExistsError(f"page {title!r}", 400, "title exists", title=title)
            page_id = str(next(self._ids))
            # The sync account made it (conftest's ``self_accounts``), as the wiki's answer says.
            info = PageInfo(page_id, title, space_key, parent_id, 1, created_by="sync-bot")
            props = {k: Property(k, v, 1, f"p{page_id}{k}") for k, v in (properties or {}).items()}
            self.pages[page_id] = FakePage(info, body, set(labels), props)
        return info

    def update_page(
        self, update: PageUpdate, *, recheck: Callable[[Page], PageUpdate | None] | None = None
    ) -> PageInfo:
        self._hit("PUT")
        page = self.pages[update.page_id]
        if update.page_id in self.edit_before_update:
            self.member_edit(update.page_id, self.edit_before_update.pop(update.page_id))
        if self.conflict_next_update or update.base_version != page.info.version:
            self.conflict_next_update = False
            fresh = recheck(Page(page.info, page.body)) if recheck else None
            if fresh is None:
                raise ConflictError(f"page {update.page_id}", 409, "version conflict")
            update = fresh
        parent = update.parent_id or page.info.parent_id
        page.info = replace(
            page.info,
            title=update.title,
            parent_id=parent,
            version=page.info.version + 1,
            last_editor="sync",
        )
        page.body = update.body
        return page.info

    def move_page(self, page_id: str, new_parent_id: str) -> PageInfo:
        self._hit("PUT")
        page = self.pages[page_id]
        page.info = replace(page.info, parent_id=new_parent_id, version=page.info.version + 1)
        return page.info

    def _set(
        self,
        store: dict[Any, Property],
        slot: object,
        key: str,
        value: JSON,
        current: Property | None,
    ) -> Property:
        existing = store.get(slot)
        if current is None:
            self._hit("POST")
            if existing is not None:
                raise ConflictError(f"property {key}", 409, "exists")
            prop = Property(key, value, 1, f"id-{key}")
        else:
            self._hit("PUT")
            if existing is None or existing.version != current.version:
                raise ConflictError(f"property {key}", 409, "stale version")
            prop = Property(key, value, current.version + 1, existing.id)
        store[slot] = prop
        return prop

    def set_space_property(
        self, space_key: str, key: str, value: JSON, *, current: Property | None
    ) -> Property:
        return self._set(self.space_props, (space_key, key), key, value, current)

    def set_page_property(
        self, page_id: str, key: str, value: JSON, *, current: Property | None
    ) -> Property:
        self.marker_writes.append(page_id)
        return self._set(self.pages[page_id].properties, key, key, value, current)

    def add_labels(self, page_id: str, labels: Iterable[str]) -> None:
        self._hit("POST")
        self.pages[page_id].labels |= set(labels)

    def remove_label(self, page_id: str, label: str) -> None:
        self._hit("DELETE")
        self.pages[page_id].labels.discard(label)

    def grant(self, space_key: str, grant: Grant) -> None:
        self._hit("PUT")
        self.grants.setdefault(space_key, set()).add(grant)

    def revoke(self, space_key: str, grant: Grant) -> None:
        self._hit("DELETE")
        self.grants.get(space_key, set()).discard(grant)

    def grant_many(self, space_key: str, grants: Sequence[Grant]) -> None:
        if not self.batch_grants:
            super().grant_many(space_key, grants)
            return
        self._hit("PUT")
        self.grant_calls.append(("grant", tuple(grants)))
        self.grants.setdefault(space_key, set()).update(grants)

    def revoke_many(self, space_key: str, grants: Sequence[Grant]) -> None:
        if not self.batch_grants:
            super().revoke_many(space_key, grants)
            return
        self._hit("PUT")
        self.grant_calls.append(("revoke", tuple(grants)))
        self.grants.get(space_key, set()).difference_update(grants)

    def ensure_group(self, name: str) -> bool:
        self._hit("POST")
        created = name not in self.groups
        self.groups.setdefault(name, set())
        return created

    def add_group_member(self, group: str, user: str) -> None:
        self._hit("PUT")
        self.groups[group].add(user)

    def remove_group_member(self, group: str, user: str) -> None:
        self._hit("DELETE")
        self.groups[group].discard(user)

    def attach_file(
        self, page_id: str, filename: str, data: bytes, *, comment: str, attachment_id: str = ""
    ) -> str:
        self._hit("POST")
        files = self.attachments.setdefault(page_id, {})
        if not attachment_id and filename in files:
            raise BadRequestError(f"Cannot add a new attachment with same file name: {filename}")
        known = files.get(filename)
        new_id = known[0] if known else str(next(self._ids))
        files[filename] = (new_id, data, comment)
        return new_id

    def save_template(self, space_key: str, template: Template) -> Template:
        self._hit("POST" if not template.id else "PUT")
        saved = replace(template, id=template.id or str(next(self._ids)))
        self.templates.setdefault(space_key, {})[saved.name] = saved
        return saved
