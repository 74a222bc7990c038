"""Labels, content/space properties and page templates in the local wiki's store.

Labels are stored lower-case without spaces; properties carry their own version, which an
update must raise by exactly one (Conflict otherwise); values are JSON of bounded size.
Content watches are kept here too: they hang off pages (and attachments) like labels.

Imports: ``store.db`` and ``store.model``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from confluence_sync.localwiki.store.db import StoreBase, now_iso
from confluence_sync.localwiki.store.model import (
    Conflict,
    Invalid,
    Label,
    NotFound,
    Property,
    Template,
    TooLarge,
)

MAX_PROPERTY_KEY = 255
# Confluence documents at most 32 KB of JSON per property: "each property can have no more
# than 32KB of JSON data" (developer.atlassian.com/cloud/confluence/confluence-entity-properties/)
# and "up to 32 KB of JSON with each piece of content" (developer.atlassian.com/display/CONFDEV/
# Content+Properties+in+the+REST+API); space properties are the same kind of entity property.
# Counted as the UTF-8 bytes of the value as compact JSON, the strictest reading of "32KB".
# The answer: 413 on v1/DC ("Returned if the value is too long", Cloud v1 and DC 10.0.3 specs,
# POST and PUT of content and space properties); the v2 routes turn it into 400, the only
# client error their spec lists for a property write. The message is ours (none is published).
MAX_PROPERTY_VALUE = 32_768
_LABEL_RE = re.compile(r"^[^\s!#&()*,.:;<>?@\[\]^]{1,255}$")


def _checked_value(key: str, value: Any) -> str:
    """The value as stored; TooLarge when its JSON exceeds what Confluence takes."""
    compact = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
    if compact > MAX_PROPERTY_VALUE:
        raise TooLarge(
            f"The value of property '{key}' is too long: {compact} bytes of JSON, "
            f"at most {MAX_PROPERTY_VALUE} are allowed"
        )
    return json.dumps(value, ensure_ascii=False)


def _property(row: sqlite3.Row) -> Property:
    return Property(
        id=row["id"],
        owner_kind=row["owner_kind"],
        owner_id=row["owner_id"],
        key=row["key"],
        value=json.loads(row["value"]),
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        author=row["author"],
    )


def _template(row: sqlite3.Row) -> Template:
    return Template(
        id=row["id"],
        name=row["name"],
        description=row["description"],
        type=row["type"],
        space_id=row["space_id"],
        body=row["body"],
        labels=tuple(json.loads(row["labels"])),
    )


class MetaStore(StoreBase):
    """What hangs off pages and spaces: labels, properties, templates."""

    # -- labels --------------------------------------------------------------------------
    def _add_label(
        self, conn: sqlite3.Connection, kind: str, owner: int, prefix: str, name: str
    ) -> None:
        name = name.strip().lower()
        if not _LABEL_RE.match(name):
            raise Invalid(f"Label '{name}' contains invalid characters or is too long")
        conn.execute("INSERT OR IGNORE INTO label_names(prefix, name) VALUES(?, ?)", (prefix, name))
        row = conn.execute(
            "SELECT id FROM label_names WHERE prefix = ? AND name = ?", (prefix, name)
        ).fetchone()
        conn.execute(
            "INSERT OR IGNORE INTO labels(owner_kind, owner_id, label_id) VALUES(?,?,?)",
            (kind, owner, row["id"]),
        )

    def add_labels(self, kind: str, owner: int, labels: Iterable[tuple[str, str]]) -> None:
        with self._tx() as conn:
            for prefix, name in labels:
                self._add_label(conn, kind, owner, prefix or "global", name)

    def set_labels(self, kind: str, owner: int, names: Iterable[str]) -> None:
        with self._tx() as conn:
            conn.execute("DELETE FROM labels WHERE owner_kind = ? AND owner_id = ?", (kind, owner))
            for name in names:
                self._add_label(conn, kind, owner, "global", name)

    def remove_label(self, kind: str, owner: int, name: str) -> bool:
        with self._tx() as conn:
            cur = conn.execute(
                "DELETE FROM labels WHERE owner_kind = ? AND owner_id = ? AND label_id IN "
                "(SELECT id FROM label_names WHERE name = ?)",
                (kind, owner, name.lower()),
            )
            return cur.rowcount > 0

    def labels(self, kind: str, owner: int, prefix: str | None = None) -> list[Label]:
        sql = (
            "SELECT n.id, n.prefix, n.name FROM labels l JOIN label_names n ON "
            "n.id = l.label_id WHERE l.owner_kind = ? AND l.owner_id = ?"
        )
        args: list[Any] = [kind, owner]
        if prefix:
            sql += " AND n.prefix = ?"
            args.append(prefix)
        with self._read() as conn:
            rows = conn.execute(sql + " ORDER BY n.name", args).fetchall()
        return [Label(r["id"], r["prefix"], r["name"]) for r in rows]

    def all_labels(self, names: Sequence[str] = ()) -> list[Label]:
        sql, args = "SELECT * FROM label_names", list(names)
        if names:
            sql += f" WHERE name IN ({','.join('?' * len(names))})"
        with self._read() as conn:
            rows = conn.execute(sql + " ORDER BY id", args).fetchall()
        return [Label(r["id"], r["prefix"], r["name"]) for r in rows]

    def pages_with_label(self, name: str) -> set[int]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT l.owner_id FROM labels l JOIN label_names n ON n.id = l.label_id "
                "WHERE l.owner_kind = 'content' AND n.name = ?",
                (name.lower(),),
            ).fetchall()
        return {r[0] for r in rows}

    # -- properties ----------------------------------------------------------------------
    def _insert_property(
        self, conn: sqlite3.Connection, kind: str, owner: int, key: str, value: Any, author: str
    ) -> int:
        if not key or len(key) > MAX_PROPERTY_KEY:
            raise Invalid(f"Property key must be between 1 and {MAX_PROPERTY_KEY} characters")
        encoded = _checked_value(key, value)
        stamp = now_iso()
        try:
            cur = conn.execute(
                "INSERT INTO properties(owner_kind, owner_id, key, value, version, created_at, "
                "updated_at, author) VALUES(?,?,?,?,1,?,?,?)",
                (kind, owner, key, encoded, stamp, stamp, author),
            )
        except sqlite3.IntegrityError:
            raise Invalid(
                f"Cannot add a property with key '{key}': it already exists. "
                "Update the existing property instead."
            ) from None
        return int(cur.lastrowid or 0)

    def create_property(self, kind: str, owner: int, key: str, value: Any, author: str) -> Property:
        with self._tx() as conn:
            prop_id = self._insert_property(conn, kind, owner, key, value, author)
        prop = self.property_by_id(prop_id)
        assert prop is not None
        return prop

    def property(self, kind: str, owner: int, key: str) -> Property | None:
        with self._read() as conn:
            row = conn.execute(
                "SELECT * FROM properties WHERE owner_kind = ? AND owner_id = ? AND key = ?",
                (kind, owner, key),
            ).fetchone()
        return _property(row) if row else None

    def property_by_id(self, prop_id: int) -> Property | None:
        with self._read() as conn:
            row = conn.execute("SELECT * FROM properties WHERE id = ?", (prop_id,)).fetchone()
        return _property(row) if row else None

    def properties(self, kind: str, owner: int) -> list[Property]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT * FROM properties WHERE owner_kind = ? AND owner_id = ? ORDER BY id",
                (kind, owner),
            ).fetchall()
        return [_property(r) for r in rows]

    def update_property(
        self,
        kind: str,
        owner: int,
        key: str,
        value: Any,
        version: int,
        author: str,
        *,
        create_missing: bool = False,
    ) -> Property:
        """Property versions count on their own; the update must carry current+1."""
        with self._tx() as conn:
            row = conn.execute(
                "SELECT * FROM properties WHERE owner_kind = ? AND owner_id = ? AND key = ?",
                (kind, owner, key),
            ).fetchone()
            if row is None:
                if create_missing and version == 1:
                    self._insert_property(conn, kind, owner, key, value, author)
                else:
                    raise NotFound(f"No property found with key: {key}")
            else:
                if version != row["version"] + 1:
                    raise Conflict(
                        "Version must be incremented on update. Current version "
                        f"is: {row['version']}"
                    )
                encoded = _checked_value(key, value)
                conn.execute(
                    "UPDATE properties SET value = ?, version = ?, updated_at = ?, "
                    "author = ? WHERE id = ?",
                    (encoded, version, now_iso(), author, row["id"]),
                )
        prop = self.property(kind, owner, key)
        assert prop is not None
        return prop

    def delete_property(self, kind: str, owner: int, key: str) -> None:
        with self._tx() as conn:
            cur = conn.execute(
                "DELETE FROM properties WHERE owner_kind = ? AND owner_id = ? AND key = ?",
                (kind, owner, key),
            )
            if cur.rowcount == 0:
                raise NotFound(f"No property found with key: {key}")

    # -- watches -------------------------------------------------------------------------
    def set_watching(self, content_id: int, user_id: int, watching: bool) -> None:
        """Add or remove a content watch; both are idempotent, as on Confluence."""
        with self._tx() as conn:
            if watching:
                conn.execute(
                    "INSERT OR IGNORE INTO watches(content_id, user_id) VALUES(?, ?)",
                    (content_id, user_id),
                )
            else:
                conn.execute(
                    "DELETE FROM watches WHERE content_id = ? AND user_id = ?",
                    (content_id, user_id),
                )

    def is_watching(self, content_id: int, user_id: int) -> bool:
        with self._read() as conn:
            row = conn.execute(
                "SELECT 1 FROM watches WHERE content_id = ? AND user_id = ?", (content_id, user_id)
            ).fetchone()
        return row is not None

    # -- templates -----------------------------------------------------------------------
    def save_template(
        self,
        *,
        name: str,
        body: str,
        description: str = "",
        template_type: str = "page",
        space_id: int | None = None,
        labels: Sequence[str] = (),
        template_id: int | None = None,
    ) -> Template:
        if not name.strip():
            raise Invalid("Template name cannot be empty")
        if len(description) > 255:
            raise Invalid("Template description cannot exceed 255 characters")
        with self._tx() as conn:
            if template_id is None:
                cur = conn.execute(
                    "INSERT INTO templates(name, description, type, space_id, body, labels) "
                    "VALUES(?,?,?,?,?,?)",
                    (name, description, template_type, space_id, body, json.dumps(list(labels))),
                )
                template_id = int(cur.lastrowid or 0)
            else:
                cur = conn.execute(
                    "UPDATE templates SET name = ?, description = ?, type = ?, space_id = ?, "
                    "body = ?, labels = ? WHERE id = ?",
                    (
                        name,
                        description,
                        template_type,
                        space_id,
                        body,
                        json.dumps(list(labels)),
                        template_id,
                    ),
                )
                if cur.rowcount == 0:
                    raise NotFound(f"No template with id {template_id}")
        found = self.template(template_id)
        assert found is not None
        return found

    def template(self, template_id: int) -> Template | None:
        with self._read() as conn:
            row = conn.execute("SELECT * FROM templates WHERE id = ?", (template_id,)).fetchone()
        return _template(row) if row else None

    def templates(self, space_id: int | None) -> list[Template]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT * FROM templates WHERE space_id IS ? ORDER BY id", (space_id,)
            ).fetchall()
        return [_template(r) for r in rows]

    def delete_template(self, template_id: int) -> None:
        with self._tx() as conn:
            if conn.execute("DELETE FROM templates WHERE id = ?", (template_id,)).rowcount == 0:
                raise NotFound(f"No template with id {template_id}")
