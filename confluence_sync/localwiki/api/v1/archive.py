"""Archiving pages: Cloud's v1 ``POST /content/archive`` and, for Data Center (whose 10.0.3
REST API has no archive route), the editor's *Archive* action as a local-wiki admin route.

An archived page leaves the listings of current pages but keeps its id, place, versions and
title — the title stays taken (``store_content._TITLE_STATUSES``), so a sync that takes the
page for gone and creates it again fails on every run. Member-archived pages are what the
sync must recognise and leave alone.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v1.content import v1
from confluence_sync.localwiki.api.v1.people import admin
from confluence_sync.localwiki.web.checks import readable_page, require
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError
from confluence_sync.localwiki.web.routing import CLOUD

MAX_PAGES = 300  # cloud-v1.json archivePages: "larger than the limit of 300" → 400


def _archive(ctx: Ctx, page_ids: list[int]) -> None:
    pages = [readable_page(ctx, page_id, ("current", "archived")) for page_id in page_ids]
    for page in pages:
        # "'Archive' permission for each of the pages in the corresponding space"
        require(ctx, page.space_id, "archive", "page")
        if page.status == "archived":
            raise ApiError(400, f"Page {page.id} is already archived")
    for page in pages:
        ctx.store.archive_page(page.id)


def _page_ids(items: Any) -> list[int]:
    if not isinstance(items, list) or not items:
        raise ApiError(400, "pages must be a non-empty list of {id}")
    if len(items) > MAX_PAGES:
        raise ApiError(400, f"At most {MAX_PAGES} pages can be archived in one request")
    try:
        return [int(item["id"]) for item in items]
    except (KeyError, TypeError, ValueError):
        raise ApiError(400, "pages[].id must be a content id") from None


@v1.route("/content/archive", ["POST"], flavours=CLOUD)
def archive_pages(ctx: Ctx) -> Response:
    """cloud-v1.json ``archivePages``: 202 with a long task; done at once here."""
    _archive(ctx, _page_ids(ctx.body_dict().get("pages")))
    task = ctx.store.finished_task("Archive pages")
    return respond(
        {"id": task.id, "links": {"status": f"{ctx.base}/rest/api/longtask/{task.id}"}}, 202
    )


@admin.route("/archive", ["POST"])
def archive_as_user(ctx: Ctx) -> Response:
    """``{"page_id": …, "username": …}``: that user presses *Archive* on the page (the UI
    action, on either flavour). Admin only, like every ``/__localwiki`` route that acts for
    someone."""
    if ctx.user is None or not ctx.store.is_admin(ctx.user):
        raise ApiError(403, "Only an administrator may act for another user")
    data = ctx.body_dict()
    user = ctx.store.user_by_name(str(data.get("username") or ""))
    if user is None:
        raise ApiError(404, f"No user {data.get('username')!r}")
    try:
        page_id = int(data["page_id"])
    except (KeyError, TypeError, ValueError):
        raise ApiError(400, "page_id must be a content id") from None
    ctx.user = user
    _archive(ctx, [page_id])
    return respond(None, 204)
