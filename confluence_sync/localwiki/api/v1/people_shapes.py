"""JSON shapes of people and space permissions in the v1 / Data Center REST API: users,
groups, and the permission objects of both flavours (Cloud ``SpacePermissionV2`` and the
``SpacePermission`` of ``expand=permissions``, DC ``SpacePermission``).

Imports: ``web.ctx`` and the store's records.
"""

from __future__ import annotations

from typing import Any

from confluence_sync.localwiki.store.model import Group, Permission, User
from confluence_sync.localwiki.web.ctx import Ctx


def user_json(ctx: Ctx, user: User | None, username: str = "") -> dict[str, Any]:
    if user is None:
        user = ctx.store.user_by_name(username) if username else None
    if user is None:
        return {
            "type": "anonymous",
            "displayName": username or "Anonymous",
            "profilePicture": _picture(),
            "_links": {},
        }
    out: dict[str, Any] = {
        "type": "known",
        "displayName": user.display_name,
        "profilePicture": _picture(),
    }
    if ctx.cloud:
        out.update(
            accountId=user.account_id,
            accountType="atlassian",
            email=user.email,
            publicName=user.display_name,
            isExternalCollaborator=False,
        )
        out["_links"] = {"self": f"{ctx.base}/rest/api/user?accountId={user.account_id}"}
    else:
        out.update(username=user.username, userKey=user.user_key)
        out["_links"] = {"self": f"{ctx.base}/rest/api/user?key={user.user_key}"}
    return out


def _picture() -> dict[str, Any]:
    return {
        "path": "/images/icons/profilepics/default.svg",
        "width": 48,
        "height": 48,
        "isDefault": True,
    }


# DC names a few operations differently from Cloud v1; both map onto the stored Cloud names.
DC_TO_CLOUD = {
    ("restrict", "space"): ("restrict_content", "space"),
    ("delete_own", "space"): ("delete", "space"),
    ("delete_mail", "space"): ("delete", "space"),
}
CLOUD_TO_DC = {
    ("restrict_content", "space"): ("restrict", "space"),
    ("delete", "space"): ("delete_own", "space"),
}


def subject_json(ctx: Ctx, perm: Permission) -> dict[str, Any]:
    if perm.subject_type == "user":
        user = ctx.store.user_by_id(int(perm.subject))
        identifier = (user.account_id if ctx.cloud else user.user_key) if user else perm.subject
        return {"type": "user", "identifier": identifier}
    if perm.subject_type == "group":
        group = ctx.store.group_by_name(perm.subject)
        return {"type": "group", "identifier": group.id if (group and ctx.cloud) else perm.subject}
    return {"type": "anonymous", "identifier": "anonymous"}


def group_json(ctx: Ctx, group: Group) -> dict[str, Any]:
    return {
        "type": "group",
        "name": group.name,
        "id": group.id,
        "_links": {"self": f"{ctx.base}/rest/api/group/{group.name}"},
    }


def space_permission_cloud(ctx: Ctx, perm: Permission) -> dict[str, Any]:
    """Cloud v1 ``SpacePermission``, the shape of a Space's ``expand=permissions`` (cloud-v1
    schema ``Space.permissions``): subjects as user/group lists, ``operation.operation`` and
    ``targetType``, ``anonymousAccess``. Not the ``SpacePermissionV2`` that
    ``POST /space/{key}/permission`` answers."""
    subjects: dict[str, Any] = {}
    if perm.subject_type == "user":
        user = ctx.store.user_by_id(int(perm.subject))
        users = [user_json(ctx, user)] if user else []
        subjects["user"] = {"results": users, "size": len(users)}
    elif perm.subject_type == "group":
        group = ctx.store.group_by_name(perm.subject)
        groups = [group_json(ctx, group)] if group else []
        subjects["group"] = {"results": groups, "size": len(groups)}
    return {
        "id": perm.id,
        "subjects": subjects,
        "operation": {"operation": perm.operation, "targetType": perm.target},
        "anonymousAccess": perm.subject_type == "anonymous",
        "unlicensedAccess": False,
    }


def permission_v1_json(ctx: Ctx, perm: Permission) -> dict[str, Any]:
    """Cloud ``SpacePermissionV2`` / DC ``SpacePermission`` for one stored grant."""
    if ctx.cloud:
        return {
            "id": perm.id,
            "subject": subject_json(ctx, perm),
            "operation": {"key": perm.operation, "target": perm.target},
            "_links": {},
        }
    op, target = CLOUD_TO_DC.get((perm.operation, perm.target), (perm.operation, perm.target))
    space = ctx.store.space_by_id(perm.space_id)
    subject: dict[str, Any] = {"type": perm.subject_type}
    if perm.subject_type == "user":
        user = ctx.store.user_by_id(int(perm.subject))
        subject.update(
            userKey=user.user_key if user else perm.subject,
            displayName=user.display_name if user else perm.subject,
        )
    elif perm.subject_type == "group":
        subject.update(groupName=perm.subject, displayName=perm.subject)
    return {
        "operation": {"targetType": target, "operationKey": op},
        "subject": subject,
        "spaceKey": space.key if space else "",
        "spaceId": perm.space_id,
    }
