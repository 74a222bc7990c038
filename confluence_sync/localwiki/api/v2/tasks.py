"""Cloud v2 task routes (``GET /tasks``, ``GET /tasks/{id}``): the tasks stored in the bodies
of the current pages the caller may read, as cloud-v2.json's ``Task`` (getTasks, getTaskById).

Confluence Cloud keeps tasks in an index of its own, with global ids; here they are read from
the bodies at each request (``rules.tasks``) and a task's id is derived from its page and its
page-local id (``page id × 10⁹ + local id``: local ids have at most 9 digits), stable while the
task stays on its page. Every filter the spec lists: ``space-id``, ``page-id``, ``blogpost-id``
(no blog posts here: nothing matches), ``task-id``, ``assigned-to``, ``created-by``,
``completed-by`` (at most 250 values each, int64 ids), ``status`` (complete | incomplete),
``due-at-``, ``created-at-`` and ``completed-at-from``/``-to`` (epoch ms, inclusive; a task's
creation and completion are its page's here), ``include-blank-tasks`` (default true),
``body-format`` (storage only here); a value the spec does not allow answers 400, and a
filter is never ignored. Paged with v2's cursor, 25 by default, 250 at most.

Imports: ``web`` (ctx, checks, errors), ``rules.tasks``, ``api.v2`` (table, shapes, params) and
the store's records.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v2.params import id_list, int_param
from confluence_sync.localwiki.api.v2.shapes import account_id, paged
from confluence_sync.localwiki.api.v2.table import v2
from confluence_sync.localwiki.rules.tasks import StoredTask, page_tasks
from confluence_sync.localwiki.store.model import Page
from confluence_sync.localwiki.web.checks import can_read
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError

_PER_PAGE = 1_000_000_000  # task id = page id × this + local id (at most 9 digits)
_MAX_VALUES = 250  # cloud-v2.json: maxItems of every list filter
_EVERY_PAGE = 10_000_000
_SPANS = (("due-at", "dueAt"), ("created-at", "createdAt"), ("completed-at", "completedAt"))


def _values(ctx: Ctx, name: str) -> list[str]:
    values = ctx.list_arg(name)
    if len(values) > _MAX_VALUES:
        raise ApiError(400, f"Too many values for '{name}' (at most {_MAX_VALUES})")
    return values


def _ids(ctx: Ctx, name: str) -> set[int]:
    _values(ctx, name)
    return set(id_list(ctx, name))


def _millis(ctx: Ctx, name: str) -> int | None:
    raw = ctx.arg(name)
    return int_param(raw, name) if raw not in (None, "") else None


def _flag(ctx: Ctx, name: str, default: bool) -> bool:
    raw = ctx.arg(name)
    if raw in (None, ""):
        return default
    if raw.lower() not in ("true", "false"):
        raise ApiError(400, f"Provided value for '{name}' is not the correct type.")
    return raw.lower() == "true"


def _body_format(ctx: Ctx) -> str | None:
    fmt = ctx.arg("body-format")
    if fmt not in (None, "storage", "atlas_doc_format"):
        raise ApiError(400, f"Provided value for 'body-format' is not valid: {fmt}")
    return fmt


def _assignee(ctx: Ctx, user: dict[str, str]) -> str:
    """The accountId of a mention, whichever attribute the body names it by."""
    if user.get("account-id"):
        return user["account-id"]
    found = ctx.store.user_by_key(user["userkey"]) if user.get("userkey") else None
    if found is None and user.get("username"):
        found = ctx.store.user_by_name(user["username"])
    return found.account_id if found else ""


def _stamp_millis(stamp: str) -> int | None:
    """A timestamp as the store keeps it (ISO 8601, Z) in epoch milliseconds."""
    try:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return int(when.timestamp() * 1000)


def _within(millis: int | None, low: int | None, high: int | None) -> bool:
    """Inside ``low``..``high`` (inclusive); with neither bound, anything, also no value."""
    if low is None and high is None:
        return True
    if millis is None:
        return False
    return (low is None or millis >= low) and (high is None or millis <= high)


def task_json(ctx: Ctx, page: Page, task: StoredTask, fmt: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(page.id * _PER_PAGE + task.local_id),
        "localId": str(task.local_id),
        "spaceId": str(page.space_id),
        "pageId": str(page.id),
        "status": "complete" if task.complete else "incomplete",
        "createdBy": account_id(ctx, page.creator),
        "createdAt": page.created_at,
        "updatedAt": page.updated_at,
    }
    assignee = _assignee(ctx, task.user) if task.user else ""
    if assignee:
        out["assignedTo"] = assignee
    if task.due:
        out["dueAt"] = f"{task.due}T00:00:00.000Z"
    if task.complete:
        out["completedBy"] = account_id(ctx, page.updater)
        out["completedAt"] = page.updated_at
    out["body"] = {"storage": {"representation": "storage", "value": task.body}} if fmt else {}
    return out


def _readable_pages(ctx: Ctx, space_ids: set[int], page_ids: set[int]) -> list[Page]:
    spaces = [s.id for s in ctx.store.spaces() if can_read(ctx, s.id)]
    wanted = [s for s in spaces if not space_ids or s in space_ids] or [-1]
    pages = ctx.store.find_pages(space_ids=wanted, ids=sorted(page_ids), limit=_EVERY_PAGE)
    return pages


@v2.route("/tasks", ["GET"])
def list_tasks(ctx: Ctx) -> Response:
    status = ctx.arg("status")
    if status not in (None, "", "complete", "incomplete"):
        raise ApiError(400, f"Provided value for 'status' is not valid: {status}")
    fmt = _body_format(ctx)
    blank = _flag(ctx, "include-blank-tasks", True)
    space_ids, page_ids, task_ids = (_ids(ctx, n) for n in ("space-id", "page-id", "task-id"))
    people = {n: set(_values(ctx, n)) for n in ("assigned-to", "created-by", "completed-by")}
    fields = {"assigned-to": "assignedTo", "created-by": "createdBy", "completed-by": "completedBy"}
    spans = {
        field: (_millis(ctx, f"{name}-from"), _millis(ctx, f"{name}-to")) for name, field in _SPANS
    }
    if _ids(ctx, "blogpost-id"):
        return paged(ctx, [])  # tasks of blog posts only: there are none here
    found: list[dict[str, Any]] = []
    for page in _readable_pages(ctx, space_ids, page_ids):
        for task in page_tasks(page.body):
            shaped = task_json(ctx, page, task, fmt)
            if (
                (status and shaped["status"] != status)
                or (task.blank and not blank)
                or (task_ids and int(shaped["id"]) not in task_ids)
                or any(
                    wanted and shaped.get(fields[name]) not in wanted
                    for name, wanted in people.items()
                )
                or not all(
                    _within(_stamp_millis(shaped.get(field, "")), low, high)
                    for field, (low, high) in spans.items()
                )
            ):
                continue
            found.append(shaped)
    return paged(ctx, found)


@v2.route("/tasks/<task_id>", ["GET"])
def get_task(ctx: Ctx, task_id: str) -> Response:
    number = int_param(task_id, "id")
    fmt = _body_format(ctx)
    page = ctx.store.page(number // _PER_PAGE) if number > 0 else None
    if page is not None and page.status == "current" and can_read(ctx, page.space_id):
        for task in page_tasks(page.body):
            if task.local_id == number % _PER_PAGE:
                return respond(task_json(ctx, page, task, fmt))
    raise ApiError(404, f"No task found with id {task_id}")
