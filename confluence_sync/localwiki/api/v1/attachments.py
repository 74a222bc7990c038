"""v1 / Data Center attachment routes (both flavours): ``GET|POST|PUT
/content/{id}/child/attachment`` and ``POST /content/{id}/child/attachment/{attachmentId}/data``.

Uploads are ``multipart/form-data`` with one or more ``file`` parts (plus ``comment``,
``minorEdit``) and need the header ``X-Atlassian-Token: no-check``, without which Confluence
refuses them (403, its XSRF check). ``POST`` refuses a file name the page already has;
``.../data`` and (Cloud only) ``PUT`` make a new version. Ids read ``att<number>`` as on
Confluence; the number alone is accepted too. Cloud's v2 reads are in
``api/v2/attachments.py``.

Imports: ``web`` (ctx, checks, errors, numbers, routing), ``api.links``, ``api.v1`` (table,
shapes) and the store's records.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.links import attachment_download, attachments_page
from confluence_sync.localwiki.api.v1.people_shapes import user_json
from confluence_sync.localwiki.api.v1.shapes import entity, list_json, paging
from confluence_sync.localwiki.api.v1.table import v1
from confluence_sync.localwiki.store.model import Attachment
from confluence_sync.localwiki.web.checks import readable_page, require
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError
from confluence_sync.localwiki.web.numbers import parse_attachment_id
from confluence_sync.localwiki.web.routing import CLOUD

XSRF_MESSAGE = "XSRF check failed"


def _attachment_id(raw: str) -> int:
    number = parse_attachment_id(raw)
    if number is None:
        raise ApiError(404, f"No attachment {raw}")
    return number


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
            "webui": attachments_page(att),
            "download": attachment_download(att),
            "self": f"{ctx.base}/rest/api/content/att{att.id}",
        },
        "_expandable": {"space": "", "history": "", "children": "", "descendants": ""},
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


# Cloud keeps the v1 upload routes (cloud-v1.json, not deprecated: v2 has no upload), so
# they stay when the v1 content routes are gone.
@v1.route("/content/<int:page_id>/child/attachment", ["POST"])
def create_attachments(ctx: Ctx, page_id: int) -> Response:
    saved = [attachment_v1(ctx, a) for a in _save(ctx, page_id, "create")]
    return respond(list_json(ctx, saved, start=0, limit=len(saved), more=False))


@v1.route(
    "/content/<int:page_id>/child/attachment", ["PUT"], flavours=CLOUD
)  # DC 10 documents no PUT here
def create_or_update_attachments(ctx: Ctx, page_id: int) -> Response:
    saved = [attachment_v1(ctx, a) for a in _save(ctx, page_id, "upsert")]
    return respond(list_json(ctx, saved, start=0, limit=len(saved), more=False))


@v1.route("/content/<int:page_id>/child/attachment/<att_id>/data", ["POST"])
def update_attachment_data(ctx: Ctx, page_id: int, att_id: str) -> Response:
    saved = _save(ctx, page_id, f"update:{_attachment_id(att_id)}")
    return respond(entity(ctx, attachment_v1(ctx, saved[0]), "/rest/api/content"))
