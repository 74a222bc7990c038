"""A stored page seen through ``cql.Candidate``: the one adapter the REST search and the
viewer's reports both evaluate CQL against, so a query finds the same pages in both.

Its labels, ancestors and plain text load when a clause first asks for them (most queries pin
space and type first and never read a body), and each is read once per candidate.

Imports: ``rules.storage_format``; the page and the reads it needs come in through the
protocols below (the store satisfies them), so nothing of the store is imported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, Protocol, TypeVar

from confluence_sync.localwiki.rules import storage_format


class StoredPage(Protocol):
    """The fields of a stored page a query can ask about."""

    @property
    def id(self) -> int: ...

    @property
    def type(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def space_key(self) -> str: ...

    @property
    def parent_id(self) -> int | None: ...

    @property
    def creator(self) -> str: ...

    @property
    def created_at(self) -> str: ...

    @property
    def updated_at(self) -> str: ...

    @property
    def body(self) -> str: ...


class _Named(Protocol):
    @property
    def name(self) -> str: ...


class _Identified(Protocol):
    @property
    def id(self) -> int: ...


P = TypeVar("P", bound=StoredPage)
P_contra = TypeVar("P_contra", bound=StoredPage, contravariant=True)


class PageReads(Protocol[P_contra]):
    """What a candidate reads beyond the page itself (the store answers both)."""

    def labels(self, kind: str, owner: int, /) -> Iterable[_Named]: ...

    def ancestors(self, page: P_contra, /) -> Iterable[_Identified]: ...


class PageCandidate(Generic[P]):
    """``page`` as a CQL candidate; ``reads`` supplies its labels and ancestors on demand."""

    def __init__(self, reads: PageReads[P], page: P) -> None:
        self.reads = reads
        self.page = page
        self.id = page.id
        self.type = page.type
        self.title = page.title
        self.space_key = page.space_key
        self.parent_id = page.parent_id
        self.creator = page.creator
        self.created = page.created_at
        self.lastmodified = page.updated_at
        self._body: str | None = None
        self._labels: set[str] | None = None
        self._ancestors: set[int] | None = None

    @property
    def body(self) -> str:
        if self._body is None:
            self._body = storage_format.plain_text(self.page.body)
        return self._body

    def labels(self) -> set[str]:
        if self._labels is None:
            self._labels = {label.name for label in self.reads.labels("content", self.page.id)}
        return self._labels

    def ancestor_ids(self) -> set[int]:
        if self._ancestors is None:
            self._ancestors = {a.id for a in self.reads.ancestors(self.page)}
        return self._ancestors
