"""The checks every route makes before it acts, answering the way Confluence does: may the
caller read or change this space or page, and is the body it sent valid storage format.

No read permission looks exactly like "does not exist" (404), so a client cannot probe for
spaces it may not see; read without the needed write permission is 403 (404 on v2).

Imports: ``web.ctx``, ``web.errors``, the store's records and ``rules.storage_format``.
"""

from __future__ import annotations

from typing import Any

from confluence_sync.localwiki.rules import storage_format
from confluence_sync.localwiki.store.model import Page, Space
from confluence_sync.localwiki.web.ctx import Ctx
from confluence_sync.localwiki.web.errors import ApiError


def space_not_found(key: str) -> ApiError:
    return ApiError(404, f"No space found with key : {key}")


def page_not_found(page_id: int | str) -> ApiError:
    return ApiError(404, f"No content found with id : ContentId{{id={page_id}}}")


def readable_space(ctx: Ctx, key: str) -> Space:
    # A space being deleted stays visible until its long task finishes, as in Confluence.
    space = ctx.store.space_by_key(key)
    if space is None or not ctx.store.can(ctx.user, space.id, "read", "space"):
        raise space_not_found(key)
    return space


def readable_space_id(ctx: Ctx, space_id: int) -> Space:
    space = ctx.store.space_by_id(space_id)
    if space is None or space.deleting or not ctx.store.can(ctx.user, space.id, "read", "space"):
        raise ApiError(404, f"No space found with id : {space_id}")
    return space


def can_read(ctx: Ctx, space_id: int) -> bool:
    return ctx.store.can(ctx.user, space_id, "read", "space")


def readable_page(ctx: Ctx, page_id: int, statuses: tuple[str, ...] = ("current",)) -> Page:
    page = ctx.store.page(page_id)
    if page is None or not can_read(ctx, page.space_id):
        raise page_not_found(page_id)
    if "any" not in statuses and page.status not in statuses:
        raise page_not_found(page_id)
    space = ctx.store.space_by_id(page.space_id)
    if space is None or space.deleting:
        raise page_not_found(page_id)
    return page


def require(ctx: Ctx, space_id: int, operation: str, target: str) -> None:
    if not ctx.store.can(ctx.user, space_id, operation, target):
        raise ApiError(
            403,
            f"User {ctx.username} does not have permission to {operation} {target} in this space",
        )


def require_writable(ctx: Ctx, space_id: int, op: str = "create", target: str = "page") -> None:
    """``require`` as v2 answers it: a write the caller may not make is 404, as the v2 spec
    documents (v1/DC answer 403)."""
    if not ctx.store.can(ctx.user, space_id, op, target):
        raise ApiError(404, "The space does not exist or you may not change content in it")


def require_admin(ctx: Ctx, message: str = "Only Confluence administrators may do this") -> None:
    """The caller is a site administrator (a member of an admin group), else 403."""
    if not ctx.store.is_admin(ctx.user):
        raise ApiError(403, message)


def storage_body(value: Any) -> str:
    """Validate and normalise a storage body (400 with Confluence's text when malformed)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ApiError(400, "The body value must be a string")
    try:
        return storage_format.normalise(value)
    except storage_format.XhtmlError as error:
        raise ApiError(400, str(error)) from None
