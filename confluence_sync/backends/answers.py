"""Reading Confluence's JSON answers into plain values, for both adapters: versions, who saved
and when, global labels, and the space a create answered with. Each reader is lenient about
shapes (a missing or odd field gives an empty value, never an exception): the adapters decide
what an empty value means. Imports wiki/values only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from confluence_sync.wiki.values import SpaceInfo


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


def creator_of(data: dict[str, Any]) -> str:
    """Who created the page: Cloud v2 ``authorId`` ("The account ID of the user who created
    this page originally", cloud-v2.json PageSingle), DC/v1 ``history.createdBy`` (a Person,
    dc-10.0.3.json History) where ``history`` was expanded; "" when the answer omits it."""
    if data.get("authorId"):
        return str(data["authorId"])
    history = data.get("history") or {}
    by = history.get("createdBy") if isinstance(history, dict) else None
    if not isinstance(by, dict):
        return ""
    return str(by.get("username") or by.get("accountId") or by.get("userKey") or "")


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
