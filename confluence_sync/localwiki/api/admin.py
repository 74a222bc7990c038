"""The local wiki's own admin routes (``/__localwiki/...``, both flavours, admin credentials
required): what tests and demos need that Confluence does through its UI.

* ``POST /__localwiki/users`` ``{username, password, email?, displayName?, groups?}`` →
  the user plus a fresh ``token`` (API token / PAT);
* ``POST /__localwiki/groups`` ``{name, members?}``;
* ``POST /__localwiki/tokens`` ``{username}`` → ``{token}``;
* ``POST /__localwiki/editor-save`` ``{pageId, username, body, title?, message?}``: a member
  presses Save in the page editor. ``body`` is the page as the member typed it (their edit
  applied to the body they opened). The flavour's editor re-serialises all of it
  (``rules/editor``), the server normalises it as it does every stored body, and it is saved
  as the next version authored by that member — who needs the rights a member needs to edit
  the page, as in Confluence. Answers ``{id, version, body}``: the stored body, for the test
  to look at;
* ``POST /__localwiki/archive`` ``{page_id, username}``: that member presses *Archive*.

The faults (``/__localwiki/faults``), the journal (``/__localwiki/journal``) and
``/__localwiki/ping`` are answered by the middleware in ``testing/``, before the core.

Imports: ``web`` (ctx, checks, errors, routing), ``rules`` (the editor) and the two v1 rules
these actions share with the REST API: archiving (``api.v1.archive``) and a user body's
string fields (``api.v1.people``).
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v1.archive import archive_pages
from confluence_sync.localwiki.api.v1.people import text_fields
from confluence_sync.localwiki.rules.editor.save import SaveContext, save
from confluence_sync.localwiki.rules.storage_format import XhtmlError
from confluence_sync.localwiki.web.checks import require_admin, storage_body
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError
from confluence_sync.localwiki.web.routing import RouteTable

admin = RouteTable()


@admin.route("/users", ["POST"])
def admin_create_user(ctx: Ctx) -> Response:
    require_admin(ctx)
    data = ctx.body_dict()
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise ApiError(400, "username and password are required")
    fields = text_fields(data, "email", "displayName")
    groups = data.get("groups", ["confluence-users"])
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        raise ApiError(400, "groups must be a list of group names")
    user = ctx.store.create_user(
        username,
        password,
        email=fields["email"],
        display_name=fields["displayName"],
        groups=groups,
    )
    token = ctx.store.create_token(user.username)
    return respond(
        {
            "username": user.username,
            "email": user.email,
            "userKey": user.user_key,
            "accountId": user.account_id,
            "token": token,
        },
        201,
    )


@admin.route("/groups", ["POST"])
def admin_create_group(ctx: Ctx) -> Response:
    require_admin(ctx)
    data = ctx.body_dict()
    group = ctx.store.create_group(str(data.get("name") or ""))
    for member in data.get("members") or []:
        ctx.store.add_member(group.name, str(member))
    return respond({"name": group.name, "id": group.id}, 201)


@admin.route("/tokens", ["POST"])
def admin_create_token(ctx: Ctx) -> Response:
    require_admin(ctx)
    token = ctx.store.create_token(str(ctx.body_dict().get("username") or ""))
    return respond({"token": token}, 201)


@admin.route("/editor-save", ["POST"])
def editor_save(ctx: Ctx) -> Response:
    require_admin(ctx)
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
    except XhtmlError as error:
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


@admin.route("/archive", ["POST"])
def archive_as_user(ctx: Ctx) -> Response:
    """``{"page_id": …, "username": …}``: that user presses *Archive* on the page (the UI
    action, on either flavour). Admin only, like every ``/__localwiki`` route that acts for
    someone."""
    require_admin(ctx, "Only an administrator may act for another user")
    data = ctx.body_dict()
    user = ctx.store.user_by_name(str(data.get("username") or ""))
    if user is None:
        raise ApiError(404, f"No user {data.get('username')!r}")
    try:
        page_id = int(data["page_id"])
    except (KeyError, TypeError, ValueError):
        raise ApiError(400, "page_id must be a content id") from None
    ctx.user = user
    archive_pages(ctx, [page_id])
    return respond(None, 204)
