"""Pieces both adapters share: the v1 ``/rest/api`` calls Cloud still has no v2 write for
(labels, space creation), path quoting, and the 409 re-read loop for page writes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from confluence_sync.errors import AlreadyExistsError, ConflictError, NotFoundError
from confluence_sync.wiki.values import Page, PageInfo, PageUpdate, Property, SpaceInfo

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


def global_labels(results: Iterable[dict[str, Any]]) -> frozenset[str]:
    return frozenset(
        str(item.get("name", "")) for item in results if item.get("prefix", "global") == "global"
    )


def version_of(data: dict[str, Any]) -> int:
    version = data.get("version") or {}
    return int(version.get("number", 0)) if isinstance(version, dict) else 0


def space_from_create(data: Any, key: str) -> SpaceInfo | None:
    """The space a ``POST /space`` answered with (v1 and DC return the Space, its home page
    expanded or linked), or None when the answer does not say enough: then read it. Saves the
    read after every space we create. (After an ambiguous failure the transport's lookup has
    already returned a SpaceInfo.)"""
    if isinstance(data, SpaceInfo):
        return data
    if not isinstance(data, dict) or not data.get("id"):
        return None
    if str(data.get("key", "")).upper() != key.upper():
        return None
    home = data.get("homepage")
    home_id = str(home.get("id") or "") if isinstance(home, dict) else ""
    link = (data.get("_expandable") or {}).get("homepage")
    if not home_id and isinstance(link, str):
        tail = link.rstrip("/").rsplit("/", 1)[-1]
        home_id = tail if tail.isdigit() else ""
    if not home_id:
        return None
    return SpaceInfo(
        key=str(data["key"]),
        id=str(data["id"]),
        name=str(data.get("name", "")),
        homepage_id=home_id,
    )


def editor_of(data: dict[str, Any]) -> str:
    """Who saved the version in a content object: DC ``version.by.username`` (display name
    as a fall-back), Cloud v2 ``version.authorId``, Cloud v1 ``version.by.accountId``."""
    version = data.get("version") or {}
    if not isinstance(version, dict):
        return ""
    if version.get("authorId"):
        return str(version["authorId"])
    by = version.get("by") or {}
    if not isinstance(by, dict):
        return ""
    return str(by.get("username") or by.get("accountId") or by.get("displayName") or "")


def saved_at(data: dict[str, Any]) -> str:
    """When the version in a content object was saved: DC/v1 ``version.when``, v2
    ``version.createdAt``."""
    version = data.get("version") or {}
    if not isinstance(version, dict):
        return ""
    return str(version.get("when") or version.get("createdAt") or "")


def labels_of(container: Any) -> frozenset[str] | None:
    """Global label names from a labels container (v1 ``metadata.labels``, v2 ``labels``)
    holding them all; None when it is missing or says more are left."""
    if not isinstance(container, dict) or not isinstance(container.get("results"), list):
        return None
    meta, links = container.get("meta"), container.get("_links")
    if (isinstance(meta, dict) and meta.get("hasMore")) or (
        isinstance(links, dict) and links.get("next")
    ):
        return None
    return global_labels(item for item in container["results"] if isinstance(item, dict))


def write_with_recheck(
    page_id: str,
    update: PageUpdate,
    recheck: Recheck | None,
    *,
    put: Callable[[PageUpdate, int], PageInfo],
    reread: Callable[[str], Page],
) -> tuple[Callable[[], PageInfo], Callable[[], Callable[[], PageInfo] | None] | None]:
    """The sender for ``update`` and, when ``recheck`` is given, the 409 resolver: re-read the
    page, let the caller decide against what is there now, write on top of *that* version."""

    def send() -> PageInfo:
        return put(update, update.base_version + 1)

    if recheck is None:
        return send, None

    def resolve() -> Callable[[], PageInfo] | None:
        current = reread(page_id)
        decided = recheck(current)
        if decided is None:
            return None
        version = current.info.version + 1
        return lambda: put(decided, version)

    return send, resolve


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
