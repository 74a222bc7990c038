"""v1 / Data Center routes that say what the site is: Data Center's server information and
Cloud's system information, the reads a client (``confluence-sync doctor``) makes to learn the
flavour and version before it trusts a URL. Also what the current user may do on the site
(Cloud's ``user/current?expand=operations``, whose answer ``people.current_user`` adds) and
Data Center's global permissions of a user. And the version gate: which DC release the wiki
plays (``Options.dc_version``) and the routes that release does not have yet.

Imports: ``web`` (ctx, checks, errors, routing), ``api.v1`` (table) and the store's records.
"""

from __future__ import annotations

import uuid
from typing import Any, Final

from werkzeug.wrappers import Response

from confluence_sync.localwiki.api.v1.table import v1
from confluence_sync.localwiki.store.model import User
from confluence_sync.localwiki.web.checks import require_admin
from confluence_sync.localwiki.web.ctx import Ctx, respond
from confluence_sync.localwiki.web.errors import ApiError
from confluence_sync.localwiki.web.routing import CLOUD, DC

# The release whose REST API this wiki follows on Data Center (dc-10.0.3.json) by default;
# ``Options.dc_version`` plays an older one, whose missing routes ``require_dc`` refuses.
DC_VERSION: Final = "10.0.3"
# Routes that came with a release. ``/space/{key}/permissions…`` are DC 9.1's (CONFSERVER-78176;
# onyx-dot-app/onyx ``onyx_confluence.py``: "requires Confluence Data Center 9.1.0+", a 404
# below). ``/admin/group…`` and ``/user/{u}/group/{g}`` are DC 8.2's
# (atlassian-api/atlassian-python-api#1180 "new API endpoints provided in Confluence DC 8.2",
# #1425 cites the 8.2.0 REST docs for the PUT).
SPACE_PERMISSIONS_SINCE: Final = (9, 1)
GROUP_ADMIN_SINCE: Final = (8, 2)


def parse_version(text: str) -> tuple[int, ...] | None:
    """``"9.1.0"`` → ``(9, 1, 0)``; None for anything that is not dotted numbers."""
    parts = text.strip().split(".")
    if not 1 <= len(parts) <= 4 or not all(p.isdigit() and len(p) <= 4 for p in parts):
        return None
    return tuple(int(p) for p in parts)


def dc_version(ctx: Ctx) -> tuple[int, ...]:
    return parse_version(ctx.options.dc_version) or (10, 0, 3)


def require_dc(ctx: Ctx, since: tuple[int, ...]) -> None:
    """Refuse a route the played DC release does not have, with the 404 this wiki gives any
    route it does not know (``web.app``): to a client the route simply is not there."""
    if not ctx.cloud and dc_version(ctx) < since:
        raise ApiError(404, f"No route for {ctx.request.method} {ctx.request.path}")


_CLOUD_ID_NAMESPACE: Final = uuid.UUID("3f2b8f0e-6a4d-4c35-9d8e-1c0f5b7a2e44")


@v1.route("/server-information", ["GET"], flavours=DC)
def server_information(ctx: Ctx) -> Response:
    """DC 10.0.3 ``GET /rest/api/server-information`` (dc-10.0.3.json, operation ``index_2``):
    a ``ServerInformation`` {baseUrl, version, buildNumber, marketplaceBuildNumber,
    buildDate}; 401 without credentials, which the core's authentication already answers.
    Cloud has no such route (cloud-v1.json), so it is Data Center's only. The version is
    the played release's; the build number is its series' (major × 1000: the spec gives no
    example, and a client compares versions, not builds). No version header is sent on other
    answers: dc-10.0.3.json documents no response header at all, so a client learns the
    version here only."""
    build = dc_version(ctx)[0] * 1000
    return respond(
        {
            "baseUrl": ctx.base,
            "version": ctx.options.dc_version,
            "buildNumber": build,
            "marketplaceBuildNumber": build,
            "buildDate": "2025-06-24T00:00:00.000Z",
        }
    )


@v1.route("/settings/systemInfo", ["GET"], flavours=CLOUD)
def system_info(ctx: Ctx) -> Response:
    """Cloud ``GET /wiki/rest/api/settings/systemInfo`` (cloud-v1.json ``getSystemInfo``):
    a ``SystemInfoEntity`` whose ``cloudId`` and ``commitHash`` are required, with baseUrl,
    edition, siteTitle and defaultLocale. Data Center has no such route (dc-10.0.3.json)."""
    host = ctx.request.host.split(":")[0]
    return respond(
        {
            "cloudId": str(uuid.uuid5(_CLOUD_ID_NAMESPACE, host)),
            "commitHash": "localwiki",
            "baseUrl": ctx.base,
            "edition": "free",
            "siteTitle": "Confluence",
            "defaultLocale": "en_US",
        }
    )


def operations_json(ctx: Ctx, user: User | None) -> list[dict[str, Any]]:
    """What ``expand=operations`` on Cloud's ``GET /user/current`` lists: the site-wide
    operations the caller may do, as ``OperationCheckResult`` {operation, targetType}
    (cloud-v1.json; its operation enum holds ``use``, ``create_space`` and ``administer``).
    Here every account may use the site and create spaces (the space create route refuses
    only anonymous callers), and the members of an admin group administer it (groups,
    members, every space's permissions). The target type ``application`` for these
    site-wide operations is what the spec's description of targetType lists first."""
    if user is None:
        return []
    operations = [
        {"operation": "use", "targetType": "application"},
        {"operation": "create_space", "targetType": "application"},
    ]
    if ctx.store.is_admin(user):
        operations.append({"operation": "administer", "targetType": "application"})
    return operations


@v1.route("/permissions/user/<user>", ["GET"], flavours=DC)
def global_permissions_of(ctx: Ctx, user: str) -> Response:
    """DC 10 ``GET /rest/api/permissions/user/{user}`` (dc-10.0.3.json
    getPermissionsGrantedToUser): the global permissions of a user named by key or username,
    as ``GlobalPermission`` {operation: {operationKey, targetType}, subject}; 403 when the
    caller lacks the permission to read them (an administrator's), 404 for no such user. The
    pairs are the ones the spec's setPermissions lists: application use / administer, system
    administer, personal_space create, space create."""
    require_admin(ctx, "The calling user does not have permission to view global permissions")
    person = ctx.store.user_by_key(user) or ctx.store.user_by_name(user)
    if person is None:
        raise ApiError(404, f"No user found with key or username {user}")
    pairs = [("use", "application"), ("create", "personal_space"), ("create", "space")]
    if ctx.store.is_admin(person):
        pairs += [("administer", "application"), ("administer", "system")]
    subject = {"type": "user", "displayName": person.display_name}
    return respond(
        [{"operation": {"operationKey": k, "targetType": t}, "subject": subject} for k, t in pairs]
    )
