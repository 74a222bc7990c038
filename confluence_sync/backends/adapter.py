"""What the Cloud and Data Center adapters share, with per-flavour hooks for the URLs and
payload shapes that differ.

``RestReader`` owns the transport and the per-run space cache (a space read by observe, or
learnt from a create's answer, is not read again). ``RestWriter`` holds the writes whose logic
is the same on both flavours: space creation from the create's answer, page updates with the
409 re-read loop, moves, properties (create-or-update with a lookup after an ambiguous
failure) and v1 label writes. A flavour supplies its paths and answer parsers.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from confluence_sync.errors import NotFoundError, WikiError
from confluence_sync.wiki.values import (
    JSON,
    Page,
    PageInfo,
    PageUpdate,
    Property,
    SpaceInfo,
    UserInfo,
)

from .contract import Capabilities, Recheck, WikiReader, WikiWriter
from .retry import version_guarded
from .transport import Transport
from .writes import (
    V1,
    add_labels_v1,
    create_property,
    label_payload,
    remove_label_v1,
    same_property,
    send_space_create,
    space_create_payload,
    write_with_recheck,
)

_SPACES_AT_ONCE = 100  # keys per space listing: well inside v2's 250 and a URL's length


class RestReader(WikiReader):
    """A reader over one transport; spaces are cached per run."""

    def __init__(self, transport: Transport, capabilities: Capabilities) -> None:
        self.transport = transport
        self.capabilities = capabilities
        self.counter = transport.counter
        self._spaces: dict[str, SpaceInfo] = {}
        self._missing: set[str] = set()  # keys a listing did not find (cleared by ``fresh``)
        self._me: tuple[str, ...] | None = None

    def get_space(self, key: str, *, fresh: bool = False) -> SpaceInfo | None:
        if not fresh and key in self._spaces:
            return self._spaces[key]
        if not fresh and key in self._missing:
            return None
        space = self._fetch_space(key)
        if space is not None:
            self.remember_space(key, space)
        return space

    def get_spaces(self, keys: Sequence[str]) -> dict[str, SpaceInfo | None]:
        """One listing per ``_SPACES_AT_ONCE`` keys instead of one read per space: a no-op
        run's requests are then two per space (its pages and its index) plus this."""
        wanted = [k for k in dict.fromkeys(keys) if k not in self._spaces]
        for start in range(0, len(wanted), _SPACES_AT_ONCE):
            chunk = wanted[start : start + _SPACES_AT_ONCE]
            found = {s.key.upper(): s for s in self._fetch_spaces(chunk)}
            for key in chunk:
                space = found.get(key.upper())
                if space is None:
                    self._missing.add(key)
                else:
                    self.remember_space(key, space)
        return {key: self._spaces.get(key) for key in keys}

    @abstractmethod
    def _fetch_spaces(self, keys: Sequence[str]) -> list[SpaceInfo]:
        """Must list the spaces of ``keys`` that exist and the caller can see (paginated)."""

    def remember_space(self, key: str, space: SpaceInfo) -> None:
        """Cache a space (read, or learnt from a create's answer by the writer)."""
        self._spaces[key] = space
        self._missing.discard(key)

    @abstractmethod
    def _fetch_space(self, key: str) -> SpaceInfo | None:
        """Must read the space (None when it does not exist)."""

    user_param: ClassVar[str]  # how ``GET /user`` names a user: accountId (Cloud), username

    def resolve_user(self, identifier: str) -> UserInfo | None:
        try:
            data = self.transport.call(
                "GET", f"{V1}/user", what=f"user {identifier}", params={self.user_param: identifier}
            )
        except NotFoundError:
            return None
        return self._found_user(data)

    @abstractmethod
    def _found_user(self, data: dict[str, Any]) -> UserInfo:
        """Must parse a ``GET /user`` answer."""

    # The fields of ``GET /user/current`` that name the account: Cloud accountId (+ email
    # when the site shows it), DC username and userKey. Grants and memberships use them.
    _identity_fields: ClassVar[tuple[str, ...]] = ("accountId", "email", "username", "userKey")

    def self_identities(self) -> tuple[str, ...]:
        """The sync account as the server sees it, read once per reader (one GET)."""
        if self._me is None:
            data = self.transport.call("GET", f"{V1}/user/current", what="the sync account")
            # An invalid DC token runs as anonymous where anonymous access is on: that
            # answer names nobody, and must not make "anonymous" look like us.
            anonymous = not isinstance(data, dict) or data.get("type") == "anonymous"
            found = () if anonymous else (data.get(f) for f in self._identity_fields)
            self._me = tuple(str(v) for v in found if isinstance(v, str) and v)
        return self._me


ReaderT = TypeVar("ReaderT", bound=RestReader)


class RestWriter(WikiWriter, Generic[ReaderT]):
    """The writes both flavours do alike; reads it needs go through its reader."""

    def __init__(self, reader: ReaderT) -> None:
        self.reader = reader
        self.transport = reader.transport
        self.capabilities = reader.capabilities
        self.counter = reader.counter

    # --- per-flavour hooks --------------------------------------------------------------

    @abstractmethod
    def _post_page(self, space_key: str, title: str, body: str, parent_id: str | None) -> PageInfo:
        """Must send one page create (no labels, no properties) and return the page."""

    @abstractmethod
    def _put(self, update: PageUpdate, version: int) -> PageInfo:
        """Must send one page PUT at ``version`` and return the page as answered."""

    @abstractmethod
    def _space_properties(self, space_key: str) -> str:
        """Must return the path of the space's property collection."""

    @abstractmethod
    def _page_properties(self, page_id: str) -> str:
        """Must return the path of the page's property collection."""

    @abstractmethod
    def _property_path(self, base: str, key: str, current: Property) -> str:
        """Must return the path one existing property is updated at."""

    @abstractmethod
    def _next_version(self, current: Property) -> dict[str, Any]:
        """Must return the ``version`` object of an update after ``current``."""

    @abstractmethod
    def _property_of(self, data: dict[str, Any]) -> Property:
        """Must parse a property answer."""

    # --- shared writes ------------------------------------------------------------------

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
        """The create, then its properties (the marker first, so an interrupted create is
        still recognisably ours), then its labels, each in its own request: Cloud v2 takes
        neither in a create, and Data Center ignores both ``metadata.labels`` and
        ``metadata.properties`` there (sphinx-contrib/confluencebuilder#664: "only
        Confluence Cloud's REST API supports providing metadata information in this request
        type"; MrRefactoring/confluence.js#55: on Server "actual properties stay empty")."""
        props = dict(properties or {})

        def created() -> tuple[PageInfo, bool]:
            return self._post_page(space_key, title, body, parent_id), True

        lookup = None
        if find_existing is not None:
            caller_lookup = find_existing

            def lookup() -> tuple[PageInfo, bool] | None:
                found = caller_lookup()
                if found is not None:
                    return found, False  # complete already: it carries our marker
                # A create that committed before the failure left a page without its
                # properties; recognise that one by what we just sent.
                orphan = self._fresh_orphan(space_key, title, parent_id, props)
                return (orphan, True) if orphan is not None else None

        page, needs_extras = self.transport.retrier.run(
            "POST", f"page {title!r} in {space_key}", created, find_existing=lookup
        )
        if needs_extras:
            self._complete(page, labels, props)
        return page

    def _fresh_orphan(
        self, space_key: str, title: str, parent_id: str | None, properties: Mapping[str, JSON]
    ) -> PageInfo | None:
        """The page our failed attempt created: this title, version 1, the parent we asked
        for, saved by the sync account, and none of our properties yet."""
        page = self.reader.find_page_by_title(space_key, title)
        if page is None or page.version != 1:
            return None
        if parent_id is None:
            parent_id = self._default_parent(space_key)
        if page.parent_id != parent_id:
            return None
        if not page.last_editor or page.last_editor not in self.reader.self_identities():
            return None
        if any(self.reader.get_page_property(page.id, key) for key in properties):
            return None
        return page

    def _default_parent(self, space_key: str) -> str | None:
        """Where a create without a parent puts the page: v2 under the space's home page."""
        space = self.reader.get_space(space_key)
        return space.homepage_id if space is not None else None

    def _complete(
        self, page: PageInfo, labels: Iterable[str], properties: Mapping[str, JSON]
    ) -> None:
        """Add what the create could not carry: the properties (marker first), the labels."""
        try:
            for key, value in properties.items():
                self.transport.call(
                    "POST",
                    self._page_properties(page.id),
                    what=f"property {key} of page {page.id}",
                    json={"key": key, "value": value},
                )
            if label_payload(labels):
                add_labels_v1(
                    self.transport, page.id, labels, lambda: self.reader.get_labels(page.id)
                )
        except WikiError as error:
            error.message += f" (page {page.id} was created; the next sync completes it)"
            raise

    def create_space(self, key: str, name: str, description: str = "") -> SpaceInfo:
        # Private: a plain create gives the space the site's default space permissions
        # (typically every licensed user reads and writes), and a working group's minutes
        # are members-only. ``/space/_private`` (Cloud v1 and DC) leaves only the creator —
        # the sync account — whose rights stay; the config's grants follow.
        body = space_create_payload(key, name, description)
        return send_space_create(self.transport, self.reader, key, "space/_private", body)[0]

    def update_page(self, update: PageUpdate, *, recheck: Recheck | None = None) -> PageInfo:
        # Every page PUT names its version (n+1): safe to retry, a landed one answers 409.
        send, resolve, landed = write_with_recheck(
            update.page_id, update, recheck, put=self._put, reread=self.reader.get_page
        )
        return self.transport.retrier.run(
            "PUT",
            f"page {update.page_id}",
            send,
            resolve_conflict=resolve,
            guarded=True,
            find_committed=landed,
        )

    def move_page(self, page_id: str, new_parent_id: str) -> PageInfo:
        # The fallback for a flavour without a move endpoint (Data Center: its 10.0.3 API has
        # none; Cloud overrides this with v1 ``…/move/append/{target}``). Costs a version.
        def keep_content(page: Page) -> PageUpdate:
            # Moving never changes what the page says: re-send the body just read.
            return PageUpdate(
                page_id, page.info.title, page.body, page.info.version, parent_id=new_parent_id
            )

        return self.update_page(keep_content(self.reader.get_page(page_id)), recheck=keep_content)

    def set_space_property(
        self, space_key: str, key: str, value: JSON, *, current: Property | None
    ) -> Property:
        lookup = same_property(lambda: self.reader.get_space_property(space_key, key), value)
        what = f"property {key} of {space_key}"
        base = self._space_properties(space_key)
        return self._set_property(base, key, value, current, what, lookup)

    def set_page_property(
        self, page_id: str, key: str, value: JSON, *, current: Property | None
    ) -> Property:
        lookup = same_property(lambda: self.reader.get_page_property(page_id, key), value)
        what = f"property {key} of page {page_id}"
        return self._set_property(self._page_properties(page_id), key, value, current, what, lookup)

    def _set_property(
        self,
        base: str,
        key: str,
        value: JSON,
        current: Property | None,
        what: str,
        lookup: Callable[[], Property | None],
    ) -> Property:
        if current is None:

            def create() -> Property:
                data = self.transport.send_once(
                    "POST", base, what=what, json={"key": key, "value": value}
                )
                return self._property_of(data)

            return create_property(self.transport, what, create, lookup)
        path = self._property_path(base, key, current)
        payload = {"key": key, "value": value, "version": self._next_version(current)}

        def update() -> Property:
            return self._property_of(self.transport.send_once("PUT", path, what=what, json=payload))

        def landed() -> Property | None:
            # A retried update that meets 409: ours landed if the version we wrote holds our
            # value (``lookup`` compares the value).
            found = lookup()
            return found if found is not None and found.version == current.version + 1 else None

        return self.transport.retrier.run(
            "PUT", what, update, guarded=version_guarded(payload), find_committed=landed
        )

    def attach_file(
        self, page_id: str, filename: str, data: bytes, *, comment: str, attachment_id: str = ""
    ) -> str:
        from confluence_sync.backends.attachments import attach

        return attach(
            self.transport, page_id, filename, data, comment=comment, attachment_id=attachment_id
        )

    def add_labels(self, page_id: str, labels: Iterable[str]) -> None:
        add_labels_v1(self.transport, page_id, labels, lambda: self.reader.get_labels(page_id))

    def remove_label(self, page_id: str, label: str) -> None:
        remove_label_v1(self.transport, page_id, label)
