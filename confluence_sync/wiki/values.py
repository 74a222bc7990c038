"""Plain values every layer shares: what a space, a page, a property, a grant, a template and
a user are, as the engine and the backends both speak of them.

Identities on the wire differ per flavour and are kept as opaque strings: page and space ids
(numeric strings), users (Cloud ``accountId`` / Data Center ``username``), groups (name).
Imports nothing of the project.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

# JSON as Confluence stores it in a content/space property value.
JSON = dict[str, "JSON"] | list["JSON"] | str | int | float | bool | None
# "access_class": a class of users as a whole (Cloud's role principals ``ACCESS_CLASS``:
# all-licensed-users, anonymous-users, …), read on a site that manages access with roles.
SubjectType = Literal["user", "group", "access_class"]


@dataclass(frozen=True)
class SpaceInfo:
    """A space. ``id`` is the numeric id as a string (Cloud v2 addresses spaces by it)."""

    key: str
    id: str
    name: str
    homepage_id: str | None


@dataclass(frozen=True)
class PageInfo:
    """What the observer needs of a page; cheap to list in bulk."""

    id: str
    title: str
    space_key: str
    parent_id: str | None
    version: int
    status: str = "current"
    # Who saved ``version`` (DC username / Cloud accountId; "" when the answer omits it), so a
    # conflict can name the member who edited.
    last_editor: str = ""
    # When ``version`` was saved (ISO 8601 as the wiki gives it; "" when not said).
    saved_at: str = field(default="", compare=False)
    # The page's global labels where the answer carried them (DC's listing expands them,
    # Cloud's page read includes them); None: not known from this answer.
    labels: frozenset[str] | None = field(default=None, compare=False)
    # Who created the page (DC ``history.createdBy``, Cloud v2 ``authorId``) where the answer
    # says it ("" otherwise): a page the sync account made is recognised without a marker.
    created_by: str = field(default="", compare=False)


@dataclass(frozen=True)
class Page:
    """A page with its storage-format body."""

    info: PageInfo
    body: str


@dataclass(frozen=True)
class Property:
    """A content or space property. ``id`` is Cloud v2's property id ("" where unused)."""

    key: str
    value: JSON
    version: int
    id: str = ""


@dataclass(frozen=True, order=True)
class Grant:
    """One space permission in our own vocabulary (see ``backends.permissions``).

    ``operation`` is one of read, write (create page + edit), comment, attach, blog,
    delete_page, delete_own, export, restrict, admin; an unmapped native pair is kept as
    ``"native:<key>/<target>"`` so it can still be revoked. ``native_id`` is the Cloud
    permission id when known; it does not take part in equality.
    """

    subject_type: SubjectType
    subject: str
    operation: str
    native_id: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Template:
    """A space content template (Cloud only). ``id`` is empty before creation."""

    name: str
    body: str
    description: str = ""
    labels: tuple[str, ...] = ()
    id: str = ""

    def digest(self) -> str:
        """What decides whether a saved template must be written again (its id aside)."""
        text = "\0".join((self.name, self.description, ",".join(self.labels), self.body))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class UserInfo:
    """A resolved account. ``id``: Cloud accountId / DC username; ``key``: DC userKey."""

    id: str
    display_name: str
    key: str = ""


@dataclass(frozen=True)
class PageUpdate:
    """A new body/title for a page, based on the version the caller read."""

    page_id: str
    title: str
    body: str
    base_version: int
    parent_id: str | None = None
    message: str = ""
