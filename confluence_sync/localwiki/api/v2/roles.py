"""Cloud v2 space roles (cloud-v2-2026-04.json, tag "Space Roles"): the tenant's space-role
mode, the system roles, and a space's role assignments (read, and set as the payload says).

Modes (``Options.space_role_mode``), as Atlassian names them
(support.atlassian.com/confluence-cloud/docs/what-to-expect-from-roles-when-migrating-confluence-data):
"Pre roles mode is the current granular permissions experience where only granular
permissions can be used"; "Roles transition mode is where both granular permissions AND roles
can be used"; "Roles only mode ... roles are the only way to manage access" (new sites since
Nov 2025: community.atlassian.com "A new phase of role-based access": "There won't be an option
to assign any access with individual permissions, without a role").

``GET /space-role-mode`` answers every mode, PRE_ROLES included: its enum names PRE_ROLES and
no source shows a tenant without roles answering otherwise. The other routes are "available on
tenants with Role-Based Access Control": before roles they answer 404, as an absent feature
does (no source says; the stricter choice). Setting assignments needs space admin (spec:
"Permission to manage roles in the space"; 404 without it, as documented). For each entry
"if roleId is provided the principal is assigned to that role. If roleId is omitted, the
role assignment for that principal is removed, if it exists" (the spec of 2026-06 as
sofq/confluence-cli#46 and confluence.js ``setSpaceRoleAssignments`` quote it; the workaround
of CONFCLOUD-83797 relies on it). A payload is checked whole before anything changes.

Imports: ``web`` (ctx, checks, errors), ``api.v2`` (table, shapes) and the store's roles.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v2.shapes import paged
from confluence_sync.localwiki.api.v2.table import v2
from confluence_sync.localwiki.store.model import Space
from confluence_sync.localwiki.store.roles import (
    ACCESS_CLASSES,
    PRINCIPAL_TYPES,
    SYSTEM_ROLES,
    RoleAssignment,
    SpaceRole,
    role_by_id,
)
from confluence_sync.localwiki.web.checks import readable_space_id
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError
from confluence_sync.localwiki.web.routing import CLOUD

SPACE_ROLE_MODES = ("PRE_ROLES", "ROLES_TRANSITION", "ROLES")


def _with_roles(ctx: Ctx) -> None:
    if not ctx.options.roles_available:
        raise ApiError(404, "Space roles are not available on this site")


def role_json(role: SpaceRole) -> dict[str, Any]:
    return {
        "id": role.id,
        "type": "SYSTEM",
        "name": role.name,
        "description": role.description,
        "spacePermissions": list(role.permissions),
    }


def principal_json(ctx: Ctx, assignment: RoleAssignment) -> dict[str, str]:
    """A stored principal as v2 names it: a user by account id, a group by its id."""
    principal = assignment.principal
    if assignment.principal_type == "USER":
        user = ctx.store.user_by_id(int(principal)) if principal.isdigit() else None
        principal = user.account_id if user else principal
    elif assignment.principal_type == "GROUP":
        group = ctx.store.group_by_name(principal)
        principal = group.id if group else principal
    return {"principalType": assignment.principal_type, "principalId": principal}


def assignment_json(ctx: Ctx, assignment: RoleAssignment) -> dict[str, Any]:
    return {"principal": principal_json(ctx, assignment), "roleId": assignment.role_id}


def stored_principal(ctx: Ctx, item: Any) -> tuple[str, str]:
    """(type, stored principal) of a payload's ``principal``; 400 for one that is unknown."""
    principal = item.get("principal") if isinstance(item, dict) else None
    if not isinstance(principal, dict):
        raise ApiError(400, "Each role assignment needs a principal")
    kind, ident = principal.get("principalType"), principal.get("principalId")
    if kind not in PRINCIPAL_TYPES or not isinstance(ident, str) or not ident:
        raise ApiError(400, f"Invalid principal {principal}: principalType is one of "
                       f"{', '.join(PRINCIPAL_TYPES)} with a principalId")  # fmt: skip
    if kind == "USER":
        user = ctx.store.user_by_account_id(ident)
        if user is None:
            raise ApiError(400, f"No user found with accountId {ident}")
        return kind, str(user.id)
    if kind == "GROUP":
        group = ctx.store.group_by_id(ident)
        if group is None:
            raise ApiError(400, f"No group found with id {ident}")
        return kind, group.name
    if ident not in ACCESS_CLASSES:
        raise ApiError(400, f"Unknown access class {ident}")
    return kind, ident


def assignments_from(ctx: Ctx, items: Any, *, removals: bool) -> list[tuple[str, str, str | None]]:
    """A payload's assignments, each principal once (``removals``: roleId may be omitted)."""
    if not isinstance(items, list):
        raise ApiError(400, "The request body must be a list of role assignments")
    out: list[tuple[str, str, str | None]] = []
    seen: set[tuple[str, str]] = set()
    for item in items:
        kind, principal = stored_principal(ctx, item)
        if (kind, principal) in seen:
            raise ApiError(400, f"Principal {kind} {principal} is named twice")
        seen.add((kind, principal))
        role_id = item.get("roleId")
        if role_id is None and removals:
            out.append((kind, principal, None))
            continue
        if not isinstance(role_id, str) or role_by_id(role_id) is None:
            raise ApiError(400, f"No space role with id {role_id}")
        out.append((kind, principal, role_id))
    return out


@v2.route("/space-role-mode", ["GET"], flavours=CLOUD)
def space_role_mode(ctx: Ctx) -> Response:
    if ctx.user is None:  # "Permission to access the Confluence site"
        raise ApiError(404, "You may not view the space role mode")
    return respond({"mode": ctx.options.space_role_mode})


@v2.route("/space-roles", ["GET"], flavours=CLOUD)
def space_roles(ctx: Ctx) -> Response:
    _with_roles(ctx)
    space_id = ctx.arg("space-id")
    if space_id:  # "if requesting a certain space's roles, permission to view the space"
        if not space_id.isdigit():
            raise ApiError(400, f"Invalid space-id {space_id}")
        readable_space_id(ctx, int(space_id))
    roles = list(SYSTEM_ROLES)
    if ctx.arg("role-type") not in (None, "", "SYSTEM"):
        roles = []  # no custom roles on this site
    return paged(ctx, [role_json(r) for r in roles])


@v2.route("/space-roles/<int:role_id>", ["GET"], flavours=CLOUD)
def space_role(ctx: Ctx, role_id: int) -> Response:
    _with_roles(ctx)
    role = role_by_id(str(role_id))
    if role is None:
        raise ApiError(404, f"No space role with id {role_id}")
    return respond({**role_json(role), "_links": {"base": ctx.base}})


def _filters(ctx: Ctx) -> tuple[str | None, str | None]:
    kind, ident = ctx.arg("principal-type"), ctx.arg("principal-id")
    if bool(kind) != bool(ident):  # "If specified, a principal-type must also be specified"
        raise ApiError(400, "principal-id and principal-type are given together or not at all")
    if kind and kind not in PRINCIPAL_TYPES:
        raise ApiError(400, f"Invalid principal-type {kind}")
    return kind, ident


@v2.route("/spaces/<int:space_id>/role-assignments", ["GET"], flavours=CLOUD)
def role_assignments(ctx: Ctx, space_id: int) -> Response:
    _with_roles(ctx)
    space = readable_space_id(ctx, space_id)
    kind, ident = _filters(ctx)
    role_id, role_type = ctx.arg("role-id"), ctx.arg("role-type")
    out = []
    for assignment in ctx.store.role_assignments(space.id):
        shaped = assignment_json(ctx, assignment)
        if role_id and assignment.role_id != role_id:
            continue
        if role_type and role_type != "SYSTEM":
            continue
        if kind and shaped["principal"] != {"principalType": kind, "principalId": ident}:
            continue
        out.append(shaped)
    return paged(ctx, out)


def admin_space(ctx: Ctx, space_id: int) -> Space:
    """The space, if the caller may manage its roles (404 otherwise, as the spec says)."""
    space = ctx.store.space_by_id(space_id)
    if space is None or space.deleting:
        raise ApiError(404, "The space does not exist or you may not set roles in it")
    if not ctx.store.can(ctx.user, space_id, "administer", "space"):
        raise ApiError(404, "The space does not exist or you may not set roles in it")
    return space


@v2.route("/spaces/<int:space_id>/role-assignments", ["POST"], flavours=CLOUD)
def set_role_assignments(ctx: Ctx, space_id: int) -> Response:
    _with_roles(ctx)
    space = admin_space(ctx, space_id)
    changes = assignments_from(ctx, ctx.json(), removals=True)
    ctx.store.set_role_assignments(space.id, changes)
    named = {(kind, principal) for kind, principal, _ in changes}
    held = [
        assignment_json(ctx, a)
        for a in ctx.store.role_assignments(space.id)
        if (a.principal_type, a.principal) in named
    ]
    # 200 "if the requested update to space role assignments succeeds in its entirety", with
    # the assignments of the principals named (those removed hold none).
    return respond({"results": held, "_links": {"base": ctx.base}})


def role_permission_entries(ctx: Ctx, space: Space) -> list[dict[str, Any]]:
    """A space's roles in v2's permission listing (cloud-v2-2026-04.json
    ``SpacePermissionAssignment.principal.type``: user, group or role): each role held in
    the space, once per permission of it the listing's operation vocabulary has."""
    out: list[dict[str, Any]] = []
    for role_id in dict.fromkeys(a.role_id for a in ctx.store.role_assignments(space.id)):
        role = role_by_id(role_id)
        for permission in role.permissions if role else ():
            key, _, target = permission.partition("/")
            if key in _OPERATION_KEYS and target in _TARGET_TYPES:
                out.append(
                    {
                        "id": f"{role_id}-{key}-{target}",
                        "principal": {"type": "role", "id": role_id},
                        "operation": {"key": key, "targetType": target},
                    }
                )
    return out


# cloud-v2-2026-04.json ``SpacePermissionAssignment.operation`` enums.
_OPERATION_KEYS = frozenset(
    ("use", "create", "read", "update", "delete", "copy", "move", "export", "purge",
     "purge_version", "administer", "restore", "create_space", "restrict_content", "archive")
)  # fmt: skip
_TARGET_TYPES = frozenset(
    ("page", "blogpost", "comment", "attachment", "whiteboard", "database", "embed", "folder",
     "space", "application", "userProfile")
)  # fmt: skip
