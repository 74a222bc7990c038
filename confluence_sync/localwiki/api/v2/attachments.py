"""Cloud v2 attachment routes: a page's attachments (``GET /pages/{id}/attachments``:
``filename``, ``mediaType``, ``status``) and one attachment (``GET|DELETE
/attachments/{id}``): a delete trashes, ``purge=true`` on a trashed one purges. Uploads go
through v1 (``api/v1/attachments.py``). The viewer serves the files at the download address
(``viewer/attachments.py``).

Imports: ``web`` (ctx, checks, errors, numbers), ``api.links``, ``api.v2`` (table, shapes)
and the store's records.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.links import attachment_download, attachments_page
from confluence_sync.localwiki.api.v2.shapes import paged
from confluence_sync.localwiki.api.v2.table import v2
from confluence_sync.localwiki.store.model import Attachment
from confluence_sync.localwiki.web.checks import readable_page, require_writable
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError, bad_id
from confluence_sync.localwiki.web.numbers import parse_attachment_id


def attachment_v2(ctx: Ctx, att: Attachment) -> dict[str, Any]:
    user = ctx.store.user_by_name(att.author)
    return {
        "id": f"att{att.id}",
        "status": att.status,
        "title": att.title,
        "createdAt": att.created_at,
        "pageId": str(att.page_id),
        "mediaType": att.media_type,
        "mediaTypeDescription": att.media_type,
        "comment": att.comment,
        "fileId": f"file-{att.id}",
        "fileSize": att.size,
        "webuiLink": attachments_page(att),
        "downloadLink": attachment_download(att),
        "version": {
            "createdAt": att.updated_at,
            "message": "",
            "number": att.version,
            "minorEdit": False,
            "authorId": user.account_id if user else "",
        },
        "_links": {
            "webui": attachments_page(att),
            "download": attachment_download(att),
        },
    }


@v2.route("/pages/<int:page_id>/attachments", ["GET"])
def page_attachments(ctx: Ctx, page_id: int) -> Response:
    readable_page(ctx, page_id)
    # The v2 spec: "By default, `current` and `archived` are used"; trashed on request.
    statuses = ctx.list_arg("status")
    found = ctx.store.attachments(
        page_id, ctx.arg("filename"), ctx.arg("mediaType"), statuses or ("current", "archived")
    )
    return paged(ctx, [attachment_v2(ctx, a) for a in found])


def _readable_attachment(ctx: Ctx, raw: str) -> Attachment:
    number = parse_attachment_id(raw)
    if number is None:
        raise bad_id("v2", raw)  # v2 types the id as a number and refuses others with 400
    att = ctx.store.attachment(number)
    if att is None:
        raise ApiError(404, f"No attachment with id {raw}")
    readable_page(ctx, att.page_id, ("current", "draft"))
    return att


@v2.route("/attachments/<att_id>", ["GET"])
def get_attachment(ctx: Ctx, att_id: str) -> Response:
    body = attachment_v2(ctx, _readable_attachment(ctx, att_id))
    body["_links"]["base"] = ctx.base  # a single entity, as the spec's 200 schema adds it
    return respond(body)


@v2.route("/attachments/<att_id>", ["DELETE"])
def delete_attachment(ctx: Ctx, att_id: str) -> Response:
    """The v2 spec: "Deleting an attachment moves the attachment to the trash ... To
    permanently delete an attachment (or "purge" it), the endpoint must be called on a
    **trashed** attachment with ... `purge=true`", which also needs space admin."""
    att = _readable_attachment(ctx, att_id)
    page = readable_page(ctx, att.page_id, ("current", "draft"))
    require_writable(ctx, page.space_id, "delete", "attachment")  # v2: 404, not 403
    if ctx.arg("purge") == "true":
        if att.status != "trashed":
            raise ApiError(400, "Only trashed attachments can be purged")
        require_writable(ctx, page.space_id, "administer", "space")
        ctx.store.delete_attachment(att.id)
    elif att.status != "current":
        # As for pages: a trashed attachment is not deleted again, it is purged or left.
        raise ApiError(404, f"No current attachment with id {att_id}")
    else:
        ctx.store.trash_attachment(att.id)
    return respond(None, 204)
