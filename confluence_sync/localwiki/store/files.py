"""Attachments: files on a page, versioned by name, as publishing clients upload them.

Confluence keeps one attachment per (page, file name); uploading the same name again is a new
version of it (through ``PUT .../child/attachment`` or ``POST .../{id}/data``), while a plain
``POST`` with a name already there is refused. Only the newest data is kept here.

Deleting moves an attachment to the trash (status ``trashed``), from where only a purge
removes it, as the v2 spec documents for ``DELETE /attachments/{id}``; a new version of a
trashed attachment brings it back.

Imports: ``store.db`` and ``store.model``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from confluence_sync.localwiki.store.db import StoreBase, now_iso
from confluence_sync.localwiki.store.model import Attachment, Invalid, NotFound

# An admin setting on real sites; ours is below the 5 MiB request body cap (web/app.py), so
# the 404 a real site gives a file over its limit can be reached (tests, a large network).
MAX_ATTACHMENT = 2_097_152


def _attachment(row: sqlite3.Row) -> Attachment:
    return Attachment(
        id=row["id"],
        page_id=row["page_id"],
        title=row["title"],
        media_type=row["media_type"],
        comment=row["comment"],
        size=row["size"],
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        author=row["author"],
        status=row["status"],
    )


_COLUMNS = (
    "id, page_id, title, media_type, comment, length(data) AS size, version, "
    "created_at, updated_at, author, status"
)


class FileStore(StoreBase):
    """Attachment rows (table ``attachments`` in ``db.SCHEMA``)."""

    def attachments(
        self,
        page_id: int,
        filename: str | None = None,
        media_type: str | None = None,
        statuses: Sequence[str] = ("current",),
    ) -> list[Attachment]:
        if not statuses:
            return []
        with self._read() as conn:
            marks = ",".join("?" * len(statuses))
            sql = f"SELECT {_COLUMNS} FROM attachments WHERE page_id = ? AND status IN ({marks})"
            args: list[object] = [page_id, *statuses]
            if filename is not None:
                sql += " AND title = ?"
                args.append(filename)
            if media_type is not None:
                sql += " AND media_type = ?"
                args.append(media_type)
            rows = conn.execute(sql + " ORDER BY id", args).fetchall()
        return [_attachment(r) for r in rows]

    def attachment(self, attachment_id: int) -> Attachment | None:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM attachments WHERE id = ?", (attachment_id,)
            ).fetchone()
        return _attachment(row) if row else None

    def attachment_data(self, attachment_id: int) -> bytes:
        with self._read() as conn:
            row = conn.execute(
                "SELECT data FROM attachments WHERE id = ?", (attachment_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"No attachment with id {attachment_id}")
        return bytes(row["data"])

    def save_attachment(
        self,
        page_id: int,
        title: str,
        data: bytes,
        *,
        media_type: str,
        comment: str,
        author: str,
        mode: str,
    ) -> Attachment:
        """``mode``: "create" (a taken name is 400), "upsert" (new or next version), or
        "update:<id>" (next version of that attachment, which must be on the page)."""
        if not title:
            raise Invalid("An attachment needs a file name")
        if len(data) > MAX_ATTACHMENT:
            # 404, not 400 or 413: both specs list "the attachment exceeds the maximum configured
            # attachment size" under 404 (dc-10.0.3 and cloud-v1 POST .../child/attachment), so
            # a client cannot take a 404 on upload to mean that the attachment is gone.
            raise NotFound("The attachment exceeds the maximum configured attachment size")
        with self._tx() as conn:
            if mode.startswith("update:"):
                row = conn.execute(
                    "SELECT id, title FROM attachments WHERE id = ? AND page_id = ?",
                    (int(mode[7:]), page_id),
                ).fetchone()
                if row is None:
                    raise NotFound(f"No attachment with id {mode[7:]} on page {page_id}")
            else:
                row = conn.execute(
                    "SELECT id, title FROM attachments WHERE page_id = ? AND title = ?",
                    (page_id, title),
                ).fetchone()
                if row is not None and mode == "create":
                    raise Invalid(
                        "Cannot add a new attachment with same file name as an "
                        f"existing attachment: {title}"
                    )
            stamp = now_iso()
            if row is None:
                cur = conn.execute(
                    "INSERT INTO attachments(page_id, title, media_type, comment, data, version,"
                    " created_at, updated_at, author) VALUES(?,?,?,?,?,1,?,?,?)",
                    (page_id, title, media_type, comment, data, stamp, stamp, author),
                )
                attachment_id = int(cur.lastrowid or 0)
            else:
                attachment_id = int(row["id"])
                conn.execute(
                    "UPDATE attachments SET media_type = ?, comment = ?, data = ?, "
                    "version = version + 1, updated_at = ?, author = ?, status = 'current' "
                    "WHERE id = ?",
                    (media_type, comment, data, stamp, author, attachment_id),
                )
        found = self.attachment(attachment_id)
        assert found is not None
        return found

    def trash_attachment(self, attachment_id: int) -> None:
        with self._tx() as conn:
            done = conn.execute(
                "UPDATE attachments SET status = 'trashed' WHERE id = ? AND status = 'current'",
                (attachment_id,),
            )
            if done.rowcount == 0:
                raise NotFound(f"No current attachment with id {attachment_id}")

    def delete_attachment(self, attachment_id: int) -> None:
        """Purge: the attachment and its data are gone."""
        with self._tx() as conn:
            if conn.execute("DELETE FROM attachments WHERE id = ?", (attachment_id,)).rowcount == 0:
                raise NotFound(f"No attachment with id {attachment_id}")
