"""Cloud v2 space routes (``/wiki/api/v2/spaces``): list, create and read spaces, and a
space's permissions. A space's pages are listed in ``pages``, its labels in ``labels``.

Imports: ``web`` (ctx, checks), ``api.v2`` (table, shapes, params).
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v2.params import id_list
from confluence_sync.localwiki.api.v2.shapes import paged, space_v2
from confluence_sync.localwiki.api.v2.table import v2
from confluence_sync.localwiki.web.checks import can_read, readable_space_id
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError


@v2.route("/spaces", ["GET"])
def list_spaces(ctx: Ctx) -> Response:
    spaces = [
        s
        for s in ctx.store.spaces(
            keys=ctx.list_arg("keys"),
            ids=id_list(ctx, "ids"),
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


@v2.route("/spaces/<int:space_id>/permissions", ["GET"])
def space_permissions(ctx: Ctx, space_id: int) -> Response:
    space = readable_space_id(ctx, space_id)
    out: list[dict[str, Any]] = []
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
