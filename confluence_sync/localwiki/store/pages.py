"""Page reads in the local wiki's store: one page, filtered listings, the page tree
(children, ancestors, descendants) and version history. Writes, and the rules they enforce,
are in ``page_writes``.

Imports: ``store.model`` and ``store.spaces``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from confluence_sync.localwiki.store.model import NotFound, Page
from confluence_sync.localwiki.store.spaces import SpaceStore

_PAGE_COLS = (
    "c.id, c.type, c.status, c.title, c.space_id, s.key AS space_key, c.parent_id, c.position, "
    "c.version, c.body, c.created_at, c.creator, c.updated_at, c.updater, c.message, "
    "c.minor_edit"
)
_PAGE_SELECT = f"SELECT {_PAGE_COLS} FROM content c JOIN spaces s ON s.id = c.space_id"

# Orders find_pages accepts (v2's sort values included; "-" means descending).
_ORDER = {
    "id": " ORDER BY c.id",
    "-id": " ORDER BY c.id DESC",
    "title": " ORDER BY c.title, c.id",
    "-title": " ORDER BY c.title DESC, c.id DESC",
    "position": " ORDER BY c.position, c.id",
    "created-date": " ORDER BY c.created_at, c.id",
    "-created-date": " ORDER BY c.created_at DESC, c.id DESC",
    "modified-date": " ORDER BY c.updated_at, c.id",
    "-modified-date": " ORDER BY c.updated_at DESC, c.id DESC",
}


def _page(row: sqlite3.Row) -> Page:
    return Page(
        id=row["id"],
        type=row["type"],
        status=row["status"],
        title=row["title"],
        space_id=row["space_id"],
        space_key=row["space_key"],
        parent_id=row["parent_id"],
        position=row["position"],
        version=row["version"],
        body=row["body"],
        created_at=row["created_at"],
        creator=row["creator"],
        updated_at=row["updated_at"],
        updater=row["updater"],
        message=row["message"],
        minor_edit=bool(row["minor_edit"]),
    )


class PageStore(SpaceStore):
    """Content rows (pages, blog posts, folders) as ``Page`` records; reads only."""

    def page(self, page_id: int) -> Page | None:
        with self._read() as conn:
            row = conn.execute(f"{_PAGE_SELECT} WHERE c.id = ?", (page_id,)).fetchone()
        return _page(row) if row else None

    def require_page(self, page_id: int) -> Page:
        page = self.page(page_id)
        if page is None:
            raise NotFound(f"No content found with id : ContentId{{id={page_id}}}")
        return page

    def find_pages(
        self,
        *,
        space_ids: Sequence[int] = (),
        title: str | None = None,
        statuses: Sequence[str] = ("current",),
        types: Sequence[str] = ("page",),
        ids: Sequence[int] = (),
        parent_id: int | None = None,
        top_level: bool = False,
        offset: int = 0,
        limit: int = 25,
        after_id: int | None = None,
        order: str = "id",
    ) -> list[Page]:
        """Content matching every filter given; ``title`` matches exactly, case included."""
        sql, args = f"{_PAGE_SELECT} WHERE s.deleting = 0", []
        if "any" in statuses:
            statuses = ()
        for column, values in (
            ("c.space_id", space_ids),
            ("c.status", statuses),
            ("c.type", types),
            ("c.id", ids),
        ):
            if values:
                sql += f" AND {column} IN ({','.join('?' * len(values))})"
                args += list(values)
        if title is not None:
            sql += " AND c.title = ?"
            args.append(title)
        if parent_id is not None:
            sql += " AND c.parent_id = ?"
            args.append(parent_id)
        if top_level:
            sql += " AND c.parent_id IS NULL"
        if after_id is not None:
            sql += " AND c.id > ?"
            args.append(after_id)
        sql += _ORDER.get(order, " ORDER BY c.id")
        sql += " LIMIT ? OFFSET ?"
        args += [limit, offset]
        with self._read() as conn:
            return [_page(r) for r in conn.execute(sql, args)]

    def count_pages(self, **filters: Any) -> int:
        return len(self.find_pages(limit=1_000_000, **filters))

    def children(self, parent_id: int, *, statuses: Sequence[str] = ("current",)) -> list[Page]:
        return self.find_pages(
            parent_id=parent_id, statuses=statuses, limit=1_000_000, order="position"
        )

    def ancestors(self, page: Page) -> list[Page]:
        """Root first, direct parent last, as Confluence orders ``ancestors``."""
        chain: list[Page] = []
        parent_id = page.parent_id
        seen = {page.id}
        while parent_id is not None and parent_id not in seen:
            parent = self.page(parent_id)
            if parent is None:
                break
            seen.add(parent.id)
            chain.append(parent)
            parent_id = parent.parent_id
        chain.reverse()
        return chain

    def descendants(self, page_id: int, *, depth: int | None = None) -> list[Page]:
        out: list[Page] = []
        frontier = [(page_id, 0)]
        while frontier:
            current, level = frontier.pop(0)
            if depth is not None and level >= depth:
                continue
            for child in self.children(current):
                out.append(child)
                frontier.append((child.id, level + 1))
        return out

    def versions(self, page_id: int) -> list[dict[str, Any]]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT * FROM versions WHERE content_id = ? ORDER BY number DESC", (page_id,)
            ).fetchall()
        return [dict(r) for r in rows]
