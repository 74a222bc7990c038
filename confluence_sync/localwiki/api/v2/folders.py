"""Cloud v2 folders (``/folders``): content in the page tree that holds a title like a page.

A folder's title is taken among the space's pages: a page cannot be created (or renamed) to a
folder's title and back (``_TITLE_HOLDERS`` in ``store/page_writes.py``). Folders are not
pages: the page listings leave them out. cloud-v2.json ``createFolder``, ``getFolderById``,
``deleteFolder``.

Imports: ``web`` (ctx, checks, errors, routing), ``api.v2`` (table, shapes, params) and the
store's records.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v2.params import int_param
from confluence_sync.localwiki.api.v2.shapes import account_id, version_v2
from confluence_sync.localwiki.api.v2.table import v2
from confluence_sync.localwiki.store.model import Page
from confluence_sync.localwiki.web.checks import page_not_found, readable_page, readable_space_id
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError
from confluence_sync.localwiki.web.routing import CLOUD


def folder_v2(ctx: Ctx, folder: Page) -> dict[str, Any]:
    """cloud-v2.json ``FolderSingle``."""
    return {
        "id": str(folder.id),
        "type": "folder",
        "status": folder.status,
        "title": folder.title,
        "parentId": str(folder.parent_id) if folder.parent_id is not None else None,
        "parentType": "page" if folder.parent_id is not None else None,
        "position": folder.position,
        "authorId": account_id(ctx, folder.creator),
        "ownerId": account_id(ctx, folder.creator),
        "createdAt": folder.created_at,
        "version": version_v2(ctx, folder),
        "_links": {"webui": f"/spaces/{folder.space_key}/folder/{folder.id}", "base": ctx.base},
    }


def _folder(ctx: Ctx, folder_id: int, statuses: tuple[str, ...] = ("current",)) -> Page:
    folder = readable_page(ctx, folder_id, statuses)
    if folder.type != "folder":
        raise page_not_found(folder_id)
    return folder


@v2.route("/folders", ["POST"], flavours=CLOUD)
def create_folder(ctx: Ctx) -> Response:
    data = ctx.body_dict()
    space = readable_space_id(ctx, int_param(data.get("spaceId"), "spaceId"))
    if not ctx.store.can(ctx.user, space.id, "create", "page"):
        raise ApiError(404, f"No space found with id : {space.id}")  # v2: 404, not 403
    title = data.get("title")
    if not isinstance(title, str):
        raise ApiError(400, "A folder needs a title")
    parent = data.get("parentId")
    parent_id = int_param(parent, "parentId") if parent else space.homepage_id
    folder = ctx.store.create_page(
        space_key=space.key,
        title=title,
        body="",
        author=ctx.username,
        parent_id=parent_id,
        content_type="folder",
    )
    return respond(folder_v2(ctx, folder))


@v2.route("/folders/<int:folder_id>", ["GET"], flavours=CLOUD)
def get_folder(ctx: Ctx, folder_id: int) -> Response:
    return respond(folder_v2(ctx, _folder(ctx, folder_id)))


@v2.route("/folders/<int:folder_id>", ["DELETE"], flavours=CLOUD)
def delete_folder(ctx: Ctx, folder_id: int) -> Response:
    """The folder moves to the trash (its title is free again)."""
    folder = _folder(ctx, folder_id)
    if not ctx.store.can(ctx.user, folder.space_id, "delete", "page"):
        raise page_not_found(folder_id)
    ctx.store.trash_page(folder.id)
    return respond(None, 204)
