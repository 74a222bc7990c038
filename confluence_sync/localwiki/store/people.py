"""Users and their passwords, groups and browser sessions in the local wiki's store (tokens:
``store.tokens``), and the caches that keep every request's authentication and permission check
cheap (cleared on each relevant
change, and when another connection commits: ``db.StoreBase.notice_other_writers``).

Imports: ``store.db``, ``store.model`` and ``store.sessions``.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import uuid
from collections.abc import Iterable
from pathlib import Path

from confluence_sync.localwiki.store.db import StoreBase
from confluence_sync.localwiki.store.model import (
    ADMIN_GROUPS,
    DEFAULT_GROUP,
    Conflict,
    Group,
    Invalid,
    NotFound,
    User,
)
from confluence_sync.localwiki.store.sessions import SessionTable

# Identifiers derive from names, so two stores given the same users agree on every user key,
# account id and group id (tests compare whole wikis); they still look like Confluence's.
_ID_NAMESPACE = uuid.UUID("7d0c6b1e-58a4-4b8e-9a53-6c0c2f1a9e11")


def _identity(username: str) -> tuple[str, str]:
    """(userKey: 32 hex digits, accountId: "557058:<uuid>") for a username."""
    return (
        uuid.uuid5(_ID_NAMESPACE, f"key:{username}").hex,
        f"557058:{uuid.uuid5(_ID_NAMESPACE, f'account:{username}')}",
    )


def secret_hash(secret: str) -> str:
    # A fast salted hash on purpose: every request authenticates and the data is test data.
    # Members' passwords are generated (``serve --set-password``: 96 random bits), so a fast
    # hash of one is as hard to reverse as a token's.
    return hashlib.sha256(("localwiki:" + secret).encode()).hexdigest()


class PeopleStore(StoreBase):
    """Who may log in, with which secrets, in which groups."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        super().__init__(path)
        self._perm_cache: dict[tuple[int | None, int], frozenset[tuple[str, str]]] = {}
        # Verified credential → user, and user lookups by column: the hot path of every
        # request (auth, then "by" and "createdBy" in page answers) without SQL.
        self._auth_cache: dict[str, User] = {}
        self._user_cache: dict[tuple[str, object], User] = {}
        self._scope_cache: dict[str, frozenset[str] | None] = {}
        # Bumped on every change; an answer computed across a change is not cached, so a
        # reader racing a writer cannot park a stale answer in the cache.
        self._generation = 0
        self.sessions = SessionTable()

    def _changed(self) -> None:
        """Forget cached permission and credential answers after a write that affects them."""
        self._generation += 1
        self._perm_cache.clear()
        self._auth_cache.clear()
        self._user_cache.clear()
        self._scope_cache.clear()

    def _forget_cached(self) -> None:
        # Another process may have changed a password, a token or a membership: the caches
        # above know only this store's own writes.
        self._changed()
        super()._forget_cached()

    # -- users and tokens ----------------------------------------------------------------
    def create_user(
        self,
        username: str,
        password: str,
        *,
        email: str | None = None,
        display_name: str | None = None,
        groups: Iterable[str] = (DEFAULT_GROUP,),
        account_id: str | None = None,
    ) -> User:
        """Create a user (and put them in ``groups``; new users join confluence-users).

        ``account_id`` gives the Cloud account id a site already uses for the person (a config
        written for Cloud names accounts by it); else one is derived from the username."""
        if not username or len(username) > 255:
            raise Invalid("Username must be between 1 and 255 characters")
        # An account id is an opaque string: the Cloud v1 spec's GenericAccountId has neither
        # pattern nor length ("384093:32b4d9w0-…" is its example; older ones are 24 hex digits).
        if account_id is not None and not account_id.strip():
            raise Invalid("An account id cannot be empty")
        if account_id is not None and self.user_by_account_id(account_id) is not None:
            raise Conflict(f"A user with the account id {account_id} already exists")
        email = email or f"{username}@localwiki.invalid"
        user_key, derived_account_id = _identity(username)
        with self._tx() as conn:
            try:
                cur = conn.execute(
                    "INSERT INTO users(username, email, display_name, secret, user_key, "
                    "account_id) VALUES(?,?,?,?,?,?)",
                    (
                        username,
                        email,
                        display_name or username,
                        secret_hash(password),
                        user_key,
                        account_id or derived_account_id,
                    ),
                )
            except sqlite3.IntegrityError as error:
                raise Conflict(f"A user with the username {username} already exists") from error
            user_id = int(cur.lastrowid or 0)
        for group in groups:
            if self.group_by_name(group) is None:
                self.create_group(group)
            self.add_member(group, username)
        self._changed()
        user = self.user_by_id(user_id)
        assert user is not None
        return user

    def _user(self, where: str, value: object) -> User | None:
        cached = self._user_cache.get((where, value))
        if cached is not None:
            return cached
        generation = self._generation
        with self._read() as conn:
            row = conn.execute(f"SELECT * FROM users WHERE {where} = ?", (value,)).fetchone()
        if row is None:
            return None  # not cached: the user may be created next
        user = User(
            row["id"],
            row["username"],
            row["email"],
            row["display_name"],
            row["user_key"],
            row["account_id"],
        )
        if generation == self._generation:
            self._user_cache[(where, value)] = user
        return user

    def user_by_id(self, user_id: int) -> User | None:
        return self._user("id", user_id)

    def user_by_name(self, username: str) -> User | None:
        return self._user("username", username)

    def user_by_key(self, user_key: str) -> User | None:
        return self._user("user_key", user_key)

    def user_by_account_id(self, account_id: str) -> User | None:
        return self._user("account_id", account_id)

    def user_by_email(self, email: str) -> User | None:
        return self._user("email", email)

    def resolve_user(self, identifier: str) -> User | None:
        """A user named by username, user key, account id or email."""
        return (
            self.user_by_name(identifier)
            or self.user_by_key(identifier)
            or self.user_by_account_id(identifier)
            or self.user_by_email(identifier)
        )

    def users(self) -> list[User]:
        with self._read() as conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM users ORDER BY id")]
        return [u for u in (self.user_by_id(i) for i in ids) if u is not None]

    def set_password(self, username: str, password: str) -> None:
        """A new password; the user's sessions end (logged in with the old one)."""
        with self._tx() as conn:
            conn.execute(
                "UPDATE users SET secret = ? WHERE username = ?", (secret_hash(password), username)
            )
        user = self.user_by_name(username)
        if user is not None:
            self.sessions.close_all_of(user.id)
        self._changed()

    def authenticate_password(self, name: str, password: str) -> User | None:
        """Username or email with the password, as the login form takes them: no token, and
        no cache, so a password set by another process on the same file counts at once."""
        user = self.user_by_name(name) or self.user_by_email(name)
        if user is None:
            return None
        with self._read() as conn:
            row = conn.execute("SELECT secret FROM users WHERE id = ?", (user.id,)).fetchone()
        ok = row is not None and secrets.compare_digest(row["secret"], secret_hash(password))
        return user if ok else None

    def session_user(self, session_id: str) -> User | None:
        """The user of a live browser session (``store.sessions``), or None."""
        user_id = self.sessions.user_id(session_id)
        return self.user_by_id(user_id) if user_id is not None else None

    def delete_user(self, username: str) -> None:
        user = self.user_by_name(username)
        if user is None:
            raise NotFound(f"No user with username {username}")
        with self._tx() as conn:
            for table, column in (("users", "id"), ("tokens", "user_id"), ("members", "user_id")):
                conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (user.id,))
        self.sessions.close_all_of(user.id)
        self._changed()

    # -- groups --------------------------------------------------------------------------
    def create_group(self, name: str) -> Group:
        if not name.strip():
            raise Invalid("Group name cannot be empty")
        with self._tx() as conn:
            if conn.execute("SELECT 1 FROM groups_ WHERE name = ?", (name,)).fetchone():
                raise Invalid(f"Group {name} already exists")
            conn.execute(
                "INSERT INTO groups_(id, name) VALUES(?, ?)",
                (str(uuid.uuid5(_ID_NAMESPACE, f"group:{name}")), name),
            )
        self._changed()
        group = self.group_by_name(name)
        assert group is not None
        return group

    def group_by_name(self, name: str) -> Group | None:
        with self._read() as conn:
            row = conn.execute("SELECT * FROM groups_ WHERE name = ?", (name,)).fetchone()
        return Group(row["id"], row["name"]) if row else None

    def group_by_id(self, group_id: str) -> Group | None:
        with self._read() as conn:
            row = conn.execute("SELECT * FROM groups_ WHERE id = ?", (group_id,)).fetchone()
        return Group(row["id"], row["name"]) if row else None

    def groups(self) -> list[Group]:
        with self._read() as conn:
            rows = conn.execute("SELECT * FROM groups_ ORDER BY name").fetchall()
        return [Group(r["id"], r["name"]) for r in rows]

    def delete_group(self, name: str) -> None:
        group = self.group_by_name(name)
        if group is None:
            raise NotFound(f"No group with name {name}")
        with self._tx() as conn:
            conn.execute("DELETE FROM groups_ WHERE id = ?", (group.id,))
            conn.execute("DELETE FROM members WHERE group_id = ?", (group.id,))
            conn.execute(
                "DELETE FROM permissions WHERE subject_type = 'group' AND subject = ?",
                (group.name,),
            )
        self._changed()

    def add_member(self, group_name: str, username: str) -> None:
        """Put a user (named by any identifier) into a group; one already in it stays."""
        self._set_member(group_name, username, member=True)

    def remove_member(self, group_name: str, username: str) -> None:
        self._set_member(group_name, username, member=False)

    def _set_member(self, group_name: str, username: str, *, member: bool) -> None:
        group, user = self.group_by_name(group_name), self.resolve_user(username)
        if group is None or user is None:
            raise NotFound(f"No group {group_name} or user {username}")
        sql = (
            "INSERT OR IGNORE INTO members(group_id, user_id) VALUES(?, ?)"
            if member
            else "DELETE FROM members WHERE group_id = ? AND user_id = ?"
        )
        with self._tx() as conn:
            conn.execute(sql, (group.id, user.id))
        self._changed()

    def members(self, group_name: str) -> list[User]:
        group = self.group_by_name(group_name)
        if group is None:
            raise NotFound(f"No group with name {group_name}")
        with self._read() as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT user_id FROM members WHERE group_id = ? ORDER BY user_id", (group.id,)
                )
            ]
        return [u for u in (self.user_by_id(i) for i in ids) if u is not None]

    def groups_of(self, user_id: int) -> list[str]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT g.name FROM members m JOIN groups_ g ON g.id = "
                "m.group_id WHERE m.user_id = ? ORDER BY g.name",
                (user_id,),
            )
            return [r[0] for r in rows]

    def is_admin(self, user: User | None) -> bool:
        return user is not None and any(g in ADMIN_GROUPS for g in self.groups_of(user.id))
