"""Cloud v1's bulk user read (``GET /user/bulk``, cloud-v1.json getBulkUserLookup), which the
digest uses to name the accounts tasks mention; Data Center has none (404).

Imports: ``web`` (ctx, errors, routing), ``api.v1`` (table, shapes, people_shapes).
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v1.people_shapes import user_json
from confluence_sync.localwiki.api.v1.shapes import list_json
from confluence_sync.localwiki.api.v1.table import v1
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError
from confluence_sync.localwiki.web.routing import CLOUD


@v1.route("/user/bulk", ["GET"], flavours=CLOUD)
def users_in_bulk(ctx: Ctx) -> Response:
    """Cloud v1 ``getBulkUserLookup``: ``accountId`` is one string of comma-separated ids
    (required); ``limit`` 1..200, and "if more than 200 ids are passed first 200 will be
    returned" (cloud-v1.json): no next page. Unknown ids are left out, not refused."""
    raw = ",".join(ctx.request.args.getlist("accountId"))
    wanted = [part.strip() for part in raw.split(",") if part.strip()]
    if not wanted:
        raise ApiError(400, "accountId is required")
    limit = ctx.int_arg("limit", 200)
    if not 1 <= limit <= 200:
        raise ApiError(400, "limit must be between 1 and 200")
    found = (ctx.store.user_by_account_id(account) for account in wanted[:limit])
    # A BulkUserLookup requires ``_expandable`` (cloud-v1.json), which ``GET /user`` omits.
    users = [
        {**user_json(ctx, user), "_expandable": {"operations": "", "personalSpace": ""}}
        for user in found
        if user is not None
    ]
    return respond(list_json(ctx, users, start=0, limit=limit, more=False))
