"""The local wiki's store assembled: ``Store`` is every part of ``store/`` in one object, plus
what spans the parts — a space created with its home page and first grants, a space deleted
through a long task that purges its pages, and the admin account a fresh database gets.

The parts, each a mixin over the SQLite plumbing of ``db.StoreBase``: ``spaces`` (space
records), ``pages`` and ``page_writes`` (content and its rules), ``meta`` (labels,
properties, templates, watches), ``files`` (attachments), ``people`` (users, groups),
``tokens``, ``permissions`` (space permissions) and ``roles`` (Cloud's space roles). They stay
mixins rather than parts the Store holds:
every route and test calls the one flat Store API (``wiki.store.create_user(...)``), the
parts share one connection and transaction, and a part's rule often calls another part
(a create checks the space, a purge drops labels) — composition would need a forwarding
method for each of some 80 methods.

``Store(path)`` is thread-safe (see ``db``). A fresh store holds one admin account: username
``admin``, password ``admin``, email ``admin@localwiki.invalid`` and the fixed API token /
personal access token ``ADMIN_TOKEN``; it is a member of ``confluence-administrators`` and
``site-admins``, which bypass space permissions.

Imports: the other modules of ``store/`` only.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Sequence
from pathlib import Path

from confluence_sync.localwiki.store.db import now_iso
from confluence_sync.localwiki.store.files import FileStore
from confluence_sync.localwiki.store.model import (
    ADMIN_GROUPS,
    ALL_SPACE_OPERATIONS,
    DEFAULT_GROUP,
    DEFAULT_MEMBER_OPERATIONS,
    Invalid,
    LongTask,
    Space,
    User,
)
from confluence_sync.localwiki.store.page_writes import PageWriteStore
from confluence_sync.localwiki.store.roles import RoleStore

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin"
ADMIN_EMAIL = "admin@localwiki.invalid"
ADMIN_TOKEN = "localwiki-admin-token"
SPACE_KEY_RE = re.compile(r"^[A-Za-z0-9]{1,255}$")
# How many status polls a space deletion stays "running" before it finishes.
DELETE_POLLS = 2


class Store(RoleStore, PageWriteStore, FileStore):
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

    def create_space_with_roles(
        self,
        *,
        key: str,
        name: str,
        creator: User,
        assignments: Sequence[tuple[str, str, str]],
        description: str = "",
    ) -> Space:
        """A space whose access is exactly ``assignments`` (principal type, principal, role
        id) and no legacy permission: Cloud's create on a tenant with roles ("If roles are
        provided, the space is created with exactly the provided set of roles",
        cloud-v2-2026-04.json ``SpaceCreateRequest.roleAssignments``)."""
        space = self.create_space(
            key=key, name=name, creator=creator, description=description, permissions=[]
        )
        self.set_role_assignments(space.id, [(t, p, r) for t, p, r in assignments])
        return space

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
        conn.execute("DELETE FROM role_assignments WHERE space_id = ?", (space_id,))
        conn.execute(
            "DELETE FROM properties WHERE owner_kind = 'space' AND owner_id = ?", (space_id,)
        )
        conn.execute("DELETE FROM labels WHERE owner_kind = 'space' AND owner_id = ?", (space_id,))
        conn.execute("DELETE FROM templates WHERE space_id = ?", (space_id,))
