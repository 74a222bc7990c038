"""Spaces and pages in the local wiki's store.

Confluence's rules live here, not in the routes, so every flavour enforces them the same way:
titles unique per space among current and archived pages and folders (lower-cased as Java
lower-cases, while lookups stay exact), at most 255 UTF-16 units long; updates carry version
current+1, delete trashes and a second delete purges, property versions count independently
of page versions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from confluence_sync.localwiki.model import (
    Conflict,
    DuplicateTitle,
    Invalid,
    NotFound,
    Page,
    Space,
)
from confluence_sync.localwiki.store_base import now_iso
from confluence_sync.localwiki.store_meta import MetaStore

MAX_TITLE = 255  # UTF-16 code units: Java counts chars (cloud-v1.json ContentCreate.title)
# What holds a title in a space: on Cloud an archived page and a folder block it too
# (support.atlassian.com/confluence-cloud/docs/archive-pages/: archived pages keep their
# place and title; folders share the page tree's titles). Applied on both flavours: stricter.
_TITLE_HOLDERS = ("page", "folder")
_TITLE_STATUSES = ("current", "archived")
_SCHEMA_VERSION = 1  # PRAGMA user_version: 1 = title_fold is title.lower()


def title_fold(title: str) -> str:
    """How Confluence compares titles: lower-cased as Java's ``String.toLowerCase`` does
    (``ß`` stays ``ß``, "Straße" and "STRASSE" are two titles); no Unicode normalisation."""
    return title.lower()


def title_units(title: str) -> int:
    return len(title.encode("utf-16-le")) // 2


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


def _space(row: sqlite3.Row) -> Space:
    return Space(
        id=row["id"],
        key=row["key"],
        name=row["name"],
        description=row["description"],
        homepage_id=row["homepage_id"],
        type=row["type"],
        status=row["status"],
        created_at=row["created_at"],
        creator=row["creator"],
        deleting=bool(row["deleting"]),
    )


class ContentStore(MetaStore):
    """Spaces and pages; labels, properties and templates come from ``MetaStore``."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        super().__init__(path)
        self._space_cache: dict[int, tuple[int, Space]] = {}  # id → (write generation, space)
        self._migrate()

    def _migrate(self) -> None:
        """A database an older local wiki wrote folded titles with ``casefold``: fold again."""
        with self._tx() as conn:
            if conn.execute("PRAGMA user_version").fetchone()[0] >= _SCHEMA_VERSION:
                return
            for row in conn.execute("SELECT id, title FROM content").fetchall():
                conn.execute(
                    "UPDATE content SET title_fold = ? WHERE id = ?",
                    (title_fold(row["title"]), row["id"]),
                )
            conn.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")

    # -- spaces --------------------------------------------------------------------------
    def space_by_key(self, key: str) -> Space | None:
        with self._read() as conn:
            row = conn.execute("SELECT * FROM spaces WHERE key = ?", (key,)).fetchone()
        return _space(row) if row else None

    def space_by_id(self, space_id: int) -> Space | None:
        # Every page read asks for its space (deleting? expand=space?): remembered per write
        # generation, so any write makes the next read go to the database again.
        generation = self.write_generation
        cache = self._space_cache
        cached = cache.get(space_id)
        if cached is not None and cached[0] == generation:
            return cached[1]
        with self._read() as conn:
            row = conn.execute("SELECT * FROM spaces WHERE id = ?", (space_id,)).fetchone()
        if row is None:
            return None
        space = _space(row)
        if len(cache) >= 1024:
            cache.clear()
        cache[space_id] = (generation, space)
        return space

    def spaces(
        self,
        *,
        keys: Sequence[str] = (),
        ids: Sequence[int] = (),
        type: str | None = None,
        status: str | None = None,
        order: str = "key",
    ) -> list[Space]:
        sql, args = "SELECT * FROM spaces WHERE deleting = 0", list[Any]()
        if keys:
            sql += f" AND key IN ({','.join('?' * len(keys))})"
            args += list(keys)
        if ids:
            sql += f" AND id IN ({','.join('?' * len(ids))})"
            args += list(ids)
        if type:
            sql += " AND type = ?"
            args.append(type)
        if status:
            sql += " AND status = ?"
            args.append(status)
        sql += " ORDER BY id" if order == "id" else " ORDER BY key COLLATE NOCASE"
        with self._read() as conn:
            return [_space(r) for r in conn.execute(sql, args)]

    def update_space(
        self,
        key: str,
        *,
        name: str | None = None,
        description: str | None = None,
        homepage_id: int | None = None,
        status: str | None = None,
    ) -> Space:
        space = self._require_space(key)
        if name is not None and (not name.strip() or len(name) > 200):
            raise Invalid("Space name must be between 1 and 200 characters")
        with self._tx() as conn:
            conn.execute(
                "UPDATE spaces SET name = COALESCE(?, name), description = COALESCE(?, "
                "description), homepage_id = COALESCE(?, homepage_id), status = COALESCE(?, "
                "status) WHERE id = ?",
                (name, description, homepage_id, status, space.id),
            )
        return self._require_space(key)

    def _require_space(self, key: str) -> Space:
        space = self.space_by_key(key)
        if space is None or space.deleting:
            raise NotFound(f"No space with key : {key}")
        return space

    # -- pages ---------------------------------------------------------------------------
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

    def _check_title(
        self,
        conn: sqlite3.Connection,
        space: Space,
        title: str,
        exclude_id: int | None,
        content_type: str,
    ) -> None:
        if not title or not title.strip():
            raise Invalid("Title cannot be empty")
        if title_units(title) > MAX_TITLE:
            raise Invalid(f"Title cannot exceed {MAX_TITLE} characters")
        if content_type not in _TITLE_HOLDERS:
            return
        row = conn.execute(
            "SELECT id FROM content WHERE space_id = ? AND title_fold = ? AND status IN (?, ?)"
            " AND type IN (?, ?) AND id != ?",
            (space.id, title_fold(title), *_TITLE_STATUSES, *_TITLE_HOLDERS, exclude_id or 0),
        ).fetchone()
        if row is not None:
            raise DuplicateTitle(title, space.key)

    def create_page(
        self,
        *,
        space_key: str,
        title: str,
        body: str,
        author: str,
        parent_id: int | None = None,
        content_type: str = "page",
        status: str = "current",
        message: str = "",
        labels: Iterable[str] = (),
        properties: dict[str, Any] | None = None,
    ) -> Page:
        """Create content; the body must already be validated and normalised."""
        space = self._require_space(space_key)
        stamp = now_iso()
        with self._tx() as conn:
            self._check_title(conn, space, title, None, content_type)
            position = 0
            if parent_id is not None:
                parent = conn.execute(
                    "SELECT space_id, status FROM content WHERE id = ?", (parent_id,)
                ).fetchone()
                if parent is None or parent["status"] != "current":
                    raise Invalid(f"Could not find parent with id {parent_id}")
                if parent["space_id"] != space.id:
                    raise Invalid("The parent page must be in the same space as the new page")
                row = conn.execute(
                    "SELECT COALESCE(MAX(position), -1) + 1 FROM content WHERE parent_id = ?",
                    (parent_id,),
                ).fetchone()
                position = row[0]
            cur = conn.execute(
                "INSERT INTO content(type, status, title, title_fold, space_id, parent_id, "
                "position, version, body, created_at, creator, updated_at, updater, message) "
                "VALUES(?,?,?,?,?,?,?,1,?,?,?,?,?,?)",
                (
                    content_type,
                    status,
                    title,
                    title_fold(title),
                    space.id,
                    parent_id,
                    position,
                    body,
                    stamp,
                    author,
                    stamp,
                    author,
                    message,
                ),
            )
            page_id = int(cur.lastrowid or 0)
            conn.execute(
                "INSERT INTO versions(content_id, number, title, body, created_at, "
                "author, message) VALUES(?,1,?,?,?,?,?)",
                (page_id, title, body, stamp, author, message),
            )
            for name in labels:
                self._add_label(conn, "content", page_id, "global", name)
            for key, value in (properties or {}).items():
                self._insert_property(conn, "content", page_id, key, value, author)
        return self.require_page(page_id)

    def update_page(
        self,
        page_id: int,
        *,
        title: str,
        version: int,
        author: str,
        body: str | None = None,
        parent_id: int | None = None,
        status: str | None = None,
        message: str = "",
        minor_edit: bool = False,
    ) -> Page:
        """Apply an update that must carry version current+1 (else Conflict)."""
        with self._tx() as conn:
            page = self.require_page(page_id)
            if page.status == "trashed" and status != "current":
                raise NotFound(f"No content found with id : ContentId{{id={page_id}}}")
            if version != page.version + 1:
                raise Conflict(
                    f"Version must be incremented on update. Current version is: {page.version}"
                )
            space = self.space_by_id(page.space_id)
            assert space is not None
            new_status = status or "current"
            if new_status == "current":
                self._check_title(conn, space, title, page_id, page.type)
            new_parent = page.parent_id
            if parent_id is not None and parent_id != page.parent_id:
                self._check_move(conn, page, parent_id)
                new_parent = parent_id
            new_body = page.body if body is None else body
            stamp = now_iso()
            conn.execute(
                "UPDATE content SET title = ?, title_fold = ?, body = ?, version = ?, "
                "status = ?, parent_id = ?, updated_at = ?, updater = ?, message = ?, "
                "minor_edit = ? WHERE id = ?",
                (
                    title,
                    title_fold(title),
                    new_body,
                    version,
                    new_status,
                    new_parent,
                    stamp,
                    author,
                    message,
                    int(minor_edit),
                    page_id,
                ),
            )
            conn.execute(
                "INSERT INTO versions(content_id, number, title, body, created_at, "
                "author, message, minor_edit) VALUES(?,?,?,?,?,?,?,?)",
                (page_id, version, title, new_body, stamp, author, message, int(minor_edit)),
            )
        return self.require_page(page_id)

    def _check_move(self, conn: sqlite3.Connection, page: Page, parent_id: int) -> None:
        parent = self.page(parent_id)
        if parent is None or parent.status != "current":
            raise Invalid(f"Could not find parent with id {parent_id}")
        if parent.space_id != page.space_id:
            raise Invalid("Moving a page to another space is not supported here")
        if parent.id == page.id or page.id in {a.id for a in self.ancestors(parent)}:
            raise Invalid("Cannot move a page under itself or one of its descendants")

    def move_page(self, page_id: int, position: str, target_id: int, author: str) -> Page:
        """Cloud v1 move: ``append`` makes it the target's last child; before/after a sibling."""
        page = self.require_page(page_id)
        target = self.require_page(target_id)
        with self._tx() as conn:
            if position == "append":
                self._check_move(conn, page, target.id)
                row = conn.execute(
                    "SELECT COALESCE(MAX(position), -1) + 1 FROM content WHERE parent_id = ?",
                    (target.id,),
                ).fetchone()
                conn.execute(
                    "UPDATE content SET parent_id = ?, position = ? WHERE id = ?",
                    (target.id, row[0], page.id),
                )
            elif position in ("before", "after"):
                if target.parent_id is None:
                    raise Invalid("Cannot move a page next to a top-level page")
                self._check_move(conn, page, target.parent_id)
                siblings = [p.id for p in self.children(target.parent_id) if p.id != page.id]
                index = siblings.index(target.id) + (1 if position == "after" else 0)
                siblings.insert(index, page.id)
                for number, sibling in enumerate(siblings):
                    conn.execute(
                        "UPDATE content SET parent_id = ?, position = ? WHERE id = ?",
                        (target.parent_id, number, sibling),
                    )
            else:
                raise Invalid(f"Invalid position {position}")
        return self.require_page(page_id)

    def archive_page(self, page_id: int) -> None:
        """Archive a current page: it leaves listings of current pages, keeps its place,
        title (which stays taken) and versions; no version is added."""
        with self._tx() as conn:
            page = self.require_page(page_id)
            if page.type != "page":
                raise Invalid(f"Content {page_id} is not a page")
            if page.status == "archived":
                raise Invalid(f"Page {page_id} is already archived")
            if page.status != "current":
                raise NotFound(f"No content found with id : ContentId{{id={page_id}}}")
            conn.execute("UPDATE content SET status = 'archived' WHERE id = ?", (page_id,))

    def trash_page(self, page_id: int) -> None:
        with self._tx() as conn:
            page = self.require_page(page_id)
            if page.status != "current":
                raise NotFound(f"No content found with id : ContentId{{id={page_id}}}")
            conn.execute("UPDATE content SET status = 'trashed' WHERE id = ?", (page_id,))
            # Children of a trashed page move up to its parent, as in Confluence.
            conn.execute(
                "UPDATE content SET parent_id = ? WHERE parent_id = ?", (page.parent_id, page_id)
            )

    def purge_page(self, page_id: int) -> None:
        with self._tx() as conn:
            page = self.require_page(page_id)
            if page.status != "trashed":
                raise Invalid("Only trashed content can be purged")
            self._purge(conn, page_id)

    def _purge(self, conn: sqlite3.Connection, page_id: int) -> None:
        conn.execute("DELETE FROM content WHERE id = ?", (page_id,))
        conn.execute("DELETE FROM versions WHERE content_id = ?", (page_id,))
        conn.execute("DELETE FROM labels WHERE owner_kind = 'content' AND owner_id = ?", (page_id,))
        conn.execute(
            "DELETE FROM properties WHERE owner_kind = 'content' AND owner_id = ?", (page_id,)
        )
        # A purged page takes its attachments and watches along (attachment watches are
        # keyed by the negated attachment id).
        conn.execute(
            "DELETE FROM watches WHERE content_id = ? OR -content_id IN "
            "(SELECT id FROM attachments WHERE page_id = ?)",
            (page_id, page_id),
        )
        conn.execute("DELETE FROM attachments WHERE page_id = ?", (page_id,))

    def versions(self, page_id: int) -> list[dict[str, Any]]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT * FROM versions WHERE content_id = ? ORDER BY number DESC", (page_id,)
            ).fetchall()
        return [dict(r) for r in rows]
