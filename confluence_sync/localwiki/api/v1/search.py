"""CQL search: ``/content/search`` (Content results) and ``/search`` (wrapped results).

Search here is exact and immediate (no index lag). Cloud's ``content/search`` pages with a
cursor, DC's with ``start``; invalid CQL is 400, except DC ``content/search`` which documents 404.

Imports: ``web`` (ctx, errors, numbers), ``api.v1`` (table, shapes), ``rules`` (cql, storage
format) and the store.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v1.content import BODY_CAP
from confluence_sync.localwiki.api.v1.shapes import Expand, content_json, list_json, paging
from confluence_sync.localwiki.api.v1.table import v1
from confluence_sync.localwiki.rules import cql, storage_format
from confluence_sync.localwiki.rules.cql_pages import PageCandidate
from confluence_sync.localwiki.store.model import Page
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError
from confluence_sync.localwiki.web.numbers import encode_cursor


def run_query(ctx: Ctx, text: str, *, not_found_on_error: bool = False) -> list[Page]:
    """All readable current content matching the CQL, in query order (default: by id)."""
    try:
        query = cql.parse(text)
    except cql.CqlError as error:
        message = f"com.atlassian.confluence.api.service.exceptions.BadRequestException: {error}"
        raise ApiError(404 if not_found_on_error else 400, message) from None
    store = ctx.store
    keys = cql.narrowing(query.where, "space") or cql.narrowing(query.where, "space.key")
    spaces = [
        s for s in store.spaces(keys=list(keys or ())) if store.can(ctx.user, s.id, "read", "space")
    ]
    if not spaces:
        return []
    types = cql.narrowing(query.where, "type") or ("page", "blogpost")
    titles = cql.narrowing(query.where, "title")
    pages: list[Page] = []
    title_filters: list[str | None] = list(titles) if titles else [None]
    for title in title_filters:
        pages += store.find_pages(
            space_ids=[s.id for s in spaces], types=tuple(types), title=title, limit=1_000_000
        )
    label_hits = cql.narrowing(query.where, "label")
    if label_hits:
        allowed = set().union(*(store.pages_with_label(n) for n in label_hits))
        pages = [p for p in pages if p.id in allowed]
    hits = [p for p in pages if cql.evaluate(query.where, PageCandidate(store, p))]
    for name, descending in reversed(query.order_by):
        key = {
            "title": lambda p: p.title,
            "created": lambda p: p.created_at,
            "lastmodified": lambda p: p.updated_at,
        }.get(name, lambda p: p.id)
        hits.sort(key=key, reverse=descending)
    return hits


def _window(ctx: Ctx, expand: Expand) -> tuple[int, int]:
    # Data Center hardcodes the page size by expansion: 50 when bodies are expanded, 200
    # otherwise (confluence.atlassian.com/confkb/searching-for-content-with-the-rest-api-and-
    # cql-always-limits-results-to-50-1032258424.html); its 1,000 without any expansion is
    # not granted here (stricter). The same rule as the /content listing (content.py).
    cap = (BODY_CAP if expand.has("body") else 200) if not ctx.cloud else 250
    start, limit = paging(ctx, default=25, cap=cap)
    cursor = ctx.cursor_arg()
    if cursor is not None:
        start = cursor
    return start, limit


def _with_cursor(ctx: Ctx, body: dict[str, Any], start: int, limit: int, more: bool) -> None:
    """Cloud pages CQL with a cursor; rewrite the offset links the helper made."""
    if not ctx.cloud:
        return
    links = body["_links"]
    path = ctx.request.path[len(ctx.context) :]
    args = [
        (k, v)
        for k, v in ctx.request.args.items(multi=True)
        if k not in ("start", "cursor", "limit")
    ]
    links.pop("prev", None)
    links.pop("next", None)
    if more:
        cursor = encode_cursor(start + limit)
        links["next"] = f"{path}?{urlencode([*args, ('limit', limit), ('cursor', cursor)])}"


@v1.route("/content/search", ["GET"])
def content_search(ctx: Ctx) -> Response:
    hits = run_query(ctx, ctx.arg("cql") or "", not_found_on_error=not ctx.cloud)
    expand = Expand(ctx.arg("expand"))
    start, limit = _window(ctx, expand)
    results = [content_json(ctx, p, expand) for p in hits[start : start + limit]]
    more = len(hits) > start + limit
    body = list_json(ctx, results, start=start, limit=limit, more=more)
    _with_cursor(ctx, body, start, limit, more)
    body["totalSize"] = len(hits)
    body["cqlQuery"] = ctx.arg("cql")
    return respond(body)


@v1.route("/search", ["GET"])
def search(ctx: Ctx) -> Response:
    text = ctx.arg("cql") or ""
    hits = run_query(ctx, text)
    expand = Expand(ctx.arg("expand"))
    start, limit = _window(ctx, expand.sub("content"))
    results = []
    for page in hits[start : start + limit]:
        content = content_json(ctx, page, expand.sub("content"))
        results.append(
            {
                "content": content,
                "title": page.title,
                "excerpt": storage_format.plain_text(page.body)[:200],
                "url": content["_links"]["webui"],
                "resultGlobalContainer": {
                    "title": page.space_key,
                    "displayUrl": f"/spaces/{page.space_key}",
                },
                "breadcrumbs": [],
                "entityType": "content",
                "iconCssClass": "aui-icon content-type-page",
                "lastModified": page.updated_at,
                "friendlyLastModified": page.updated_at,
                "score": 1.0,
            }
        )
    more = len(hits) > start + limit
    body = list_json(ctx, results, start=start, limit=limit, more=more)
    _with_cursor(ctx, body, start, limit, more)
    body.update(totalSize=len(hits), cqlQuery=text, searchDuration=1)
    return respond(body)
