"""What the renderer may ask of the wiki: the narrow seam between rendering and the store.

Rendering stays a pure function of a body and this interface: the macros that show other pages
(``children``, the page-properties report, the task report) and the links and mentions ask a
:class:`WikiData` for pages, never a database. ``viewer.store_data`` implements it over the
store for the app; unit tests hand in a fake of a few lines.

Imports: nothing of the local wiki.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class PageInfo:
    """One page as the renderer sees it: enough to link, sort and read its body."""

    id: int
    title: str
    space_key: str
    href: str
    body: str = ""
    created: str = ""
    modified: str = ""
    position: int = 0
    labels: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Person:
    """A user a mention names: the name shown and every identifier it may be named by
    (username, user key, account id), so a report's ``assignees`` filter can match any."""

    display_name: str
    ids: frozenset[str]


class WikiData(Protocol):
    """The reads a render needs; each answers only what the reader may see."""

    def page_href(self, space_key: str, title: str) -> str | None:
        """The URL of the page ``title`` in ``space_key``, or None when there is none."""
        ...

    def person(self, attrs: Mapping[str, str]) -> Person | None:
        """The user an ``ri:user`` names (attributes without the ``ri:`` prefix), or None."""
        ...

    def search(self, cql: str) -> Sequence[PageInfo]:
        """Current pages matching the CQL, bodies included; raises ``rules.cql.CqlError``."""
        ...

    def children(self, page_id: int) -> Sequence[PageInfo]:
        """The current child pages of ``page_id`` in their manual order (bodies may be empty)."""
        ...

    def page_by_title(self, space_key: str, title: str) -> PageInfo | None:
        """The current page ``title`` of ``space_key`` (for ``children``' ``page`` parameter)."""
        ...

    def top_level(self, space_key: str) -> Sequence[PageInfo]:
        """The pages of ``space_key`` without a parent, in their manual order."""
        ...


__all__ = ["PageInfo", "Person", "WikiData"]
