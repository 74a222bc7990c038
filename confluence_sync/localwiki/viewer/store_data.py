"""``WikiData`` over the store: what the app hands the renderer, so rendering never touches
SQL itself.

Searches run the local wiki's CQL (``rules.cql``) the way the REST search does: the query's
``space``/``type``/``title``/``label`` pins narrow the store read first, then every candidate
is evaluated, then ``order by`` applies. Only current pages and blog posts of spaces not being
deleted are found, and only in spaces ``visible`` admits — the hook through which the viewer's
reader rights reach the reports (all spaces when it is not given).

Imports: the store (records, read directly), ``rules`` (cql and its page candidate) and the
viewer's ``wikidata``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from confluence_sync.localwiki.rules import cql
from confluence_sync.localwiki.rules.cql_pages import PageCandidate
from confluence_sync.localwiki.viewer.wikidata import PageInfo, Person

if TYPE_CHECKING:
    from confluence_sync.localwiki.store import Store
    from confluence_sync.localwiki.store.model import Page, Space

_TYPES = ("page", "blogpost")


class StoreWikiData:
    """The renderer's reads, answered from ``store``; links point under ``prefix``."""

    def __init__(
        self, store: Store, prefix: str, *, visible: Callable[[Space], bool] | None = None
    ) -> None:
        self.store = store
        self.prefix = prefix.rstrip("/")
        self.visible = visible or (lambda _space: True)

    def href(self, page_id: int) -> str:
        return f"{self.prefix}/pages/{page_id}"

    def info(self, page: Page, labels: set[str] | None = None) -> PageInfo:
        """The page as the renderer sees it."""
        return PageInfo(
            id=page.id,
            title=page.title,
            space_key=page.space_key,
            href=self.href(page.id),
            body=page.body,
            created=page.created_at,
            modified=page.updated_at,
            position=page.position,
            labels=frozenset(labels or ()),
        )

    def _space(self, key: str) -> Space | None:
        space = self.store.space_by_key(key)
        if space is None or space.deleting or not self.visible(space):
            return None
        return space

    def page_href(self, space_key: str, title: str) -> str | None:
        found = self.page_by_title(space_key, title)
        return found.href if found else None

    def page_by_title(self, space_key: str, title: str) -> PageInfo | None:
        space = self._space(space_key)
        if space is None:
            return None
        found = self.store.find_pages(space_ids=[space.id], title=title, types=_TYPES, limit=1)
        return self.info(found[0]) if found else None

    def top_level(self, space_key: str) -> Sequence[PageInfo]:
        space = self._space(space_key)
        if space is None:
            return ()
        pages = self.store.find_pages(
            space_ids=[space.id], top_level=True, limit=1_000_000, order="position"
        )
        return [self.info(page) for page in pages]

    def children(self, page_id: int) -> Sequence[PageInfo]:
        parent = self.store.page(page_id)
        if parent is None or self._space(parent.space_key) is None:
            return ()
        return [self.info(page) for page in self.store.children(page_id)]

    def person(self, attrs: Mapping[str, str]) -> Person | None:
        user = None
        if "account-id" in attrs:
            user = self.store.user_by_account_id(attrs["account-id"])
        elif "userkey" in attrs:
            user = self.store.user_by_key(attrs["userkey"])
        elif "username" in attrs:
            user = self.store.user_by_name(attrs["username"])
        if user is None:
            return None
        ids = {user.username, user.user_key, user.account_id, user.email}
        return Person(user.display_name, frozenset(i for i in ids if i))

    def search(self, text: str) -> Sequence[PageInfo]:
        query = cql.parse(text)
        keys = cql.narrowing(query.where, "space") or cql.narrowing(query.where, "space.key")
        found = self.store.spaces(keys=list(keys or ()))
        spaces = [s for s in found if not s.deleting and self.visible(s)]
        if not spaces:
            return ()
        types = tuple(t for t in (cql.narrowing(query.where, "type") or _TYPES) if t in _TYPES)
        pinned_titles = cql.narrowing(query.where, "title")
        titles: list[str | None] = list(pinned_titles) if pinned_titles else [None]
        pages: list[Page] = []
        for title in titles:
            pages += self.store.find_pages(
                space_ids=[s.id for s in spaces], types=types, title=title, limit=1_000_000
            )
        pinned = cql.narrowing(query.where, "label")
        if pinned:
            allowed = set().union(*(self.store.pages_with_label(name) for name in pinned))
            pages = [page for page in pages if page.id in allowed]
        candidates = [PageCandidate(self.store, page) for page in pages]
        hits = [c for c in candidates if cql.evaluate(query.where, c)]
        for name, descending in reversed(query.order_by):
            sort_key: Callable[[PageCandidate[Page]], str | int] = {
                "title": lambda c: c.title,
                "created": lambda c: c.created,
                "lastmodified": lambda c: c.lastmodified,
            }.get(name, lambda c: c.id)
            hits.sort(key=sort_key, reverse=descending)
        return [self.info(c.page, c.labels()) for c in hits]


__all__ = ["StoreWikiData"]
