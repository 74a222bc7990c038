"""API tokens and personal access tokens in the local wiki's store: issuing them (classic or
scoped), their scopes, and authenticating a request's Basic or Bearer credentials, with the
people store's credential cache (a verified secret → its user, forgotten on every change).

Imports: ``store.people`` and ``store.model``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from confluence_sync.localwiki.store.model import NotFound, User
from confluence_sync.localwiki.store.people import PeopleStore, secret_hash


class TokenStore(PeopleStore):
    """Who a request's credentials name: passwords (``PeopleStore``) and tokens."""

    def create_token(
        self, username: str, token: str | None = None, *, scopes: Iterable[str] | None = None
    ) -> str:
        """Issue an API token (Cloud Basic password) / personal access token (DC Bearer).
        ``scopes``: a scoped API token (Cloud), which only the API gateway accepts, for the
        operations its scopes cover (``rules.scopes``); None for a classic token."""
        user = self.user_by_name(username)
        if user is None:
            raise NotFound(f"No user with username {username}")
        token = token or secrets.token_urlsafe(24)
        held = None if scopes is None else " ".join(sorted(set(scopes)))
        with self._tx() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO tokens(token, user_id, scopes) VALUES(?, ?, ?)",
                (secret_hash(token), user.id, held),
            )
        self._changed()  # a token given again may now belong to someone else
        return token

    def token_scopes(self, secret: str) -> frozenset[str] | None:
        """The scopes of the token ``secret`` if it is a scoped one, else None (a classic
        token, a password or no token at all)."""
        cache_key = f"s\0{secret}"
        if cache_key in self._scope_cache:
            return self._scope_cache[cache_key]
        generation = self._generation
        with self._read() as conn:
            row = conn.execute(
                "SELECT scopes FROM tokens WHERE token = ?", (secret_hash(secret),)
            ).fetchone()
        scopes = None if row is None or row["scopes"] is None else frozenset(row["scopes"].split())
        if row is not None and generation == self._generation:  # a token's only: bounded
            self._scope_cache[cache_key] = scopes
        return scopes

    def authenticate_basic(self, name: str, secret: str) -> User | None:
        """Username or email, with the password or an API token."""
        cache_key = f"b\0{name}\0{secret}"
        cached = self._auth_cache.get(cache_key)
        if cached is not None:
            return cached
        generation = self._generation
        user = self.user_by_name(name) or self.user_by_email(name)
        if user is None:
            return None
        digest = secret_hash(secret)
        with self._read() as conn:
            row = conn.execute("SELECT secret FROM users WHERE id = ?", (user.id,)).fetchone()
            ok = row is not None and row["secret"] == digest
            if not ok:
                ok = (
                    conn.execute(
                        "SELECT 1 FROM tokens WHERE token = ? AND user_id = ?", (digest, user.id)
                    ).fetchone()
                    is not None
                )
        if ok and generation == self._generation:
            self._auth_cache[cache_key] = user
        return user if ok else None

    def authenticate_bearer(self, token: str) -> User | None:
        cache_key = f"t\0{token}"
        cached = self._auth_cache.get(cache_key)
        if cached is not None:
            return cached
        generation = self._generation
        with self._read() as conn:
            row = conn.execute(
                "SELECT user_id FROM tokens WHERE token = ?", (secret_hash(token),)
            ).fetchone()
        if row is None:
            return None
        user = self.user_by_id(row["user_id"])
        if user is not None and generation == self._generation:
            self._auth_cache[cache_key] = user
        return user
