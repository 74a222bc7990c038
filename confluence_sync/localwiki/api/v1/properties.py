"""v1 / Data Center content and space properties (``/content/{id}/property[/{key}]``,
``/space/{key}/property[/{key}]``), addressed by key.

A property's version counts on its own: an update must carry current+1 (else 409), and an
update at version 1 of a missing key creates it, as both specs (Cloud v1, DC 10) document.
A value over 32 KB of JSON is refused with 413 (``store/meta.py``, ``MAX_PROPERTY_VALUE``).
Reading needs the page's or space's read permission, writing the right to create pages
there. These routes answer 410 on a Cloud site whose v1 content routes are gone.

Imports: ``web`` (ctx, checks, errors), ``api.v1`` (table, shapes) and the store's records.
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v1.shapes import entity, list_json, paging, property_json
from confluence_sync.localwiki.api.v1.table import v1
from confluence_sync.localwiki.store.model import Property
from confluence_sync.localwiki.web.checks import readable_page, readable_space, require
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError


@dataclass(frozen=True)
class _Owner:
    """What the properties hang off, once the caller's right to it is checked."""

    kind: str  # "content" or "space", as the store names owners
    id: int
    path: str  # below /rest/api: content/{id} or space/{key}


def _page_owner(ctx: Ctx, page_id: int, *, write: bool = False) -> _Owner:
    page = readable_page(ctx, page_id, ("current", "draft"))
    if write:
        require(ctx, page.space_id, "create", page.type)
    return _Owner("content", page.id, f"content/{page_id}")


def _space_owner(ctx: Ctx, key: str, *, write: bool = False) -> _Owner:
    space = readable_space(ctx, key)
    if write:
        require(ctx, space.id, "create", "page")
    return _Owner("space", space.id, f"space/{space.key}")


def _answer(ctx: Ctx, owner: _Owner, prop: Property) -> Response:
    return respond(entity(ctx, property_json(ctx, prop, owner.path)))


def _list(ctx: Ctx, owner: _Owner) -> Response:
    start, limit = paging(ctx, default=10)
    props = ctx.store.properties(owner.kind, owner.id)
    results = [property_json(ctx, p, owner.path) for p in props[start : start + limit]]
    return respond(
        list_json(ctx, results, start=start, limit=limit, more=len(props) > start + limit)
    )


def _get(ctx: Ctx, owner: _Owner, key: str) -> Response:
    prop = ctx.store.property(owner.kind, owner.id, key)
    if prop is None:
        raise ApiError(404, f"No property found with key: {key}")
    return _answer(ctx, owner, prop)


def _update(ctx: Ctx, owner: _Owner, key: str) -> Response:
    data = ctx.body_dict()
    number = (data.get("version") or {}).get("number")
    if not isinstance(number, int) or "value" not in data:
        raise ApiError(400, "value and version.number are required")
    prop = ctx.store.update_property(
        owner.kind, owner.id, key, data["value"], number, ctx.username, create_missing=True
    )
    return _answer(ctx, owner, prop)


def _delete(ctx: Ctx, owner: _Owner, key: str) -> Response:
    ctx.store.delete_property(owner.kind, owner.id, key)
    return respond(None, 204)


# -- content properties --------------------------------------------------------------------
@v1.route("/content/<int:page_id>/property", ["GET"], gone_on_cloud=True)
def list_properties(ctx: Ctx, page_id: int) -> Response:
    return _list(ctx, _page_owner(ctx, page_id))


def _create(ctx: Ctx, owner: _Owner, key: str | None) -> Response:
    """Create a property of a page or a space; the key comes from the URL or the body."""
    data = ctx.body_dict()
    key = key or data.get("key")
    if not isinstance(key, str):
        raise ApiError(400, "key is required")
    if "value" not in data:
        raise ApiError(400, "value is required")
    prop = ctx.store.create_property(owner.kind, owner.id, key, data["value"], ctx.username)
    return _answer(ctx, owner, prop)


def _create_property(ctx: Ctx, page_id: int, key: str | None) -> Response:
    return _create(ctx, _page_owner(ctx, page_id, write=True), key)


@v1.route("/content/<int:page_id>/property", ["POST"], gone_on_cloud=True)
def create_property(ctx: Ctx, page_id: int) -> Response:
    return _create_property(ctx, page_id, None)


@v1.route("/content/<int:page_id>/property/<key>", ["POST"], gone_on_cloud=True)
def create_property_for_key(ctx: Ctx, page_id: int, key: str) -> Response:
    return _create_property(ctx, page_id, key)


@v1.route("/content/<int:page_id>/property/<key>", ["GET"], gone_on_cloud=True)
def get_property(ctx: Ctx, page_id: int, key: str) -> Response:
    return _get(ctx, _page_owner(ctx, page_id), key)


@v1.route("/content/<int:page_id>/property/<key>", ["PUT"], gone_on_cloud=True)
def update_property(ctx: Ctx, page_id: int, key: str) -> Response:
    return _update(ctx, _page_owner(ctx, page_id, write=True), key)


@v1.route("/content/<int:page_id>/property/<key>", ["DELETE"], gone_on_cloud=True)
def delete_property(ctx: Ctx, page_id: int, key: str) -> Response:
    return _delete(ctx, _page_owner(ctx, page_id, write=True), key)


# -- space properties --------------------------------------------------------------------
@v1.route("/space/<key>/property", ["GET"], gone_on_cloud=True)
def list_space_properties(ctx: Ctx, key: str) -> Response:
    return _list(ctx, _space_owner(ctx, key))


def _create_space_property(ctx: Ctx, key: str, prop_key: str | None) -> Response:
    return _create(ctx, _space_owner(ctx, key, write=True), prop_key)


@v1.route("/space/<key>/property", ["POST"], gone_on_cloud=True)
def create_space_property(ctx: Ctx, key: str) -> Response:
    return _create_space_property(ctx, key, None)


@v1.route("/space/<key>/property/<prop_key>", ["POST"], gone_on_cloud=True)
def create_space_property_for_key(ctx: Ctx, key: str, prop_key: str) -> Response:
    return _create_space_property(ctx, key, prop_key)


@v1.route("/space/<key>/property/<prop_key>", ["GET"], gone_on_cloud=True)
def get_space_property(ctx: Ctx, key: str, prop_key: str) -> Response:
    return _get(ctx, _space_owner(ctx, key), prop_key)


@v1.route("/space/<key>/property/<prop_key>", ["PUT"], gone_on_cloud=True)
def update_space_property(ctx: Ctx, key: str, prop_key: str) -> Response:
    return _update(ctx, _space_owner(ctx, key, write=True), prop_key)


@v1.route("/space/<key>/property/<prop_key>", ["DELETE"], gone_on_cloud=True)
def delete_space_property(ctx: Ctx, key: str, prop_key: str) -> Response:
    return _delete(ctx, _space_owner(ctx, key, write=True), prop_key)
