"""A page's attachments in the viewer: the list under the page, and the file at its download
address, as Confluence serves it.

Confluence downloads an attachment at ``/download/attachments/{pageId}/{filename}`` below the
site's base (``/wiki/download/…`` on Cloud; the ``_links.download`` of every attachment answer,
``api/links.py``), for whoever may read the page; a missing page or file, or one the reader may
not see, is a 404 (no hint that it exists). The viewer serves the same path under its prefix,
and ``server.py`` hands it the site's own download paths. Every file name shown is escaped and
every link percent-encoded; the body goes out as the stored media type, as an attachment
download (``Content-Disposition``), never rendered as the viewer's HTML.

Imports: the store's records, werkzeug.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from urllib.parse import quote

from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from confluence_sync.localwiki.store import Store
from confluence_sync.localwiki.store.model import Page


def download_path(prefix: str, page_id: int, filename: str) -> str:
    return f"{prefix}/download/attachments/{page_id}/{quote(filename, safe='')}"


def attachments_html(store: Store, prefix: str, page: Page, heading: str) -> str:
    """The page's current attachments as a list of download links ("" without any)."""
    found = store.attachments(page.id)
    if not found:
        return ""
    items = "".join(
        f'<li><a class="attachment" href="{escape(download_path(prefix, page.id, a.title))}">'
        f"{escape(a.title)}</a> <small>({a.size:,} B, v{a.version})</small></li>"
        for a in found
    )
    return f'<section class="attachments"><h2>{escape(heading)}</h2><ul>{items}</ul></section>'


def download(store: Store, page_of: Callable[[int], Page], page_id: int, filename: str) -> Response:
    """The body of the page's attachment ``filename`` (``page_of`` checks the reader may see
    the page, and raises NotFound otherwise)."""
    page = page_of(page_id)
    found = store.attachments(page.id, filename)
    if not found:
        raise NotFound()
    attachment = found[-1]
    data = store.attachment_data(attachment.id)
    response = Response(data, mimetype=attachment.media_type or "application/octet-stream")
    response.headers["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(attachment.title, safe='')}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
