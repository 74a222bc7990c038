"""Why a request got no answer, as data, and the words for it: the one place that reads a
requests/urllib3 exception (``classify``) and turns it into ours (``no_answer``).

Causes: ``dns`` (the host name does not resolve), ``refused`` (nothing listens on the port),
``unreachable`` (no route to the host), ``tls`` (the TLS handshake or the certificate failed,
e.g. https against a plain-http port), ``bad-url`` (the URL cannot be parsed: a space or an
empty label in the host, a port beyond 65535), ``connect-timeout`` (no connection within the connect
timeout), ``read-timeout`` (connected and sent, but no answer in time), ``reset`` (the
connection broke after the request went out) and ``other``. The first five mean the site
cannot be used at all: they end the run as a :class:`SiteError` wherever they happen, and are
never retried request after request. ``connect-timeout`` and ``read-timeout`` do so on the
run's first request only (later they are a :class:`TransportError`, retried by
``backends.retry``); the causes in ``errors.NOT_SENT_CAUSES`` never count as a write that may
have been committed.

Imports requests, urllib3 and ``confluence_sync.errors`` only.
"""

from __future__ import annotations

import re
import socket
import ssl
from collections.abc import Iterator
from http.client import RemoteDisconnected
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import (
    LocationValueError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
)
from urllib3.exceptions import SSLError as Urllib3SSLError

from confluence_sync.errors import (
    ConfluenceSyncError,
    CredentialsError,
    SiteError,
    TransportError,
)

# These end the run wherever they happen: the site is not there (or not speaking TLS).
ENDS_RUN = frozenset({"dns", "refused", "unreachable", "tls", "bad-url"})
# What urllib3 raises itself (not wrapped by requests) for a URL it cannot parse.
URL_ERRORS = (LocationValueError,)
_BAD_URL = (
    requests.exceptions.InvalidURL,
    requests.exceptions.InvalidSchema,
    requests.exceptions.MissingSchema,
    LocationValueError,
)
# These end the run when the first request meets them: nothing has shown the site works.
ENDS_FIRST = ENDS_RUN | {"connect-timeout", "read-timeout"}


def _links(error: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps (urllib3's ``reason``, arguments, causes)."""
    todo: list[object] = [error]
    seen: list[BaseException] = []
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        yield item
        todo += [getattr(item, "reason", None), item.__cause__, item.__context__, *item.args]


def classify(error: BaseException) -> str:
    """The cause of a failed request: for a requests/urllib3/socket exception what it says;
    for our own errors the cause they carry (``credentials`` for a refused login)."""
    if isinstance(error, SiteError | TransportError):
        return error.cause
    if isinstance(error, CredentialsError):
        return "credentials"
    if isinstance(error, ConfluenceSyncError):
        return "other"
    if isinstance(error, _BAD_URL):
        return "bad-url"
    # Order matters: a ConnectTimeout is a ConnectionError too, an SSLError one as well.
    if isinstance(error, requests.exceptions.SSLError):
        return "tls"
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return "connect-timeout"
    if isinstance(error, requests.exceptions.ReadTimeout):
        return "read-timeout"
    links = list(_links(error))
    if any(isinstance(e, NameResolutionError | socket.gaierror) for e in links):
        return "dns"
    if any(isinstance(e, ConnectionRefusedError) for e in links):
        return "refused"
    if any(isinstance(e, ssl.SSLError | Urllib3SSLError) for e in links):
        return "tls"
    if any(isinstance(e, NewConnectionError) for e in links):
        return "unreachable"  # no route to host, network down: the connect itself failed
    if any(isinstance(e, socket.timeout | TimeoutError) for e in links):
        return "read-timeout"
    if any(isinstance(e, ProtocolError | ConnectionError | RemoteDisconnected) for e in links):
        return "reset"
    return "other"


def _host(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url


def no_answer(
    cause: str,
    *,
    what: str,
    method: str,
    path: str,
    url: str,
    timeouts: tuple[float, float],
    first: bool,
    detail: str = "",
) -> ConfluenceSyncError:
    """Our error for a request that got no answer: a :class:`SiteError` when the cause ends
    the run (see the module docstring), else a :class:`TransportError` carrying the cause.
    ``url`` is the configured site (never a query string); ``path`` as shown in messages;
    ``detail`` what the library said (read for the words of a TLS failure; shown, without
    any query string, for a URL it could not parse)."""
    host = _host(url)
    connect, read = timeouts
    if cause in ENDS_RUN or (first and cause in ENDS_FIRST):
        message, hint = _site_words(cause, url, host, connect, read, detail)
        if cause == "bad-url" and detail:
            # Without the query string: it may name spaces and titles.
            said = detail.split(" (Caused by", 1)[0]
            message += " (" + re.sub(r"\?[^\s'\")]*", "", said) + ")"
        return SiteError(cause, message, hint=hint, url=url)
    request = f"{method} {path}"
    if cause == "read-timeout":
        return TransportError(
            what,
            f"{request}: no answer within {read:g} s",
            "the wiki is slow or overloaded; run again (the sync is idempotent)",
            cause=cause,
        )
    if cause == "connect-timeout":
        return TransportError(
            what,
            f"{request}: could not connect to {host} within {connect:g} s (nothing was sent)",
            "the network or the site is overloaded; run again",
            cause=cause,
        )
    if cause == "reset":
        return TransportError(
            what,
            f"{request}: the connection was closed before the answer arrived",
            "a proxy or the site dropped the connection; run again (the sync is idempotent)",
            cause=cause,
        )
    return TransportError(
        what,
        f"{request} failed without an answer",
        "check CONFLUENCE_URL and the network, then run again",
        cause=cause,
    )


def _site_words(
    cause: str, url: str, host: str, connect: float, read: float, detail: str
) -> tuple[str, str]:
    """Message and hint of a site that cannot be used for a network reason. ``detail`` (the
    library's text) only picks the words within a cause: OpenSSL's reason for a TLS failure."""
    hostname = urlsplit(url).hostname or host
    if cause == "dns":
        return (
            f"cannot reach {url}: the host name {hostname} does not resolve (DNS)",
            "check the spelling of CONFLUENCE_URL; an intranet name may need the VPN or the "
            "company network",
        )
    if cause == "refused":
        return (
            f"cannot reach {url}: {host} refused the connection (nothing listens on that port)",
            "check the port in CONFLUENCE_URL (https is 443) and that the site is running",
        )
    if cause == "unreachable":
        return (
            f"cannot reach {url}: no route to {host}",
            "check the network (VPN, proxy, firewall) and the host in CONFLUENCE_URL",
        )
    if cause == "tls" and "CERTIFICATE_VERIFY_FAILED" in detail:
        return (
            f"cannot reach {url}: the certificate of {host} is not trusted (self-signed, "
            "expired, for another name, or from a company certificate authority)",
            "for a company certificate authority set REQUESTS_CA_BUNDLE to its PEM file; "
            "check the host name in CONFLUENCE_URL is the one the certificate names",
        )
    if cause == "tls" and ("WRONG_VERSION_NUMBER" in detail or "record layer" in detail):
        return (
            f"cannot reach {url}: {host} does not speak TLS on that port (plain HTTP?)",
            f"use http://{host} in CONFLUENCE_URL if the site really serves plain HTTP "
            "there, or the site's https port (usually 443)",
        )
    if cause == "tls":
        other = "http" if url.startswith("https:") else "https"
        return (
            f"cannot reach {url}: the TLS handshake with {host} failed (a port without TLS, "
            "or a certificate that is not trusted)",
            f"if the site speaks plain HTTP on that port, use {other}:// in CONFLUENCE_URL; "
            "for a company certificate authority set REQUESTS_CA_BUNDLE to its PEM file",
        )
    if cause == "bad-url":
        return (
            f"cannot use {url}: the address cannot be parsed",
            "check CONFLUENCE_URL: a host name without spaces or empty parts, a port up to "
            "65535, such as https://wiki.example.org",
        )
    if cause == "connect-timeout":
        return (
            f"cannot reach {url}: no connection to {host} within {connect:g} s",
            "a firewall may drop the packets, or the host is down; check the host and port in "
            "CONFLUENCE_URL and whether it needs the VPN",
        )
    return (
        f"{url} accepted the connection but sent no answer within {read:g} s",
        "the site (or a proxy in front of it) hangs; open CONFLUENCE_URL in a browser, and "
        "check the port belongs to Confluence",
    )
