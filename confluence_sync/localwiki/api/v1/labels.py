"""v1 / Data Center labels of pages (``/content/{id}/label``: list, add, remove) and of spaces
(Cloud ``/space/{key}/label`` read and written, DC ``/space/{key}/labels`` read).

Label writes stay alive on a Cloud site whose v1 content routes are gone (v2 has none).

Imports: ``web`` (ctx, checks, errors, routing) and ``api.v1`` (table, shapes).
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v1.shapes import label_json, list_json, paging
from confluence_sync.localwiki.api.v1.table import v1
from confluence_sync.localwiki.web.checks import readable_page, readable_space, require
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError
from confluence_sync.localwiki.web.routing import CLOUD, DC


# -- page labels -------------------------------------------------------------------------
def _labels_response(ctx: Ctx, page_id: int) -> Response:
    start, limit = paging(ctx, default=200)
    labels = ctx.store.labels("content", page_id, ctx.arg("prefix"))
    window = [label_json(x) for x in labels[start : start + limit]]
    return respond(
        list_json(ctx, window, start=start, limit=limit, more=len(labels) > start + limit)
    )


@v1.route("/content/<int:page_id>/label", ["GET"], gone_on_cloud=True)
def get_labels(ctx: Ctx, page_id: int) -> Response:
    readable_page(ctx, page_id)
    return _labels_response(ctx, page_id)


@v1.route("/content/<int:page_id>/label", ["POST"])
def add_labels(ctx: Ctx, page_id: int) -> Response:
    page = readable_page(ctx, page_id)
    require(ctx, page.space_id, "create", page.type)
    data = ctx.json()
    items = data if isinstance(data, list) else [data]
    pairs = []
    for item in items:
        if not isinstance(item, dict) or not item.get("name"):
            raise ApiError(400, "Each label needs a name")
        pairs.append((str(item.get("prefix") or "global"), str(item["name"])))
    ctx.store.add_labels("content", page_id, pairs)
    return _labels_response(ctx, page_id)


@v1.route("/content/<int:page_id>/label", ["DELETE"])
def remove_label_by_query(ctx: Ctx, page_id: int) -> Response:
    return _remove_label(ctx, page_id, ctx.arg("name") or "")


@v1.route("/content/<int:page_id>/label/<path:label>", ["DELETE"])
def remove_label(ctx: Ctx, page_id: int, label: str) -> Response:
    if "/" in label:
        raise ApiError(400, "Label names cannot contain '/'; use ?name= instead")
    return _remove_label(ctx, page_id, label)


def _remove_label(ctx: Ctx, page_id: int, name: str) -> Response:
    page = readable_page(ctx, page_id)
    require(ctx, page.space_id, "create", page.type)
    if not ctx.store.remove_label("content", page_id, name):
        raise ApiError(404, f"Label {name} is not on content {page_id}")
    return respond(None, 204)


# -- space labels ------------------------------------------------------------------------
@v1.route("/space/<key>/label", ["GET"], flavours=CLOUD)
@v1.route("/space/<key>/labels", ["GET"], flavours=DC)
def space_labels(ctx: Ctx, key: str) -> Response:
    space = readable_space(ctx, key)
    labels = [label_json(x) for x in ctx.store.labels("space", space.id)]
    return respond(list_json(ctx, labels, start=0, limit=200, more=False))


@v1.route("/space/<key>/label", ["POST"], flavours=CLOUD)
def add_space_labels(ctx: Ctx, key: str) -> Response:
    space = readable_space(ctx, key)
    require(ctx, space.id, "administer", "space")
    data = ctx.json()
    items = data if isinstance(data, list) else [data]
    ctx.store.add_labels(
        "space",
        space.id,
        [(str(i.get("prefix") or "global"), str(i["name"])) for i in items if isinstance(i, dict)],
    )
    return space_labels(ctx, key)


@v1.route("/space/<key>/label", ["DELETE"], flavours=CLOUD)
def remove_space_label(ctx: Ctx, key: str) -> Response:
    space = readable_space(ctx, key)
    require(ctx, space.id, "administer", "space")
    ctx.store.remove_label("space", space.id, ctx.arg("name") or "")
    return respond(None, 204)
