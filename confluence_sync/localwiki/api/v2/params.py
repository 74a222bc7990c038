"""What v2 routes read from a request beyond the cursor: ids typed as Java longs, status lists
and sort orders, refused with v2's 400 wording when malformed.

Imports: ``web.ctx``, ``web.errors`` and ``web.numbers``.
"""

from __future__ import annotations

from typing import Any

from confluence_sync.localwiki.web.ctx import Ctx
from confluence_sync.localwiki.web.errors import ApiError
from confluence_sync.localwiki.web.numbers import parse_long

SORTS = (
    "id",
    "-id",
    "title",
    "-title",
    "created-date",
    "-created-date",
    "modified-date",
    "-modified-date",
)


def int_param(value: Any, name: str) -> int:
    """An id from a query or body: the v2 spec types them int64 (Java long)."""
    number = parse_long(value)
    if number is None:
        raise ApiError(400, f"Provided value for '{name}' is not the correct type.")
    return number


def id_list(ctx: Ctx, name: str) -> list[int]:
    """A list parameter of ids (``id``, ``space-id``, ``ids``, ``label-id``)."""
    return [int_param(v, name) for v in ctx.list_arg(name)]


def statuses(ctx: Ctx, default: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(ctx.list_arg("status")) or default


def sort_order(ctx: Ctx) -> str:
    sort = ctx.arg("sort") or "id"
    if sort not in SORTS:
        raise ApiError(400, f"Provided value for 'sort' is not valid: {sort}")
    return sort
