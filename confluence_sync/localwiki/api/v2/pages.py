"""Cloud v2 page routes (``/wiki/api/v2/pages``): create, read, update, rename, trash and
purge pages; list them (also per space, ``/spaces/{id}/pages``); their children, ancestors,
descendants and versions.

Writes the caller may not make answer 404, as the v2 spec documents (v1/DC answer 403).

Imports: ``web`` (ctx, checks), ``api.v2`` (table, shapes, params) and the store's records.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v2.params import id_list, int_param, sort_order, statuses
from confluence_sync.localwiki.api.v2.shapes import (
    history_version_v2,
    listing,
    page_v2,
    paged,
    window,
)
from confluence_sync.localwiki.api.v2.table import v2
from confluence_sync.localwiki.store.model import Page
from confluence_sync.localwiki.web.checks import (
    can_read,
    readable_page,
    readable_space_id,
    require_writable,
    storage_body,
)
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError


def _body_value(data: dict[str, Any]) -> str | None:
    body = data.get("body")
    if not isinstance(body, dict):
        return None
    if "storage" in body and isinstance(body["storage"], dict):
        body = body["storage"]
    representation = body.get("representation", "storage")
    if representation not in ("storage", "editor"):
        raise ApiError(400, f"Unsupported body representation: {representation}")
    return storage_body(body.get("value", ""))


def _page_listing(ctx: Ctx, offset: int, limit: int, **filters: Any) -> Response:
    """The pages ``filters`` select from ``offset``, in the request's status, title and order."""
    pages = ctx.store.find_pages(
        title=ctx.arg("title"),
        statuses=statuses(ctx, ("current", "archived")),
        offset=offset,
        limit=limit + 1,
        order=sort_order(ctx),
        **filters,
    )
    return listing(ctx, [page_v2(ctx, p) for p in pages[:limit]], offset, limit, len(pages) > limit)


@v2.route("/pages", ["GET"])
def list_pages(ctx: Ctx) -> Response:
    offset, limit = window(ctx)
    wanted = id_list(ctx, "space-id")
    spaces = [s for s in ctx.store.spaces(ids=wanted) if can_read(ctx, s.id)]
    space_ids = [s.id for s in spaces] or [-1]
    return _page_listing(ctx, offset, limit, space_ids=space_ids, ids=id_list(ctx, "id"))


@v2.route("/pages", ["POST"])
def create_page(ctx: Ctx) -> Response:
    data = ctx.body_dict()
    space = readable_space_id(ctx, int_param(data.get("spaceId"), "spaceId"))
    require_writable(ctx, space.id)
    status = data.get("status") or "current"
    title = data.get("title")
    if not isinstance(title, str):
        if status != "draft":
            raise ApiError(400, "A title is required unless the status is draft")
        title = ""
    parent = data.get("parentId")
    parent_id = int_param(parent, "parentId") if parent else None
    if parent_id is None and ctx.arg("root-level") != "true":
        parent_id = space.homepage_id
    page = ctx.store.create_page(
        space_key=space.key,
        title=title,
        body=_body_value(data) or "",
        author=ctx.username,
        parent_id=parent_id,
        status=status,
    )
    ctx.notify_watchers()
    return respond(page_v2(ctx, page, single=True, echo_body=True))


@v2.route("/pages/<int:page_id>", ["GET"])
def get_page(ctx: Ctx, page_id: int) -> Response:
    wanted = statuses(ctx, ("current", "archived", "trashed", "draft"))
    page = readable_page(ctx, page_id, wanted)
    return respond(page_v2(ctx, page, single=True))


@v2.route("/pages/<int:page_id>", ["PUT"])
def update_page(ctx: Ctx, page_id: int) -> Response:
    data = ctx.body_dict()
    page = readable_page(ctx, page_id, ("current", "trashed", "draft"))
    require_writable(ctx, page.space_id)
    number = (data.get("version") or {}).get("number")
    if not isinstance(data.get("title"), str) or number is None:
        raise ApiError(400, "id, status, title, body and version are required")
    # The spec requires status; atlassian-python-api 5.0.5 omits it, so keep the current one.
    status = str(data.get("status") or ("current" if page.status == "trashed" else page.status))
    if data.get("spaceId") and int_param(data["spaceId"], "spaceId") != page.space_id:
        raise ApiError(400, "Changing the space of a page is not supported")
    parent = data.get("parentId")
    updated = ctx.store.update_page(
        page_id,
        title=str(data["title"]),
        version=int_param(number, "version.number"),
        author=ctx.username,
        body=_body_value(data),
        parent_id=int_param(parent, "parentId") if parent else None,
        status=status,
        message=str((data.get("version") or {}).get("message") or ""),
    )
    # v2's PageUpdateRequest has no minorEdit (its version takes number and message only):
    # every update notifies the page's watchers.
    ctx.notify_watchers()
    return respond(page_v2(ctx, updated, single=True, echo_body=True))


@v2.route("/pages/<int:page_id>/title", ["PUT"])
def update_title(ctx: Ctx, page_id: int) -> Response:
    data = ctx.body_dict()
    page = readable_page(ctx, page_id)
    require_writable(ctx, page.space_id)
    updated = ctx.store.update_page(
        page_id, title=str(data.get("title") or ""), version=page.version + 1, author=ctx.username
    )
    ctx.notify_watchers()
    return respond(page_v2(ctx, updated, single=True))


@v2.route("/pages/<int:page_id>", ["DELETE"])
def delete_page(ctx: Ctx, page_id: int) -> Response:
    page = readable_page(ctx, page_id, ("current", "trashed", "draft"))
    if ctx.arg("purge") == "true":
        if page.status != "trashed":
            raise ApiError(400, "Only trashed pages can be purged")
        require_writable(ctx, page.space_id, "administer", "space")
        ctx.store.purge_page(page_id)
    else:
        if page.status != "current":
            raise ApiError(404, f"No current page with id {page_id}")
        require_writable(ctx, page.space_id, "delete", "page")
        ctx.store.trash_page(page_id)
    return respond(None, 204)


def _child(page: Page) -> dict[str, Any]:
    return {
        "id": str(page.id),
        "status": page.status,
        "title": page.title,
        "spaceId": str(page.space_id),
        "childPosition": page.position,
    }


@v2.route("/pages/<int:page_id>/children", ["GET"])
def children(ctx: Ctx, page_id: int) -> Response:
    page = readable_page(ctx, page_id)
    return paged(ctx, [_child(c) for c in ctx.store.children(page.id)])


@v2.route("/pages/<int:page_id>/direct-children", ["GET"])
def direct_children(ctx: Ctx, page_id: int) -> Response:
    page = readable_page(ctx, page_id)
    return paged(ctx, [{**_child(c), "type": "page"} for c in ctx.store.children(page.id)])


@v2.route("/pages/<int:page_id>/descendants", ["GET"])
def descendants(ctx: Ctx, page_id: int) -> Response:
    page = readable_page(ctx, page_id)
    depth = ctx.int_arg("depth", 5)
    base_depth = len(ctx.store.ancestors(page))
    out = []
    for d in ctx.store.descendants(page.id, depth=depth):
        out.append(
            {
                "id": str(d.id),
                "status": d.status,
                "title": d.title,
                "type": "page",
                "parentId": str(d.parent_id),
                "depth": len(ctx.store.ancestors(d)) - base_depth,
                "childPosition": d.position,
            }
        )
    return paged(ctx, out)


@v2.route("/pages/<int:page_id>/ancestors", ["GET"])
def ancestors(ctx: Ctx, page_id: int) -> Response:
    page = readable_page(ctx, page_id)
    chain = [{"id": str(a.id), "type": "page"} for a in ctx.store.ancestors(page)]
    return paged(ctx, chain)


@v2.route("/pages/<int:page_id>/versions", ["GET"])
def page_versions(ctx: Ctx, page_id: int) -> Response:
    readable_page(ctx, page_id, ("current", "trashed", "draft"))
    return paged(ctx, [history_version_v2(ctx, r) for r in ctx.store.versions(page_id)])


@v2.route("/spaces/<int:space_id>/pages", ["GET"])
def space_pages(ctx: Ctx, space_id: int) -> Response:
    space = readable_space_id(ctx, space_id)
    offset, limit = window(ctx)
    top_level = ctx.arg("depth") == "root"
    return _page_listing(ctx, offset, limit, space_ids=[space.id], top_level=top_level)
