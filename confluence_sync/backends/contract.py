"""The backend contract the sync engine talks to: a reading half and a writing half over the
plain values of :mod:`confluence_sync.wiki.values`.

``WikiReader`` only reads; ``WikiWriter`` only writes. A dry run is handed a reader and has
no way to reach a writer, so it cannot change the wiki by construction. Both halves of one
backend share a transport, a :class:`RequestCounter` and one rate-limit gate.

Identities on the wire differ per flavour and are kept as opaque strings here: page and space
ids (numeric strings), users (Cloud ``accountId`` / Data Center ``username``), groups (name).
Pages are never deleted through this contract; the engine archives by moving a page under an
archive page.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from confluence_sync.errors import ConfluenceSyncError
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


@dataclass(frozen=True)
class Capabilities:
    """What this flavour can do over REST; the planner turns a missing one into a manual step."""

    flavour: Literal["cloud", "datacenter"]
    supports_templates: bool
    # Several operations of one subject in one request (DC 9.1+ ``…/grant`` and ``…/revoke``
    # take a list); Cloud v1 takes one permission per request.
    batch_grants: bool = False
    # Whether archiving (moving) a page adds a version: Cloud's move endpoint does not; DC has
    # no move endpoint, so the page is re-saved under its new parent (one version more).
    move_adds_version: bool = True
    # Data Center: the site's release as ``server-information`` names it, read once and only
    # when a permission or group change is at stake (a no-op run pays nothing); None: the
    # flavour is not versioned (Cloud), the newest REST API is assumed.
    site_version: Callable[[], str | None] | None = None
    # Cloud: the tenant's space-role mode (PRE_ROLES, ROLES_TRANSITION, ROLES), read once and
    # only when a grant is listed or written; None: the flavour has no roles (Data Center).
    role_mode: Callable[[], str] | None = None

    @property
    def grants_per_space(self) -> bool:
        """Every grant change of a space goes in one request (``WikiWriter.set_grants``):
        a Cloud tenant in ROLES mode, whose role assignments are set per space."""
        return self.role_mode is not None and self.role_mode() == "ROLES"

    # A new space's grants are set by ``WikiWriter.create_space_with_grants`` rather than one
    # request per grant (or subject): Cloud sends them in the create (v1 ``POST /space`` with
    # ``permissions``); Data Center, whose create ignores such a list on every release, sets
    # them right after a private create in one ``POST /space/{key}/permissions`` (9.1+).
    # False: ``/space/_private`` and the grant-by-grant path — a Cloud tenant in space-role
    # mode ``ROLES``, whose v1 permission writes are refused, turns it off.
    grants_in_space_create: bool = False

    def has_since(self, release: tuple[int, ...]) -> bool:
        """Whether the site's release has what came with ``release``. A site that does not
        say (Cloud, an unreadable answer) is taken to have it: its write says what is not."""
        found = self.release
        parsed = release_tuple(found) if found else None
        return parsed is None or parsed >= release

    @property
    def release(self) -> str:
        """The site's release ("" when unknown or unversioned)."""
        return (self.site_version() or "") if self.site_version is not None else ""

    @property
    def space_permission_api(self) -> bool:
        """REST space permissions: DC 9.1+ (CONFSERVER-78176), Cloud always."""
        return self.has_since((9, 1))

    @property
    def group_admin_api(self) -> bool:
        """REST group create and membership: DC 8.2+ (atlassian-python-api#1180), Cloud."""
        return self.has_since((8, 2))


def release_tuple(text: str) -> tuple[int, ...] | None:
    """``"9.1.0"`` → ``(9, 1, 0)``; None for anything else (a build suffix such as
    ``-m12`` is dropped first)."""
    parts = text.strip().split("-", 1)[0].split(".")
    if not parts or not all(p.isdigit() and len(p) <= 6 for p in parts):
        return None
    return tuple(int(p) for p in parts)


class UnsupportedOperationError(ConfluenceSyncError):
    """The flavour has no REST way to do this (e.g. templates on Data Center)."""


class RequestCounter:
    """Thread-safe count of HTTP requests sent (each retry counts), writes split by method."""

    _WRITE_EXEMPT = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_method: dict[str, int] = {}

    def count(self, method: str) -> None:
        """Record one request that was put on the wire."""
        with self._lock:
            self._by_method[method.upper()] = self._by_method.get(method.upper(), 0) + 1

    @property
    def requests(self) -> int:
        with self._lock:
            return sum(self._by_method.values())

    @property
    def writes(self) -> int:
        with self._lock:
            return sum(n for m, n in self._by_method.items() if m not in self._WRITE_EXEMPT)

    def by_method(self) -> dict[str, int]:
        """A copy of the per-method counts, for the report."""
        with self._lock:
            return dict(self._by_method)

    def since(self, start: dict[str, int]) -> dict[str, int]:
        """The per-method counts sent after ``start`` (an earlier :meth:`by_method`)."""
        return {m: n - start.get(m, 0) for m, n in self.by_method().items() if n > start.get(m, 0)}

    @classmethod
    def writes_in(cls, by_method: dict[str, int]) -> int:
        """How many of ``by_method``'s requests were writes."""
        return sum(n for m, n in by_method.items() if m not in cls._WRITE_EXEMPT)


# Called by update_page after a 409: given the page as it is now, return the update to write
# instead (re-rendered against the new version), or None to give up with ConflictError.
Recheck = Callable[[Page], PageUpdate | None]


class WikiReader(ABC):
    """Reads the wiki. Every method must implement its behaviour with as few requests as the
    flavour's API allows, retry through ``backends.retry`` and raise ``WikiError``s (or
    ``UnsupportedOperationError`` for what the flavour cannot do)."""

    capabilities: Capabilities
    counter: RequestCounter

    @abstractmethod
    def get_space(self, key: str) -> SpaceInfo | None:
        """Must return the space (None if missing or invisible); cached per key."""

    def get_spaces(self, keys: Sequence[str]) -> dict[str, SpaceInfo | None]:
        """Every space of ``keys`` (None where missing or invisible), in as few requests as
        the API allows; later ``get_space`` calls are answered from what this read."""
        return {key: self.get_space(key) for key in keys}

    @abstractmethod
    def list_pages(self, space_key: str) -> list[PageInfo]:
        """Must return every current page of the space with id, title, parent and version,
        paginating in pages of the largest size the API allows."""

    @abstractmethod
    def get_page(self, page_id: str, *, any_status: bool = False) -> Page:
        """Must return the current page with its storage body; NotFoundError if missing.
        ``any_status``: also an archived or trashed page (its ``info.status`` says which)."""

    @abstractmethod
    def list_pages_with_bodies(self, space_key: str) -> list[Page]:
        """Must return every current page of the space with its storage body, from the bulk
        listing (bodies expanded in it, at the largest page size the API allows with bodies),
        never one request per page."""

    @abstractmethod
    def mentioned_users(self, references: Sequence[str]) -> dict[str, UserInfo]:
        """Must return the account behind each reference the storage format mentions (DC
        ``ri:userkey``, Cloud ``ri:account-id``) that the site knows, in as few requests as
        the API allows (in bulk where it has a bulk read), cached per reader."""

    @abstractmethod
    def find_page_by_title(self, space_key: str, title: str) -> PageInfo | None:
        """Must return the current page with exactly this title in the space, or None."""

    @abstractmethod
    def get_space_property(self, space_key: str, key: str) -> Property | None:
        """Must return the space property (e.g. the engine's page index) or None."""

    @abstractmethod
    def list_space_properties(self, space_key: str, prefix: str) -> list[Property]:
        """Must return every property of the space whose key is ``prefix`` or starts with
        ``prefix + "."`` (the engine's index head and its shards), values included, from one
        listing of the space's properties at the largest page size the API allows (no
        request per property); [] when there are none."""

    @abstractmethod
    def get_page_property(self, page_id: str, key: str) -> Property | None:
        """Must return the page's property (e.g. our marker) or None."""

    @abstractmethod
    def page_editors(self, page_id: str) -> frozenset[str]:
        """Must return every account that saved a version of the page (DC usernames, Cloud
        accountIds), so the plan can say whose words a page holds before it is archived."""

    @abstractmethod
    def get_labels(self, page_id: str) -> frozenset[str]:
        """Must return the page's global labels."""

    @abstractmethod
    def list_grants(self, space_key: str) -> list[Grant]:
        """Must return the space permissions of users and groups in our vocabulary."""

    @abstractmethod
    def group_exists(self, name: str) -> bool:
        """Must say whether the group exists."""

    @abstractmethod
    def list_group_members(self, name: str) -> list[UserInfo]:
        """Must return every member of the group (paginated)."""

    @abstractmethod
    def resolve_user(self, identifier: str) -> UserInfo | None:
        """Must resolve Cloud accountId / DC username to an account, or None if unknown."""

    @abstractmethod
    def list_templates(self, space_key: str) -> list[Template]:
        """Must list the space's page templates; UnsupportedOperationError where the
        flavour has no template REST API (check ``capabilities.supports_templates``)."""

    def self_identities(self) -> tuple[str, ...]:
        """Every name the server knows the sync account by (Cloud accountId and e-mail, DC
        username and userKey), so its own rights are never revoked; () when unknown."""
        return ()


class WikiWriter(ABC):
    """Changes the wiki. Reached only from apply; never handed to a dry run."""

    capabilities: Capabilities
    counter: RequestCounter

    @abstractmethod
    def create_space(self, key: str, name: str, description: str = "") -> SpaceInfo:
        """Must create a global space and return it (with its home page id)."""

    def create_space_with_grants(
        self, key: str, name: str, description: str, grants: Sequence[Grant]
    ) -> tuple[SpaceInfo, frozenset[Grant]]:
        """Create the space with as many of ``grants`` as the flavour can set along with the
        create, keeping the sync account's own rights; return the space and the grants set
        (those need no request of their own). Where ``capabilities.grants_in_space_create``
        is False: ``create_space`` and none."""
        return self.create_space(key, name, description), frozenset()

    @abstractmethod
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
        """Must create the page with labels and properties, inline in the create request
        wherever the API takes them. If the create fails ambiguously (timeout, reset, 5xx),
        ``find_existing`` (lookup by our marker) must be asked before any retry; without it
        the create is not retried."""

    @abstractmethod
    def update_page(self, update: PageUpdate, *, recheck: Recheck | None = None) -> PageInfo:
        """Must write version ``base_version + 1``. On 409 it must re-read the page and ask
        ``recheck``; without it, or when it returns None, raise ConflictError."""

    @abstractmethod
    def move_page(self, page_id: str, new_parent_id: str) -> PageInfo:
        """Must move the page under ``new_parent_id`` in the same space (archiving)."""

    @abstractmethod
    def set_space_property(
        self, space_key: str, key: str, value: JSON, *, current: Property | None
    ) -> Property:
        """Must create the property (``current`` None) or write version current+1;
        409 → ConflictError (the engine's run lock relies on it)."""

    @abstractmethod
    def set_page_property(
        self, page_id: str, key: str, value: JSON, *, current: Property | None
    ) -> Property:
        """Same as ``set_space_property`` for a page property."""

    @abstractmethod
    def add_labels(self, page_id: str, labels: Iterable[str]) -> None:
        """Must add the labels (never replacing others) in one request."""

    @abstractmethod
    def remove_label(self, page_id: str, label: str) -> None:
        """Must remove one label."""

    @abstractmethod
    def grant(self, space_key: str, grant: Grant) -> None:
        """Must add the space permission (read is granted before anything else)."""

    @abstractmethod
    def revoke(self, space_key: str, grant: Grant) -> None:
        """Must remove the space permission."""

    def grant_many(self, space_key: str, grants: Sequence[Grant]) -> None:
        """Add several permissions of **one** subject; one request where
        ``capabilities.batch_grants`` (read first), else one per grant."""
        if grants:
            single_subject(grants)
        for grant in _read_first(grants):
            self.grant(space_key, grant)

    def revoke_many(self, space_key: str, grants: Sequence[Grant]) -> None:
        """Remove several permissions of **one** subject (see ``grant_many``)."""
        if grants:
            single_subject(grants)
        for grant in grants:
            self.revoke(space_key, grant)

    def set_grants(self, space_key: str, add: Sequence[Grant], revoke: Sequence[Grant]) -> None:
        """Every grant change of one space, several subjects, in one request where
        ``capabilities.grants_per_space``; here: per subject, as ``grant_many`` and
        ``revoke_many`` send them."""
        for batch in _per_subject(add):
            self.grant_many(space_key, batch)
        for batch in _per_subject(revoke):
            self.revoke_many(space_key, batch)

    @abstractmethod
    def ensure_group(self, name: str) -> bool:
        """Must create the group if missing; True when it was created."""

    @abstractmethod
    def add_group_member(self, group: str, user: str) -> None:
        """Must add the user (accountId / username) to the group."""

    @abstractmethod
    def remove_group_member(self, group: str, user: str) -> None:
        """Must remove the user from the group."""

    @abstractmethod
    def save_template(self, space_key: str, template: Template) -> Template:
        """Must create (``id`` empty) or update the space template; UnsupportedOperationError
        where ``capabilities.supports_templates`` is False."""

    def attach_file(
        self, page_id: str, filename: str, data: bytes, *, comment: str, attachment_id: str = ""
    ) -> str:
        """Upload ``data`` as the page's attachment ``filename`` (a new version of
        ``attachment_id`` when given) and return the attachment's id. Never a second
        attachment of that name: an ambiguous failure is looked up by name first."""
        raise UnsupportedOperationError(f"this backend cannot attach {filename}")


def _per_subject(grants: Sequence[Grant]) -> list[list[Grant]]:
    batches: dict[tuple[str, str], list[Grant]] = {}
    for grant in grants:
        batches.setdefault((grant.subject_type, grant.subject), []).append(grant)
    return list(batches.values())


def _read_first(grants: Iterable[Grant]) -> list[Grant]:
    """Confluence refuses other permissions of a subject that cannot read the space."""
    return sorted(grants, key=lambda g: (g.operation != "read", g))


def single_subject(grants: Sequence[Grant]) -> Grant:
    """The first grant, after checking every grant names the same subject."""
    subjects = {(g.subject_type, g.subject) for g in grants}
    if len(subjects) != 1:
        raise ValueError(f"grant_many/revoke_many take one subject, got {sorted(subjects)}")
    return _read_first(grants)[0]


@dataclass
class Backend:
    """One connection: the reader for everyone, the writer only for apply."""

    reader: WikiReader
    _writer: WikiWriter
    _close: Callable[[], None] = lambda: None

    def writer(self) -> WikiWriter:
        """The writing half; callers that only plan must not ask for it."""
        return self._writer

    @property
    def counter(self) -> RequestCounter:
        return self.reader.counter

    def close(self) -> None:
        self._close()
