"""v1 / Data Center space routes: spaces (list, create — also private —, read, update,
archive and restore, delete as a long task), a space's content and (DC) its trash. A space's
labels, properties and permissions are in ``labels``, ``properties`` and ``permissions``.

Imports: ``web`` (ctx, checks, errors, numbers, routing), ``api.v1`` (table, shapes,
permissions for the grants of a Cloud create).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v1.permissions import (
    grants_from_space_create,
    refuse_in_roles_mode,
)
from confluence_sync.localwiki.api.v1.shapes import (
    Expand,
    content_json,
    entity,
    list_json,
    paging,
    space_json,
)
from confluence_sync.localwiki.api.v1.table import v1
from confluence_sync.localwiki.store.roles import default_assignments
from confluence_sync.localwiki.web.checks import readable_space, require
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError
from confluence_sync.localwiki.web.numbers import parse_long
from confluence_sync.localwiki.web.routing import DC


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
    keys = ctx.list_arg("spaceKey")
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
    if ctx.user is None:
        raise ApiError(403, "Anonymous users may not create spaces")
    grants = None
    # Cloud: "if permissions are provided, the space is created with only the provided set of
    # permissions, not including the default space permissions" (cloud-v1.json SpaceCreate);
    # the creator only if listed (``grants_from_space_create`` says why). ``_private`` is
    # "the same as the Create space method with permissions set to the current user only":
    # a list sent to it does not change that.
    # Data Center, every release: no permissions in a create. dc-10.0.3.json createSpace
    # takes a ``Space``, whose ``permissions`` is the read-only expansion, and the REST
    # docs of 7.x–10.x describe the body as key, name and description; DC's
    # ``SpaceServiceImpl.create`` reads only those three before ``spaceManager.createSpace``
    # / ``createPrivateSpace`` (decompiled com.atlassian.confluence.api.impl.service.content
    # .SpaceServiceImpl). A list sent there is ignored and the defaults (or, private, the
    # creator's rights) apply — also before 9.1, which has no REST space permissions at all.
    if ctx.cloud and data.get("permissions") is not None and not private:
        grants = grants_from_space_create(ctx, data["permissions"])
    if ctx.options.roles_only:  # access comes as roles: defaults, or the creator alone
        if grants is not None:
            refuse_in_roles_mode(ctx)
        space = ctx.store.create_space_with_roles(
            key=key,
            name=name,
            creator=ctx.user,
            description=_description(data) or "",
            assignments=default_assignments(ctx.user, private=private),
        )
        return respond(
            entity(ctx, space_json(ctx, space, Expand("description.plain,homepage")), SPACES)
        )
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


def _set_status(ctx: Ctx, key: str, status: str) -> Response:
    space = readable_space(ctx, key)
    require(ctx, space.id, "administer", "space")
    ctx.store.update_space(space.key, status=status)
    return respond(None, 204)


@v1.route("/space/<key>/archive", ["PUT"], flavours=DC)
def archive_space(ctx: Ctx, key: str) -> Response:
    return _set_status(ctx, key, "archived")


@v1.route("/space/<key>/restore", ["PUT"], flavours=DC)
def restore_space(ctx: Ctx, key: str) -> Response:
    return _set_status(ctx, key, "current")


@v1.route("/space/<key>/content", ["GET"], gone_on_cloud=True)
def space_content(ctx: Ctx, key: str) -> Response:
    return _space_content(ctx, key, "page", envelope=True)


@v1.route("/space/<key>/content/<content_type>", ["GET"], gone_on_cloud=True)
def space_content_by_type(ctx: Ctx, key: str, content_type: str) -> Response:
    return _space_content(ctx, key, content_type, envelope=False)


def _space_content(ctx: Ctx, key: str, content_type: str, *, envelope: bool) -> Response:
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


# -- trash (DC: cursor-paged listing and emptying; space admins only) ----------------------
@v1.route("/space/<key>/trash", ["GET"], flavours=DC)
def space_trash(ctx: Ctx, key: str) -> Response:
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
