"""Page template routes (``/template``, ``/template/page``, ``/template/{id}``; Cloud only, the
reads also served under DC's old ``/rest/experimental``) and long task status (``/longtask``).

Data Center has no template API under ``/rest/api``: the 10.0.3 spec lists no ``/template``
path, and the only server-side template routes clients used were the read-only experimental
ones (atlassian-python-api#572, "verified on Confluence 7.4.0"; the writes of #731 name Cloud's
``/wiki/rest/api/template``). A DC client gets the 404 a real site gives, so nothing can come to
rely on writing templates there (the sync lists them as manual steps).

Imports: ``web`` (ctx, checks, errors, numbers), ``api.v1`` (table, shapes) and the store's
records.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v1.shapes import Expand, list_json, paging
from confluence_sync.localwiki.api.v1.table import experimental, v1
from confluence_sync.localwiki.store.model import Template
from confluence_sync.localwiki.web.checks import readable_space, require, storage_body
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError
from confluence_sync.localwiki.web.numbers import parse_long

CLOUD_ONLY = ("cloud",)


def template_json(ctx: Ctx, template: Template, with_body: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "templateId": str(template.id),
        "name": template.name,
        "description": template.description,
        "templateType": template.type,
        "labels": [{"prefix": "global", "name": n, "id": n, "label": n} for n in template.labels],
        "_links": {
            "self": f"{ctx.base}/rest/api/template/{template.id}",
            "base": ctx.base,
            "context": ctx.context,
        },
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
        template_id = parse_long(data.get("templateId"))
        if template_id is None:
            raise ApiError(400, "templateId is required to update a template")
        if ctx.store.template(template_id) is None:
            raise ApiError(403, f"No template with id {template_id}")
    labels = [str(x.get("name") if isinstance(x, dict) else x) for x in data.get("labels") or []]
    template = ctx.store.save_template(
        name=name,
        body=storage_body(body),
        description=str(data.get("description") or ""),
        template_type=str(data.get("templateType") or "page"),
        space_id=space_id,
        labels=labels,
        template_id=template_id,
    )
    return respond(template_json(ctx, template))


@v1.route("/template", ["POST"], flavours=CLOUD_ONLY)
def create_template(ctx: Ctx) -> Response:
    return _save_template(ctx, update=False)


@v1.route("/template", ["PUT"], flavours=CLOUD_ONLY)
def update_template(ctx: Ctx) -> Response:
    return _save_template(ctx, update=True)


@v1.route("/template/page", ["GET"], flavours=CLOUD_ONLY)
@experimental.route("/template/page", ["GET"])
def page_templates(ctx: Ctx) -> Response:
    space_id = readable_space(ctx, str(ctx.arg("spaceKey"))).id if ctx.arg("spaceKey") else None
    start, limit = paging(ctx)
    with_body = Expand(ctx.arg("expand")).has("body")
    templates = ctx.store.templates(space_id)
    results = [template_json(ctx, t, with_body) for t in templates[start : start + limit]]
    return respond(
        list_json(ctx, results, start=start, limit=limit, more=len(templates) > start + limit)
    )


@v1.route("/template/blueprint", ["GET"], flavours=CLOUD_ONLY)
@experimental.route("/template/blueprint", ["GET"])
def blueprint_templates(ctx: Ctx) -> Response:
    return respond(list_json(ctx, [], start=0, limit=25, more=False))


def _template_or_403(ctx: Ctx, template_id: str) -> Template:
    number = parse_long(template_id)
    template = ctx.store.template(number) if number is not None else None
    if template is None:
        # Confluence answers a missing template id with 403, not 404 (reference note §7).
        raise ApiError(403, f"No template with id {template_id}")
    return template


@v1.route("/template/<template_id>", ["GET"], flavours=CLOUD_ONLY)
@experimental.route("/template/<template_id>", ["GET"])
def get_template(ctx: Ctx, template_id: str) -> Response:
    return respond(template_json(ctx, _template_or_403(ctx, template_id)))


@v1.route("/template/<template_id>", ["DELETE"], flavours=CLOUD_ONLY)
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
    return {
        "id": task.id,
        "name": {"key": "com.atlassian.confluence.spaces.delete", "args": []},
        "elapsedTime": 0 if not done else 1000,
        "percentageComplete": 100 if done else 50,
        "successful": done,
        "finished": done,
        "status": "COMPLETE" if done else "RUNNING",
        "messages": [],
        "_links": {
            "self": f"{ctx.base}/rest/api/longtask/{task.id}",
            "base": ctx.base,
            "context": ctx.context,
        },
    }


@v1.route("/longtask/<task_id>", ["GET"])
@v1.route("/longtask/<task_id>/status", ["GET"])
def get_longtask(ctx: Ctx, task_id: str) -> Response:
    return respond(_task_json(ctx, task_id, poll=True))


@v1.route("/longtask", ["GET"])
def list_longtasks(ctx: Ctx) -> Response:
    start, limit = paging(ctx, default=100)
    tasks = ctx.store.longtasks()
    results = [_task_json(ctx, t.id, poll=False) for t in tasks[start : start + limit]]
    return respond(
        list_json(ctx, results, start=start, limit=limit, more=len(tasks) > start + limit)
    )
