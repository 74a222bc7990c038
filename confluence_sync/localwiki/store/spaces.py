"""Space records in the local wiki's store: read, listed, updated (name, description, home
page, status). Creating and deleting a space spans pages and permissions, so it lives in
``wiki.Store``.

Imports: ``store.db`` and ``store.model``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from confluence_sync.localwiki.store.db import StoreBase
from confluence_sync.localwiki.store.model import Invalid, NotFound, Space


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


class SpaceStore(StoreBase):
    """The ``spaces`` table, with a per-generation cache of the lookup every page read makes."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        super().__init__(path)
        self._space_cache: dict[int, tuple[int, Space]] = {}  # id → (write generation, space)

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
