"""Writes both adapters share: the v1 ``/rest/api`` calls Cloud still has no v2 write for
(labels, space creation), path quoting, the 409 re-read loop for page writes and the
property create race. Reading the answers is ``answers``'s."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol
from urllib.parse import quote

from confluence_sync.errors import AlreadyExistsError, ConflictError, NotFoundError
from confluence_sync.wiki.canonical import canonical
from confluence_sync.wiki.storage import StorageFormatError
from confluence_sync.wiki.values import Page, PageInfo, PageUpdate, Property, SpaceInfo

from .answers import space_from_create
from .contract import Recheck
from .transport import Transport

V1 = "rest/api"


def q(part: str) -> str:
    """Quote one path segment (group names and labels may hold spaces, umlauts, slashes)."""
    return quote(part, safe="")


def label_payload(labels: Iterable[str]) -> list[dict[str, str]]:
    """Global labels, lower-cased as Confluence stores them, without duplicates."""
    seen: dict[str, None] = {}
    for label in labels:
        seen.setdefault(label.strip().lower(), None)
    return [{"prefix": "global", "name": name} for name in seen if name]


def add_labels_v1(
    transport: Transport,
    page_id: str,
    labels: Iterable[str],
    current_labels: Callable[[], frozenset[str]] | None = None,
) -> None:
    """POST /content/{id}/label adds (never replaces) every label in one request. Adding is
    idempotent, so after an ambiguous failure a look at ``current_labels`` decides."""
    payload = label_payload(labels)
    if not payload:
        return
    wanted = {item["name"] for item in payload}

    def already() -> bool | None:
        return True if current_labels is not None and wanted <= current_labels() else None

    transport.call(
        "POST",
        f"{V1}/content/{q(page_id)}/label",
        what=f"labels of page {page_id}",
        json=payload,
        find_existing=already if current_labels is not None else None,
    )


def remove_label_v1(transport: Transport, page_id: str, label: str) -> None:
    """DELETE /content/{id}/label?name= (the query form also takes names with '/')."""
    try:
        transport.call(
            "DELETE",
            f"{V1}/content/{q(page_id)}/label",
            what=f"label {label!r} of page {page_id}",
            params={"name": label.lower()},
        )
    except NotFoundError:
        return  # already gone: the desired state holds


def space_create_payload(key: str, name: str, description: str) -> dict[str, Any]:
    body: dict[str, Any] = {"key": key, "name": name}
    if description:
        body["description"] = {"plain": {"value": description, "representation": "plain"}}
    return body


class SpaceCache(Protocol):
    """What a space create needs of the reader: a fresh read, and the per-run cache."""

    def get_space(self, key: str, *, fresh: bool = False) -> SpaceInfo | None: ...

    def remember_space(self, key: str, space: SpaceInfo) -> None: ...


def send_space_create(
    transport: Transport, spaces: SpaceCache, key: str, path: str, body: dict[str, Any]
) -> tuple[SpaceInfo, bool]:
    """One space create at ``V1/path``; the space, and whether the answer was ours (False: a
    retry after an ambiguous failure found the space, so what the create carried is not
    known to have landed with it)."""
    data = transport.call(
        "POST",
        f"{V1}/{path}",
        what=f"space {key}",
        json=body,
        find_existing=lambda: spaces.get_space(key, fresh=True),
    )
    answered = not isinstance(data, SpaceInfo)
    # The answer is the space with its home page: no read after it. On Cloud the v1 answer's
    # id is the id v2 addresses the space by (one space, one number).
    space = space_from_create(data, key)
    if space is not None:
        spaces.remember_space(key, space)
    else:
        space = spaces.get_space(key, fresh=True)
    if space is None:
        raise NotFoundError(f"space {key}", 404, "created but not readable", "check the logs")
    return space, answered


def write_with_recheck(
    page_id: str,
    update: PageUpdate,
    recheck: Recheck | None,
    *,
    put: Callable[[PageUpdate, int], PageInfo],
    reread: Callable[[str], Page],
) -> tuple[
    Callable[[], PageInfo],
    Callable[[], Callable[[], PageInfo] | None] | None,
    Callable[[], PageInfo | None],
]:
    """The sender for ``update``; when ``recheck`` is given, the 409 resolver (re-read the
    page, let the caller decide against what is there now, write on top of *that* version);
    and the check whether the last write sent landed after all (for a 409 on a retry)."""
    last: list[tuple[PageUpdate, int]] = []

    def sent(page: PageUpdate, version: int) -> PageInfo:
        last[:] = [(page, version)]
        return put(page, version)

    def send() -> PageInfo:
        return sent(update, update.base_version + 1)

    def landed() -> PageInfo | None:
        # The version we sent is there with our title and body: that was our write (a
        # 409 on its retry is the version guard refusing to write it twice).
        if not last:
            return None
        page, version = last[0]
        current = reread(page_id)
        info = current.info
        same_parent = page.parent_id is None or info.parent_id == page.parent_id
        ours = info.title == page.title and same_parent and _same_body(current.body, page.body)
        return info if info.version == version and ours else None

    if recheck is None:
        return send, None, landed

    def resolve() -> Callable[[], PageInfo] | None:
        current = reread(page_id)
        decided = recheck(current)
        if decided is None:
            return None
        version = current.info.version + 1
        return lambda: sent(decided, version)

    return send, resolve, landed


def _same_body(stored: str, sent: str) -> bool:
    """Whether the wiki holds the body we sent, as Confluence stores it: it adds
    ``ac:macro-id`` to every macro on save, so the bytes differ (``wiki.canonical``)."""
    if stored == sent:
        return True
    try:
        return canonical(stored) == canonical(sent)
    except StorageFormatError:  # not well-formed: only the bytes could have told
        return False


def same_property(
    lookup: Callable[[], Property | None], value: object
) -> Callable[[], Property | None]:
    """After an ambiguous property create: the property is ours if it holds what we sent."""

    def found() -> Property | None:
        existing = lookup()
        return existing if existing is not None and existing.value == value else None

    return found


def create_property(
    transport: Transport,
    what: str,
    create: Callable[[], Property],
    lookup: Callable[[], Property | None],
) -> Property:
    """Create a property; "already exists" means another writer (e.g. a second sync run
    taking the lock) got there first, which the caller must treat as a conflict."""
    try:
        return transport.retrier.run("POST", what, create, find_existing=lookup)
    except AlreadyExistsError as error:
        raise ConflictError(
            what,
            error.status,
            "created by someone else meanwhile",
            "another sync run or a person wrote it first; read it again and decide",
        ) from error
