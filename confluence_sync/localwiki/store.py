"""The local wiki's store: space creation and deletion, space permissions and long tasks,
on top of people (``store_people``), pages (``store_content``), labels, properties and
templates (``store_meta``) and the SQLite plumbing (``store_base``).

``Store(path)`` is thread-safe (see ``store_base``). A fresh store holds one admin account:
username ``admin``, password ``admin``, email ``admin@localwiki.invalid`` and the fixed API
token / personal access token ``ADMIN_TOKEN``; it is a member of ``confluence-administrators``
and ``site-admins``, which bypass space permissions.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path

from confluence_sync.localwiki.model import (
    ADMIN_GROUPS,
    ALL_SPACE_OPERATIONS,
    DEFAULT_GROUP,
    DEFAULT_MEMBER_OPERATIONS,
    Invalid,
    LongTask,
    NotFound,
    Permission,
    Space,
    User,
)
from confluence_sync.localwiki.store_base import now_iso
from confluence_sync.localwiki.store_files import FileStore
from confluence_sync.localwiki.store_people import PeopleStore

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin"
ADMIN_EMAIL = "admin@localwiki.invalid"
ADMIN_TOKEN = "localwiki-admin-token"
SPACE_KEY_RE = re.compile(r"^[A-Za-z0-9]{1,255}$")
# How many status polls a space deletion stays "running" before it finishes.
DELETE_POLLS = 2


class Store(PeopleStore, FileStore):
    """Everything the local wiki keeps, with Confluence's rules enforced."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        super().__init__(path)
        self._bootstrap()

    def _bootstrap(self) -> None:
        """The built-in groups and the admin account, each created only where missing, so a
        database this store wrote opens again whatever was done to it since (a deleted admin
        comes back; its groups are not created twice)."""
        for name in (*ADMIN_GROUPS, DEFAULT_GROUP):
            if self.group_by_name(name) is None:
                self.create_group(name)
        if self.user_by_name(ADMIN_USERNAME) is None:
            admin = self.create_user(
                ADMIN_USERNAME,
                ADMIN_PASSWORD,
                email=ADMIN_EMAIL,
                display_name="Local Wiki Admin",
                groups=(*ADMIN_GROUPS, DEFAULT_GROUP),
            )
            self.create_token(admin.username, ADMIN_TOKEN)

    # -- spaces --------------------------------------------------------------------------
    def create_space(
        self,
        *,
        key: str,
        name: str,
        creator: User,
        description: str = "",
        space_type: str = "global",
        home_title: str | None = None,
        permissions: Sequence[tuple[str, str, str, str]] | None = None,
        private: bool = False,
    ) -> Space:
        """Create a space with its home page.

        Permissions: ``permissions`` (subject_type, subject, operation, target) given → exactly
        those (Cloud's create "with only the provided set", not even the creator's); else the
        creator gets every operation, plus — unless ``private`` ("viewable only by its
        creator", both specs' ``/space/_private``) — the site's default space permissions.
        """
        if not SPACE_KEY_RE.match(key or ""):
            raise Invalid(
                "Space key must contain only alphanumeric characters (A-Z, a-z, "
                "0-9) and be at most 255 characters long"
            )
        if not name or not name.strip() or len(name) > 200:
            raise Invalid("Space name must be between 1 and 200 characters")
        if self.space_by_key(key) is not None:
            raise Invalid(f"A space already exists with key {key}")
        stamp = now_iso()
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT INTO spaces(key, name, description, type, status, created_at, creator) "
                "VALUES(?,?,?,?,'current',?,?)",
                (key, name, description, space_type, stamp, creator.username),
            )
            space_id = int(cur.lastrowid or 0)
            grants = [("user", str(creator.id), op, target) for op, target in ALL_SPACE_OPERATIONS]
            if permissions is not None:
                grants = list(permissions)
            elif not private:
                grants += [
                    ("group", DEFAULT_GROUP, op, target) for op, target in DEFAULT_MEMBER_OPERATIONS
                ]
            for subject_type, subject, op, target in grants:
                conn.execute(
                    "INSERT OR IGNORE INTO permissions(space_id, subject_type, subject, "
                    "operation, target) VALUES(?,?,?,?,?)",
                    (space_id, subject_type, subject, op, target),
                )
        self._changed()
        home = self.create_page(
            space_key=key, title=home_title or name, body="", author=creator.username
        )
        return self.update_space(key, homepage_id=home.id)

    def delete_space(self, key: str) -> LongTask:
        """Mark the space as being deleted and return the long task that finishes the job."""
        space = self._require_space(key)
        task_id = str(uuid.uuid4().int % 10**9)
        with self._tx() as conn:
            conn.execute("UPDATE spaces SET deleting = 1 WHERE id = ?", (space.id,))
            conn.execute(
                "INSERT INTO longtasks(id, name, space_id, polls_left, finished, "
                "created_at) VALUES(?,?,?,?,0,?)",
                (task_id, "Delete space", space.id, DELETE_POLLS, now_iso()),
            )
        task = self.longtask(task_id, poll=False)
        assert task is not None
        return task

    def longtask(self, task_id: str, *, poll: bool = True) -> LongTask | None:
        """A long task's state; each poll advances a running deletion one step."""
        with self._tx() as conn:
            row = conn.execute("SELECT * FROM longtasks WHERE id = ?", (task_id,)).fetchone()
            if row is None:
                return None
            if poll and not row["finished"]:
                left = row["polls_left"] - 1
                finished = left <= 0
                if finished and row["space_id"] is not None:
                    self._drop_space(conn, row["space_id"])
                conn.execute(
                    "UPDATE longtasks SET polls_left = ?, finished = ? WHERE id = ?",
                    (max(left, 0), int(finished), task_id),
                )
                row = conn.execute("SELECT * FROM longtasks WHERE id = ?", (task_id,)).fetchone()
        return LongTask(
            row["id"],
            row["name"],
            row["space_id"],
            row["polls_left"],
            bool(row["finished"]),
            row["created_at"],
        )

    def finished_task(self, name: str) -> LongTask:
        """Record a task that completed at once (for APIs that answer with a long task)."""
        task_id = str(uuid.uuid4().int % 10**9)
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO longtasks(id, name, space_id, polls_left, finished, "
                "created_at) VALUES(?,?,NULL,0,1,?)",
                (task_id, name, now_iso()),
            )
        task = self.longtask(task_id, poll=False)
        assert task is not None
        return task

    def longtasks(self) -> list[LongTask]:
        with self._read() as conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM longtasks ORDER BY created_at")]
        return [t for t in (self.longtask(i, poll=False) for i in ids) if t is not None]

    def _drop_space(self, conn: sqlite3.Connection, space_id: int) -> None:
        page_ids = [
            r[0] for r in conn.execute("SELECT id FROM content WHERE space_id = ?", (space_id,))
        ]
        for page_id in page_ids:
            self._purge(conn, page_id)
        conn.execute("DELETE FROM spaces WHERE id = ?", (space_id,))
        conn.execute("DELETE FROM permissions WHERE space_id = ?", (space_id,))
        conn.execute(
            "DELETE FROM properties WHERE owner_kind = 'space' AND owner_id = ?", (space_id,)
        )
        conn.execute("DELETE FROM labels WHERE owner_kind = 'space' AND owner_id = ?", (space_id,))
        conn.execute("DELETE FROM templates WHERE space_id = ?", (space_id,))

    # -- permissions ---------------------------------------------------------------------
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
