"""Which scopes a Cloud request of the sync needs: what a ``FAILURE_CLIENT_SCOPE_CHECK`` 401
is about, named for the user.

Through the API gateway (``https://api.atlassian.com/ex/confluence/{cloudId}``) a scoped API
token that lacks a scope of the operation gets 401 with ``X-Failure-Category:
FAILURE_CLIENT_SCOPE_CHECK`` and the body ``{"code": 401, "message": "Unauthorized; scope
does not match"}`` (kovetskiy/mark#917; real-confluence.md item 14): the body does not say
which scope. Atlassian's specs do, per operation (``security`` → ``oAuthDefinitions``):
cloud-v1.json for the v1 routes (classic scopes), cloud-v2-2026-04.json for v2 (granular
scopes), both in ../shared/confluence-openapi. ``TABLE`` holds the Cloud operations a
sync sends (``cloud.py``, ``cloud_writer.py``, ``writes.py``, ``adapter.py``), copied from
those specs; tests/unit/backends/test_backend_gateway.py holds every line equal to the local
wiki's table derived from the same specs, and tests/integration/sync/test_gateway.py syncs
the example with a token that holds exactly ``all_needed()`` and checks that every request of
a sync is in this table as the local wiki's table has it (a request missing here would be
refused without its scope named). An operation the specs give no scope for (v1 ``POST /space/{key}/permission``) is not
listed: we name no scope we cannot cite.

Imports: nothing of the project.
"""

from __future__ import annotations

import re
from functools import lru_cache

# ruff: noqa: E501 - one operation per line, as in the specs
TABLE: tuple[str, ...] = (
    "v1 DELETE /content/{id}/label write:confluence-content",
    "v1 DELETE /group/userByGroupId write:confluence-groups",
    "v1 GET /content/{id}/label read:confluence-content.summary",
    "v1 GET /group read:confluence-groups",
    "v1 GET /group/by-name read:confluence-groups",
    "v1 GET /group/picker read:confluence-groups",
    "v1 GET /group/{groupId}/membersByGroupId read:confluence-groups",
    "v1 GET /template/page read:confluence-content.summary",
    "v1 GET /user read:confluence-user",
    "v1 GET /user/current read:confluence-user",
    "v1 POST /content/{id}/child/attachment write:confluence-file",
    "v1 POST /content/{id}/child/attachment/{attachmentId}/data write:confluence-file",
    "v1 POST /content/{id}/label write:confluence-content",
    "v1 POST /group write:confluence-groups",
    "v1 POST /group/userByGroupId write:confluence-groups",
    "v1 POST /space write:confluence-space",
    "v1 POST /space/_private write:confluence-space",
    "v1 POST /template write:confluence-content",
    "v1 PUT /content/{pageId}/move/{position}/{targetId} write:confluence-content",
    "v1 PUT /template write:confluence-content",
    "v2 GET /pages/{id} read:page:confluence",
    "v2 GET /pages/{id}/attachments read:attachment:confluence",
    "v2 GET /pages/{id}/labels read:page:confluence",
    "v2 GET /pages/{id}/versions read:page:confluence",
    "v2 GET /pages/{page-id}/properties read:page:confluence",
    "v2 GET /space-role-mode read:configuration:confluence",
    "v2 GET /space-roles read:space.permission:confluence",
    "v2 GET /spaces read:space:confluence",
    "v2 GET /spaces/{id} read:space:confluence",
    "v2 GET /spaces/{id}/pages read:page:confluence",
    "v2 GET /spaces/{id}/permissions read:space:confluence",
    "v2 GET /spaces/{id}/role-assignments read:space.permission:confluence",
    "v2 GET /spaces/{space-id}/properties read:space:confluence",
    "v2 POST /pages write:page:confluence",
    "v2 POST /pages/{page-id}/properties read:page:confluence,write:page:confluence",
    "v2 POST /spaces write:space:confluence",
    "v2 POST /spaces/{id}/role-assignments write:space.permission:confluence",
    "v2 POST /spaces/{space-id}/properties read:space:confluence,write:space:confluence",
    "v2 PUT /pages/{id} write:page:confluence",
    "v2 PUT /pages/{page-id}/properties/{property-id} read:page:confluence,write:page:confluence",
    "v2 PUT /spaces/{space-id}/properties/{property-id} read:space:confluence,write:space:confluence",
)
_MOUNTS = (("v2", "/api/v2"), ("v1", "/rest/api"))


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, str, re.Pattern[str], int, tuple[str, ...]]]:
    rows = []
    for line in TABLE:
        api, method, path, scopes = line.split(" ")
        parts = re.split(r"(\{[^}]+\})", path)
        body = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
        rows.append(
            (api, method, re.compile(body + "/?\\Z"), path.count("{"), tuple(scopes.split(",")))
        )
    # literal paths before templated ones (``/group/by-name`` beside ``/group/{groupName}``)
    return sorted(rows, key=lambda row: row[3])


def needed(method: str, path: str) -> tuple[str, ...]:
    """The scopes ``method path`` needs per the specs; ``path`` as the messages show it (any
    prefix before ``/api/v2`` or ``/rest/api``, no query). Empty when the specs name none."""
    path = "/" + path.split("?", 1)[0].lstrip("/")
    for api, mount in _MOUNTS:
        at = path.find(mount + "/")
        if at < 0:
            continue
        below = path[at + len(mount) :]
        for row_api, row_method, pattern, _, scopes in _patterns():
            if row_api == api and row_method == method.upper() and pattern.match(below):
                return scopes
        return ()
    return ()


def all_needed() -> tuple[str, ...]:
    """Every scope of ``TABLE``: what a scoped token for the sync should hold."""
    return tuple(sorted({scope for line in TABLE for scope in line.rsplit(" ", 1)[1].split(",")}))
