"""Cloud v2 content properties of pages and spaces, addressed by numeric property id
(``/pages/{page-id}/properties[/{property-id}]``, ``/spaces/{space-id}/properties[...]``).
Versions count on their own: an update must carry current+1, else 409. A value over 32 KB of
JSON is refused with 400, the client error the v2 spec lists for these writes (v1/DC: 413;
see ``store/meta.py``, ``MAX_PROPERTY_VALUE``).

Imports: ``web`` (ctx, checks, errors), ``api.v2`` (table, shapes, params) and the store's
records.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v2.params import int_param
from confluence_sync.localwiki.api.v2.shapes import paged, property_v2
from confluence_sync.localwiki.api.v2.table import v2
from confluence_sync.localwiki.store.model import Property, TooLarge
from confluence_sync.localwiki.web.checks import readable_page, readable_space_id, require_writable
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError


def _json(ctx: Ctx, kind: str, prop: Property) -> dict[str, Any]:
    out = property_v2(ctx, prop)
    if kind != "space":
        return out
    # The spec's SpaceProperty is not a page's ContentProperty: createdAt and createdBy on the
    # property and in its version, no authorId or minorEdit.
    author = out["version"]["authorId"]
    return {
        "id": out["id"],
        "key": out["key"],
        "value": out["value"],
        "createdAt": prop.created_at,
        "createdBy": author,
        "version": {
            "createdAt": prop.updated_at,
            "createdBy": author,
            "message": "",
            "number": prop.version,
        },
    }


def _owner(ctx: Ctx, kind: str, owner_id: int, write: bool = False) -> int:
    if kind == "content":
        page = readable_page(ctx, owner_id, ("current", "draft"))
        if write:
            require_writable(ctx, page.space_id)
        return page.id
    space = readable_space_id(ctx, owner_id)
    if write:
        require_writable(ctx, space.id)
    return space.id


def _list_properties(ctx: Ctx, kind: str, owner_id: int) -> Response:
    owner = _owner(ctx, kind, owner_id)
    props = ctx.store.properties(kind, owner)
    if ctx.arg("key"):
        props = [p for p in props if p.key == ctx.arg("key")]
    return paged(ctx, [_json(ctx, kind, p) for p in props])


def _create_property(ctx: Ctx, kind: str, owner_id: int) -> Response:
    owner = _owner(ctx, kind, owner_id, write=True)
    data = ctx.body_dict()
    if not isinstance(data.get("key"), str):
        raise ApiError(400, "key is required")
    try:
        prop = ctx.store.create_property(kind, owner, data["key"], data.get("value"), ctx.username)
    except TooLarge as error:
        raise ApiError(400, error.message) from None
    # The v2 spec documents 200 for page properties but 201 for space properties.
    return respond(_json(ctx, kind, prop), 201 if kind == "space" else 200)


def _prop_or_404(ctx: Ctx, kind: str, owner: int, prop_id: int) -> Property:
    prop = ctx.store.property_by_id(prop_id)
    if prop is None or prop.owner_kind != kind or prop.owner_id != owner:
        raise ApiError(404, f"No property with id {prop_id}")
    return prop


def _get_property(ctx: Ctx, kind: str, owner_id: int, prop_id: int) -> Response:
    owner = _owner(ctx, kind, owner_id)
    return respond(_json(ctx, kind, _prop_or_404(ctx, kind, owner, prop_id)))


def _update_property(ctx: Ctx, kind: str, owner_id: int, prop_id: int) -> Response:
    owner = _owner(ctx, kind, owner_id, write=True)
    prop = _prop_or_404(ctx, kind, owner, prop_id)
    data = ctx.body_dict()
    number = int_param((data.get("version") or {}).get("number"), "version.number")
    if data.get("key") not in (None, prop.key):
        raise ApiError(400, "The key of a property cannot be changed")
    try:
        updated = ctx.store.update_property(
            kind, owner, prop.key, data.get("value"), number, ctx.username
        )
    except TooLarge as error:
        raise ApiError(400, error.message) from None
    return respond(_json(ctx, kind, updated))


def _delete_property(ctx: Ctx, kind: str, owner_id: int, prop_id: int) -> Response:
    owner = _owner(ctx, kind, owner_id, write=True)
    prop = _prop_or_404(ctx, kind, owner, prop_id)
    ctx.store.delete_property(kind, owner, prop.key)
    return respond(None, 204)


@v2.route("/pages/<int:owner_id>/properties", ["GET"])
def page_properties(ctx: Ctx, owner_id: int) -> Response:
    return _list_properties(ctx, "content", owner_id)


@v2.route("/pages/<int:owner_id>/properties", ["POST"])
def create_page_property(ctx: Ctx, owner_id: int) -> Response:
    return _create_property(ctx, "content", owner_id)


@v2.route("/pages/<int:owner_id>/properties/<int:prop_id>", ["GET"])
def get_page_property(ctx: Ctx, owner_id: int, prop_id: int) -> Response:
    return _get_property(ctx, "content", owner_id, prop_id)


@v2.route("/pages/<int:owner_id>/properties/<int:prop_id>", ["PUT"])
def update_page_property(ctx: Ctx, owner_id: int, prop_id: int) -> Response:
    return _update_property(ctx, "content", owner_id, prop_id)


@v2.route("/pages/<int:owner_id>/properties/<int:prop_id>", ["DELETE"])
def delete_page_property(ctx: Ctx, owner_id: int, prop_id: int) -> Response:
    return _delete_property(ctx, "content", owner_id, prop_id)


@v2.route("/spaces/<int:owner_id>/properties", ["GET"])
def space_properties(ctx: Ctx, owner_id: int) -> Response:
    return _list_properties(ctx, "space", owner_id)


@v2.route("/spaces/<int:owner_id>/properties", ["POST"])
def create_space_property(ctx: Ctx, owner_id: int) -> Response:
    return _create_property(ctx, "space", owner_id)


@v2.route("/spaces/<int:owner_id>/properties/<int:prop_id>", ["GET"])
def get_space_property(ctx: Ctx, owner_id: int, prop_id: int) -> Response:
    return _get_property(ctx, "space", owner_id, prop_id)


@v2.route("/spaces/<int:owner_id>/properties/<int:prop_id>", ["PUT"])
def update_space_property(ctx: Ctx, owner_id: int, prop_id: int) -> Response:
    return _update_property(ctx, "space", owner_id, prop_id)


@v2.route("/spaces/<int:owner_id>/properties/<int:prop_id>", ["DELETE"])
def delete_space_property(ctx: Ctx, owner_id: int, prop_id: int) -> Response:
    return _delete_property(ctx, "space", owner_id, prop_id)
