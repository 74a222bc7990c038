"""``POST /__localwiki/editor-save``: a member presses Save in the page editor.

Body ``{pageId, username, body, title?, message?}``; admin credentials required, like every
``/__localwiki`` route. ``body`` is the page as the member typed it (their edit applied to the
body they opened). The flavour's editor re-serialises all of it (``editor_save``), the server
normalises it as it does every stored body, and it is saved as the next version authored by
that member — who needs the rights a member needs to edit the page, as in Confluence. Answers
``{id, version, body}``: the stored body, for the test to look at.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v1.people import admin
from confluence_sync.localwiki.rules.editor.save import SaveContext, save
from confluence_sync.localwiki.rules.storage_format import StorageFormatError
from confluence_sync.localwiki.web.checks import storage_body
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError


@admin.route("/editor-save", ["POST"])
def editor_save(ctx: Ctx) -> Response:
    if not ctx.store.is_admin(ctx.user):
        raise ApiError(403, "Only Confluence administrators may do this")
    data = ctx.body_dict()
    member = ctx.store.resolve_user(str(data.get("username") or ""))
    if member is None:
        raise ApiError(404, f"No user {data.get('username')!r}")
    typed = data.get("body")
    if not isinstance(typed, str):
        raise ApiError(400, "body (the page as the member typed it) is required")
    page = ctx.store.page(int(str(data.get("pageId") or 0)))
    if page is None or page.status != "current":
        raise ApiError(404, f"No content found with id : ContentId{{id={data.get('pageId')}}}")
    if not ctx.store.can(member, page.space_id, "read", "space"):
        raise ApiError(404, f"No content found with id : ContentId{{id={page.id}}}")
    if not ctx.store.can(member, page.space_id, "create", page.type):
        raise ApiError(403, f"User {member.username} may not edit pages in this space")

    def version_of(space_key: str, title: str) -> int | None:
        space = ctx.store.space_by_key(space_key)
        found = ctx.store.find_pages(space_ids=[space.id], title=title, limit=1) if space else []
        return found[0].version if found else None

    context = SaveContext(page.id, page.version + 1, page.space_key, version_of)
    try:
        saved = save(ctx.options.flavour, typed, context)
    except StorageFormatError as error:
        raise ApiError(400, str(error)) from None
    updated = ctx.store.update_page(
        page.id,
        title=str(data.get("title") or page.title),
        version=page.version + 1,
        author=member.username,
        body=storage_body(saved),
        message=str(data.get("message") or ""),
    )
    return respond({"id": str(updated.id), "version": updated.version, "body": updated.body})
