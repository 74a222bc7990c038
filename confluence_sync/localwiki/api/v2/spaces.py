"""Cloud v2 space routes (``/wiki/api/v2/spaces``): list, create (with role assignments on a
tenant with roles) and read spaces, and a space's permissions (with its roles past
PRE_ROLES). A space's pages are listed in ``pages``, its labels in ``labels``, its role
assignments in ``roles``.

Imports: ``web`` (ctx, checks), ``api.v2`` (table, shapes, params, roles), the store's roles.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v2.params import id_list
from confluence_sync.localwiki.api.v2.roles import assignments_from, role_permission_entries
from confluence_sync.localwiki.api.v2.shapes import paged, space_v2
from confluence_sync.localwiki.api.v2.table import v2
from confluence_sync.localwiki.store.roles import ADMIN_ROLE, default_assignments
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
    description = str(desc.get("value", "")) if isinstance(desc, dict) else ""
    if ctx.user is None:
        raise ApiError(404, "Anonymous users may not create spaces")
    given = data.get("roleAssignments")
    if given is not None or data.get("createPrivateSpace") or ctx.options.roles_only:
        assignments = space_roles(ctx, given, private=data.get("createPrivateSpace") is True)
        space = ctx.store.create_space_with_roles(
            key=key, name=name, creator=ctx.user, description=description, assignments=assignments
        )
    else:
        space = ctx.store.create_space(
            key=key, name=name, creator=ctx.user, description=description
        )
    return respond(space_v2(ctx, space, single=True), 201)


def space_roles(ctx: Ctx, given: Any, *, private: bool) -> list[tuple[str, str, str]]:
    """The role assignments of a new space (cloud-v2-2026-04.json ``roleAssignments``):
    "If roles are provided, the space is created with exactly the provided set of roles ...
    At least one Admin role assignment must be specified"; else the default roles, or the
    creator alone for a private space (``store.roles.default_assignments``)."""
    if not ctx.options.roles_available:
        raise ApiError(400, "Role assignments are not available on this site (no space roles)")
    assert ctx.user is not None  # the route refused anonymous callers
    if private or given is None:
        return default_assignments(ctx.user, private=private)
    assignments = [
        (kind, principal, role or "")
        for kind, principal, role in assignments_from(ctx, given, removals=False)
    ]
    if not any(role == ADMIN_ROLE for _, _, role in assignments):
        raise ApiError(400, "At least one Admin role assignment must be specified")
    return assignments


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
    if ctx.options.roles_available:
        out += role_permission_entries(ctx, space)
    return paged(ctx, out)
