"""The Atlassian API gateway in front of a Cloud site, and the scoped tokens it accepts.

Scoped API tokens, service accounts and OAuth apps reach a Cloud site through
``https://api.atlassian.com/ex/confluence/{cloudId}/wiki/…``, never through the site's own
address (support.atlassian.com "Manage API tokens for your Atlassian account": "URLs for API
tokens with scopes for Confluence: https://api.atlassian.com/ex/confluence/{cloudId}";
atlassian-python-api#1546, confluence-publisher#492). What the gateway does, and so what the
local wiki's gateway mode (``Options.gateway_cloud_id``) does:

* it serves the site's v1 and v2 trees under that prefix and nothing else on its host: a
  path without ``/ex/confluence/{cloudId}`` (or with another cloud id) answers 404;
* it strips the prefix before the site sees the request, so the answers are the site's own:
  v2 ``_links.next`` is site-relative (``/wiki/api/v2/…?cursor=…``) and ``_links.base`` is
  the site's address (``https://<site>.atlassian.net/wiki``), neither of them the gateway's
  (atlassian-python-api#1655, 2026-08: joining that ``next`` to the gateway base gives
  ``…/wiki/wiki/api/v2/…`` and 404; following ``base`` leaves the gateway; real-confluence.md
  item 6). Here the site's address is the server's own root, which in gateway mode serves no
  API: a client that follows ``base`` gets the 404 it would get on the real gateway host;
* it checks a scoped token's scopes against the operation's (``rules.scopes``, from the specs)
  and refuses a missing one with 401, ``X-Failure-Category: FAILURE_CLIENT_SCOPE_CHECK`` and
  ``{"code": 401, "message": "Unauthorized; scope does not match"}`` (kovetskiy/mark#917),
  a body that does not name the scope.

A scoped token sent to the site itself (no gateway) is refused with the site's plain 401
(pchuri/confluence-cli#76, atlassian-python-api#1546: "It works when using an unscoped access
token"). The local wiki's own ``/__localwiki`` routes stay where they are.

Imports: ``web.errors``, ``rules.scopes`` and the store.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from werkzeug.wrappers import Response

from confluence_sync.localwiki.rules import scopes as scope_rules
from confluence_sync.localwiki.store import Store
from confluence_sync.localwiki.web.errors import ApiError

PREFIX = "/ex/confluence/"
_ADMIN = "/__localwiki"


def prefix_of(cloud_id: str) -> str:
    return f"{PREFIX}{cloud_id}"


def inward(environ: dict[str, Any], cloud_id: str) -> dict[str, Any] | None:
    """The environ the site sees: the gateway prefix taken off the path; None for a path the
    gateway does not serve (404). The local wiki's admin routes pass unchanged."""
    path = environ.get("PATH_INFO", "")
    prefix = prefix_of(cloud_id)
    if path.startswith(prefix + "/wiki/"):
        return {**environ, "PATH_INFO": path[len(prefix) :]}
    if path == _ADMIN or path.startswith(_ADMIN + "/"):
        return environ
    return None


def not_served() -> Response:
    """The gateway's answer to a path outside ``/ex/{product}/{cloudId}/…``."""
    return _json({"code": 404, "message": "Not Found"}, 404)


def _secret(header: str) -> str:
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(value).decode("utf-8").partition(":")[2]
        except (ValueError, UnicodeDecodeError):
            return ""
    return ""


def scope_refusal(
    store: Store, header: str, *, gateway: bool, api: str, method: str, subpath: str
) -> Response | None:
    """None when the credentials may run ``method subpath``; the gateway's 401 when a scoped
    token lacks a scope of the operation. Raises the site's 401 for a scoped token sent to the
    site itself. Called after authentication succeeded."""
    secret = _secret(header)
    held = store.token_scopes(secret) if secret else None
    if held is None:
        return None  # a password or a classic token: not scope-checked
    if not gateway:
        raise ApiError(
            401,
            "Authentication required: a scoped API token works only through the API gateway",
            {"WWW-Authenticate": 'Basic realm="Confluence"'},
        )
    if api not in ("v1", "v2") or not scope_rules.missing(api, method, subpath, held):
        return None
    response = _json({"code": 401, "message": scope_rules.SCOPE_MESSAGE}, 401)
    response.headers["X-Failure-Category"] = scope_rules.SCOPE_CATEGORY
    return response


def _json(data: dict[str, Any], status: int) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json")
