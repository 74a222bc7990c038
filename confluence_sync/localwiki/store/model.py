"""Records the local wiki's store hands out, and the errors its rules raise.

The store knows nothing of HTTP; the web layer maps each error class to a status code
(Invalid → 400, Forbidden → 403, NotFound → 404, Conflict → 409, TooLarge → 413).

Imports: nothing of the local wiki; every layer may import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ADMIN_GROUPS = ("confluence-administrators", "site-admins")
DEFAULT_GROUP = "confluence-users"

# Space permission vocabulary, stored as Cloud v1 (operation key, target) pairs.
ALL_SPACE_OPERATIONS: tuple[tuple[str, str], ...] = (
    ("read", "space"),
    ("create", "page"),
    ("create", "blogpost"),
    ("create", "comment"),
    ("create", "attachment"),
    ("delete", "page"),
    ("delete", "blogpost"),
    ("delete", "comment"),
    ("delete", "attachment"),
    ("delete", "space"),
    ("export", "space"),
    ("administer", "space"),
    ("restrict_content", "space"),
    ("archive", "page"),
)
# What the default group gets in a new space when the request names no permissions.
DEFAULT_MEMBER_OPERATIONS: tuple[tuple[str, str], ...] = (
    ("read", "space"),
    ("create", "page"),
    ("create", "blogpost"),
    ("create", "comment"),
    ("create", "attachment"),
    ("delete", "space"),
)


class StoreError(Exception):
    """A Confluence rule was violated; ``message`` is what Confluence would say."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Invalid(StoreError):
    status = 400


class DuplicateTitle(Invalid):
    """A title another page (or folder) of the space holds; v1/DC and v2 word it apart."""

    def __init__(self, title: str, space_key: str) -> None:
        # v1/DC: seen on real sites (shared/reference/confluence-api.md §4.1, TITLE-EXISTS).
        super().__init__(
            f"A page with this title already exists: A page already exists with the title "
            f"{title} in the space with key {space_key}"
        )
        # v2 words it without the title (shared/reference/real-confluence.md, issue notes).
        self.v2_message = "A page already exists with the same TITLE in this space"


class Forbidden(StoreError):
    status = 403


class NotFound(StoreError):
    status = 404


class Conflict(StoreError):
    status = 409


class TooLarge(StoreError):
    status = 413


@dataclass(frozen=True)
class User:
    id: int
    username: str
    email: str
    display_name: str
    user_key: str
    account_id: str


@dataclass(frozen=True)
class Group:
    id: str
    name: str


@dataclass(frozen=True)
class Space:
    id: int
    key: str
    name: str
    description: str
    homepage_id: int | None
    type: str
    status: str
    created_at: str
    creator: str
    deleting: bool = False


@dataclass
class Page:
    """One piece of content (page or blogpost). ``labels``/``ancestors`` are loaded lazily."""

    id: int
    type: str
    status: str
    title: str
    space_id: int
    space_key: str
    parent_id: int | None
    position: int
    version: int
    body: str
    created_at: str
    creator: str
    updated_at: str
    updater: str
    message: str
    minor_edit: bool
    _labels: set[str] | None = field(default=None, repr=False)
    _ancestors: list[int] | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Property:
    id: int
    owner_kind: str  # "content" or "space"
    owner_id: int
    key: str
    value: Any
    version: int
    created_at: str
    updated_at: str
    author: str


@dataclass(frozen=True)
class Label:
    id: int
    prefix: str
    name: str


@dataclass(frozen=True)
class Template:
    id: int
    name: str
    description: str
    type: str
    space_id: int | None
    body: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Permission:
    id: int
    space_id: int
    subject_type: str  # "user", "group" or "anonymous"
    subject: str  # user id as text, group name, or "" for anonymous
    operation: str
    target: str


@dataclass(frozen=True)
class LongTask:
    id: str
    name: str
    space_id: int | None
    polls_left: int
    finished: bool
    created_at: str


@dataclass(frozen=True)
class Attachment:
    id: int
    page_id: int
    title: str
    media_type: str
    comment: str
    size: int
    version: int
    created_at: str
    updated_at: str
    author: str
    status: str = "current"
