"""The second check: does Confluence answer at the URL, in the flavour the settings say, and
which version? When not, where it does answer (a context path missing or too much, the other
flavour), so the line can name the URL and flavour to use instead.

What each flavour answers (read before any credentials are trusted):

* Data Center: ``GET {context}/rest/api/server-information`` → ``ServerInformation``
  {baseUrl, version, buildNumber …}, 401 without credentials (dc-10.0.3.json ``index_2``).
  Releases before it had no such route: there ``GET {context}/rest/api/user/current``
  answering a v1 ``Person`` (``type`` known/anonymous) still says "Data Center".
* Cloud: ``GET /wiki/rest/api/settings/systemInfo`` → ``SystemInfoEntity`` {cloudId,
  commitHash, edition …} (cloud-v1.json ``getSystemInfo``). Cloud's REST API lives below
  ``/wiki`` only; the site root answers nothing under ``/rest/api``.

A 401 or 403 from one of these routes counts as "Confluence answers here" (the credentials
are the next check's business); a 404, 410 or a page that is no JSON does not.

Imports: ``errors``, ``flavours``, ``backends`` (site_base, the transport and its retry
policy) and ``checks.model``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from confluence_sync.backends import site_base
from confluence_sync.backends.contract import RequestCounter
from confluence_sync.backends.retry import Retrier
from confluence_sync.backends.transport import Transport
from confluence_sync.errors import (
    EXIT_SITE,
    AuthenticationError,
    CredentialsError,
    PermissionDeniedError,
    SiteError,
    WikiError,
)
from confluence_sync.flavours import Flavour
from confluence_sync.settings import Settings

from .model import Check, failed, passed

NAME = "site"
_NAMES: dict[Flavour, str] = {"datacenter": "Confluence Data Center", "cloud": "Confluence Cloud"}


@dataclass(frozen=True)
class Found:
    """Confluence as it answered: its flavour, the base URL its REST API is below (DC: the
    context root; Cloud: ``…/wiki``), its version as far as it said, and whether the
    answer came with our credentials accepted."""

    flavour: Flavour
    base: str
    version: str
    signed_in: bool

    def describe(self) -> str:
        return f"{_NAMES[self.flavour]} {self.version} at {self.base}".replace("  ", " ")

    @property
    def url(self) -> str:
        """What CONFLUENCE_URL should say: the base, without Cloud's implied ``/wiki``."""
        return self.base.removesuffix("/wiki") if self.flavour == "cloud" else self.base


class Prober:
    """Single GETs (no retries: a check must be quick) at absolute URLs on the site's origin,
    with the configured credentials, counted on ``counter``."""

    def __init__(self, settings: Settings, counter: RequestCounter) -> None:
        url = settings.url or ""
        parts = urlsplit(url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.settings = settings
        self.transport = Transport(
            self.origin,
            settings.auth(),
            flavour=settings.resolved_flavour,
            counter=counter,
            retrier=Retrier(),
            timeouts=(settings.connect_timeout, min(settings.read_timeout, 20.0)),
            first_request=False,  # the checks diagnose the site themselves
        )

    def get(self, url: str, what: str, params: dict[str, Any] | None = None) -> Any:
        """One attempt; the transport's own errors come through as they are."""
        return self.transport.send_once("GET", url, what=what, params=params)

    def close(self) -> None:
        self.transport.close()


def _ask(prober: Prober, flavour: Flavour, base: str) -> Found | None:
    """Whether ``flavour``'s Confluence answers below ``base``; TransportError passes."""
    path = (
        "/rest/api/server-information"
        if flavour == "datacenter"
        else "/rest/api/settings/systemInfo"
    )
    try:
        data = prober.get(base + path, "the site's identity")
    except (AuthenticationError, PermissionDeniedError, CredentialsError):
        return Found(flavour, base, "(version not shown without accepted credentials)", False)
    except (WikiError, SiteError) as error:
        if not _answered(error):
            raise
        return _older_dc(prober, base) if flavour == "datacenter" else None
    if not isinstance(data, dict):
        return None
    if flavour == "datacenter" and isinstance(data.get("version"), str):
        return Found(flavour, base, data["version"], True)
    if flavour == "cloud" and isinstance(data.get("cloudId"), str):
        edition = f"{data.get('edition')} edition" if data.get("edition") else ""
        return Found(flavour, base, edition, True)
    return None


def _older_dc(prober: Prober, base: str) -> Found | None:
    """A Data Center before ``server-information`` still answers ``user/current``."""
    try:
        data = prober.get(base + "/rest/api/user/current", "the site's identity")
    except (AuthenticationError, PermissionDeniedError, CredentialsError):
        return Found("datacenter", base, "(an older release)", False)
    except (WikiError, SiteError) as error:
        if not _answered(error):
            raise
        return None
    # A v1 Person without an account id: Cloud's v1 names everyone by account id.
    if isinstance(data, dict) and data.get("type") in ("known", "anonymous"):
        return None if "accountId" in data else Found("datacenter", base, "(older release)", True)
    return None


def _answered(error: WikiError | SiteError) -> bool:
    """An HTTP answer that is not Confluence's here (404, 410, …), as opposed to no answer at
    all. A transport that words a first-request failure as SiteError itself keeps causes
    for both: only the connection causes mean no answer came."""
    if isinstance(error, SiteError):
        return error.cause in ("not-confluence", "wrong-path", "wrong-flavour")
    return error.status is not None


def candidates(settings: Settings) -> list[tuple[Flavour, str]]:
    """Where to look, the configured place first: then the usual other context paths of
    that flavour, then the other flavour."""
    url = (settings.url or "").rstrip("/")
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    path = parts.path.rstrip("/")
    dc = [url, origin, origin + "/confluence", origin + "/wiki"]
    cloud = [site_base(url, "cloud"), origin + "/wiki"]
    ordered: list[tuple[Flavour, str]]
    if settings.resolved_flavour == "cloud":
        ordered = [("cloud", b) for b in cloud] + [("datacenter", b) for b in dc]
    else:
        ordered = [("datacenter", b) for b in dc] + [("cloud", b) for b in cloud]
    if path.endswith("/wiki") and settings.resolved_flavour == "datacenter":
        ordered.append(("cloud", url))
    return list(dict.fromkeys(ordered))


def identify(prober: Prober, settings: Settings) -> tuple[Check, Found | None]:
    """The site line, and what answered (None: nothing like Confluence). A failure to reach
    the site at all (``TransportError``) passes to the caller, which knows the connection."""
    wanted_flavour = settings.resolved_flavour
    places = candidates(settings)
    first = places[0]
    found: Found | None = None
    for flavour, base in places:
        found = _ask(prober, flavour, base)
        if found is not None:
            break
    if found is None:
        return (
            failed(
                NAME,
                f"{settings.url} answers, but not like {_NAMES[wanted_flavour]} (no REST API "
                f"below {first[1]}, nor at the usual other paths)",
                "set CONFLUENCE_URL to the wiki's base URL: Data Center with its context path "
                "(e.g. https://wiki.example.org/confluence), Cloud as https://SITE.atlassian.net",
                EXIT_SITE,
                "not-confluence",
            ),
            None,
        )
    if (found.flavour, found.base) == first:
        return passed(NAME, found.describe()), found
    if found.flavour != wanted_flavour:
        return (
            failed(
                NAME,
                f"this is {found.describe()}, not {_NAMES[wanted_flavour]}",
                f"set CONFLUENCE_FLAVOUR={found.flavour} (or --flavour {found.flavour})"
                + ("" if found.url == settings.url else f" and CONFLUENCE_URL={found.url}"),
                EXIT_SITE,
                "wrong-flavour",
            ),
            found,
        )
    return (
        failed(
            NAME,
            f"no Confluence below {settings.url}; {found.describe()}",
            f"set CONFLUENCE_URL={found.url} (the context path is part of the base URL)",
            EXIT_SITE,
            "wrong-path",
        ),
        found,
    )
