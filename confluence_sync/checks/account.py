"""The checks after the site is known: the credentials (as whom), the sync account's rights,
what the site's API can do, and whether the accounts the config names exist.

Reads, each cheap and each documented:

* who: ``GET …/rest/api/user/current`` (both flavours; Cloud with ``expand=operations``,
  which lists the site-wide operations the caller may do — cloud-v1.json getCurrentUser,
  ``OperationCheckResult`` {operation, targetType}: ``administer``, ``create_space`` …);
* rights on Data Center: ``GET /rest/api/user/memberof?username=`` (dc-10.0.3.json
  getGroups_1): the sync creates groups and adds members, which Data Center lets only
  Confluence administrators do (the ``confluence-administrators`` group of a default site);
  outside that group, DC 10's ``GET /rest/api/permissions/user/{user}``
  (getPermissionsGrantedToUser; readable by administrators only) may still say
  ``administer``;
* capabilities: Cloud's page-template API (``GET /wiki/rest/api/template/page``), its v1
  content routes (410 once Atlassian removed them; the sync uses v2 for pages) and the v2
  space permission list; on Data Center, what its release offers (the version the site
  check read): REST space permissions from 9.1, group admin from 8.2, else a warning saying
  what the admin will be asked to do by hand;
* accounts: ``GET …/rest/api/user?accountId=`` (Cloud) / ``?username=`` (DC), 404 when
  there is no such account — the lookup the backend's ``resolve_user`` makes.

Imports: ``errors``, ``flavours``, ``backends.contract`` (the releases' thresholds),
``plan.manual`` (the words of the steps by hand), ``checks.model`` and ``checks.site``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from confluence_sync.backends.contract import Capabilities, release_tuple
from confluence_sync.errors import (
    EXIT_ACCOUNTS,
    EXIT_CREDENTIALS,
    EXIT_SITE,
    AuthenticationError,
    CredentialsError,
    GoneError,
    NotFoundError,
    PermissionDeniedError,
    WikiError,
)
from confluence_sync.plan.manual import by_hand

from .model import Check, failed, passed
from .site import Found, Prober

ADMIN_GROUPS = ("confluence-administrators",)  # Data Center's default administrators group
TOKEN_HELP = {
    "cloud": "CONFLUENCE_USERNAME must be the account's e-mail and CONFLUENCE_API_TOKEN an API "
    "token of that account (id.atlassian.com → Security → API tokens); a scoped token needs "
    "the scopes listed in the README",
    "datacenter": "CONFLUENCE_TOKEN must be a personal access token of the sync account "
    "(Profile → Personal Access Tokens), or CONFLUENCE_USERNAME + CONFLUENCE_API_TOKEN its "
    "name and password",
}


def credentials(prober: Prober, found: Found) -> tuple[Check, dict[str, Any] | None]:
    """The credentials line and the account as the site sees it (None when refused)."""
    name = "credentials"
    params = {"expand": "operations"} if found.flavour == "cloud" else None
    try:
        data = prober.get(found.base + "/rest/api/user/current", "the sync account", params)
    except (AuthenticationError, CredentialsError) as error:
        status = getattr(error, "status", 401)
        return failed(
            name,
            f"the site refused the credentials (HTTP {status})",
            TOKEN_HELP[found.flavour],
            EXIT_CREDENTIALS,
        ), None
    except PermissionDeniedError:
        return failed(
            name,
            "the credentials are valid, but the account may not use Confluence (HTTP 403)",
            "give the sync account the 'Can use' global permission (a Confluence licence)",
            EXIT_CREDENTIALS,
        ), None
    if not isinstance(data, dict) or data.get("type") != "known":
        return failed(
            name,
            "the site answered as the anonymous user: the credentials were not accepted "
            "(a Data Center with anonymous access lets a wrong token through as anonymous)",
            TOKEN_HELP[found.flavour],
            EXIT_CREDENTIALS,
        ), None
    who = str(data.get("displayName") or "")
    handle = data.get("username") or data.get("email") or data.get("accountId") or ""
    return passed(name, f"accepted: signed in as {who} ({handle})"), data


def rights(prober: Prober, found: Found, me: dict[str, Any]) -> Check:
    """May the account create spaces, administer them and manage groups?"""
    name = "rights"
    if found.flavour == "cloud":
        operations = {
            (str(o.get("operation")), str(o.get("targetType")))
            for o in me.get("operations") or []
            if isinstance(o, dict)
        }
        admin = ("administer", "application") in operations
        create = any(op == "create_space" for op, _ in operations)
        create = create or ("create", "space") in operations
        if admin and create:
            return passed(
                name, "site administrator: may create spaces, administer them and manage groups"
            )
        missing = [
            w for w, ok in (("administer the site", admin), ("create spaces", create)) if not ok
        ]
        return failed(
            name,
            f"the account may not {' or '.join(missing)} (user/current lists no "
            f"{'administer' if not admin else 'create_space'} operation)",
            "make the sync account a site admin or Confluence admin (admin.atlassian.com → "
            "Products → Confluence → admins) with the 'Create space' global permission",
            EXIT_CREDENTIALS,
        )
    username = str(me.get("username") or "")
    try:
        answer = prober.get(
            found.base + "/rest/api/user/memberof",
            "the sync account's groups",
            {"username": username, "limit": 200},
        )
    except WikiError as error:
        return failed(
            name,
            f"the account's groups cannot be read ({error.message})",
            "check that the sync account may use the REST API",
            EXIT_CREDENTIALS,
        )
    results = answer.get("results") if isinstance(answer, dict) else None
    groups = sorted(str(g.get("name")) for g in results or [] if isinstance(g, dict))
    in_admins = next((g for g in groups if g in ADMIN_GROUPS), None)
    if in_admins:
        return passed(
            name,
            f"Confluence administrator ({username} is in {in_admins}): may create spaces, "
            "administer them and manage groups",
        )
    if _administers(prober, found, username):
        return passed(
            name,
            f"Confluence administrator ({username} holds the global administer permission): "
            "may create spaces, administer them and manage groups",
        )
    return failed(
        name,
        f"{username} is not a Confluence administrator (groups: {', '.join(groups) or 'none'}); "
        "the sync could not create groups or add members",
        "add the sync account to confluence-administrators (or give it the Confluence "
        "Administrator global permission)",
        EXIT_CREDENTIALS,
    )


def _administers(prober: Prober, found: Found, username: str) -> bool:
    """Whether DC 10's global permission list gives the account ``administer`` (a site whose
    administrators' group has another name); only an administrator may read it, so a 403
    says no as well."""
    try:
        answer = prober.get(
            f"{found.base}/rest/api/permissions/user/{quote(username, safe='')}",
            "the sync account's global permissions",
        )
    except WikiError:
        return False
    if not isinstance(answer, list):
        return False
    operations = [p.get("operation") for p in answer if isinstance(p, dict)]
    return any(isinstance(o, dict) and o.get("operationKey") == "administer" for o in operations)


def capabilities(prober: Prober, found: Found) -> Check:
    """What the API offers that the sync needs (one line)."""
    name = "api"
    if found.flavour == "datacenter":
        return _release(found)
    base = found.base
    parts: list[str] = []
    try:
        prober.get(base + "/rest/api/template/page", "the page template API", {"limit": 1})
        parts.append("page templates API present")
    except (NotFoundError, GoneError):
        return failed(
            name,
            "the page template API (/wiki/rest/api/template) is not there",
            "the sync cannot save templates on this site; report it (it may be withdrawn)",
            EXIT_SITE,
        )
    try:
        prober.get(base + "/rest/api/content", "the v1 content routes", {"limit": 1})
        parts.append("v1 content routes still served (pages go through v2)")
    except GoneError:
        parts.append("v1 content routes gone (410; pages go through v2)")
    except NotFoundError:
        parts.append("v1 content routes gone (404; pages go through v2)")
    spaces = prober.get(base + "/api/v2/spaces", "the v2 space list", {"limit": 1})
    first = (spaces.get("results") or [None])[0] if isinstance(spaces, dict) else None
    if isinstance(first, dict) and first.get("id"):
        prober.get(
            f"{base}/api/v2/spaces/{first['id']}/permissions",
            "the space permission list",
            {"limit": 1},
        )
        parts.append("space permissions readable (v2)")
    return passed(name, "; ".join(parts))


def accounts(prober: Prober, found: Found, names: Iterable[str]) -> Check:
    """Every account the config names exists; the missing ones on one line."""
    wanted = sorted(set(names))
    param = "accountId" if found.flavour == "cloud" else "username"
    missing = []
    for account in wanted:
        try:
            prober.get(found.base + "/rest/api/user", f"user {account}", {param: account})
        except NotFoundError:
            missing.append(account)
    if not missing:
        return passed("accounts", f"all {len(wanted)} accounts the config names exist")
    return failed(
        "accounts",
        f"{len(missing)} of the {len(wanted)} accounts the config names "
        f"{'is' if len(missing) == 1 else 'are'} not on the site: " + ", ".join(missing),
        "create them on the site (Cloud: invite them; the config names Cloud accounts by "
        "account id) or correct them in the config; `sync --skip-missing-accounts` runs "
        "without their grants",
        EXIT_ACCOUNTS,
    )


def _release(found: Found) -> Check:
    """Data Center: what its release offers over REST, read from the version the site check
    found, with the thresholds the sync plans by (``Capabilities``); a release without space
    permissions (< 9.1) or group admin (< 8.2) is a warning in the plan's words
    (``plan.manual.by_hand``): a sync can succeed, and the plan will hold steps by hand."""
    known = release_tuple(found.version) is not None
    version = found.version if known else None
    can = Capabilities("datacenter", supports_templates=False, site_version=lambda: version)
    permissions, groups = can.space_permission_api, can.group_admin_api
    templates = "page templates: no REST API on Data Center (the plan lists them as steps)"
    shown = found.version if known else "release not shown: the newest REST API is assumed"
    offered = [
        f"space permissions: {'REST' if permissions else 'by hand (no REST before 9.1)'}",
        f"group admin: {'REST' if groups else 'by hand (no REST before 8.2)'}",
        templates,
    ]
    return passed(
        "api",
        f"Data Center {shown}: " + "; ".join(offered),
        tuple(by_hand(found.version, permissions=permissions, groups=groups)),
    )
