"""Archiving pages: Cloud's v1 ``POST /content/archive``, and the archiving rule it shares with
the editor's *Archive* action (``archive_pages``), which ``api/admin.py`` serves on either
flavour (Data Center 10.0.3's REST API has no archive route).

An archived page leaves the listings of current pages but keeps its id, place, versions and
title — the title stays taken (``_TITLE_STATUSES`` in ``store/page_writes.py``), so a sync
that takes the page for gone and creates it again fails on every run. Member-archived pages
are what the sync must recognise and leave alone.

Imports: ``web`` (ctx, checks, errors, routing) and ``api.v1.table``.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v1.table import v1
from confluence_sync.localwiki.web.checks import readable_page, require
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError
from confluence_sync.localwiki.web.routing import CLOUD

MAX_PAGES = 300  # cloud-v1.json archivePages: "larger than the limit of 300" → 400


def archive_pages(ctx: Ctx, page_ids: list[int]) -> None:
    """Archive the pages as the caller: each must be readable, current and archivable."""
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
def content_archive(ctx: Ctx) -> Response:
    """cloud-v1.json ``archivePages``: 202 with a long task; done at once here."""
    archive_pages(ctx, _page_ids(ctx.body_dict().get("pages")))
    task = ctx.store.finished_task("Archive pages")
    return respond(
        {"id": task.id, "links": {"status": f"{ctx.base}/rest/api/longtask/{task.id}"}}, 202
    )
