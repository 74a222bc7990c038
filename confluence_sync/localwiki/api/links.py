"""Links Confluence puts into its answers that v1 and v2 share: a Cloud page's UI links and an
attachment's page and download links (all relative to ``_links.base``).

DC names the edit link ``edit``, Cloud ``editui`` plus ``edituiv2`` (captured answers: a DC
``GET /rest/api/content/{id}`` in KelkooGroup/theGardener's test data, Cloud v1 and v2 page
answers in zeldigas/text2confl's ``src/test/resources/data/responses``).

Imports: the store's records only.
"""

from __future__ import annotations

from confluence_sync.localwiki.store.model import Attachment, Page


def cloud_page_links(page: Page) -> dict[str, str]:
    """``webui``, ``editui``, ``edituiv2`` and ``tinyui`` of a page on Cloud (v1 and v2)."""
    return {
        "webui": f"/spaces/{page.space_key}/pages/{page.id}",
        "editui": edit_draft(page),
        "edituiv2": f"/spaces/{page.space_key}/pages/edit-v2/{page.id}",
        "tinyui": f"/x/{page.id}",
    }


def edit_draft(page: Page) -> str:
    """The editor's link to a page (DC ``edit``, Cloud ``editui``)."""
    return f"/pages/resumedraft.action?draftId={page.id}"


def attachments_page(att: Attachment) -> str:
    """The page that lists an attachment's page's attachments (``webui``)."""
    return f"/pages/viewpageattachments.action?pageId={att.page_id}"


def attachment_download(att: Attachment) -> str:
    return (
        f"/download/attachments/{att.page_id}/{att.title}?version={att.version}"
        "&modificationDate=0&api=v2"
    )
