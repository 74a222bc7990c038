"""The run's first request: until the site has answered once like Confluence, an answer says
something about the site and the credentials, not about the object asked for.

One :class:`FirstRequest` per transport (``open_backend`` makes one transport per run). While
it is not ``settled``:

* 401/403 → :class:`CredentialsError` (exit 8, ``http_errors.refused_login``), saying what
  to check for the flavour; later 401/403s stay the per-object ``WikiError``s;
* 404, or an answer that is not JSON (a web page, a proxy's login form) → the site is probed
  (``GET rest/api/space?limit=1`` on Data Center, ``api/v2/spaces?limit=1`` on Cloud) under the
  configured URL and a few likely others (the root, ``/confluence``, Cloud's ``/wiki``): the
  configured one answering means the 404 was about the object (settled, the error stays a
  ``NotFoundError``); another one answering → ``SiteError("wrong-path"|"wrong-flavour")``
  naming it; none → ``SiteError("wrong-path"|"not-confluence")``;
* 429 and 5xx settle nothing (the retry owns them); any other answer settles it.

It also remembers a :class:`SiteError` once one was raised (``down``): a run whose site is
gone sends nothing more, so no request of it waits or retries for an unreachable host.

Imports ``confluence_sync.errors`` and ``http_errors`` (which words a refused login); the
transport hands it a probe function.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from confluence_sync.errors import SiteError

from .http_errors import refused_login

# What a probe tells: status, Content-Type, body. None: no answer at all.
Probe = Callable[[str], "tuple[int, str, str] | None"]

PROBE_PATHS = {"datacenter": "rest/api/space?limit=1", "cloud": "api/v2/spaces?limit=1"}
_MAX_CANDIDATES = 4


@dataclass(frozen=True)
class Login:
    """Who the transport logs in as, for the words of a refused login (never the secret)."""

    kind: str  # "basic", "bearer" or "none"
    username: str = ""


def _looks_json(content_type: str, text: str) -> bool:
    if "json" in content_type.lower():
        return True
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _speaks_confluence(answer: tuple[int, str, str] | None) -> bool:
    """A probe's answer shows Confluence's REST API there: JSON, or a refused login."""
    if answer is None:
        return False
    status, content_type, text = answer
    if status in (401, 403):
        return True
    return 200 <= status < 300 and _looks_json(content_type, text)


class FirstRequest:
    """Whether the run's first request has settled, and what the answers before it mean."""

    def __init__(self, base_url: str, flavour: str, login: Login, probe: Probe) -> None:
        self.base_url = base_url.rstrip("/")
        parts = urlsplit(self.base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.base_path = parts.path.rstrip("/")
        self.flavour = flavour
        self.login = login
        self._probe = probe
        self._lock = threading.Lock()
        self.settled = False
        self.down: SiteError | None = None

    # --- the site gone ----------------------------------------------------------------

    def raise_if_down(self) -> None:
        """Raise (a fresh copy of) the run's SiteError, if one was raised already."""
        down = self.down
        if down is not None:
            raise SiteError(
                down.cause, down.message, hint=down.hint, url=down.url, suggestion=down.suggestion
            )

    def went_down(self, error: SiteError) -> SiteError:
        with self._lock:
            if self.down is None:
                self.down = error
        return error

    # --- answers ----------------------------------------------------------------------

    def check(
        self,
        status: int,
        headers: Mapping[str, str],
        text: str,
        *,
        method: str,
        path: str,
    ) -> None:
        """Look at an answer while the first request is not settled (see the module
        docstring); returns when the answer is for the usual mapping, else raises."""
        if self.settled or status == 429 or status >= 500:
            return
        request = f"{method} {path}"
        if status in (401, 403):
            raise refused_login(
                status,
                headers,
                flavour=self.flavour,
                host=urlsplit(self.base_url).netloc,
                login_kind=self.login.kind,
                username=self.login.username,
                request=request,
            )
        content_type = headers.get("Content-Type", "")
        json_answer = not text.strip() or _looks_json(content_type, text)
        if status == 404 or not json_answer:
            kind = "wrong-path" if status == 404 else "not-confluence"
            error = self._diagnose(kind, status, content_type, request)
            if error is not None:
                raise self.went_down(error)
        self.settled = True

    def _diagnose(
        self, kind: str, status: int, content_type: str, request: str
    ) -> SiteError | None:
        """None when the configured base answers like Confluence; else the SiteError, with
        the likely right address when one of the candidates answers."""
        if _speaks_confluence(self._probe(self._probe_url(self.base_url, self.flavour))):
            return None
        for url, flavour in self.candidates():
            if _speaks_confluence(self._probe(self._probe_url(url, flavour))):
                return self._elsewhere(url, flavour)
        what = self._flavour_name(self.flavour)
        if kind == "wrong-path":
            message = f"no Confluence {what} REST API at {self.base_url}: {request} answered 404"
        else:
            shown = content_type.split(";", 1)[0] or "no content type"
            message = (
                f"{self.base_url} does not answer like Confluence: {request} gave HTTP "
                f"{status} with a {shown} body, not JSON"
            )
        return SiteError(
            kind,
            message,
            hint=(
                "is this the right URL and flavour? Data Center often lives below a context path "
                "(https://HOST/confluence), Cloud at https://SITE.atlassian.net; set "
                "CONFLUENCE_FLAVOUR=cloud or datacenter; a login page in front of the site "
                "(single sign-on) must let REST calls with a token through"
            ),
            url=self.base_url,
        )

    def candidates(self) -> list[tuple[str, str]]:
        """Likely right (base URL, flavour) pairs, likeliest first, without the configured
        one: a page address pasted from the browser cut back to its first segment
        (``/confluence/display/UPX/Agenda`` → ``/confluence``) or to the root, Data Center at
        ``/confluence``, Cloud at ``/wiki``; at most four probes."""
        o = self.origin
        given = self.base_path.removesuffix("/wiki") if self.flavour == "cloud" else self.base_path
        first = "/" + given.strip("/").split("/", 1)[0] if given.strip("/") else ""
        found: list[tuple[str, str]] = []
        if self.flavour == "cloud":
            if given:
                found.append((o + "/wiki", "cloud"))
            found += [(o + given, "datacenter"), (o + first, "datacenter")]
        else:
            found += [(o + first, "datacenter"), (o, "datacenter")]
        found += [(o + "/confluence", "datacenter"), (o + "/wiki", "cloud")]
        unique = dict.fromkeys(c for c in found if c != (self.base_url, self.flavour))
        return list(unique)[:_MAX_CANDIDATES]

    def _elsewhere(self, url: str, flavour: str) -> SiteError:
        site = url.removesuffix("/wiki") if flavour == "cloud" else url
        if flavour != self.flavour:
            name = self._flavour_name(flavour)
            return SiteError(
                "wrong-flavour",
                f"{self._given_url()} is not Confluence {self._flavour_name(self.flavour)}: it "
                f"answers as Confluence {name} at {url}",
                hint=(
                    f"is this the right URL and flavour? set CONFLUENCE_FLAVOUR={flavour}"
                    + (f" and CONFLUENCE_URL={site}" if site != self._given_url() else "")
                ),
                url=self.base_url,
                suggestion=site,
            )
        return SiteError(
            "wrong-path",
            f"no Confluence REST API at {self.base_url}, but there is one at {url}",
            hint=f"is this the right URL? set CONFLUENCE_URL={site}",
            url=self.base_url,
            suggestion=site,
        )

    def _given_url(self) -> str:
        return self.base_url.removesuffix("/wiki") if self.flavour == "cloud" else self.base_url

    @staticmethod
    def _flavour_name(flavour: str) -> str:
        return "Cloud" if flavour == "cloud" else "Data Center"

    @staticmethod
    def _probe_url(base: str, flavour: str) -> str:
        return f"{base.rstrip('/')}/{PROBE_PATHS[flavour]}"
