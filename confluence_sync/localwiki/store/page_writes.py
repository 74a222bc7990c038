"""Page writes in the local wiki's store, and Confluence's rules for them.

The rules live here, not in the routes, so every flavour enforces them the same way: titles
unique per space among current and archived pages and folders (lower-cased as Java
lower-cases, while lookups stay exact), at most 255 UTF-16 units long; updates carry version
current+1; a page moves only within its space and never under itself; delete trashes and a
second delete purges; archiving keeps the title taken.

Imports: ``store.db``, ``store.model``, ``store.pages`` and ``store.meta`` (a create may
carry labels and properties).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from confluence_sync.localwiki.store.db import now_iso
from confluence_sync.localwiki.store.meta import MetaStore
from confluence_sync.localwiki.store.model import (
    Conflict,
    DuplicateTitle,
    Invalid,
    NotFound,
    Page,
    Space,
)
from confluence_sync.localwiki.store.pages import PageStore

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


class PageWriteStore(PageStore, MetaStore):
    """Creating, updating, moving, archiving, trashing and purging content."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        super().__init__(path)
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
