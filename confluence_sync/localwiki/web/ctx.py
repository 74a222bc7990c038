"""One request as a route sees it (``Ctx``), how the wiki presents itself (``Options``), and
what a route answers with (``respond``).

Imports: ``web.environ``, ``web.errors``, ``web.numbers`` and the store (``ctx.store``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Request, Response

from confluence_sync.localwiki.store import Store
from confluence_sync.localwiki.store.model import User
from confluence_sync.localwiki.web.environ import ENVIRON_NOTIFIES
from confluence_sync.localwiki.web.errors import ApiError
from confluence_sync.localwiki.web.numbers import decode_cursor, parse_int

CURSOR_ERROR = "Provided value for 'cursor' is not the correct type. Expected type is Cursor."


@dataclass(frozen=True)
class Options:
    """How the wiki presents itself; the store is the same for every flavour."""

    flavour: str = "dc"  # "dc" or "cloud"
    context_path: str = ""  # DC only, e.g. "/confluence"
    v1_removed: bool = False  # Cloud only: v1 content routes answer 410
    # DC with anonymous access on: no credentials, or a Bearer token that matches nobody, run
    # as the anonymous user instead of getting 401 (CONFSERVER-98199). Bad passwords stay 401.
    anonymous_access: bool = False
    # Cloud only: served as the API gateway serves a site, under
    # ``/ex/confluence/{cloudId}/wiki/…`` only; scoped tokens are accepted there (``web.gateway``).
    gateway_cloud_id: str = ""
    dc_version: str = "10.0.3"  # DC only: the release served (api.v1.site gates routes on it)
    # Cloud only: how space access is managed (``GET /space-role-mode``): PRE_ROLES (legacy
    # permissions only), ROLES_TRANSITION (both), ROLES (roles only: v1 permission writes are
    # refused). See api/v2/roles.py.
    space_role_mode: str = "PRE_ROLES"

    @property
    def roles_available(self) -> bool:
        """Role assignments can be read and set (a Cloud tenant past PRE_ROLES)."""
        return self.flavour == "cloud" and self.space_role_mode != "PRE_ROLES"

    @property
    def roles_only(self) -> bool:
        """Roles are the only way to manage space access (ROLES mode)."""
        return self.flavour == "cloud" and self.space_role_mode == "ROLES"


_HOST_URLS: dict[tuple[Any, ...], str] = {}  # (scheme, Host, server name, port) → host URL


@dataclass
class Ctx:
    """One request as the routes see it."""

    request: Request
    store: Store
    options: Options
    api: str  # "v1" or "v2"
    user: User | None = None
    _json: Any = field(default=None, repr=False)
    _base: str | None = field(default=None, repr=False)

    @property
    def cloud(self) -> bool:
        return self.options.flavour == "cloud"

    @property
    def context(self) -> str:
        """What ``_links.context`` says: "/wiki" on Cloud, the context path on DC."""
        return "/wiki" if self.cloud else self.options.context_path

    @property
    def base(self) -> str:
        # werkzeug rebuilds host_url (IRI decoding included) on every access, a tenth of a
        # page answer's time; the few hosts a server is reached by are remembered instead.
        if self._base is None:
            environ = self.request.environ
            key = (
                environ.get("wsgi.url_scheme"),
                environ.get("HTTP_HOST"),
                environ.get("SERVER_NAME"),
                environ.get("SERVER_PORT"),
            )
            host = _HOST_URLS.get(key)
            if host is None:
                host = self.request.host_url.rstrip("/")
                if len(_HOST_URLS) < 256:  # bounded: Host is whatever the client sends
                    _HOST_URLS[key] = host
            self._base = host + self.context
        return self._base

    @property
    def username(self) -> str:
        return self.user.username if self.user else "anonymous"

    def notify_watchers(self) -> None:
        """This request's write notifies the page's watchers (for the journal)."""
        self.request.environ[ENVIRON_NOTIFIES] = True

    def arg(self, name: str, default: str | None = None) -> str | None:
        return self.request.args.get(name, default)

    def list_arg(self, name: str) -> list[str]:
        """A list parameter, repeated (``?status=a&status=b``) or comma-separated (``a,b``)."""
        return [v for item in self.request.args.getlist(name) for v in item.split(",") if v]

    def int_arg(self, name: str, default: int) -> int:
        """A numeric query parameter; Confluence's are Java ints (start, limit, depth,
        version), so a value beyond one is as malformed as text."""
        raw = self.request.args.get(name)
        if raw is None or raw == "":
            return default
        number = parse_int(raw)
        if number is None:
            raise ApiError(400, f"Invalid value for parameter {name}: {raw}")
        return number

    def cursor_arg(self) -> int | None:
        """The offset in the ``cursor`` parameter (None without one); 400 for a cursor that is
        not one of ours, as v2 answers."""
        raw = self.request.args.get("cursor")
        if not raw:
            return None
        offset = decode_cursor(raw)
        if offset is None:
            raise ApiError(400, CURSOR_ERROR)
        return offset

    def json(self) -> Any:
        """The request's JSON body (400 when it is not JSON)."""
        if self._json is None:
            raw = self.request.get_data(cache=True)
            try:
                self._json = json.loads(raw or b"null")
            except ValueError:
                raise ApiError(400, "Unable to parse the request body as JSON") from None
        return self._json

    def body_dict(self) -> dict[str, Any]:
        data = self.json()
        if not isinstance(data, dict):
            raise ApiError(400, "The request body must be a JSON object")
        return data


def respond(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response (``None`` with 204 gives an empty body)."""
    if status == 204 or data is None:
        return Response(status=status, headers=headers)
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Response(
        body, status=status, headers=headers, content_type="application/json;charset=UTF-8"
    )
