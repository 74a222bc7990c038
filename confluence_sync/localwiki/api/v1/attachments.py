"""Attachments over REST: v1 list/upload/update on a page, v2 list/get/delete.

v1 (both flavours): ``GET|POST|PUT /content/{id}/child/attachment`` and
``POST /content/{id}/child/attachment/{attachmentId}/data``. Uploads are ``multipart/form-data``
with one or more ``file`` parts (plus ``comment``, ``minorEdit``) and need the header
``X-Atlassian-Token: no-check``, without which Confluence refuses them (403, its XSRF check).
``POST`` refuses a file name the page already has; ``.../data`` and (Cloud only) ``PUT`` make a
new version.
Ids read ``att<number>`` as on Confluence; the number alone is accepted too.

v2 (Cloud): ``GET /pages/{id}/attachments`` (``filename``, ``mediaType``, ``status``),
``GET|DELETE /attachments/{id}``: a delete trashes, ``purge=true`` on a trashed one purges.
Files are kept, not served for download.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v1.content import v1
from confluence_sync.localwiki.api.v1.shapes import entity, list_json, paging, user_json
from confluence_sync.localwiki.api.v2.pages import paged, require_writable, v2
from confluence_sync.localwiki.store.files import Attachment
from confluence_sync.localwiki.web.checks import readable_page, require
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError, bad_id
from confluence_sync.localwiki.web.numbers import parse_long
from confluence_sync.localwiki.web.routing import CLOUD

XSRF_MESSAGE = "XSRF check failed"


def _attachment_id(ctx: Ctx, raw: str) -> int:
    number = parse_long(raw[3:] if raw.startswith("att") else raw)
    if number is None:
        # v2 types the id as a number and refuses others with 400 (errors.bad_id); v1 has none.
        raise bad_id(ctx.api, raw) if ctx.api == "v2" else ApiError(404, f"No attachment {raw}")
    return number


def _download(ctx: Ctx, att: Attachment) -> str:
    return (
        f"/download/attachments/{att.page_id}/{att.title}?version={att.version}"
        "&modificationDate=0&api=v2"
    )


def attachment_v1(ctx: Ctx, att: Attachment) -> dict[str, Any]:
    page = ctx.store.page(att.page_id)
    return {
        "id": f"att{att.id}",
        "type": "attachment",
        "status": att.status,
        "title": att.title,
        "version": {
            "by": user_json(ctx, None, att.author),
            "when": att.updated_at,
            "number": att.version,
            "minorEdit": False,
        },
        "container": {"id": str(att.page_id), "type": "page", "title": page.title if page else ""},
        "metadata": {"mediaType": att.media_type, "comment": att.comment},
        "extensions": {"mediaType": att.media_type, "fileSize": att.size, "comment": att.comment},
        "_links": {
            "webui": f"/pages/viewpageattachments.action?pageId={att.page_id}",
            "download": _download(ctx, att),
            "self": f"{ctx.base}/rest/api/content/att{att.id}",
        },
        "_expandable": {"space": "", "history": "", "children": "", "descendants": ""},
    }


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
        "webuiLink": f"/pages/viewpageattachments.action?pageId={att.page_id}",
        "downloadLink": _download(ctx, att),
        "version": {
            "createdAt": att.updated_at,
            "message": "",
            "number": att.version,
            "minorEdit": False,
            "authorId": user.account_id if user else "",
        },
        "_links": {
            "webui": f"/pages/viewpageattachments.action?pageId={att.page_id}",
            "download": _download(ctx, att),
        },
    }


@v1.route("/content/<int:page_id>/child/attachment", ["GET"], gone_on_cloud=True)
def list_attachments(ctx: Ctx, page_id: int) -> Response:
    readable_page(ctx, page_id)
    start, limit = paging(ctx, default=50)
    found = ctx.store.attachments(page_id, ctx.arg("filename"), ctx.arg("mediaType"))
    window = [attachment_v1(ctx, a) for a in found[start : start + limit]]
    return respond(
        list_json(ctx, window, start=start, limit=limit, more=len(found) > start + limit)
    )


def _uploads(ctx: Ctx) -> list[tuple[str, bytes, str]]:
    if ctx.request.headers.get("X-Atlassian-Token", "").lower() not in ("no-check", "nocheck"):
        raise ApiError(403, XSRF_MESSAGE)
    files = ctx.request.files.getlist("file")
    if not files:
        raise ApiError(400, "At least one file must be given in the 'file' part")
    return [(f.filename or "", f.read(), f.mimetype or "application/octet-stream") for f in files]


def _save(ctx: Ctx, page_id: int, mode: str) -> list[Attachment]:
    page = readable_page(ctx, page_id, ("current", "draft"))
    uploads = _uploads(ctx)
    require(ctx, page.space_id, "create", "attachment")
    comment = ctx.request.form.get("comment", "")
    return [
        ctx.store.save_attachment(
            page_id, name, data, media_type=media, comment=comment, author=ctx.username, mode=mode
        )
        for name, data, media in uploads
    ]


@v1.route("/content/<int:page_id>/child/attachment", ["POST"], gone_on_cloud=True)
def create_attachments(ctx: Ctx, page_id: int) -> Response:
    saved = [attachment_v1(ctx, a) for a in _save(ctx, page_id, "create")]
    return respond(list_json(ctx, saved, start=0, limit=len(saved), more=False))


@v1.route(
    "/content/<int:page_id>/child/attachment", ["PUT"], gone_on_cloud=True, flavours=CLOUD
)  # DC 10 documents no PUT here
def create_or_update_attachments(ctx: Ctx, page_id: int) -> Response:
    saved = [attachment_v1(ctx, a) for a in _save(ctx, page_id, "upsert")]
    return respond(list_json(ctx, saved, start=0, limit=len(saved), more=False))


@v1.route("/content/<int:page_id>/child/attachment/<att_id>/data", ["POST"], gone_on_cloud=True)
def update_attachment_data(ctx: Ctx, page_id: int, att_id: str) -> Response:
    saved = _save(ctx, page_id, f"update:{_attachment_id(ctx, att_id)}")
    return respond(entity(ctx, attachment_v1(ctx, saved[0]), "/rest/api/content"))


@v2.route("/pages/<int:page_id>/attachments", ["GET"])
def page_attachments(ctx: Ctx, page_id: int) -> Response:
    readable_page(ctx, page_id)
    # The v2 spec: "By default, `current` and `archived` are used"; trashed on request.
    statuses = [v for item in ctx.request.args.getlist("status") for v in item.split(",") if v]
    found = ctx.store.attachments(
        page_id, ctx.arg("filename"), ctx.arg("mediaType"), statuses or ("current", "archived")
    )
    return paged(ctx, [attachment_v2(ctx, a) for a in found])


def _readable_attachment(ctx: Ctx, raw: str) -> Attachment:
    att = ctx.store.attachment(_attachment_id(ctx, raw))
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
