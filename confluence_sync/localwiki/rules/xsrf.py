"""Confluence's XSRF check on writes a browser sends with the member's session cookie.

The rule is Atlassian REST's ``XsrfResourceFilter`` (atlassian-rest,
``com.atlassian.plugins.rest.common.security.jersey``), which guards every mutative REST call
of Confluence (POST, PUT, DELETE, PATCH) and answers 403 "XSRF check failed":

1. A request that looks like it comes from a browser (its User-Agent names a browser family)
   is checked for its origin first: the ``Referer`` or the ``Origin`` must be the site itself
   (same scheme, host and port; a browser extension's origin also passes). A POST that fails
   is refused; for PUT, DELETE and PATCH the filter only logs the failure and lets the
   request through ("XSRF failure not being enforced"), without the check of step 2.
2. A request whose content type a plain HTML form or ``fetch`` without a CORS preflight can
   send — ``application/x-www-form-urlencoded``, ``multipart/form-data``, ``text/plain``, or
   none at all — must carry ``X-Atlassian-Token: no-check`` (``nocheck`` is the deprecated
   spelling, still accepted). Without it a POST is refused; other methods are let through.

JSON writes therefore pass without the header in real Confluence: a cross-site page cannot
send ``application/json`` without a preflight, which Confluence does not grant. (The
filter's own test, ``XsrfCheckTest``: ``testPostJsonSuccess``, ``testPostFormBlocked``,
``testPutFormSuccess``.) The viewer's editor sends the header anyway, as Confluence's own
front end does.

Pure: the request comes in as strings. Imports: the standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

XSRF_MESSAGE: Final = "XSRF check failed"
TOKEN_HEADER: Final = "X-Atlassian-Token"
_TOKENS: Final = frozenset({"no-check", "nocheck"})
_MUTATIVE: Final = frozenset({"POST", "PUT", "DELETE", "PATCH"})
_XSRFABLE: Final = frozenset(
    {"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"}
)
_EXTENSIONS: Final = frozenset({"chrome-extension", "safari-extension"})
# What Atlassian's UserAgentUtil recognises as a browser family; anything else (curl,
# python-requests, Java clients) is "unknown" and skips the origin check.
_BROWSER: Final = re.compile(r"(?:Firefox|Chrome|Chromium|Safari|MSIE|Trident|Opera|OPR)/", re.I)
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


@dataclass(frozen=True)
class WriteRequest:
    """What the check reads of a request (headers as sent; empty when absent)."""

    method: str
    site: str  # the site's own origin: scheme://host[:port]
    content_type: str = ""
    user_agent: str = ""
    origin: str = ""
    referer: str = ""
    token: str = ""


def _origin_of(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if not scheme or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS.get(scheme, 0)


def _same_origin(url: str, site: str) -> bool:
    mine = _origin_of(site)
    return bool(url) and mine is not None and _origin_of(url) == mine


def _passes_origin(request: WriteRequest) -> bool:
    referer = request.referer.split("?", 1)[0]
    if _same_origin(referer, request.site) or _same_origin(request.origin, request.site):
        return True
    scheme = request.origin.split(":", 1)[0].lower() if ":" in request.origin else ""
    return scheme in _EXTENSIONS


def refused(request: WriteRequest) -> bool:
    """True when Confluence's XSRF filter answers this request with 403."""
    method = request.method.upper()
    if method not in _MUTATIVE:
        return False
    post = method == "POST"
    if _BROWSER.search(request.user_agent):
        if not _passes_origin(request):
            return post
        if not post:
            return False
    media = request.content_type.split(";", 1)[0].strip().lower()
    if media and media not in _XSRFABLE:
        return False
    if request.token.strip().lower() in _TOKENS:
        return False
    return post


__all__ = ["TOKEN_HEADER", "XSRF_MESSAGE", "WriteRequest", "refused"]
