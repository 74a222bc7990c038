"""JSON shapes of the Cloud v2 API: pages, spaces, properties, labels, versions, and the list
envelope with its cursor.

v2 has no ``expand``; it pages with an opaque cursor (here: base64 of an offset), returns
``_links.next`` including ``/wiki`` and repeats it in a ``Link`` header. Ids are strings.
People are named by account id.

Imports: ``web.ctx``, ``web.numbers``, ``api.links`` and the store's records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.links import cloud_page_links
from confluence_sync.localwiki.store.model import Label, Page, Property, Space
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.numbers import encode_cursor

V2_CAP = 250
INCLUDE_CAP = 50


def window(ctx: Ctx) -> tuple[int, int]:
    """(offset, limit) of the listing a request asks for: its cursor and ``limit``."""
    limit = min(max(ctx.int_arg("limit", 25), 1), V2_CAP)
    return ctx.cursor_arg() or 0, limit


def listing(ctx: Ctx, items: Sequence[Any], offset: int, limit: int, more: bool) -> Response:
    """One page of a listing: ``results``, ``_links`` and, with ``more``, the next cursor."""
    links: dict[str, str] = {"base": ctx.base}
    headers: dict[str, str] = {}
    if more:
        args = [
            (k, v) for k, v in ctx.request.args.items(multi=True) if k not in ("cursor", "limit")
        ]
        query = urlencode([*args, ("limit", limit), ("cursor", encode_cursor(offset + limit))])
        links["next"] = f"{ctx.request.path}?{query}"
        headers["Link"] = f'<{links["next"]}>; rel="next", <{ctx.base}>; rel="base"'
    return respond({"results": list(items), "_links": links}, headers=headers)


def paged(ctx: Ctx, items: Sequence[Any]) -> Response:
    """The page of ``items`` (all of them, already shaped) that the request's cursor asks for."""
    offset, limit = window(ctx)
    return listing(ctx, items[offset : offset + limit], offset, limit, len(items) > offset + limit)


def account_id(ctx: Ctx, username: str) -> str:
    user = ctx.store.user_by_name(username)
    return user.account_id if user else username


def version_v2(ctx: Ctx, page: Page) -> dict[str, Any]:
    """A page's current version."""
    return {
        "createdAt": page.updated_at,
        "message": page.message,
        "number": page.version,
        "minorEdit": page.minor_edit,
        "authorId": account_id(ctx, page.updater),
    }


def history_version_v2(ctx: Ctx, row: dict[str, Any]) -> dict[str, Any]:
    """One version of a page's history (a row of ``Store.versions``)."""
    return {
        "createdAt": row["created_at"],
        "message": row["message"],
        "number": row["number"],
        "minorEdit": bool(row["minor_edit"]),
        "authorId": account_id(ctx, row["author"]),
    }


def label_v2(label: Label) -> dict[str, Any]:
    return {"id": str(label.id), "name": label.name, "prefix": label.prefix}


def page_v2(
    ctx: Ctx, page: Page, *, single: bool = False, echo_body: bool = False
) -> dict[str, Any]:
    """A v2 page; ``echo_body``: a write's answer, which carries the body it stored."""
    out: dict[str, Any] = {
        "id": str(page.id),
        "status": page.status,
        "title": page.title,
        "spaceId": str(page.space_id),
        "parentId": str(page.parent_id) if page.parent_id is not None else None,
        "parentType": "page" if page.parent_id is not None else None,
        "position": page.position,
        "authorId": account_id(ctx, page.creator),
        "ownerId": account_id(ctx, page.creator),
        "lastOwnerId": None,
        "createdAt": page.created_at,
    }
    if not single or ctx.arg("include-version") != "false":
        out["version"] = version_v2(ctx, page)
    fmt = ctx.arg("body-format")
    if fmt is None and echo_body:
        # Cloud answers a create or update with the body in the representation it was sent
        # (storage); clients such as md2conf read it from there.
        fmt = "storage"
    if fmt in ("storage", "view", "export_view", "styled_view", "editor"):
        out["body"] = {fmt: {"representation": fmt, "value": page.body}}
    else:
        out["body"] = {}
    if single:
        out.update(_included(ctx, page))
    out["_links"] = cloud_page_links(page)
    if single:
        # The v2 spec's 200 answers of every single-entity read and write add `_links.base`
        # to the entity (allOf [...Single, {_links: {base}}]); list elements have none, their
        # list carries it. Captured page answers (text2confl, see api/links.py) agree.
        out["_links"]["base"] = ctx.base
    return out


def _included(ctx: Ctx, page: Page) -> dict[str, Any]:
    """The ``include-labels``, ``include-versions`` and ``include-properties`` lists."""
    out: dict[str, Any] = {}
    if ctx.arg("include-labels") == "true":
        labels = [label_v2(x) for x in ctx.store.labels("content", page.id)]
        out["labels"] = {
            # "include-*" lists hold at most 50 items; meta.hasMore says more are left
            # (cloud-v2.json GET /pages/{id} include-labels; confluence-api.md §4.2).
            "results": labels[:INCLUDE_CAP],
            "meta": {"hasMore": len(labels) > INCLUDE_CAP, "cursor": ""},
            "_links": {"self": f"/wiki/api/v2/pages/{page.id}/labels"},
        }
    if ctx.arg("include-versions") == "true":
        out["versions"] = {
            "results": [history_version_v2(ctx, r) for r in ctx.store.versions(page.id)],
            "meta": {"hasMore": False, "cursor": ""},
            "_links": {"self": f"/wiki/api/v2/pages/{page.id}/versions"},
        }
    if ctx.arg("include-properties") == "true":
        props = [property_v2(ctx, p) for p in ctx.store.properties("content", page.id)]
        out["properties"] = {
            "results": props,
            "meta": {"hasMore": False, "cursor": ""},
            "_links": {"self": f"/wiki/api/v2/pages/{page.id}/properties"},
        }
    return out


def property_v2(ctx: Ctx, prop: Property) -> dict[str, Any]:
    return {
        "id": str(prop.id),
        "key": prop.key,
        "value": prop.value,
        "version": {
            "createdAt": prop.updated_at,
            "message": "",
            "number": prop.version,
            "minorEdit": False,
            "authorId": account_id(ctx, prop.author),
        },
    }


def space_v2(ctx: Ctx, space: Space, *, single: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(space.id),
        "key": space.key,
        "name": space.name,
        "type": space.type,
        "status": space.status,
        "authorId": account_id(ctx, space.creator),
        "createdAt": space.created_at,
        "homepageId": str(space.homepage_id) if space.homepage_id else None,
        "_links": {"webui": f"/spaces/{space.key}"},
    }
    if single:  # as for pages: the spec's single-space answers add _links.base
        out["_links"]["base"] = ctx.base
    fmt = ctx.arg("description-format")
    if fmt in ("plain", "view"):
        out["description"] = {fmt: {"representation": fmt, "value": space.description}}
    return out
