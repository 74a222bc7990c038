"""Attaching a file to a page, on both flavours, and finding it again by its name.

Uploads go through REST v1 on Data Center and on Cloud alike: Cloud's v2 has no attachment
upload (cloud-v2.json lists only ``GET /pages/{id}/attachments``, ``GET|DELETE
/attachments/{id}``), while cloud-v1.json keeps ``POST /content/{id}/child/attachment`` and
``POST /content/{id}/child/attachment/{attachmentId}/data`` undeprecated; dc-10.0.3.json has
both too. Each is ``multipart/form-data`` with a ``file`` part and needs ``X-Atlassian-Token:
no-check`` (without it Confluence's XSRF check refuses the upload: confluence-api.md, the
attachment routes). ``POST …/child/attachment`` refuses a file name the page already has, so a
new version goes to ``…/{attachmentId}/data``.

Without a recorded attachment id the name is looked up first (one GET). Never two
attachments of one name, never a lost upload: the upload's comment carries the
file's digest, and after an ambiguous failure (no answer, a 5xx after the server may have
saved it) the attachment is looked up by file name before anything is sent again — found with
our digest, the earlier attempt landed; found without it, the file is sent as its new version.
The lookup lists by name: ``GET /content/{id}/child/attachment?filename=`` on Data Center, v2
``GET /pages/{id}/attachments?filename=`` on Cloud (both specs list the ``filename`` filter).

May import: backends (transport, writes), errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from confluence_sync.backends.transport import Transport
from confluence_sync.backends.writes import V1, q
from confluence_sync.errors import BadRequestError, NotFoundError

V2: Final = "api/v2"  # as backends.cloud has it (which imports the adapter, so not from there)
MEDIA_TYPE: Final = "text/calendar"
# Only the XSRF header: the client's default Content-Type (JSON) must not ride along, requests
# sets the multipart boundary itself.
UPLOAD_HEADERS: Final = {"X-Atlassian-Token": "no-check", "Accept": "application/json"}


@dataclass(frozen=True)
class Found:
    """An attachment as a listing shows it: its id (``att123`` on v1, ``att123`` or a
    number on v2) and the comment of its current version."""

    id: str
    comment: str


def _bare(attachment_id: str) -> str:
    return attachment_id.removeprefix("att")


def find_attachment(transport: Transport, page_id: str, filename: str) -> Found | None:
    """The page's attachment of that name, or None (one GET)."""
    if transport.flavour == "cloud":
        path, params = f"{V2}/pages/{q(page_id)}/attachments", {"filename": filename}
    else:
        path = f"{V1}/content/{q(page_id)}/child/attachment"
        params = {"filename": filename, "expand": "version"}
    what = f"attachment {filename} of page {page_id}"
    data: Any = transport.call("GET", path, what=what, params=params)
    for item in (data or {}).get("results", []) if isinstance(data, dict) else []:
        if isinstance(item, dict) and item.get("title") == filename:
            comment = item.get("comment")
            if comment is None:
                comment = (item.get("metadata") or {}).get("comment")
            if comment is None:
                comment = ((item.get("version") or {}).get("message")) or ""
            return Found(_bare(str(item.get("id", ""))), str(comment or ""))
    return None


def _id_of(data: Any) -> str:
    item = data
    if isinstance(data, dict) and isinstance(data.get("results"), list) and data["results"]:
        item = data["results"][0]
    return _bare(str(item.get("id", ""))) if isinstance(item, dict) else ""


def attach(
    transport: Transport,
    page_id: str,
    filename: str,
    data: bytes,
    *,
    comment: str,
    attachment_id: str = "",
) -> str:
    """Upload ``data`` as ``filename`` on the page; returns the attachment's id."""
    what = f"attachment {filename} of page {page_id}"
    base = f"{V1}/content/{q(page_id)}/child/attachment"
    target = [_bare(attachment_id)]
    if not target[0]:
        # No recorded attachment (a first upload, or an index that lost its record): the page
        # may hold the file already, maybe ours. One GET, never a refused POST.
        known = find_attachment(transport, page_id, filename)
        if known is not None and known.comment == comment:
            return known.id
        target[0] = known.id if known else ""

    def send() -> str:
        files = {
            "file": (filename, data, MEDIA_TYPE),
            "comment": (None, comment),
            "minorEdit": (None, "true"),
        }
        path = f"{base}/{q('att' + target[0])}/data" if target[0] else base
        try:
            answer = transport.send_once(
                "POST", path, what=what, files=files, headers=UPLOAD_HEADERS
            )
        except NotFoundError:
            if not target[0]:
                raise
            # The recorded attachment may be gone (deleted by hand): the name decides again.
            # A 404 also means a file over the site's size limit (both specs list it under
            # 404): when the attachment is still there, the 404 was about the file; say so.
            gone = target[0]
            found = find_attachment(transport, page_id, filename)
            if found is not None and found.id == gone:
                raise
            target[0] = found.id if found else ""
            return send()
        except BadRequestError:
            if target[0]:
                raise
            # The page has the name already (an index that lost its record): ours if it
            # holds our digest, else our file becomes its next version.
            found = find_attachment(transport, page_id, filename)
            if found is None:
                raise
            if found.comment == comment:
                return found.id
            target[0] = found.id
            return send()
        return _id_of(answer) or target[0]

    def landed() -> str | None:
        found = find_attachment(transport, page_id, filename)
        if found is None:
            return None
        if found.comment == comment:
            return found.id  # the earlier attempt saved it: not sent twice
        target[0] = found.id  # there, but an older file: send ours as its next version
        return None

    return transport.retrier.run("POST", what, send, find_existing=landed)
