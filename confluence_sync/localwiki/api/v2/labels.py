"""Cloud v2 label routes: a page's and a space's labels (``/pages/{id}/labels``,
``/spaces/{id}/labels``), every label (``/labels``) and the pages that carry one. v2 has no
label writes: clients write labels through v1.

Imports: ``web`` (ctx, checks), ``api.v2`` (table, shapes, params).
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v2.params import id_list
from confluence_sync.localwiki.api.v2.shapes import label_v2, page_v2, paged
from confluence_sync.localwiki.api.v2.table import v2
from confluence_sync.localwiki.web.checks import can_read, readable_page, readable_space_id
from confluence_sync.localwiki.web.ctx import Ctx
from confluence_sync.localwiki.web.errors import ApiError


@v2.route("/pages/<int:page_id>/labels", ["GET"])
def page_labels(ctx: Ctx, page_id: int) -> Response:
    readable_page(ctx, page_id)
    labels = ctx.store.labels("content", page_id, ctx.arg("prefix"))
    return paged(ctx, [label_v2(x) for x in labels])


@v2.route("/spaces/<int:space_id>/labels", ["GET"])
def space_labels(ctx: Ctx, space_id: int) -> Response:
    space = readable_space_id(ctx, space_id)
    return paged(ctx, [label_v2(x) for x in ctx.store.labels("space", space.id)])


@v2.route("/labels", ["GET"])
def labels(ctx: Ctx) -> Response:
    found = ctx.store.all_labels()
    wanted = set(id_list(ctx, "label-id"))
    prefixes = set(ctx.list_arg("prefix"))
    found = [
        x
        for x in found
        if (not wanted or x.id in wanted) and (not prefixes or x.prefix in prefixes)
    ]
    return paged(ctx, [label_v2(x) for x in found])


@v2.route("/labels/<int:label_id>/pages", ["GET"])
def label_pages(ctx: Ctx, label_id: int) -> Response:
    match = [x for x in ctx.store.all_labels() if x.id == label_id]
    if not match:
        raise ApiError(404, f"No label with id {label_id}")
    ids = sorted(ctx.store.pages_with_label(match[0].name))
    pages = [
        p
        for p in (ctx.store.page(i) for i in ids)
        if p is not None and p.status == "current" and can_read(ctx, p.space_id)
    ]
    return paged(ctx, [page_v2(ctx, p) for p in pages])
