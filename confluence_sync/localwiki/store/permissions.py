"""Space permissions in the local wiki's store: who holds which (operation, target) pairs in a
space, granted and revoked per subject (a user, a group or anonymous). Members of the admin
groups hold every operation in every space.

Imports: ``store.model`` and ``store.tokens`` (over ``store.people``: groups and the caches a
change clears).
"""

from __future__ import annotations

from collections.abc import Iterable

from confluence_sync.localwiki.store.model import (
    ALL_SPACE_OPERATIONS,
    Invalid,
    NotFound,
    Permission,
    User,
)
from confluence_sync.localwiki.store.tokens import TokenStore


class PermissionStore(TokenStore):
    """The ``permissions`` table, answered from the people store's permission cache."""

    def operations(self, user: User | None, space_id: int) -> frozenset[tuple[str, str]]:
        """The (operation, target) pairs a user (None = anonymous) holds in a space."""
        cache_key = (user.id if user else None, space_id)
        cached = self._perm_cache.get(cache_key)
        if cached is not None:
            return cached
        generation = self._generation
        if user is not None and self.is_admin(user):
            ops = frozenset(ALL_SPACE_OPERATIONS)
        else:
            groups = self.groups_of(user.id) if user else []
            sql = (
                "SELECT operation, target FROM permissions WHERE space_id = ? AND "
                "(subject_type = 'anonymous'"
            )
            args: list[object] = [space_id]
            if user is not None:
                sql += " OR (subject_type = 'user' AND subject = ?)"
                args.append(str(user.id))
            if groups:
                marks = ",".join("?" * len(groups))
                sql += f" OR (subject_type = 'group' AND subject IN ({marks}))"
                args += groups
            with self._read() as conn:
                ops = frozenset((r[0], r[1]) for r in conn.execute(sql + ")", args))
        if generation == self._generation:
            self._perm_cache[cache_key] = ops
        return ops

    def can(self, user: User | None, space_id: int, operation: str, target: str) -> bool:
        return (operation, target) in self.operations(user, space_id)

    def permissions(self, space_id: int) -> list[Permission]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT * FROM permissions WHERE space_id = ? ORDER BY id", (space_id,)
            ).fetchall()
        return [
            Permission(
                r["id"], r["space_id"], r["subject_type"], r["subject"], r["operation"], r["target"]
            )
            for r in rows
        ]

    def grant(
        self,
        space_id: int,
        subject_type: str,
        subject: str,
        operation: str,
        target: str,
        *,
        fail_if_exists: bool = False,
    ) -> Permission:
        if (operation, target) not in ALL_SPACE_OPERATIONS:
            raise Invalid(f"Invalid operation {operation} for target {target}")
        if subject_type == "group" and self.group_by_name(subject) is None:
            raise Invalid(f"No group found with name {subject}")
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO permissions(space_id, subject_type, "
                "subject, operation, target) VALUES(?,?,?,?,?)",
                (space_id, subject_type, subject, operation, target),
            )
            if cur.rowcount == 0 and fail_if_exists:
                raise Invalid("Permission already exists")
            row = conn.execute(
                "SELECT * FROM permissions WHERE space_id = ? AND subject_type = "
                "? AND subject = ? AND operation = ? AND target = ?",
                (space_id, subject_type, subject, operation, target),
            ).fetchone()
        self._changed()
        return Permission(row["id"], space_id, subject_type, subject, operation, target)

    def revoke(
        self,
        space_id: int,
        subject_type: str,
        subject: str,
        pairs: Iterable[tuple[str, str]] | None = None,
    ) -> int:
        """Remove the given pairs (all of the subject's when None; read removes all)."""
        pairs = list(pairs) if pairs is not None else None
        with self._tx() as conn:
            base = "DELETE FROM permissions WHERE space_id = ? AND subject_type = ? AND subject = ?"
            if pairs is None or ("read", "space") in pairs:
                count = conn.execute(base, (space_id, subject_type, subject)).rowcount
            else:
                count = sum(
                    conn.execute(
                        base + " AND operation = ? AND target = ?",
                        (space_id, subject_type, subject, op, target),
                    ).rowcount
                    for op, target in pairs
                )
        self._changed()
        return count

    def revoke_by_id(self, space_id: int, permission_id: int) -> None:
        with self._read() as conn:
            row = conn.execute(
                "SELECT * FROM permissions WHERE id = ? AND space_id = ?", (permission_id, space_id)
            ).fetchone()
        if row is None:
            raise NotFound(f"No permission with id {permission_id}")
        if (row["operation"], row["target"]) == ("read", "space"):
            self.revoke(space_id, row["subject_type"], row["subject"])
            return
        with self._tx() as conn:
            conn.execute("DELETE FROM permissions WHERE id = ?", (permission_id,))
        self._changed()
