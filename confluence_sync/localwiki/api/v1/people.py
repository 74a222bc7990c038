"""v1 / Data Center people routes: users (read, current, memberships, DC's list), content
watches, groups and membership (reads on both flavours; writes through Cloud's group routes
or DC's ``admin/`` routes), and DC's user create and delete. Writes need a site admin.

Cloud's routes that name a group by its name are deprecated (CHANGE-2520) and gone from the
published v1 spec of late 2025, which keeps ``GET/POST /group``, ``/group/by-id``,
``/group/picker``, ``/group/{groupId}/membersByGroupId`` and ``/group/userByGroupId``
(../shared/reference/confluence-api.md section 1; mrrefactoring/confluence.js CHANGELOG
2.1.0 deprecates ``getGroupByQueryParam``, ``getGroupByName``, ``getMembersByQueryParam`` and
``getGroupMembers`` "due to Confluence API changes (CHANGE-2520)"). With ``v1_removed`` they
answer 410 GoneException; Data Center keeps its name routes.

Imports: ``web`` (ctx, checks, errors, numbers, routing), ``api.v1`` (table, shapes, site)
and the store's records.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v1.people_shapes import group_json, user_json
from confluence_sync.localwiki.api.v1.shapes import list_json, paging
from confluence_sync.localwiki.api.v1.site import GROUP_ADMIN_SINCE, operations_json, require_dc
from confluence_sync.localwiki.api.v1.table import v1
from confluence_sync.localwiki.store.model import Group, User
from confluence_sync.localwiki.web.checks import readable_page, require_admin
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError
from confluence_sync.localwiki.web.numbers import parse_long
from confluence_sync.localwiki.web.routing import CLOUD, DC


def _user_or_404(ctx: Ctx) -> User:
    args = ctx.request.args
    user = None
    if args.get("accountId"):
        user = ctx.store.user_by_account_id(args["accountId"])
    elif args.get("username"):
        user = ctx.store.user_by_name(args["username"])
    elif args.get("key"):
        user = ctx.store.user_by_key(args["key"])
    else:
        raise ApiError(400, "Give accountId, username or key")
    if user is None:
        raise ApiError(404, "No user found")
    return user


@v1.route("/user", ["GET"])
def get_user(ctx: Ctx) -> Response:
    return respond(user_json(ctx, _user_or_404(ctx)))


@v1.route("/user/current", ["GET"])
def current_user(ctx: Ctx) -> Response:
    answer = user_json(ctx, ctx.user)
    # Cloud v1 documents ``expand=operations`` here (cloud-v1.json getCurrentUser); Data
    # Center 10.0.3 documents no such expansion, so it is not answered there.
    if ctx.cloud and "operations" in ctx.list_arg("expand"):
        answer["operations"] = operations_json(ctx, ctx.user)
    return respond(answer)


@v1.route("/user/memberof", ["GET"])
def member_of(ctx: Ctx) -> Response:
    user = _user_or_404(ctx)
    groups = [g for g in (ctx.store.group_by_name(n) for n in ctx.store.groups_of(user.id)) if g]
    return respond(
        list_json(ctx, [group_json(ctx, g) for g in groups], start=0, limit=200, more=False)
    )


def _watched(ctx: Ctx, content_id: str) -> int:
    """The row key of a watched page, or (negated, its own id range) attachment ``att<n>``."""
    attachment_id = parse_long(content_id[3:]) if content_id.startswith("att") else None
    if attachment_id is not None:
        att = ctx.store.attachment(attachment_id)
        if att is None:
            raise ApiError(404, f"No content with id {content_id}")
        readable_page(ctx, att.page_id, ("current", "draft"))
        return -att.id
    page_id = parse_long(content_id)
    if page_id is None:
        raise ApiError(404, f"No content with id {content_id}")
    return readable_page(ctx, page_id, ("current", "draft")).id


def _watcher(ctx: Ctx) -> User:
    """The watching user: the caller, or (admins) the one the query names."""
    args = ctx.request.args
    if args.get("accountId") or args.get("username") or args.get("key"):
        user = _user_or_404(ctx)
        if user != ctx.user:
            require_admin(ctx)
        return user
    if ctx.user is None:
        raise ApiError(403, "Anonymous users cannot watch content")
    return ctx.user


@v1.route("/user/watch/content/<content_id>", ["GET"])
def is_watching(ctx: Ctx, content_id: str) -> Response:
    watched = _watched(ctx, content_id)
    return respond({"watching": ctx.store.is_watching(watched, _watcher(ctx).id)})


@v1.route("/user/watch/content/<content_id>", ["POST"])
def add_watch(ctx: Ctx, content_id: str) -> Response:
    watched, user = _watched(ctx, content_id), _watcher(ctx)
    ctx.store.set_watching(watched, user.id, True)
    # Cloud documents 204; DC 10 documents 200 with the ContentWatch.
    return respond(None, 204) if ctx.cloud else respond({"watcher": user_json(ctx, user)})


@v1.route("/user/watch/content/<content_id>", ["DELETE"])
def remove_watch(ctx: Ctx, content_id: str) -> Response:
    watched, user = _watched(ctx, content_id), _watcher(ctx)
    ctx.store.set_watching(watched, user.id, False)
    return respond(None, 204)


@v1.route("/user/list", ["GET"], flavours=DC)
def list_users(ctx: Ctx) -> Response:
    start, limit = paging(ctx, default=200)
    return _user_page(ctx, ctx.store.users(), start, limit)


def _user_page(ctx: Ctx, users: list[User], start: int, limit: int) -> Response:
    """One page of ``users`` as a v1 list; the user list and group members share this."""
    return respond(
        list_json(
            ctx,
            [user_json(ctx, u) for u in users[start : start + limit]],
            start=start,
            limit=limit,
            more=len(users) > start + limit,
        )
    )


@v1.route("/group", ["GET"])
def list_groups(ctx: Ctx) -> Response:
    start, limit = paging(ctx, default=200, cap=1000)
    return _group_page(ctx, ctx.store.groups(), start, limit)


def _group_page(ctx: Ctx, groups: list[Group], start: int, limit: int) -> Response:
    return respond(
        list_json(
            ctx,
            [group_json(ctx, g) for g in groups[start : start + limit]],
            start=start,
            limit=limit,
            more=len(groups) > start + limit,
        )
    )


def _group(ctx: Ctx, name: str | None = None, group_id: str | None = None) -> Group:
    group = (ctx.store.group_by_name(name) if name else None) or (
        ctx.store.group_by_id(group_id) if group_id else None
    )
    if group is None:
        raise ApiError(404, f"No group found: {name or group_id}")
    return group


@v1.route("/group/by-name", ["GET"], gone_on_cloud=True, flavours=CLOUD)  # CHANGE-2520
def group_by_name(ctx: Ctx) -> Response:
    return respond(group_json(ctx, _group(ctx, name=ctx.arg("name"))))


@v1.route("/group/picker", ["GET"], flavours=CLOUD)
def group_picker(ctx: Ctx) -> Response:
    """Cloud ``searchGroups``: "search results of groups by partial query" (cloud-v1.json),
    kept in the 2025 spec as the way to find a group by its name. The query matches anywhere
    in the name, without regard to case (a client has to pick the exact name out of the
    answer); the groups come in name order like ``GET /group``, 200 a page by default."""
    start, limit = paging(ctx, default=200, cap=200)
    query = (ctx.arg("query") or "").casefold()
    groups = [g for g in ctx.store.groups() if query in g.name.casefold()]
    return _group_page(ctx, groups, start, limit)


@v1.route("/group/by-id", ["GET"], flavours=CLOUD)
def group_by_id(ctx: Ctx) -> Response:
    return respond(group_json(ctx, _group(ctx, group_id=ctx.arg("id"))))


@v1.route("/group/<name>", ["GET"], gone_on_cloud=True)  # Cloud: CHANGE-2520
def get_group(ctx: Ctx, name: str) -> Response:
    return respond(group_json(ctx, _group(ctx, name=name)))


def _members(ctx: Ctx, group: Group) -> Response:
    start, limit = paging(ctx, default=200, cap=200)
    return _user_page(ctx, ctx.store.members(group.name), start, limit)


@v1.route("/group/<name>/member", ["GET"], gone_on_cloud=True)  # Cloud: CHANGE-2520
def group_members(ctx: Ctx, name: str) -> Response:
    return _members(ctx, _group(ctx, name=name))


@v1.route("/group/member", ["GET"], gone_on_cloud=True, flavours=CLOUD)  # CHANGE-2520
def group_members_by_query(ctx: Ctx) -> Response:
    return _members(ctx, _group(ctx, name=ctx.arg("name")))


@v1.route("/group/<group_id>/membersByGroupId", ["GET"], flavours=CLOUD)
def group_members_by_id(ctx: Ctx, group_id: str) -> Response:
    return _members(ctx, _group(ctx, group_id=group_id))


@v1.route("/group", ["POST"], flavours=CLOUD)
@v1.route("/admin/group", ["POST"], flavours=DC)
def create_group(ctx: Ctx) -> Response:
    require_dc(ctx, GROUP_ADMIN_SINCE)  # DC 8.2+ (site.py); Cloud unversioned
    require_admin(ctx)
    name = ctx.body_dict().get("name")
    if not isinstance(name, str):
        raise ApiError(400, "name is required")
    group = ctx.store.create_group(name)
    # Cloud v1 documents 201 for POST /group, DC 10 documents 200 for POST /admin/group.
    return respond(group_json(ctx, group), 201 if ctx.cloud else 200)


@v1.route("/admin/group/<name>", ["DELETE"], flavours=DC)
def delete_group(ctx: Ctx, name: str) -> Response:
    require_dc(ctx, GROUP_ADMIN_SINCE)  # DC 8.2+ (site.py); Cloud unversioned
    require_admin(ctx)
    ctx.store.delete_group(name)
    return respond(None, 204)


@v1.route("/group/by-id", ["DELETE"], flavours=CLOUD)
def delete_group_by_id(ctx: Ctx) -> Response:
    require_admin(ctx)
    ctx.store.delete_group(_group(ctx, group_id=ctx.arg("id")).name)
    return respond(None, 204)


def _add_member(ctx: Ctx, group: Group) -> Response:
    require_admin(ctx)
    account = ctx.body_dict().get("accountId")
    if not isinstance(account, str) or ctx.store.resolve_user(account) is None:
        raise ApiError(400, "accountId must name a user")
    ctx.store.add_member(group.name, account)
    return respond(None, 201)


def _remove_member(ctx: Ctx, group: Group) -> Response:
    require_admin(ctx)
    ctx.store.remove_member(group.name, ctx.arg("accountId") or "")
    return respond(None, 204)


@v1.route("/group/userByGroupId", ["POST"], flavours=CLOUD)
def add_member_by_id(ctx: Ctx) -> Response:
    return _add_member(ctx, _group(ctx, group_id=ctx.arg("groupId")))


@v1.route("/group/userByGroupId", ["DELETE"], flavours=CLOUD)
def remove_member_by_id(ctx: Ctx) -> Response:
    return _remove_member(ctx, _group(ctx, group_id=ctx.arg("groupId")))


@v1.route("/group/user", ["POST"], gone_on_cloud=True, flavours=CLOUD)  # CHANGE-2520
def add_member_by_name(ctx: Ctx) -> Response:
    return _add_member(ctx, _group(ctx, name=ctx.arg("name")))


@v1.route("/group/user", ["DELETE"], gone_on_cloud=True, flavours=CLOUD)  # CHANGE-2520
def remove_member_by_name(ctx: Ctx) -> Response:
    return _remove_member(ctx, _group(ctx, name=ctx.arg("name")))


@v1.route("/user/<username>/group/<group>", ["PUT"], flavours=DC)
def add_member_dc(ctx: Ctx, username: str, group: str) -> Response:
    require_dc(ctx, GROUP_ADMIN_SINCE)  # DC 8.2+ (site.py); Cloud unversioned
    require_admin(ctx)
    ctx.store.add_member(_group(ctx, name=group).name, username)
    return respond(None, 204)


@v1.route("/user/<username>/group/<group>", ["DELETE"], flavours=DC)
def remove_member_dc(ctx: Ctx, username: str, group: str) -> Response:
    require_dc(ctx, GROUP_ADMIN_SINCE)  # DC 8.2+ (site.py); Cloud unversioned
    require_admin(ctx)
    ctx.store.remove_member(_group(ctx, name=group).name, username)
    return respond(None, 204)


def text_fields(data: dict[str, Any], *names: str) -> dict[str, str | None]:
    """Optional string fields of a user body; a list, object or number where the spec types
    a string is a 400 (Jackson refuses to bind it on DC), not a value to store."""
    values: dict[str, str | None] = {}
    for name in names:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise ApiError(400, f"{name} must be a string")
        values[name] = value
    return values


@v1.route("/admin/user", ["POST"], flavours=DC)
def create_user_dc(ctx: Ctx) -> Response:
    require_admin(ctx)
    data = ctx.body_dict()
    username, password = data.get("userName") or data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise ApiError(400, "userName and password are required")
    fields = text_fields(data, "email", "fullName")
    user = ctx.store.create_user(
        username, password, email=fields["email"], display_name=fields["fullName"]
    )
    return respond(user_json(ctx, user), 201)


@v1.route("/admin/user/<username>", ["DELETE"], flavours=DC)
def delete_user_dc(ctx: Ctx, username: str) -> Response:
    require_admin(ctx)
    if ctx.user is not None and ctx.store.user_by_name(username) == ctx.user:
        # The account making the request cannot delete itself (else the only admin locks
        # everyone out). DC 10.0.3 documents 202/401/403/404 here, a refusal being 403 "The
        # calling user does not have permission to perform this action".
        raise ApiError(403, "The calling user does not have permission to delete their own account")
    ctx.store.delete_user(username)
    # DC answers with a long task; the deletion here is immediate, so the task is finished.
    task = ctx.store.finished_task("Delete user")
    status = f"{ctx.base}/rest/api/longtask/{task.id}"
    return respond(
        {
            "id": task.id,
            "links": {"status": status, "result": status},
            "statusPath": f"/rest/api/longtask/{task.id}",
            "resultPath": f"/rest/api/longtask/{task.id}",
        },
        202,
    )
