"""The HTTP transport both adapters share: atlassian-python-api's session underneath, our
timeouts, counting, rate gate, retries and error mapping on top.

atlassian-python-api is used for what it is good at (session, auth, URL joining); its own
retry layers (``backoff_and_retry`` and the 429 ``retry_with_header``) are switched off so
``backends.retry`` stays the only retry owner. Responses come back raw (``advanced_mode``)
and go through ``backends.http_errors``; a request without an answer goes through
``backends.failures`` (its cause, as data); the run's first request through
``backends.first_request`` (a refused login or a wrong URL named as such).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from atlassian.rest_client import AtlassianRestAPI

from confluence_sync.errors import RateLimitedError, SiteError, TransportError
from confluence_sync.settings import BasicAuth, BearerAuth

from .contract import RequestCounter
from .failures import URL_ERRORS, classify, no_answer
from .first_request import PROBE_PATHS, FirstRequest, Login
from .http_errors import error_for
from .rate_gate import near_limit, parse_reset
from .redaction import install_redaction
from .retry import Retrier, safe_to_repeat

log = logging.getLogger(__name__)

T = TypeVar("T")

# Who wants to see every HTTP exchange (the CLI's ``-v``): called after each response, retries
# and redirects included, with the method, the URL's path only (never the host, the query
# string or a header, so never a token), the status and the milliseconds until the answer's
# headers arrived. Process-wide, like the redaction filter: a run may open several transports.
RequestObserver = Callable[[str, str, int, float], None]
_OBSERVERS: list[RequestObserver] = []


def watch_requests(observer: RequestObserver) -> Callable[[], None]:
    """Call ``observer`` after every response of every transport; returns the function that
    stops it."""
    _OBSERVERS.append(observer)
    return lambda: _OBSERVERS.remove(observer)


class Transport:
    """Sends requests below one base URL (``…/wiki`` on Cloud, the context root on DC)."""

    def __init__(
        self,
        base_url: str,
        auth: BasicAuth | BearerAuth | None,
        *,
        flavour: str,
        counter: RequestCounter,
        retrier: Retrier,
        timeouts: tuple[float, float],
        pool_size: int = 16,
        first_request: bool = True,
    ) -> None:
        """``first_request=False``: every answer is taken as it comes (``doctor``'s probes
        ask other paths and flavours on purpose; a 404 there is an answer, not a wrong URL)."""
        self.base_url = base_url.rstrip("/")
        parts = urlsplit(self.base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.base_path = parts.path.rstrip("/")
        self.flavour = flavour
        self.counter = counter
        self.retrier = retrier
        session = requests.Session()
        # Workers share the session; the default pool of 10 would make them queue for sockets.
        adapter = requests.adapters.HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.hooks["response"].append(self._tell_observers)
        kwargs: dict[str, Any] = {}
        secrets: tuple[str, ...] = ()
        login = Login("none")
        if isinstance(auth, BasicAuth):
            secrets = (auth.secret.get_secret_value(),)
            kwargs.update(username=auth.username, password=secrets[0])
            login = Login("basic", auth.username)
        elif isinstance(auth, BearerAuth):
            secrets = (auth.token.get_secret_value(),)
            kwargs.update(token=secrets[0])
            login = Login("bearer")
        self.timeouts = timeouts
        self.first = FirstRequest(self.base_url, flavour, login, self._probe)
        self.first.settled = not first_request
        self._api = AtlassianRestAPI(
            url=self.base_url,
            session=session,
            backoff_and_retry=False,
            retry_with_header=False,
            **kwargs,
        )
        # The library's constructor only takes one int; requests accepts (connect, read).
        setattr(self._api, "timeout", timeouts)  # noqa: B010 - its attribute is typed int
        self.redactor = install_redaction(secrets)

    def __repr__(self) -> str:
        return f"Transport({self.base_url!r}, flavour={self.flavour!r})"

    def close(self) -> None:
        self._api.close()

    def send_once(
        self,
        method: str,
        path: str,
        *,
        what: str,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        files: Mapping[str, Any] | None = None,  # a multipart upload (attachments)
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """One HTTP attempt: wait at the gate, count, send, map errors. Returns parsed JSON
        (None for an empty body). ``path`` is below the base URL, or absolute (http…).

        A site found unusable (``first.down``) gets no further request: the error again."""
        self.first.raise_if_down()
        self.retrier.gate.raise_if_closed(what)  # past --max-wait: not sent, the next run
        self.retrier.gate.wait()
        absolute = path.startswith(("http://", "https://"))
        self.counter.count(method)
        failure: Exception | None = None
        try:
            response = self._api.request(
                method,
                path,
                params=dict(params) if params else None,
                json=json,
                files=dict(files) if files else None,
                headers=dict(headers) if headers else None,
                absolute=absolute,
                advanced_mode=True,
            )
        except (requests.RequestException, *URL_ERRORS) as exc:
            failure = self._no_answer(exc, method, path, what)
        if failure is not None:
            # Raised outside the except block: requests' exception holds the prepared request
            # with its Authorization header, and must not ride along as __context__.
            raise failure
        log.debug("%s %s -> %s", method, self._show(path), response.status_code)
        if not self.first.settled:
            self.first.check(
                response.status_code,
                response.headers,
                response.text,
                method=method,
                path=self._show(path),
            )
        if near_limit(response.headers.get("X-RateLimit-NearLimit")):
            self.retrier.gate.near_limit()
        if response.status_code >= 400:
            error = error_for(
                response.status_code,
                response.text,
                response.headers,
                object=what,
                method=method,
                path=self._show(path),
                flavour=self.flavour,
                now=self.retrier.policy.wall_clock(),
            )
            if isinstance(error, RateLimitedError) and error.retry_after is None:
                reset = response.headers.get("X-RateLimit-Reset")
                error.retry_after = parse_reset(reset, now=self.retrier.policy.wall_clock())
            raise error
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            return response.text

    def call(
        self,
        method: str,
        path: str,
        *,
        what: str,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        find_existing: Callable[[], Any] | None = None,
        find_committed: Callable[[], Any] | None = None,
    ) -> Any:
        """One logical request under the retry policy; whether it is safe to send twice is
        the retrier's to decide, from the method, the body's version guard and, for the PUTs
        idempotent by definition, the path (``backends.repeatable``)."""
        return self.retrier.run(
            method,
            what,
            lambda: self.send_once(method, path, what=what, params=params, json=json),
            find_existing=find_existing,
            guarded=safe_to_repeat(method, path, json),
            find_committed=find_committed,
        )

    def check_site(self) -> None:
        """The run's first request on its own (``backends.check_site``): one GET of the
        flavour's cheapest listing; raises what a first request raises (SiteError,
        CredentialsError), returns once the site answered as the settings say."""
        self.call("GET", PROBE_PATHS[self.flavour], what="the site")

    def paginate(
        self, path: str, *, what: str, params: Mapping[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Yield every result across pages, following ``_links.next`` (offset or cursor)."""
        data = self.call("GET", path, what=what, params=params)
        while True:
            if isinstance(data, list):  # a few DC endpoints answer a bare array
                yield from data
                return
            yield from data.get("results", [])
            next_link = (data.get("_links") or {}).get("next")
            if not next_link:
                return
            data = self.call("GET", self.absolute(next_link), what=what)

    def absolute(self, link: str) -> str:
        """An absolute URL for a ``next`` link: v2 links include the context (``/wiki/api/v2…``),
        v1 and DC links are relative to the base (``/rest/api/…``).

        Behind Atlassian's API gateway the base is ``…/ex/confluence/{cloudId}/wiki`` and v2
        links are still site-relative (``/wiki/api/v2/…``): they belong below the gateway
        prefix, not on the origin and not after ``/wiki`` again (atlassian-python-api#1655:
        both give 404; real-confluence.md item 6)."""
        if link.startswith(("http://", "https://")):
            parts = urlsplit(link)
            # Our credentials go to the configured origin only: a next link naming another
            # host (a misconfigured proxy, a hostile answer) would receive them.
            if f"{parts.scheme}://{parts.netloc}".lower() != self.origin.lower():
                raise TransportError(
                    "next page link",
                    f"the wiki's next-page link points to another host ({parts.netloc})",
                    "set CONFLUENCE_URL to the address the wiki itself uses (its base URL)",
                )
            return link
        if self.base_path and link.startswith(self.base_path + "/"):
            return self.origin + link
        if (
            self.flavour == "cloud"
            and self.base_path.endswith("/wiki")
            and link.startswith("/wiki/")
        ):
            # the site's context, which the base ends in already
            return self.origin + self.base_path[: -len("/wiki")] + link
        return self.base_url + "/" + link.lstrip("/")

    def _no_answer(self, exc: Exception, method: str, path: str, what: str) -> Exception:
        """Our error for a request without an answer (``backends.failures``); a SiteError is
        remembered, so the run sends nothing more to a site that is not there."""
        error = no_answer(
            classify(exc),
            what=what,
            method=method,
            path=self._show(path),
            url=self.base_url,
            timeouts=self.timeouts,
            first=not self.first.settled,
            detail=str(exc),
        )
        error.__cause__ = _scrub(exc)
        if isinstance(error, SiteError):
            return self.first.went_down(error)
        return error

    def _probe(self, url: str) -> tuple[int, str, str] | None:
        """One GET for ``first_request``'s site check (same origin, so the credentials may
        go): status, Content-Type, body; None without an answer. Counted like any request."""
        self.counter.count("GET")
        try:
            answer = self._api.request("GET", url, absolute=True, advanced_mode=True)
        except (requests.RequestException, *URL_ERRORS):
            return None
        log.debug("probe %s -> %s", self._show(url), answer.status_code)
        return answer.status_code, answer.headers.get("Content-Type", ""), answer.text

    def _tell_observers(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        """requests' response hook: hand each exchange to the observers (none: nothing)."""
        if _OBSERVERS:
            path = self.redactor.redact(urlsplit(response.url).path)
            elapsed = response.elapsed.total_seconds() * 1000
            for observer in tuple(_OBSERVERS):
                observer(response.request.method or "", path, response.status_code, elapsed)

    def _show(self, path: str) -> str:
        """The path for messages: never the host or query string (titles may be private)."""
        if path.startswith(("http://", "https://")):
            path = urlsplit(path).path
        return path.split("?", 1)[0]


def _scrub(exc: BaseException) -> BaseException:
    """A plain copy of a requests exception's message, without the request it carries."""
    return ConnectionError(type(exc).__name__ + ": " + str(exc).split(" (Caused by", 1)[0])
