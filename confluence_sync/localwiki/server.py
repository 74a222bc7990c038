"""Run the local wiki: ``build_wsgi_app`` stacks the layers, ``LocalWiki`` serves them.

Stack, outermost first: request journal → fault injection (and added latency) → the REST core
with the HTML viewer mounted at ``/viewer``. ``LocalWiki`` serves it from a daemon thread with
werkzeug's threaded server speaking HTTP/1.1 with keep-alive (``web/keepalive.py``), bound to
127.0.0.1 by default. This is the public entry of the local wiki: the sync's embedded target,
the CLI's ``serve`` and every test start it here.

Imports: every part (``api`` for the route tables, ``web``, ``store``, ``testing``,
``viewer``): it is the one module that assembles them.
"""

from __future__ import annotations

import re
import socket
import ssl
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from werkzeug.serving import BaseWSGIServer, make_server

from confluence_sync.localwiki.api import route_tables
from confluence_sync.localwiki.api.v1.site import parse_version
from confluence_sync.localwiki.api.v2.roles import SPACE_ROLE_MODES
from confluence_sync.localwiki.store import ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_TOKEN, Store
from confluence_sync.localwiki.web.app import WikiApp
from confluence_sync.localwiki.web.ctx import Options
from confluence_sync.localwiki.web.keepalive import KeepAliveHandler, close_all

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
VIEWER_PREFIX = "/viewer"
# Where Confluence serves an attachment's file (an answer's ``_links.download``, below the site's
# base: ``/wiki`` on Cloud, the context path on Data Center), handed to the viewer's route.
DOWNLOAD = "/download/attachments/"
# A cloud id is a UUID on Atlassian's side (…/_edge/tenant_info); any id of these characters
# keeps the gateway prefix a single, unescaped path segment.
_CLOUD_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


def build_core_app(store: Store, options: Options) -> WikiApp:
    """The REST core alone: no viewer, faults or journal."""
    return WikiApp(store, options, **route_tables())


def build_wsgi_app(
    store: Store,
    options: Options,
    *,
    faults: Sequence[str] = (),
    latency_ms: int = 0,
    journal_path: str | Path | None = None,
    core: WikiApp | None = None,
) -> WSGIApp:
    """The full stack: Journal(Faults(core with the viewer mounted)); ``core`` may be built
    by the caller, to keep a handle on it (its page cache)."""
    from confluence_sync.localwiki.testing.fault_middleware import FaultMiddleware
    from confluence_sync.localwiki.testing.faults import FaultPlan
    from confluence_sync.localwiki.testing.journal import JournalMiddleware
    from confluence_sync.localwiki.viewer.app import make_viewer
    from confluence_sync.localwiki.viewer.edit import Site

    core = core or build_core_app(store, options)
    # The viewer saves through the REST API this wiki serves, and shows an anonymous visitor
    # what the REST core would answer them.
    api_root = "/wiki" if options.flavour == "cloud" else options.context_path
    if options.gateway_cloud_id:  # the API is reached through the gateway prefix only
        api_root = f"/ex/confluence/{options.gateway_cloud_id}/wiki"
    viewer = make_viewer(
        store,
        url_prefix=VIEWER_PREFIX,
        site=Site(options.flavour, api_root),
        anonymous_access=options.anonymous_access,
    )

    downloads = ("/wiki" if options.flavour == "cloud" else options.context_path) + DOWNLOAD

    def with_viewer(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(downloads):  # Confluence's download address: the viewer serves it
            path = VIEWER_PREFIX + path[path.index(DOWNLOAD) :]
            environ = {**environ, "PATH_INFO": path}
        if path == VIEWER_PREFIX or path.startswith(VIEWER_PREFIX + "/"):
            store.notice_other_writers()  # the core does so itself; the viewer reads the store
            return viewer(environ, start_response)
        return core(environ, start_response)

    plan = FaultPlan.from_specs(faults)
    faulty = FaultMiddleware(with_viewer, plan, latency_ms=latency_ms)
    return JournalMiddleware(faulty, journal_path)


class _Handler(KeepAliveHandler):
    # HTTP/1.1 with keep-alive, as Confluence speaks it (werkzeug 3's own handler closes
    # every connection; see web/keepalive.py).

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Quiet: the journal records requests; unimplemented routes log on their own."""


class LocalWiki:
    """A Confluence-compatible server for tests and demos; use as a context manager."""

    def __init__(
        self,
        *,
        db_path: str | Path = ":memory:",
        host: str = "127.0.0.1",
        port: int = 0,
        flavour: Literal["dc", "cloud"] = "dc",
        context_path: str = "",
        v1_removed: bool = False,
        latency_ms: int = 0,
        faults: Sequence[str] = (),
        journal_path: str | Path | None = None,
        anonymous_access: bool = False,
        dc_version: str = "10.0.3",
        ssl_context: ssl.SSLContext | None = None,
        gateway_cloud_id: str = "",
        space_role_mode: str = "PRE_ROLES",
    ) -> None:
        """``gateway_cloud_id``: Cloud served as Atlassian's API gateway serves it, under
        ``/ex/confluence/{cloudId}/wiki`` only (``web/gateway.py``); ``url`` is then that.
        ``space_role_mode``: Cloud's space-role mode, ``SPACE_ROLE_MODES`` (api/v2/roles.py)."""
        if flavour not in ("dc", "cloud"):
            raise ValueError(f"flavour must be 'dc' or 'cloud', not {flavour!r}")
        if gateway_cloud_id and (flavour != "cloud" or not _CLOUD_ID.fullmatch(gateway_cloud_id)):
            raise ValueError(
                "gateway_cloud_id needs the cloud flavour and a cloud id (letters, digits, '-')"
            )
        if parse_version(dc_version) is None:
            raise ValueError(f"dc_version must be a release such as 9.1.0, not {dc_version!r}")
        if space_role_mode not in SPACE_ROLE_MODES:
            raise ValueError(
                f"space_role_mode must be one of {', '.join(SPACE_ROLE_MODES)}, "
                f"not {space_role_mode!r}"
            )
        if space_role_mode != "PRE_ROLES" and flavour != "cloud":
            raise ValueError("space_role_mode needs the cloud flavour (roles are Cloud's)")
        context = "/" + context_path.strip("/") if context_path.strip("/") else ""
        self.options = Options(
            flavour=flavour,
            context_path=context if flavour == "dc" else "",
            v1_removed=v1_removed,
            anonymous_access=anonymous_access,
            gateway_cloud_id=gateway_cloud_id,
            dc_version=dc_version,
            space_role_mode=space_role_mode,
        )
        self.store = Store(db_path)
        if not self.store.memory:
            try:
                self.store.claim_flavour(flavour)
            except ValueError:
                self.store.close()
                raise
        self.host = host
        self.port = port
        # https, as real sites are served: some clients (md2conf's v1 mode) build https URLs.
        self.ssl_context = ssl_context
        self.core = build_core_app(self.store, self.options)  # the REST core, for its cache
        self.app = build_wsgi_app(
            self.store,
            self.options,
            faults=faults,
            latency_ms=latency_ms,
            journal_path=journal_path,
            core=self.core,
        )
        self.admin: tuple[str, str] = (
            (ADMIN_EMAIL, ADMIN_TOKEN) if flavour == "cloud" else ("admin", ADMIN_PASSWORD)
        )
        self._server: BaseWSGIServer | None = None
        self._connections: set[socket.socket] = set()
        self._thread: threading.Thread | None = None
        self.root_url = ""
        self.url = ""

    def start(self) -> LocalWiki:
        """Bind and serve in a daemon thread; ``url`` and ``root_url`` are set on return."""
        server = make_server(
            self.host,
            self.port,
            self.app,
            threaded=True,
            request_handler=_Handler,
            ssl_context=self.ssl_context,
        )
        # Request threads must not keep an interpreter alive after a test run.
        setattr(server, "daemon_threads", True)  # noqa: B010 - set only on the threaded mixin
        # Kept-alive connections, ended by stop() so a stopped wiki stops answering.
        self._connections = set()
        setattr(server, "open_connections", self._connections)  # noqa: B010 - read by handler
        self._server = server
        self.port = server.server_port
        scheme = "https" if self.ssl_context is not None else "http"
        self.root_url = f"{scheme}://{self.host}:{self.port}"
        self.url = self.root_url + (
            "/wiki" if self.options.flavour == "cloud" else self.options.context_path
        )
        if self.options.gateway_cloud_id:
            self.url = f"{self.root_url}/ex/confluence/{self.options.gateway_cloud_id}/wiki"
        # A short poll interval makes stop() quick; idle cost is negligible.
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name="localwiki", daemon=True
        )
        self._thread.start()
        return self

    @property
    def viewer_url(self) -> str:
        return self.root_url + VIEWER_PREFIX

    def serve_forever(self) -> None:
        """Block until interrupted (for the CLI)."""
        if self._thread is None:
            self.start()
        assert self._thread is not None
        try:
            while self._thread.is_alive():
                self._thread.join(0.5)
        finally:
            self.stop()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            close_all(self._connections)
            self._server = None
        from confluence_sync.localwiki.testing.journal import JournalMiddleware

        if isinstance(self.app, JournalMiddleware):
            self.app.close()  # the journal file stays open while serving; entries stay
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self.store.close()

    def __enter__(self) -> LocalWiki:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
