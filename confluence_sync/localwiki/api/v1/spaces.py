"""v1 / Data Center space routes: spaces (create, read, update, archive, delete as a long
task), space content, space properties and space labels."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v1.content import v1
from confluence_sync.localwiki.api.v1.permissions import grants_from_space_create
from confluence_sync.localwiki.api.v1.shapes import (
    Expand,
    entity,
    label_json,
    list_json,
    paging,
    property_json,
    space_json,
)
from confluence_sync.localwiki.web.checks import readable_space, require
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError
from confluence_sync.localwiki.web.numbers import parse_long
from confluence_sync.localwiki.web.routing import CLOUD, DC


def _description(data: dict[str, Any]) -> str | None:
    desc = data.get("description")
    if desc is None:
        return None
    if isinstance(desc, dict):
        plain = desc.get("plain") or desc.get("view") or {}
        return str(plain.get("value", "")) if isinstance(plain, dict) else ""
    return str(desc)


SPACES = "/rest/api/space"  # _links.collection of a space answer


# Space reads still answer on Cloud sites whose v1 content routes are gone (reference §1).
@v1.route("/space", ["GET"])
def list_spaces(ctx: Ctx) -> Response:
    start, limit = paging(ctx, default=25, cap=500)
    keys = [k for item in ctx.request.args.getlist("spaceKey") for k in item.split(",") if k]
    spaces = [
        s
        for s in ctx.store.spaces(keys=keys, type=ctx.arg("type"), status=ctx.arg("status"))
        if ctx.store.can(ctx.user, s.id, "read", "space")
    ]
    expand = Expand(ctx.arg("expand"))
    results = [space_json(ctx, s, expand) for s in spaces[start : start + limit]]
    return respond(
        list_json(ctx, results, start=start, limit=limit, more=len(spaces) > start + limit)
    )


def _create_space(ctx: Ctx, private: bool) -> Response:
    data = ctx.body_dict()
    key, name = data.get("key"), data.get("name")
    if not isinstance(key, str) or not isinstance(name, str):
        raise ApiError(400, "key and name are required to create a space")
    grants = None
    # Cloud: "if permissions are provided, the space is created with only the provided set of
    # permissions, not including the default space permissions" (cloud-v1.json SpaceCreate).
    # Data Center documents no permissions in a create (dc-10.0.3.json createSpace takes a
    # Space, whose ``permissions`` is the read-only expansion): ignored, defaults apply.
    if ctx.cloud and data.get("permissions") is not None and not private:
        grants = grants_from_space_create(ctx, data["permissions"])
    if ctx.user is None:
        raise ApiError(403, "Anonymous users may not create spaces")
    space = ctx.store.create_space(
        key=key,
        name=name,
        creator=ctx.user,
        description=_description(data) or "",
        permissions=grants,
        private=private,
    )
    return respond(
        entity(ctx, space_json(ctx, space, Expand("description.plain,homepage")), SPACES)
    )


@v1.route("/space", ["POST"])
def create_space(ctx: Ctx) -> Response:
    return _create_space(ctx, private=False)


@v1.route("/space/_private", ["POST"])
def create_private_space(ctx: Ctx) -> Response:
    return _create_space(ctx, private=True)


@v1.route("/space/<key>", ["GET"])
def get_space(ctx: Ctx, key: str) -> Response:
    space = readable_space(ctx, key)
    return respond(entity(ctx, space_json(ctx, space, Expand(ctx.arg("expand"))), SPACES))


def _homepage_id(raw: Any) -> int | None:
    if not raw:
        return None
    number = parse_long(raw)
    if number is None:
        raise ApiError(400, "homepage.id must be a content id")
    return number


@v1.route("/space/<key>", ["PUT"])
def update_space(ctx: Ctx, key: str) -> Response:
    space = readable_space(ctx, key)
    require(ctx, space.id, "administer", "space")
    data = ctx.body_dict()
    home = (data.get("homepage") or {}).get("id")
    # Both specs type status as a string; a space is current or archived.
    if data.get("status") not in (None, "current", "archived"):
        raise ApiError(400, "status must be current or archived")
    updated = ctx.store.update_space(
        space.key,
        name=data.get("name"),
        description=_description(data),
        homepage_id=_homepage_id(home),
        status=data.get("status"),
    )
    return respond(
        entity(ctx, space_json(ctx, updated, Expand("description.plain,homepage")), SPACES)
    )


@v1.route("/space/<key>", ["DELETE"])
def delete_space(ctx: Ctx, key: str) -> Response:
    space = readable_space(ctx, key)
    if not ctx.store.can(ctx.user, space.id, "administer", "space"):
        raise ApiError(404 if not ctx.cloud else 403, f"You may not delete space {key}")
    task = ctx.store.delete_space(space.key)
    status = f"{ctx.base}/rest/api/longtask/{task.id}"
    if ctx.cloud:
        body: dict[str, Any] = {
            "ari": f"ari:cloud:confluence::task/{task.id}",
            "id": task.id,
            "links": {"status": status},
        }
    else:
        body = {
            "id": task.id,
            "links": {"status": status, "result": status},
            "statusPath": f"/rest/api/longtask/{task.id}",
            "resultPath": f"/rest/api/longtask/{task.id}",
        }
    return respond(body, 202)


@v1.route("/space/<key>/archive", ["PUT"], flavours=DC)
def archive_space(ctx: Ctx, key: str) -> Response:
    space = readable_space(ctx, key)
    require(ctx, space.id, "administer", "space")
    ctx.store.update_space(space.key, status="archived")
    return respond(None, 204)


@v1.route("/space/<key>/restore", ["PUT"], flavours=DC)
def restore_space(ctx: Ctx, key: str) -> Response:
    space = readable_space(ctx, key)
    require(ctx, space.id, "administer", "space")
    ctx.store.update_space(space.key, status="current")
    return respond(None, 204)


@v1.route("/space/<key>/content", ["GET"], gone_on_cloud=True)
def space_content(ctx: Ctx, key: str) -> Response:
    return _space_content(ctx, key, "page", envelope=True)


@v1.route("/space/<key>/content/<content_type>", ["GET"], gone_on_cloud=True)
def space_content_by_type(ctx: Ctx, key: str, content_type: str) -> Response:
    return _space_content(ctx, key, content_type, envelope=False)


def _space_content(ctx: Ctx, key: str, content_type: str, *, envelope: bool) -> Response:
    from confluence_sync.localwiki.api.v1.shapes import content_json

    space = readable_space(ctx, key)
    start, limit = paging(ctx)
    pages = ctx.store.find_pages(
        space_ids=[space.id],
        types=(content_type,),
        offset=start,
        limit=limit + 1,
        top_level=ctx.arg("depth") == "root",
    )
    expand = Expand(ctx.arg("expand"))
    body = list_json(
        ctx,
        [content_json(ctx, p, expand) for p in pages[:limit]],
        start=start,
        limit=limit,
        more=len(pages) > limit,
    )
    return respond(
        {content_type: body, "_links": {"base": ctx.base, "context": ctx.context}}
        if envelope
        else body
    )


# -- space properties --------------------------------------------------------------------
@v1.route("/space/<key>/property", ["GET"], gone_on_cloud=True)
def list_space_properties(ctx: Ctx, key: str) -> Response:
    space = readable_space(ctx, key)
    start, limit = paging(ctx, default=10)
    props = ctx.store.properties("space", space.id)
    results = [property_json(ctx, p, f"space/{space.key}") for p in props[start : start + limit]]
    return respond(
        list_json(ctx, results, start=start, limit=limit, more=len(props) > start + limit)
    )


def _create_space_property(ctx: Ctx, key: str, prop_key: str | None) -> Response:
    space = readable_space(ctx, key)
    require(ctx, space.id, "create", "page")
    data = ctx.body_dict()
    prop_key = prop_key or data.get("key")
    if not isinstance(prop_key, str) or "value" not in data:
        raise ApiError(400, "key and value are required")
    prop = ctx.store.create_property("space", space.id, prop_key, data["value"], ctx.username)
    return respond(entity(ctx, property_json(ctx, prop, f"space/{space.key}")))


@v1.route("/space/<key>/property", ["POST"], gone_on_cloud=True)
def create_space_property(ctx: Ctx, key: str) -> Response:
    return _create_space_property(ctx, key, None)


@v1.route("/space/<key>/property/<prop_key>", ["POST"], gone_on_cloud=True)
def create_space_property_for_key(ctx: Ctx, key: str, prop_key: str) -> Response:
    return _create_space_property(ctx, key, prop_key)


@v1.route("/space/<key>/property/<prop_key>", ["GET"], gone_on_cloud=True)
def get_space_property(ctx: Ctx, key: str, prop_key: str) -> Response:
    space = readable_space(ctx, key)
    prop = ctx.store.property("space", space.id, prop_key)
    if prop is None:
        raise ApiError(404, f"No property found with key: {prop_key}")
    return respond(entity(ctx, property_json(ctx, prop, f"space/{space.key}")))


@v1.route("/space/<key>/property/<prop_key>", ["PUT"], gone_on_cloud=True)
def update_space_property(ctx: Ctx, key: str, prop_key: str) -> Response:
    space = readable_space(ctx, key)
    require(ctx, space.id, "create", "page")
    data = ctx.body_dict()
    number = (data.get("version") or {}).get("number")
    if not isinstance(number, int) or "value" not in data:
        raise ApiError(400, "value and version.number are required")
    # Both specs (Cloud v1, DC 10): version 1 on a missing key creates the property.
    prop = ctx.store.update_property(
        "space", space.id, prop_key, data["value"], number, ctx.username, create_missing=True
    )
    return respond(entity(ctx, property_json(ctx, prop, f"space/{space.key}")))


@v1.route("/space/<key>/property/<prop_key>", ["DELETE"], gone_on_cloud=True)
def delete_space_property(ctx: Ctx, key: str, prop_key: str) -> Response:
    space = readable_space(ctx, key)
    require(ctx, space.id, "create", "page")
    ctx.store.delete_property("space", space.id, prop_key)
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


# -- trash (DC: cursor-paged listing and emptying; space admins only) ----------------------
@v1.route("/space/<key>/trash", ["GET"], flavours=DC)
def space_trash(ctx: Ctx, key: str) -> Response:
    from urllib.parse import urlencode

    from confluence_sync.localwiki.api.v1.shapes import content_json

    space = readable_space(ctx, key)
    require(ctx, space.id, "administer", "space")
    limit = min(max(ctx.int_arg("limit", 25), 1), 200)
    cursor = ctx.arg("cursor") or ""
    # Cursors look like Confluence's ("cursortype:false:<last id>"): resume after that id.
    after = parse_long(cursor.rsplit(":", 1)[-1])
    pages = ctx.store.find_pages(
        space_ids=[space.id],
        statuses=("trashed",),
        types=("page", "blogpost"),
        after_id=after,
        limit=limit + 1,
    )
    expand = Expand(ctx.arg("expand"))
    window = pages[:limit]
    links: dict[str, Any] = {
        "base": ctx.base,
        "context": ctx.context,
        "self": f"{ctx.base}/rest/api/space/{space.key}/trash",
    }
    body: dict[str, Any] = {
        "results": [content_json(ctx, p, expand) for p in window],
        "limit": limit,
        "size": len(window),
        "cursor": cursor,
    }
    if len(pages) > limit:
        body["nextCursor"] = f"cursortype:false:{window[-1].id}"
        query = urlencode({"limit": limit, "cursor": body["nextCursor"]})
        links["next"] = f"{ctx.base}/rest/api/space/{space.key}/trash?{query}"
    body["_links"] = links
    return respond(body)


@v1.route("/space/<key>/trash", ["DELETE"], flavours=DC)
def empty_trash(ctx: Ctx, key: str) -> Response:
    space = readable_space(ctx, key)
    require(ctx, space.id, "administer", "space")
    while trashed := ctx.store.find_pages(
        space_ids=[space.id], statuses=("trashed",), types=("page", "blogpost"), limit=200
    ):
        for page in trashed:
            ctx.store.purge_page(page.id)
    return respond(None, 204)
