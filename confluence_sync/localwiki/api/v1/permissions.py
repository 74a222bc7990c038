"""v1 / Data Center space permission routes: Cloud v1 one grant at a time
(``POST /space/{key}/permission``, ``DELETE /space/{key}/permission/{id}``) and DC 9.1+
``/space/{key}/permissions`` (set, grant, revoke, list; 404 on an older played release, and
the listings answer a non-admin 500, as ``site.require_dc`` and ``_listing_space`` say).
Changing permissions needs space admin; on a Cloud tenant in ROLES mode it is refused
(``refuse_in_roles_mode``).

Imports: ``web`` (ctx, checks, errors, routing), ``api.v1`` (table, people_shapes) and the
store's records.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v1.people_shapes import DC_TO_CLOUD, permission_v1_json
from confluence_sync.localwiki.api.v1.site import SPACE_PERMISSIONS_SINCE, dc_version, require_dc
from confluence_sync.localwiki.api.v1.table import v1
from confluence_sync.localwiki.store.model import ALL_SPACE_OPERATIONS, Space, User
from confluence_sync.localwiki.web.checks import readable_space, require
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError
from confluence_sync.localwiki.web.routing import CLOUD, DC


def _subject(ctx: Ctx, subject_type: str, identifier: str) -> tuple[str, str]:
    """Stored (subject_type, subject) for a user (any identifier) or group (name or id).

    An unknown one is 400 on Cloud ("No group found with the given groupName or groupId",
    cloud-v1 POST /space/{key}/permission) and 404 on DC ("Returned if user or group with
    specified key not found", dc-10.0.3 on every /space/{key}/permissions route).
    """
    missing = 400 if ctx.cloud else 404
    if subject_type == "user":
        user: User | None = ctx.store.resolve_user(identifier)
        if user is None:
            raise ApiError(missing, f"No user found with identifier {identifier}")
        return "user", str(user.id)
    if subject_type == "group":
        group = ctx.store.group_by_name(identifier) or ctx.store.group_by_id(identifier)
        if group is None:
            raise ApiError(missing, f"No group found with identifier {identifier}")
        return "group", group.name
    if subject_type == "anonymous" or identifier == "anonymous":
        return "anonymous", ""
    raise ApiError(400, f"Unknown subject type {subject_type}")


def grant_from_v1(ctx: Ctx, item: Any) -> tuple[str, str, str, str]:
    try:
        subject, operation = item["subject"], item["operation"]
        subject_type, subject_id = _subject(ctx, str(subject["type"]), str(subject["identifier"]))
        return subject_type, subject_id, str(operation["key"]), str(operation["target"])
    except (KeyError, TypeError):
        raise ApiError(
            400, "A permission needs subject{type,identifier} and operation{key,target}"
        ) from None


def _flag(item: dict[str, Any], name: str) -> bool:
    value = item.get(name)
    if not isinstance(value, bool):  # required by SpacePermissionCreate
        raise ApiError(400, f"A space permission needs {name} (true or false)")
    return value


def _results(subjects: dict[str, Any], kind: str) -> list[Any]:
    """``subjects.user`` / ``subjects.group``: ``{results, size}``, both required."""
    block = subjects.get(kind)
    if block is None:
        return []
    if not isinstance(block, dict) or not isinstance(block.get("results"), list):
        raise ApiError(400, f"subjects.{kind} needs results and size")
    if not isinstance(block.get("size"), int):
        raise ApiError(400, f"subjects.{kind} needs results and size")
    return list(block["results"])


def _create_item(ctx: Ctx, item: Any) -> list[tuple[str, str, str, str]]:
    """One ``SpacePermissionCreate``: an ``operation {operation, targetType}`` for the users
    (``User``: ``type`` required, Cloud names them by ``accountId``) and groups
    (``GroupCreate``: ``type`` and ``name`` required) of ``subjects``, and anonymous users
    when ``anonymousAccess``; ``anonymousAccess`` and ``unlicensedAccess`` are required too
    (cloud-v1.json ``#/components/schemas/SpacePermissionCreate``)."""
    if not isinstance(item, dict) or not isinstance(item.get("operation"), dict):
        raise ApiError(400, "A space permission needs operation{operation,targetType}")
    op, target = item["operation"].get("operation"), item["operation"].get("targetType")
    if not isinstance(op, str) or not isinstance(target, str):
        raise ApiError(400, "A space permission needs operation{operation,targetType}")
    # The pairs the single-grant route takes (its "valid combinations"); any other is
    # refused as that route refuses it (store ``grant``: "Invalid operation …").
    if (op, target) not in ALL_SPACE_OPERATIONS:
        raise ApiError(400, f"Invalid operation {op} for target {target}")
    anonymous, _unlicensed = _flag(item, "anonymousAccess"), _flag(item, "unlicensedAccess")
    subjects = item.get("subjects") or {}
    if not isinstance(subjects, dict):
        raise ApiError(400, "subjects must hold user and group results")
    grants = []
    for user in _results(subjects, "user"):
        if not isinstance(user, dict) or not user.get("type") or not user.get("accountId"):
            raise ApiError(400, "A user subject needs type and accountId")
        grants.append((*_subject(ctx, "user", str(user["accountId"])), op, target))
    for group in _results(subjects, "group"):
        if not isinstance(group, dict) or group.get("type") != "group" or not group.get("name"):
            raise ApiError(400, "A group subject needs type 'group' and name")
        grants.append((*_subject(ctx, "group", str(group["name"])), op, target))
    if anonymous:
        grants.append(("anonymous", "", op, target))
    return grants


def grants_from_space_create(ctx: Ctx, items: Any) -> list[tuple[str, str, str, str]]:
    """Cloud v1 ``SpaceCreate.permissions``, every entry checked before the space exists.

    "If permissions are provided, the space is created with only the provided set of
    permissions, not including the default space permissions" (cloud-v1.json
    ``SpaceCreate``); ``/space/_private`` is "the same as the Create space method with
    permissions set to the current user only" — so the creator is one entry like any other,
    and a list without the creator leaves them no right in the space. A real create of that
    kind answers ``permissions: []`` and "no one is able to access/see the created space"
    (community.developer.atlassian.com/t/how-to-create-a-space-with-permissions/40395); only
    a site admin gets in ("Recover Permissions", support.atlassian.com KB "Unable to access
    space as a site-admin"), as the store's admin groups do. Each entry meets the checks of
    the single-grant route (``add_permission``): an unknown user or group is 400, an invalid
    operation pair is 400, and a subject given other operations without "read space" is 400
    ("The subject must have read space permission before other permissions can be
    granted") — strict where Cloud's own answer is not documented. An empty list is a list
    given: the space gets no permission at all."""
    if not isinstance(items, list):
        raise ApiError(400, "permissions must be a list of SpacePermissionCreate")
    grants: list[tuple[str, str, str, str]] = []
    for item in items:
        grants += _create_item(ctx, item)
    reads = {(t, s) for t, s, op, target in grants if (op, target) == ("read", "space")}
    for subject_type, subject, _op, _target in grants:
        if subject_type != "anonymous" and (subject_type, subject) not in reads:
            raise ApiError(
                400,
                "The subject must have read space permission before other "
                "permissions can be granted",
            )
    return list(dict.fromkeys(grants))


def _admin_space(ctx: Ctx, key: str) -> Space:
    require_dc(ctx, SPACE_PERMISSIONS_SINCE)  # Cloud's routes are not versioned
    space = readable_space(ctx, key)
    require(ctx, space.id, "administer", "space")
    return space


def _listing_space(ctx: Ctx, key: str) -> Space:
    """``_admin_space`` for DC's permission listings: a caller without space admin gets 500,
    not 403, on DC 9.1+ (CONFSERVER-99908; onyx-dot-app/onyx ``onyx_confluence.py``: "callers
    without Confluence-admin/space-admin rights receive HTTP 500 (rather than the more
    correct 403)")."""
    try:
        return _admin_space(ctx, key)
    except ApiError as error:
        if error.status != 403 or dc_version(ctx) < SPACE_PERMISSIONS_SINCE:
            raise
        raise ApiError(500, "Internal server error") from None  # no documented body


def refuse_in_roles_mode(ctx: Ctx) -> None:
    """A tenant in ROLES mode takes no individual permission: "roles are the only way to
    manage access to Confluence spaces" (support.atlassian.com ... what-to-expect-from-roles-
    when-migrating-confluence-data); "There won't be an option to assign any access with
    individual permissions, without a role" (community.atlassian.com, "A new phase of
    role-based access in Confluence is here", 2025-11). No source shows the answer of a v1
    permission write there; the stricter one is chosen: 400 in v1's error shape, naming the
    way that works (real-confluence.md risk 9 suggests the same)."""
    if ctx.options.roles_only:
        raise ApiError(
            400,
            "Space permissions on this site are managed with roles (space role mode ROLES): "
            "individual permissions cannot be added or removed; set role assignments with "
            "POST /wiki/api/v2/spaces/{id}/role-assignments",
        )


@v1.route("/space/<key>/permission", ["POST"], flavours=CLOUD)
def add_permission(ctx: Ctx, key: str) -> Response:
    space = _admin_space(ctx, key)
    refuse_in_roles_mode(ctx)
    subject_type, subject, op, target = grant_from_v1(ctx, ctx.body_dict())
    if (op, target) != ("read", "space") and subject_type != "anonymous":
        held = {
            (p.operation, p.target)
            for p in ctx.store.permissions(space.id)
            if p.subject_type == subject_type and p.subject == subject
        }
        if ("read", "space") not in held:
            raise ApiError(
                400,
                "The subject must have read space permission before other "
                "permissions can be granted",
            )
    perm = ctx.store.grant(space.id, subject_type, subject, op, target, fail_if_exists=True)
    return respond(permission_v1_json(ctx, perm))


@v1.route("/space/<key>/permission/<int:permission_id>", ["DELETE"], flavours=CLOUD)
def remove_permission(ctx: Ctx, key: str, permission_id: int) -> Response:
    space = _admin_space(ctx, key)
    refuse_in_roles_mode(ctx)
    ctx.store.revoke_by_id(space.id, permission_id)
    return respond(None, 204)


@v1.route("/space/<key>/permissions", ["GET"], flavours=DC)
def dc_permissions(ctx: Ctx, key: str) -> Response:
    space = _listing_space(ctx, key)
    return respond([permission_v1_json(ctx, p) for p in ctx.store.permissions(space.id)])


def _dc_pairs(items: Any) -> list[tuple[str, str]]:
    if not isinstance(items, list):
        raise ApiError(400, "Expected a list of {operationKey, targetType}")
    pairs = []
    for item in items:
        pair = (str(item.get("operationKey")), str(item.get("targetType")))
        pair = DC_TO_CLOUD.get(pair, pair)
        if pair not in ALL_SPACE_OPERATIONS:
            raise ApiError(400, f"Unsupported operation {pair[0]} on {pair[1]}")
        pairs.append(pair)
    return pairs


@v1.route("/space/<key>/permissions", ["POST"], flavours=DC)
def dc_set_permissions(ctx: Ctx, key: str) -> Response:
    space = _admin_space(ctx, key)
    items = ctx.json()
    if not isinstance(items, list) or len(items) > 40:
        raise ApiError(400, "Send a list of at most 40 subjects")
    changes = []
    for item in items:  # every subject and operation checked before anything changes
        if item.get("userKey"):
            subject = _subject(ctx, "user", str(item["userKey"]))
        elif item.get("groupName"):
            subject = _subject(ctx, "group", str(item["groupName"]))
        else:
            subject = ("anonymous", "")
        changes.append((subject, _dc_pairs(item.get("operations", []))))
    for subject, pairs in changes:
        ctx.store.revoke(space.id, *subject)
        for op, target in pairs:
            ctx.store.grant(space.id, subject[0], subject[1], op, target)
    # DC documents 200 with a JSON body (no schema); answer with the space's permissions.
    return respond([permission_v1_json(ctx, p) for p in ctx.store.permissions(space.id)])


def _dc_grant_or_revoke(
    ctx: Ctx, key: str, subject_type: str, identifier: str, action: str
) -> Response:
    space = _admin_space(ctx, key)  # the space and the caller's right first, then the subject
    subject = _subject(ctx, subject_type, identifier)
    pairs = _dc_pairs(ctx.json())
    # A repeat changes nothing and answers 204 again: grant "doesn't override existing
    # permissions, will only add those one that weren't granted before"; revoke: permissions
    # the subject lacks "will be silently skipped" (dc-10.0.3.json; 204 is the only success).
    if action == "grant":
        for op, target in pairs:
            ctx.store.grant(space.id, subject[0], subject[1], op, target)
    elif action == "revoke":
        ctx.store.revoke(space.id, subject[0], subject[1], pairs)
    else:
        raise ApiError(404, f"No such action {action}")
    return respond(None, 204)


@v1.route("/space/<key>/permissions/user/<user_key>/<action>", ["PUT"], flavours=DC)
def dc_user_permission(ctx: Ctx, key: str, user_key: str, action: str) -> Response:
    return _dc_grant_or_revoke(ctx, key, "user", user_key, action)


@v1.route("/space/<key>/permissions/group/<group>/<action>", ["PUT"], flavours=DC)
def dc_group_permission(ctx: Ctx, key: str, group: str, action: str) -> Response:
    return _dc_grant_or_revoke(ctx, key, "group", group, action)


@v1.route("/space/<key>/permissions/anonymous/<action>", ["PUT"], flavours=DC)
def dc_anonymous_permission(ctx: Ctx, key: str, action: str) -> Response:
    return _dc_grant_or_revoke(ctx, key, "anonymous", "anonymous", action)


def _dc_subject_permissions(ctx: Ctx, key: str, subject_type: str, identifier: str) -> Response:
    space = _listing_space(ctx, key)
    subject = _subject(ctx, subject_type, identifier)
    return respond(
        [
            permission_v1_json(ctx, p)
            for p in ctx.store.permissions(space.id)
            if (p.subject_type, p.subject) == subject
        ]
    )


@v1.route("/space/<key>/permissions/anonymous", ["GET"], flavours=DC)
def dc_anonymous_permissions(ctx: Ctx, key: str) -> Response:
    return _dc_subject_permissions(ctx, key, "anonymous", "anonymous")


@v1.route("/space/<key>/permissions/group/<group>", ["GET"], flavours=DC)
def dc_group_permissions(ctx: Ctx, key: str, group: str) -> Response:
    return _dc_subject_permissions(ctx, key, "group", group)


@v1.route("/space/<key>/permissions/user/<user_key>", ["GET"], flavours=DC)
def dc_user_permissions(ctx: Ctx, key: str, user_key: str) -> Response:
    return _dc_subject_permissions(ctx, key, "user", user_key)
