"""Cloud v2 routes (``/wiki/api/v2``): pages, spaces, children, labels and properties.

v2 has no ``expand``; it pages with an opaque cursor (here: base64 of an offset), returns
``_links.next`` including ``/wiki`` and repeats it in a ``Link`` header. Ids are strings.
Writes the caller may not make answer 404, as the v2 spec documents (v1/DC answer 403).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Response

from confluence_sync.localwiki.store.model import Page, Property, Space
from confluence_sync.localwiki.web.checks import can_read, readable_page, readable_space_id
from confluence_sync.localwiki.web.checks import storage_body as _storage
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError
from confluence_sync.localwiki.web.numbers import INT_MAX, V2PathId, parse_int, parse_long
from confluence_sync.localwiki.web.routing import RouteTable

v2 = RouteTable(path_id=V2PathId)
V2_CAP = 250
INCLUDE_CAP = 50
CURSOR_ERROR = "Provided value for 'cursor' is not the correct type. Expected type is Cursor."


def int_param(value: Any, name: str) -> int:
    """An id from a query or body: the v2 spec types them int64 (Java long)."""
    number = parse_long(value)
    if number is None:
        raise ApiError(400, f"Provided value for '{name}' is not the correct type.")
    return number


def decode_cursor(cursor: str) -> int:
    """The offset in one of our cursors; anything else is not a cursor (400)."""
    try:
        offset = parse_int(base64.urlsafe_b64decode(cursor.encode()).decode())
    except ValueError:
        offset = None
    if offset is None or not 0 <= offset <= INT_MAX:
        raise ApiError(400, CURSOR_ERROR)
    return offset


def _window(ctx: Ctx) -> tuple[int, int]:
    limit = min(max(ctx.int_arg("limit", 25), 1), V2_CAP)
    cursor = ctx.arg("cursor")
    return (decode_cursor(cursor) if cursor else 0), limit


def _list(ctx: Ctx, items: Sequence[Any], offset: int, limit: int, more: bool) -> Response:
    links: dict[str, str] = {"base": ctx.base}
    headers: dict[str, str] = {}
    if more:
        cursor = base64.urlsafe_b64encode(str(offset + limit).encode()).decode()
        args = [
            (k, v) for k, v in ctx.request.args.items(multi=True) if k not in ("cursor", "limit")
        ]
        query = urlencode([*args, ("limit", limit), ("cursor", cursor)])
        links["next"] = f"{ctx.request.path}?{query}"
        headers["Link"] = f'<{links["next"]}>; rel="next", <{ctx.base}>; rel="base"'
    return respond({"results": list(items), "_links": links}, headers=headers)


def paged(ctx: Ctx, items: Sequence[Any]) -> Response:
    offset, limit = _window(ctx)
    return _list(ctx, items[offset : offset + limit], offset, limit, len(items) > offset + limit)


def _account(ctx: Ctx, username: str) -> str:
    user = ctx.store.user_by_name(username)
    return user.account_id if user else username


def _version(ctx: Ctx, page: Page) -> dict[str, Any]:
    return {
        "createdAt": page.updated_at,
        "message": page.message,
        "number": page.version,
        "minorEdit": page.minor_edit,
        "authorId": _account(ctx, page.updater),
    }


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
        "authorId": _account(ctx, page.creator),
        "ownerId": _account(ctx, page.creator),
        "lastOwnerId": None,
        "createdAt": page.created_at,
    }
    if not single or ctx.arg("include-version") != "false":
        out["version"] = _version(ctx, page)
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
        if ctx.arg("include-labels") == "true":
            labels = [_label(x) for x in ctx.store.labels("content", page.id)]
            out["labels"] = {
                # "include-*" lists hold at most 50 items; meta.hasMore says more are left
                # (cloud-v2.json GET /pages/{id} include-labels; confluence-api.md §4.2).
                "results": labels[:INCLUDE_CAP],
                "meta": {"hasMore": len(labels) > INCLUDE_CAP, "cursor": ""},
                "_links": {"self": f"/wiki/api/v2/pages/{page.id}/labels"},
            }
        if ctx.arg("include-versions") == "true":
            rows = ctx.store.versions(page.id)
            out["versions"] = {
                "results": [
                    {
                        "createdAt": r["created_at"],
                        "message": r["message"],
                        "number": r["number"],
                        "minorEdit": bool(r["minor_edit"]),
                        "authorId": _account(ctx, r["author"]),
                    }
                    for r in rows
                ],
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
    out["_links"] = {
        "webui": f"/spaces/{page.space_key}/pages/{page.id}",
        "editui": f"/pages/resumedraft.action?draftId={page.id}",
        "edituiv2": f"/spaces/{page.space_key}/pages/edit-v2/{page.id}",
        "tinyui": f"/x/{page.id}",
    }
    if single:
        # The v2 spec's 200 answers of every single-entity read and write add `_links.base`
        # to the entity (allOf [...Single, {_links: {base}}]); list elements have none, their
        # list carries it. Captured page answers (text2confl, see views_v1.page_links) agree.
        out["_links"]["base"] = ctx.base
    return out


def _label(label: Any) -> dict[str, Any]:
    return {"id": str(label.id), "name": label.name, "prefix": label.prefix}


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
            "authorId": _account(ctx, prop.author),
        },
    }


def space_v2(ctx: Ctx, space: Space, *, single: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(space.id),
        "key": space.key,
        "name": space.name,
        "type": space.type,
        "status": space.status,
        "authorId": _account(ctx, space.creator),
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


def _statuses(ctx: Ctx, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = [v for item in ctx.request.args.getlist("status") for v in item.split(",") if v]
    return tuple(raw) or default


def _sort(ctx: Ctx) -> str:
    sort = ctx.arg("sort") or "id"
    if sort not in (
        "id",
        "-id",
        "title",
        "-title",
        "created-date",
        "-created-date",
        "modified-date",
        "-modified-date",
    ):
        raise ApiError(400, f"Provided value for 'sort' is not valid: {sort}")
    return sort


def _csv(ctx: Ctx, name: str) -> list[str]:
    return [v for item in ctx.request.args.getlist(name) for v in item.split(",") if v]


def require_writable(ctx: Ctx, space_id: int, op: str = "create", target: str = "page") -> None:
    if not ctx.store.can(ctx.user, space_id, op, target):
        raise ApiError(404, "The space does not exist or you may not change content in it")


def _body_value(data: dict[str, Any]) -> str | None:
    body = data.get("body")
    if not isinstance(body, dict):
        return None
    if "storage" in body and isinstance(body["storage"], dict):
        body = body["storage"]
    representation = body.get("representation", "storage")
    if representation not in ("storage", "editor"):
        raise ApiError(400, f"Unsupported body representation: {representation}")
    return _storage(body.get("value", ""))


def _page_ids_filter(ctx: Ctx) -> list[int]:
    return [int_param(v, "id") for v in _csv(ctx, "id")]


@v2.route("/pages", ["GET"])
def list_pages(ctx: Ctx) -> Response:
    offset, limit = _window(ctx)
    wanted = [int_param(v, "space-id") for v in _csv(ctx, "space-id")]
    spaces = [s for s in ctx.store.spaces(ids=wanted) if can_read(ctx, s.id)]
    pages = ctx.store.find_pages(
        space_ids=[s.id for s in spaces] or [-1],
        ids=_page_ids_filter(ctx),
        title=ctx.arg("title"),
        statuses=_statuses(ctx, ("current", "archived")),
        offset=offset,
        limit=limit + 1,
        order=_sort(ctx),
    )
    return _list(ctx, [page_v2(ctx, p) for p in pages[:limit]], offset, limit, len(pages) > limit)


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
    statuses = _statuses(ctx, ("current", "archived", "trashed", "draft"))
    page = readable_page(ctx, page_id, statuses)
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


@v2.route("/pages/<int:page_id>/labels", ["GET"])
def page_labels(ctx: Ctx, page_id: int) -> Response:
    readable_page(ctx, page_id)
    labels = ctx.store.labels("content", page_id, ctx.arg("prefix"))
    return paged(ctx, [_label(x) for x in labels])


@v2.route("/pages/<int:page_id>/versions", ["GET"])
def page_versions(ctx: Ctx, page_id: int) -> Response:
    readable_page(ctx, page_id, ("current", "trashed", "draft"))
    rows = ctx.store.versions(page_id)
    return paged(
        ctx,
        [
            {
                "createdAt": r["created_at"],
                "message": r["message"],
                "number": r["number"],
                "minorEdit": bool(r["minor_edit"]),
                "authorId": _account(ctx, r["author"]),
            }
            for r in rows
        ],
    )


# -- spaces ------------------------------------------------------------------------------
@v2.route("/spaces", ["GET"])
def list_spaces(ctx: Ctx) -> Response:
    ids = [int_param(v, "ids") for v in _csv(ctx, "ids")]
    spaces = [
        s
        for s in ctx.store.spaces(
            keys=_csv(ctx, "keys"),
            ids=ids,
            type=ctx.arg("type"),
            status=ctx.arg("status"),
            order="id",
        )
        if can_read(ctx, s.id)
    ]
    return paged(ctx, [space_v2(ctx, s) for s in spaces])


@v2.route("/spaces", ["POST"])
def create_space(ctx: Ctx) -> Response:
    data = ctx.body_dict()
    key = data.get("key") or data.get("alias")
    name = data.get("name")
    if not isinstance(key, str) or not isinstance(name, str):
        raise ApiError(400, "name and key (or alias) are required")
    desc = data.get("description") or {}
    if ctx.user is None:
        raise ApiError(404, "Anonymous users may not create spaces")
    space = ctx.store.create_space(
        key=key, name=name, creator=ctx.user, description=str(desc.get("value", ""))
    )
    return respond(space_v2(ctx, space, single=True), 201)


@v2.route("/spaces/<int:space_id>", ["GET"])
def get_space(ctx: Ctx, space_id: int) -> Response:
    return respond(space_v2(ctx, readable_space_id(ctx, space_id), single=True))


@v2.route("/spaces/<int:space_id>/pages", ["GET"])
def space_pages(ctx: Ctx, space_id: int) -> Response:
    space = readable_space_id(ctx, space_id)
    offset, limit = _window(ctx)
    pages = ctx.store.find_pages(
        space_ids=[space.id],
        title=ctx.arg("title"),
        statuses=_statuses(ctx, ("current", "archived")),
        offset=offset,
        limit=limit + 1,
        order=_sort(ctx),
        top_level=ctx.arg("depth") == "root",
    )
    return _list(ctx, [page_v2(ctx, p) for p in pages[:limit]], offset, limit, len(pages) > limit)


@v2.route("/spaces/<int:space_id>/labels", ["GET"])
def space_labels(ctx: Ctx, space_id: int) -> Response:
    space = readable_space_id(ctx, space_id)
    return paged(ctx, [_label(x) for x in ctx.store.labels("space", space.id)])


@v2.route("/spaces/<int:space_id>/permissions", ["GET"])
def space_permissions(ctx: Ctx, space_id: int) -> Response:
    space = readable_space_id(ctx, space_id)
    out = []
    for perm in ctx.store.permissions(space.id):
        if perm.subject_type == "user":
            user = ctx.store.user_by_id(int(perm.subject))
            principal = {"type": "user", "id": user.account_id if user else perm.subject}
        elif perm.subject_type == "group":
            group = ctx.store.group_by_name(perm.subject)
            principal = {"type": "group", "id": group.id if group else perm.subject}
        else:
            principal = {"type": "user", "id": "anonymous"}
        out.append(
            {
                "id": str(perm.id),
                "principal": principal,
                "operation": {"key": perm.operation, "targetType": perm.target},
            }
        )
    return paged(ctx, out)


@v2.route("/labels", ["GET"])
def labels(ctx: Ctx) -> Response:
    found = ctx.store.all_labels()
    wanted = {int_param(v, "label-id") for v in _csv(ctx, "label-id")}
    prefixes = set(_csv(ctx, "prefix"))
    found = [
        x
        for x in found
        if (not wanted or x.id in wanted) and (not prefixes or x.prefix in prefixes)
    ]
    return paged(ctx, [_label(x) for x in found])


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
