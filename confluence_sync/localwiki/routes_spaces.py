"""v1 / Data Center space routes: spaces, space properties and labels, space permissions
(Cloud v1 one-at-a-time and DC 9.1+ set/grant/revoke), page templates and long tasks."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from confluence_sync.localwiki.access import readable_space, require, storage_body
from confluence_sync.localwiki.app import ApiError, Ctx, RouteTable, respond
from confluence_sync.localwiki.model import ALL_SPACE_OPERATIONS, Space, Template, User
from confluence_sync.localwiki.routes_v1 import v1
from confluence_sync.localwiki.views_v1 import (
    DC_TO_CLOUD,
    Expand,
    label_json,
    list_json,
    paging,
    permission_v1_json,
    property_json,
    space_json,
)


def _description(data: dict[str, Any]) -> str | None:
    desc = data.get("description")
    if desc is None:
        return None
    if isinstance(desc, dict):
        plain = desc.get("plain") or desc.get("view") or {}
        return str(plain.get("value", "")) if isinstance(plain, dict) else ""
    return str(desc)


@v1.route("/space", ["GET"], gone_on_cloud=True)
def list_spaces(ctx: Ctx) -> Response:
    start, limit = paging(ctx, default=25, cap=500)
    keys = [k for item in ctx.request.args.getlist("spaceKey") for k in item.split(",") if k]
    spaces = [s for s in ctx.store.spaces(keys=keys, type=ctx.arg("type"),
                                          status=ctx.arg("status"))
              if ctx.store.can(ctx.user, s.id, "read", "space")]
    expand = Expand(ctx.arg("expand"))
    results = [space_json(ctx, s, expand) for s in spaces[start:start + limit]]
    return respond(list_json(ctx, results, start=start, limit=limit,
                             more=len(spaces) > start + limit))


def _create_space(ctx: Ctx, private: bool) -> Response:
    data = ctx.body_dict()
    key, name = data.get("key"), data.get("name")
    if not isinstance(key, str) or not isinstance(name, str):
        raise ApiError(400, "key and name are required to create a space")
    grants = None
    if data.get("permissions"):
        grants = [_grant_from_v1(ctx, item) for item in data["permissions"]]
    assert ctx.user is not None
    space = ctx.store.create_space(key=key, name=name, creator=ctx.user,
                                   description=_description(data) or "", permissions=grants,
                                   private=private)
    return respond(space_json(ctx, space, Expand("description.plain,homepage")))


@v1.route("/space", ["POST"])
def create_space(ctx: Ctx) -> Response:
    return _create_space(ctx, private=False)


@v1.route("/space/_private", ["POST"])
def create_private_space(ctx: Ctx) -> Response:
    return _create_space(ctx, private=True)


@v1.route("/space/<key>", ["GET"], gone_on_cloud=True)
def get_space(ctx: Ctx, key: str) -> Response:
    space = readable_space(ctx, key)
    return respond(space_json(ctx, space, Expand(ctx.arg("expand"))))


@v1.route("/space/<key>", ["PUT"])
def update_space(ctx: Ctx, key: str) -> Response:
    space = readable_space(ctx, key)
    require(ctx, space.id, "administer", "space")
    data = ctx.body_dict()
    home = (data.get("homepage") or {}).get("id")
    updated = ctx.store.update_space(space.key, name=data.get("name"),
                                     description=_description(data),
                                     homepage_id=int(home) if home else None,
                                     status=data.get("status"))
    return respond(space_json(ctx, updated, Expand("description.plain,homepage")))


@v1.route("/space/<key>", ["DELETE"])
def delete_space(ctx: Ctx, key: str) -> Response:
    space = readable_space(ctx, key)
    if not ctx.store.can(ctx.user, space.id, "administer", "space"):
        raise ApiError(404 if not ctx.cloud else 403, f"You may not delete space {key}")
    task = ctx.store.delete_space(space.key)
    status = f"{ctx.base}/rest/api/longtask/{task.id}"
    if ctx.cloud:
        body: dict[str, Any] = {"ari": f"ari:cloud:confluence::task/{task.id}", "id": task.id,
                                "links": {"status": status}}
    else:
        body = {"id": task.id, "links": {"status": status, "result": status},
                "statusPath": f"/rest/api/longtask/{task.id}",
                "resultPath": f"/rest/api/longtask/{task.id}"}
    return respond(body, 202)


@v1.route("/space/<key>/archive", ["PUT"])
def archive_space(ctx: Ctx, key: str) -> Response:
    space = readable_space(ctx, key)
    require(ctx, space.id, "administer", "space")
    ctx.store.update_space(space.key, status="archived")
    return respond(None, 204)


@v1.route("/space/<key>/restore", ["PUT"])
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
    from confluence_sync.localwiki.views_v1 import content_json

    space = readable_space(ctx, key)
    start, limit = paging(ctx)
    depth = ctx.arg("depth", "all")
    pages = ctx.store.find_pages(space_ids=[space.id], types=(content_type,), offset=start,
                                 limit=limit + 1)
    if depth == "root":
        pages = [p for p in pages if p.parent_id is None]
    expand = Expand(ctx.arg("expand"))
    body = list_json(ctx, [content_json(ctx, p, expand) for p in pages[:limit]], start=start,
                     limit=limit, more=len(pages) > limit)
    return respond({content_type: body, "_links": {"base": ctx.base, "context": ctx.context}}
                   if envelope else body)


# -- space properties --------------------------------------------------------------------
@v1.route("/space/<key>/property", ["GET"], gone_on_cloud=True)
def list_space_properties(ctx: Ctx, key: str) -> Response:
    space = readable_space(ctx, key)
    start, limit = paging(ctx, default=10)
    props = ctx.store.properties("space", space.id)
    results = [property_json(ctx, p, f"space/{space.key}") for p in props[start:start + limit]]
    return respond(list_json(ctx, results, start=start, limit=limit,
                             more=len(props) > start + limit))


def _create_space_property(ctx: Ctx, key: str, prop_key: str | None) -> Response:
    space = readable_space(ctx, key)
    require(ctx, space.id, "create", "page")
    data = ctx.body_dict()
    prop_key = prop_key or data.get("key")
    if not isinstance(prop_key, str) or "value" not in data:
        raise ApiError(400, "key and value are required")
    prop = ctx.store.create_property("space", space.id, prop_key, data["value"], ctx.username)
    return respond(property_json(ctx, prop, f"space/{space.key}"))


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
    return respond(property_json(ctx, prop, f"space/{space.key}"))


@v1.route("/space/<key>/property/<prop_key>", ["PUT"], gone_on_cloud=True)
def update_space_property(ctx: Ctx, key: str, prop_key: str) -> Response:
    space = readable_space(ctx, key)
    require(ctx, space.id, "create", "page")
    data = ctx.body_dict()
    number = (data.get("version") or {}).get("number")
    if not isinstance(number, int) or "value" not in data:
        raise ApiError(400, "value and version.number are required")
    prop = ctx.store.update_property("space", space.id, prop_key, data["value"], number,
                                     ctx.username, create_missing=ctx.cloud)
    return respond(property_json(ctx, prop, f"space/{space.key}"))


@v1.route("/space/<key>/property/<prop_key>", ["DELETE"], gone_on_cloud=True)
def delete_space_property(ctx: Ctx, key: str, prop_key: str) -> Response:
    space = readable_space(ctx, key)
    require(ctx, space.id, "create", "page")
    ctx.store.delete_property("space", space.id, prop_key)
    return respond(None, 204)


# -- space labels ------------------------------------------------------------------------
@v1.route("/space/<key>/label", ["GET"])
@v1.route("/space/<key>/labels", ["GET"])
def space_labels(ctx: Ctx, key: str) -> Response:
    space = readable_space(ctx, key)
    labels = [label_json(x) for x in ctx.store.labels("space", space.id)]
    return respond(list_json(ctx, labels, start=0, limit=200, more=False))


@v1.route("/space/<key>/label", ["POST"])
def add_space_labels(ctx: Ctx, key: str) -> Response:
    space = readable_space(ctx, key)
    require(ctx, space.id, "administer", "space")
    data = ctx.json()
    items = data if isinstance(data, list) else [data]
    ctx.store.add_labels("space", space.id, [(str(i.get("prefix") or "global"), str(i["name"]))
                                             for i in items if isinstance(i, dict)])
    return space_labels(ctx, key)


@v1.route("/space/<key>/label", ["DELETE"])
def remove_space_label(ctx: Ctx, key: str) -> Response:
    space = readable_space(ctx, key)
    require(ctx, space.id, "administer", "space")
    ctx.store.remove_label("space", space.id, ctx.arg("name") or "")
    return respond(None, 204)


# -- permissions -------------------------------------------------------------------------
def _subject(ctx: Ctx, subject_type: str, identifier: str) -> tuple[str, str]:
    """Stored (subject_type, subject) for a user (any identifier) or group (name or id)."""
    if subject_type == "user":
        user: User | None = ctx.store.resolve_user(identifier)
        if user is None:
            raise ApiError(400, f"No user found with identifier {identifier}")
        return "user", str(user.id)
    if subject_type == "group":
        group = ctx.store.group_by_name(identifier) or ctx.store.group_by_id(identifier)
        if group is None:
            raise ApiError(400, f"No group found with identifier {identifier}")
        return "group", group.name
    if subject_type == "anonymous" or identifier == "anonymous":
        return "anonymous", ""
    raise ApiError(400, f"Unknown subject type {subject_type}")


def _grant_from_v1(ctx: Ctx, item: Any) -> tuple[str, str, str, str]:
    try:
        subject, operation = item["subject"], item["operation"]
        subject_type, subject_id = _subject(ctx, str(subject["type"]),
                                            str(subject["identifier"]))
        return subject_type, subject_id, str(operation["key"]), str(operation["target"])
    except (KeyError, TypeError):
        raise ApiError(400, "A permission needs subject{type,identifier} and "
                            "operation{key,target}") from None


def _admin_space(ctx: Ctx, key: str) -> Space:
    space = readable_space(ctx, key)
    require(ctx, space.id, "administer", "space")
    return space


@v1.route("/space/<key>/permission", ["POST"])
def add_permission(ctx: Ctx, key: str) -> Response:
    space = _admin_space(ctx, key)
    subject_type, subject, op, target = _grant_from_v1(ctx, ctx.body_dict())
    if (op, target) != ("read", "space") and subject_type != "anonymous":
        held = {(p.operation, p.target) for p in ctx.store.permissions(space.id)
                if p.subject_type == subject_type and p.subject == subject}
        if ("read", "space") not in held:
            raise ApiError(400, "The subject must have read space permission before other "
                                "permissions can be granted")
    perm = ctx.store.grant(space.id, subject_type, subject, op, target, fail_if_exists=True)
    return respond(permission_v1_json(ctx, perm))


@v1.route("/space/<key>/permission/<int:permission_id>", ["DELETE"])
def remove_permission(ctx: Ctx, key: str, permission_id: int) -> Response:
    space = _admin_space(ctx, key)
    ctx.store.revoke_by_id(space.id, permission_id)
    return respond(None, 204)


@v1.route("/space/<key>/permissions", ["GET"])
def dc_permissions(ctx: Ctx, key: str) -> Response:
    space = _admin_space(ctx, key)
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


@v1.route("/space/<key>/permissions", ["POST"])
def dc_set_permissions(ctx: Ctx, key: str) -> Response:
    space = _admin_space(ctx, key)
    items = ctx.json()
    if not isinstance(items, list) or len(items) > 40:
        raise ApiError(400, "Send a list of at most 40 subjects")
    for item in items:
        if item.get("userKey"):
            subject = _subject(ctx, "user", str(item["userKey"]))
        elif item.get("groupName"):
            subject = _subject(ctx, "group", str(item["groupName"]))
        else:
            subject = ("anonymous", "")
        pairs = _dc_pairs(item.get("operations", []))
        ctx.store.revoke(space.id, *subject)
        for op, target in pairs:
            ctx.store.grant(space.id, subject[0], subject[1], op, target)
    # DC documents 200 with a JSON body (no schema); answer with the space's permissions.
    return respond([permission_v1_json(ctx, p) for p in ctx.store.permissions(space.id)])


def _dc_grant_or_revoke(ctx: Ctx, key: str, subject: tuple[str, str], action: str) -> Response:
    space = _admin_space(ctx, key)
    pairs = _dc_pairs(ctx.json())
    if action == "grant":
        for op, target in pairs:
            ctx.store.grant(space.id, subject[0], subject[1], op, target)
    elif action == "revoke":
        ctx.store.revoke(space.id, subject[0], subject[1], pairs)
    else:
        raise ApiError(404, f"No such action {action}")
    return respond(None, 204)


@v1.route("/space/<key>/permissions/user/<user_key>/<action>", ["PUT"])
def dc_user_permission(ctx: Ctx, key: str, user_key: str, action: str) -> Response:
    return _dc_grant_or_revoke(ctx, key, _subject(ctx, "user", user_key), action)


@v1.route("/space/<key>/permissions/group/<group>/<action>", ["PUT"])
def dc_group_permission(ctx: Ctx, key: str, group: str, action: str) -> Response:
    return _dc_grant_or_revoke(ctx, key, _subject(ctx, "group", group), action)


@v1.route("/space/<key>/permissions/anonymous/<action>", ["PUT"])
def dc_anonymous_permission(ctx: Ctx, key: str, action: str) -> Response:
    return _dc_grant_or_revoke(ctx, key, ("anonymous", ""), action)


def _dc_subject_permissions(ctx: Ctx, key: str, subject: tuple[str, str]) -> Response:
    space = _admin_space(ctx, key)
    return respond([permission_v1_json(ctx, p) for p in ctx.store.permissions(space.id)
                    if (p.subject_type, p.subject) == subject])


@v1.route("/space/<key>/permissions/anonymous", ["GET"])
def dc_anonymous_permissions(ctx: Ctx, key: str) -> Response:
    return _dc_subject_permissions(ctx, key, ("anonymous", ""))


@v1.route("/space/<key>/permissions/group/<group>", ["GET"])
def dc_group_permissions(ctx: Ctx, key: str, group: str) -> Response:
    return _dc_subject_permissions(ctx, key, _subject(ctx, "group", group))


@v1.route("/space/<key>/permissions/user/<user_key>", ["GET"])
def dc_user_permissions(ctx: Ctx, key: str, user_key: str) -> Response:
    return _dc_subject_permissions(ctx, key, _subject(ctx, "user", user_key))


# -- templates ---------------------------------------------------------------------------
def template_json(ctx: Ctx, template: Template, with_body: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "templateId": str(template.id), "name": template.name,
        "description": template.description, "templateType": template.type,
        "labels": [{"prefix": "global", "name": n, "id": n, "label": n}
                   for n in template.labels],
        "_links": {"self": f"{ctx.base}/rest/api/template/{template.id}",
                   "base": ctx.base, "context": ctx.context},
    }
    if template.space_id is not None:
        space = ctx.store.space_by_id(template.space_id)
        if space is not None:
            out["space"] = {"key": space.key, "id": space.id, "name": space.name}
    if with_body:
        out["body"] = {"storage": {"value": template.body, "representation": "storage"}}
    else:
        out["_expandable"] = {"body": ""}
    return out


def _save_template(ctx: Ctx, update: bool) -> Response:
    data = ctx.body_dict()
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, "Template name cannot be empty")
    body = ((data.get("body") or {}).get("storage") or {}).get("value", "")
    space_id = None
    if (data.get("space") or {}).get("key"):
        space = readable_space(ctx, str(data["space"]["key"]))
        require(ctx, space.id, "administer", "space")
        space_id = space.id
    elif not ctx.store.is_admin(ctx.user):
        raise ApiError(403, "Only administrators may manage global templates")
    template_id = None
    if update:
        try:
            template_id = int(data.get("templateId") or "")
        except ValueError:
            raise ApiError(400, "templateId is required to update a template") from None
        if ctx.store.template(template_id) is None:
            raise ApiError(403, f"No template with id {template_id}")
    labels = [str(x.get("name") if isinstance(x, dict) else x) for x in data.get("labels") or []]
    template = ctx.store.save_template(
        name=name, body=storage_body(body), description=str(data.get("description") or ""),
        template_type=str(data.get("templateType") or "page"), space_id=space_id,
        labels=labels, template_id=template_id)
    return respond(template_json(ctx, template))


@v1.route("/template", ["POST"])
def create_template(ctx: Ctx) -> Response:
    return _save_template(ctx, update=False)


@v1.route("/template", ["PUT"])
def update_template(ctx: Ctx) -> Response:
    return _save_template(ctx, update=True)


@v1.route("/template/page", ["GET"])
def page_templates(ctx: Ctx) -> Response:
    space_id = readable_space(ctx, str(ctx.arg("spaceKey"))).id if ctx.arg("spaceKey") else None
    start, limit = paging(ctx)
    with_body = Expand(ctx.arg("expand")).has("body")
    templates = ctx.store.templates(space_id)
    results = [template_json(ctx, t, with_body) for t in templates[start:start + limit]]
    return respond(list_json(ctx, results, start=start, limit=limit,
                             more=len(templates) > start + limit))


@v1.route("/template/blueprint", ["GET"])
def blueprint_templates(ctx: Ctx) -> Response:
    return respond(list_json(ctx, [], start=0, limit=25, more=False))


def _template_or_403(ctx: Ctx, template_id: str) -> Template:
    template = ctx.store.template(int(template_id)) if template_id.isdigit() else None
    if template is None:
        # Confluence answers a missing template id with 403, not 404 (reference note §7).
        raise ApiError(403, f"No template with id {template_id}")
    return template


@v1.route("/template/<template_id>", ["GET"])
def get_template(ctx: Ctx, template_id: str) -> Response:
    return respond(template_json(ctx, _template_or_403(ctx, template_id)))


@v1.route("/template/<template_id>", ["DELETE"])
def delete_template(ctx: Ctx, template_id: str) -> Response:
    template = _template_or_403(ctx, template_id)
    if template.space_id is not None:
        require(ctx, template.space_id, "administer", "space")
    elif not ctx.store.is_admin(ctx.user):
        raise ApiError(403, "Only administrators may manage global templates")
    ctx.store.delete_template(template.id)
    return respond(None, 204)


# -- long tasks --------------------------------------------------------------------------
def _task_json(ctx: Ctx, task_id: str, poll: bool) -> dict[str, Any]:
    task = ctx.store.longtask(task_id, poll=poll)
    if task is None:
        raise ApiError(404, f"No long task with id {task_id}")
    done = task.finished
    return {"id": task.id, "name": {"key": "com.atlassian.confluence.spaces.delete",
                                    "args": []},
            "elapsedTime": 0 if not done else 1000, "percentageComplete": 100 if done else 50,
            "successful": done, "finished": done, "status": "COMPLETE" if done else "RUNNING",
            "messages": [], "_links": {"self": f"{ctx.base}/rest/api/longtask/{task.id}",
                                       "base": ctx.base, "context": ctx.context}}


@v1.route("/longtask/<task_id>", ["GET"])
@v1.route("/longtask/<task_id>/status", ["GET"])
def get_longtask(ctx: Ctx, task_id: str) -> Response:
    return respond(_task_json(ctx, task_id, poll=True))


@v1.route("/longtask", ["GET"])
def list_longtasks(ctx: Ctx) -> Response:
    start, limit = paging(ctx, default=100)
    tasks = ctx.store.longtasks()
    results = [_task_json(ctx, t.id, poll=False) for t in tasks[start:start + limit]]
    return respond(list_json(ctx, results, start=start, limit=limit,
                             more=len(tasks) > start + limit))


# Read-only template routes of older Data Center releases (``/rest/experimental``).
experimental = RouteTable()
experimental.route("/template/page", ["GET"])(page_templates)
experimental.route("/template/blueprint", ["GET"])(blueprint_templates)
experimental.route("/template/<template_id>", ["GET"])(get_template)
