"""The REST core: ``WikiApp`` finds the mount a path is under, the route that serves it, the
caller (Basic, Bearer or the viewer's session cookie), runs the route and turns whatever it
raised into Confluence's error shape.

Mount points per flavour:

* ``dc``: ``{context}/rest/api/...`` (context path such as ``/confluence``, may be empty) and
  the read-only ``{context}/rest/experimental/...`` of older releases;
* ``cloud``: ``/wiki/rest/api/...`` (v1) and ``/wiki/api/v2/...`` (v2). With ``v1_removed``
  the v1 content routes answer 410 with Confluence's GoneException message;
* both: ``/__localwiki/...``, the local wiki's own admin routes.

With ``gateway_cloud_id`` (Cloud) the v1 and v2 mounts are reached only through
``/ex/confluence/{cloudId}/wiki/…``, as on Atlassian's API gateway, and scoped tokens are
checked against the operation's scopes (``gateway.py``).

Errors use the v1/DC RestError shape under ``rest/api`` and ``{"errors": [...]}`` under
``api/v2`` (``errors.py``). Unknown routes answer 404 and log an "unimplemented route" line,
so a client that needs more of the API shows up in the log instead of passing silently.

A request with no ``Authorization`` header but a live session cookie (a member logged in to
the viewer: ``store.sessions``) runs as that member, as Confluence's REST API accepts its UI's
session; its writes must pass Confluence's XSRF check (``rules/xsrf.py``), else 403.

Single-page reads are answered from ``response_cache.PageResponseCache`` while the store's
write generation is unchanged; everything else takes the full path. Each request first has the
store notice other processes' commits (``Store.notice_other_writers``), so ``serve`` and a
sync on one database file agree at once.

Imports: the other modules of ``web/``, the store and ``rules.xsrf``. The route tables come in as
arguments, so the core knows no route.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.wrappers import Request, Response

from confluence_sync.localwiki.rules import xsrf
from confluence_sync.localwiki.store import Store
from confluence_sync.localwiki.store.model import StoreError, User
from confluence_sync.localwiki.store.sessions import SESSION_COOKIE
from confluence_sync.localwiki.web import gateway
from confluence_sync.localwiki.web.ctx import Ctx, Options, respond
from confluence_sync.localwiki.web.errors import GONE_MESSAGE, ApiError, bad_id, error_body
from confluence_sync.localwiki.web.numbers import BadId
from confluence_sync.localwiki.web.response_cache import PageResponseCache, page_path_pattern
from confluence_sync.localwiki.web.routing import RouteTable

log = logging.getLogger("confluence_sync.localwiki")

MAX_BODY = 5_242_880


def error_response(
    api: str, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    """An error answer in the shape of ``api``."""
    return respond(error_body(api, status, message, detail=message), status, headers)


class WikiApp:
    """The REST core (no faults, journal or viewer: those wrap or sit beside it)."""

    def __init__(
        self,
        store: Store,
        options: Options,
        *,
        v1: RouteTable,
        v2: RouteTable,
        admin: RouteTable,
        experimental: RouteTable | None = None,
    ) -> None:
        self.store = store
        self.options = options
        self.tables = {
            "v1": v1,
            "v2": v2,
            "admin": admin,
            "experimental": experimental or RouteTable(),
        }
        context = options.context_path.rstrip("/")
        if options.flavour == "cloud":
            self.mounts = [("/wiki/rest/api", "v1"), ("/wiki/api/v2", "v2")]
        else:
            # Older DC served read-only templates under rest/experimental; clients still ask.
            self.mounts = [
                (f"{context}/rest/api", "v1"),
                (f"{context}/rest/experimental", "experimental"),
            ]
        self.mounts.append(("/__localwiki", "admin"))
        for table in self.tables.values():
            table.map_for(options.flavour)  # build the maps before the first request arrives
        self.page_cache = PageResponseCache(page_path_pattern(self.mounts))

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        # Another process (a sync beside ``serve``) may have written the database: seen before
        # any cache (this one, the store's credentials, users, permissions, spaces) is asked.
        self.store.notice_other_writers()
        if self.options.gateway_cloud_id:
            inner = gateway.inward(environ, self.options.gateway_cloud_id)
            if inner is None:
                return gateway.not_served()(environ, start_response)
            environ = inner
        # Single-page reads are answered from the cache while the store is unchanged: no
        # Request, routing, auth, SQL or JSON work (about a tenth of the full path's time).
        key = self.page_cache.key(environ)
        if key is not None:
            generation = self.store.write_generation
            hit = self.page_cache.get(key, generation)
            if hit is not None:
                start_response(hit[0], list(hit[1]))
                return [hit[2]]
        request = Request(environ)
        response = self.handle(request)
        if key is not None and response.status_code == 200:
            # Sent exactly as a later hit will send it (werkzeug's own send path would only
            # redo the headers, which for a 200 JSON answer it leaves as they are).
            status, headers, body = (
                response.status,
                response.headers.to_wsgi_list(),
                response.get_data(),
            )
            self.page_cache.put(key, generation, status, headers, body)
            start_response(status, list(headers))
            return [body]
        return response(environ, start_response)

    def handle(self, request: Request) -> Response:
        path = request.path
        for prefix, api in self.mounts:
            if path == prefix or path.startswith(prefix + "/"):
                return self._dispatch(request, api, path[len(prefix) :] or "/")
        return self._unimplemented(request, "v1")

    def _unimplemented(self, request: Request, api: str) -> Response:
        log.warning("unimplemented route: %s %s", request.method, request.full_path.rstrip("?"))
        return error_response(api, 404, f"No route for {request.method} {request.path}")

    def _dispatch(self, request: Request, api: str, subpath: str) -> Response:
        error_api = "v2" if api == "v2" else "v1"
        ctx = Ctx(request, self.store, self.options, error_api)
        try:
            length = request.content_length
            if length is not None and length > MAX_BODY:
                raise ApiError(413, f"Request body exceeds the limit of {MAX_BODY} bytes")
            table = self.tables[api]
            adapter = table.map_for(self.options.flavour).bind("localhost", path_info=subpath)
            try:
                endpoint, args = adapter.match(method=request.method)
            except MethodNotAllowed:
                raise ApiError(405, f"Method {request.method} not allowed here") from None
            except NotFound:
                return self._unimplemented(request, error_api)
            handler = table.handlers[str(endpoint)]
            ctx.user = self._authenticate(request, error_api)
            if self.options.flavour == "cloud":
                refusal = gateway.scope_refusal(
                    self.store,
                    request.headers.get("Authorization", ""),
                    gateway=bool(self.options.gateway_cloud_id),
                    api=api,
                    method=request.method,
                    subpath=subpath,
                )
                if refusal is not None:
                    return refusal
            bad = next((raw for raw in args.values() if isinstance(raw, BadId)), None)
            if bad is not None:
                raise bad_id(error_api, bad)
            if (
                api == "v1"
                and self.options.flavour == "cloud"
                and self.options.v1_removed
                and getattr(handler, "gone_on_cloud", False)
            ):
                raise ApiError(410, GONE_MESSAGE)
            if request.method in ("POST", "PUT") and length is None:
                data = request.stream.read(MAX_BODY + 1)
                if len(data) > MAX_BODY:
                    raise ApiError(413, f"Request body exceeds the limit of {MAX_BODY} bytes")
                ctx._json = json.loads(data) if data.strip() else None
            return handler(ctx, **args)
        except ApiError as error:
            return error_response(error_api, error.status, error.message, error.headers)
        except StoreError as error:
            message = getattr(error, "v2_message", None) if error_api == "v2" else None
            return error_response(error_api, error.status, message or error.message)
        except OverflowError as error:
            # A number from a body beyond SQLite's (and Java's) 64 bits: the client's mistake,
            # like a value of the wrong type below.
            log.debug("number out of range %s %s: %r", request.method, request.path, error)
            return error_response(error_api, 400, "Invalid request: a number is out of range")
        except (ValueError, AttributeError, TypeError, KeyError) as error:
            # A body of the wrong shape (a string where an object belongs, ...) is the
            # client's mistake: Confluence answers 400, not 500.
            log.debug("bad request %s %s: %r", request.method, request.path, error)
            return error_response(error_api, 400, f"Invalid request: {error}")
        except Exception:
            log.exception("internal error on %s %s", request.method, request.path)
            return error_response(error_api, 500, "Internal server error")

    def _authenticate(self, request: Request, api: str) -> User | None:
        header = request.headers.get("Authorization", "")
        user: User | None = None
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "basic":
            try:
                name, _, secret = base64.b64decode(value).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                name, secret = "", ""
            user = self.store.authenticate_basic(name, secret)
        elif scheme.lower() == "bearer":
            user = self.store.authenticate_bearer(value.strip())
        elif not header:
            user = self._session_user(request)
        if user is None and self.options.anonymous_access and scheme.lower() != "basic":
            return None
        if user is None:
            raise ApiError(
                401,
                "Authentication required: send Basic credentials or a Bearer token",
                {"WWW-Authenticate": 'Basic realm="Confluence"'},
            )
        return user

    def _session_user(self, request: Request) -> User | None:
        """The member of the session cookie; a write must pass the XSRF check first."""
        session = request.cookies.get(SESSION_COOKIE)
        user = self.store.session_user(session) if session else None
        if user is None:
            return None
        headers = request.headers
        check = xsrf.WriteRequest(
            method=request.method,
            site=request.host_url.rstrip("/"),
            content_type=headers.get("Content-Type", ""),
            user_agent=headers.get("User-Agent", ""),
            origin=headers.get("Origin", ""),
            referer=headers.get("Referer", ""),
            token=headers.get(xsrf.TOKEN_HEADER, ""),
        )
        if xsrf.refused(check):
            raise ApiError(403, xsrf.XSRF_MESSAGE)
        return user
