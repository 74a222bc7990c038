"""The local wiki's core WSGI application: mount points, auth, dispatch and error shapes.

Mount points per flavour:

* ``dc``: ``{context}/rest/api/...`` (context path such as ``/confluence``, may be empty);
* ``cloud``: ``/wiki/rest/api/...`` (v1) and ``/wiki/api/v2/...`` (v2). With ``v1_removed``
  the v1 content routes answer 410 with Confluence's GoneException message.

Errors use the v1/DC RestError shape under ``rest/api`` and ``{"errors": [...]}`` under
``api/v2``. Unknown routes answer 404 and log an "unimplemented route" line, so a client
that needs more of the API shows up in the log instead of passing silently.

Single-page reads are answered from ``response_cache.PageResponseCache`` while the store's
write generation is unchanged; everything else takes the full path.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import BaseConverter, Map, Rule
from werkzeug.wrappers import Request, Response

from confluence_sync.localwiki.store import Store
from confluence_sync.localwiki.store.model import StoreError, User
from confluence_sync.localwiki.testing.journal import ENVIRON_NOTIFIES
from confluence_sync.localwiki.web.numbers import BadId, PathId, parse_int
from confluence_sync.localwiki.web.response_cache import PageResponseCache, page_path_pattern

log = logging.getLogger("confluence_sync.localwiki")

MAX_BODY = 5_242_880
REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    410: "Gone",
    413: "Request Entity Too Large",
    500: "Internal Server Error",
}
V2_CODES = {
    400: "INVALID_REQUEST_PARAMETER",
    401: "UNAUTHORIZED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "CONFLICT",
    413: "REQUEST_ENTITY_TOO_LARGE",
    500: "INTERNAL_SERVER_ERROR",
}
GONE_MESSAGE = (
    "com.atlassian.confluence.api.service.exceptions.GoneException: This deprecated "
    "endpoint has been removed."
)


class ApiError(Exception):
    """An HTTP error raised by a route; rendered in the shape of the API it came from."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass(frozen=True)
class Options:
    """How the wiki presents itself; the store is the same for every flavour."""

    flavour: str = "dc"  # "dc" or "cloud"
    context_path: str = ""  # DC only, e.g. "/confluence"
    v1_removed: bool = False  # Cloud only: v1 content routes answer 410
    # DC with anonymous access on: no credentials, or a Bearer token that matches nobody, run
    # as the anonymous user instead of getting 401 (CONFSERVER-98199). Bad passwords stay 401.
    anonymous_access: bool = False


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


Handler = Callable[..., Response]


def bad_id(api: str, raw: str) -> ApiError:
    """The refusal of a path id that is no Java long.

    v2 answers 400 INVALID_REQUEST_PARAMETER ("Provided value {…} for 'id' is not the correct
    type. Expected type is ContentId", Cloud's answer to a non-numeric attachment id as quoted
    in published client tests); v1/DC are JAX-RS resources, where a path parameter that does
    not convert is a 404 (JAX-RS 1.1 §3.2), the same as a missing id.
    """
    if api == "v2":
        return ApiError(
            400,
            f"Provided value {{{raw}}} for 'id' is not the correct type. "
            "Expected type is ContentId",
        )
    return ApiError(404, f"No content found with id : ContentId{{id={raw}}}")


def respond(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response (``None`` with 204 gives an empty body)."""
    if status == 204 or data is None:
        return Response(status=status, headers=headers)
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Response(
        body, status=status, headers=headers, content_type="application/json;charset=UTF-8"
    )


def error_response(
    api: str, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    if api == "v2":
        body: dict[str, Any] = {
            "errors": [
                {
                    "status": status,
                    "code": V2_CODES.get(status, "ERROR"),
                    "title": message.split("\n", 1)[0],
                    "detail": message,
                }
            ]
        }
    else:
        body = {
            "statusCode": status,
            "data": {
                "authorized": status not in (401, 403),
                "valid": status != 400,
                "allowedInReadOnlyMode": True,
                "errors": [],
                "successful": False,
            },
            "message": message,
            "reason": REASONS.get(status, "Error"),
        }
    return respond(body, status, headers)


FLAVOURS = ("dc", "cloud")
CLOUD = ("cloud",)
DC = ("dc",)


class RouteTable:
    """Rules plus handlers for one API tree (v1 or v2), matched below its mount point.

    A rule can be limited to one flavour: Cloud-only v1 routes (one-at-a-time permissions,
    group-by-id, move) do not exist on Data Center and vice versa (admin, 9.1+ permissions,
    archive, trash), so a client that uses the wrong one gets the 404 a real site gives.

    ``<int:...>`` in a rule is a Confluence id, not werkzeug's unbounded int: ``path_id``
    (default ``numbers.PathId``) turns one beyond a Java long into a ``BadId``, which the
    dispatcher refuses (see ``numbers.py``).
    """

    def __init__(self, path_id: type[BaseConverter] = PathId) -> None:
        self.converters: dict[str, type[BaseConverter]] = {"int": path_id}
        self.rules: list[Rule] = []
        self.rule_flavours: list[tuple[str, ...]] = []  # parallel to ``rules``
        self.handlers: dict[str, Handler] = {}
        self._maps: dict[str, Map] = {}
        self._lock = threading.Lock()

    def route(
        self,
        path: str,
        methods: Iterable[str],
        *,
        gone_on_cloud: bool = False,
        flavours: tuple[str, ...] = FLAVOURS,
    ) -> Callable[[Handler], Handler]:
        def register(func: Handler) -> Handler:
            endpoint = f"{func.__module__}.{func.__name__}"
            if gone_on_cloud:
                setattr(func, "gone_on_cloud", True)  # noqa: B010 - a flag read in dispatch
            self.rules.append(Rule(path, methods=list(methods), endpoint=endpoint))
            self.rule_flavours.append(flavours)
            self.handlers[endpoint] = func
            self._maps = {}  # a later registration must show up in the next maps
            return func

        return register

    def rules_for(self, flavour: str) -> list[Rule]:
        return [
            rule
            for rule, allowed in zip(self.rules, self.rule_flavours, strict=True)
            if flavour in allowed
        ]

    def map_for(self, flavour: str) -> Map:
        # Built once per flavour, under a lock: request threads race here on a fresh server.
        # The rules are copied because a werkzeug Rule can belong to one Map only.
        current = self._maps.get(flavour)
        if current is None:
            with self._lock:
                current = self._maps.get(flavour)
                if current is None:
                    current = Map(
                        [rule.empty() for rule in self.rules_for(flavour)],
                        strict_slashes=False,
                        merge_slashes=True,
                        converters=self.converters,
                    )
                    self._maps[flavour] = current
        return current


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
        if user is None and self.options.anonymous_access and scheme.lower() != "basic":
            return None
        if user is None:
            raise ApiError(
                401,
                "Authentication required: send Basic credentials or a Bearer token",
                {"WWW-Authenticate": 'Basic realm="Confluence"'},
            )
        return user
