"""The one place that turns an HTTP response into one of our exceptions.

Every error names the object we were touching, the status and what the user can do about it.
Retry decisions elsewhere match on the exception types made here, never on status numbers.
A 401/403 to the run's first request is a ``CredentialsError`` (:func:`refused_login`; when
is ``first_request``'s call), any later one the per-object error below.
Bodies come in three shapes (v1/DC ``{"statusCode","message"}``, v2 ``{"errors":[…]}``, and
HTML or nothing from proxies); :func:`message_of` reads all of them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from confluence_sync.errors import (
    AlreadyExistsError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    CredentialsError,
    GoneError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    TitleExistsError,
    WikiError,
)

from .redaction import redact
from .retry import parse_retry_after
from .scopes import all_needed, needed

# v2 says it without the title: "A page already exists with the same TITLE in this space".
_TITLE_EXISTS_V2 = "already exists with the same title in this space"
# "A page already exists with the title <T> in the space with key <K>" (v1 / DC wording).
_TITLE_EXISTS = re.compile(
    r"already exists with the title (?P<title>.+?) in the space with key (?P<space>[~\w]+)",
    re.IGNORECASE | re.DOTALL,
)
# Java exception class prefixes Cloud puts in front of messages.
_JAVA_PREFIX = re.compile(r"^(?:[a-z]+\.)+[A-Za-z]+Exception:\s*")
_TAG = re.compile(r"<[^>]+>")
_MAX_MESSAGE = 300


def message_of(body: str) -> str:
    """The human part of an error body, whatever its shape; short and single-line-ish."""
    text = body.strip()
    if not text:
        return ""
    try:
        data = json.loads(text)
    except ValueError:
        # HTML from a proxy or Tomcat: keep the visible text only.
        return " ".join(_TAG.sub(" ", text).split())[:_MAX_MESSAGE]
    parts: list[str] = []
    if isinstance(data, dict):
        if isinstance(data.get("message"), str):
            parts.append(_JAVA_PREFIX.sub("", data["message"]))
        for item in data.get("errors") or []:
            if isinstance(item, dict):
                bits = list(dict.fromkeys(str(item[k]) for k in ("title", "detail") if item.get(k)))
                parts.append(": ".join(bits) or str(item.get("code", "")))
            elif isinstance(item, str):
                parts.append(item)
        if not parts and isinstance(data.get("reason"), str):
            parts.append(data["reason"])
    return "; ".join(p for p in parts if p)[:_MAX_MESSAGE] or text[:_MAX_MESSAGE]


def error_for(
    status: int,
    body: str,
    headers: Mapping[str, str],
    *,
    object: str,
    method: str,
    path: str,
    flavour: str,
    now: float | None = None,
) -> WikiError:
    """The exception for a non-2xx response to ``method path`` about ``object``.

    The server's text is redacted: a proxy or a debugging endpoint may echo the request's
    Authorization header, and the message reaches the terminal and the report. ``now``:
    wall-clock epoch seconds for an HTTP-date ``Retry-After`` (injectable for tests)."""
    said = redact(message_of(body))
    detail = f"{method} {path}: {said}" if said else f"{method} {path}"
    if status == 401 and "SCOPE" in headers.get("X-Failure-Category", "").upper():
        return AuthenticationError(
            object,
            status,
            f"scope does not match ({detail})",
            scope_hint(f"{method} {path}", whole_list=False),
        )
    if status == 401:
        hint = (
            "check CONFLUENCE_USERNAME (the account e-mail) and CONFLUENCE_API_TOKEN; Cloud "
            "API tokens expire; scoped tokens only work through the api.atlassian.com gateway URL"
            if flavour == "cloud"
            else "check CONFLUENCE_TOKEN (personal access token) or CONFLUENCE_USERNAME + "
            "CONFLUENCE_API_TOKEN; the token may have expired or been revoked"
        )
        return AuthenticationError(object, status, f"credentials rejected ({detail})", hint)
    if status == 403:
        return PermissionDeniedError(
            object,
            status,
            f"not allowed ({detail})",
            "give the sync account the permission this needs (space admin for permissions, "
            "Confluence admin for groups and spaces)",
        )
    if status == 404:
        by_id = re.search(r"/(content|pages|spaces)/\d+", path) is not None
        hint = (
            "the id existed before, so a page restriction or a missing space permission "
            "probably hides it from the sync account; check the page's restrictions"
            if by_id and method != "POST"
            else "check the space key / name in the config and that the sync account can "
            "view the space"
        )
        if flavour == "cloud" and method == "POST":
            hint = "Cloud answers 404 when the space is missing or creating in it is forbidden"
        if flavour == "datacenter":
            # CONFSERVER-98199: with anonymous access on, a bad PAT is not refused (401) but
            # silently runs as anonymous, which then cannot see the object.
            hint += "; on Data Center an invalid or expired CONFLUENCE_TOKEN acts as anonymous"
        if method == "POST" and "/child/attachment" in path:
            # Both specs list an upload over the site's size limit under 404 as well.
            hint = (
                "the page is gone or hidden from the sync account, or the file exceeds the "
                "site's maximum attachment size (an admin setting); Confluence answers 404 for "
                "both"
            )
        return NotFoundError(object, status, f"not found ({detail})", hint)
    if status == 409:
        return ConflictError(
            object,
            status,
            f"changed by someone else since it was read ({detail})",
            "run the sync again; it re-reads the page and leaves members' edits alone",
        )
    if status == 410:
        return GoneError(
            object,
            status,
            f"endpoint removed ({detail})",
            "Confluence Cloud retired this v1 REST endpoint; upgrade confluence-sync or "
            "report the path",
        )
    if status == 413:
        return PayloadTooLargeError(
            object,
            status,
            f"too large ({detail})",
            "Confluence accepts at most 5 MB per body or property; split the page or shorten "
            "the content",
        )
    if status == 429:
        wait = parse_retry_after(headers.get("Retry-After"), now=now)
        return RateLimitedError(
            object,
            status,
            f"rate limited ({detail})",
            "the site kept asking us to slow down; run again later or lower --workers",
            retry_after=wait,
        )
    if status >= 500:
        return ServerError(
            object,
            status,
            f"server error ({detail})",
            "the wiki or a proxy in front of it failed; run again, the sync is idempotent",
            retry_after=parse_retry_after(headers.get("Retry-After"), now=now),
        )
    match = _TITLE_EXISTS.search(said)
    if status == 400 and match:
        title, space = match.group("title").strip(), match.group("space").strip(" .")
        return TitleExistsError(
            object,
            status,
            f"a page titled {title!r} already exists in space {space}",
            f"another page or folder in space {space} (maybe archived, maybe differing only "
            f"in upper and lower case) has the title {title!r}; rename one of them, or adopt "
            "the page",
            title=title,
            space_key=space,
        )
    if status == 400 and _TITLE_EXISTS_V2 in said.lower():
        return TitleExistsError(
            object,
            status,
            "a page with the same title already exists in the space",
            "another page or folder of the space (maybe archived, maybe differing only in "
            "upper and lower case) has this title; rename one of them, or adopt the page",
        )
    if status == 400 and "already exist" in said.lower():
        # Confluence's 400 for a property key taken, a permission granted, a group made.
        return AlreadyExistsError(
            object,
            status,
            f"already there ({detail})",
            "someone (another sync run, a person) made it first; read it again",
        )
    return BadRequestError(
        object,
        status,
        f"rejected ({detail})",
        "the wiki did not accept the request; the message above says which field",
    )


def refused_login(
    status: int,
    headers: Mapping[str, str],
    *,
    flavour: str,
    host: str,
    login_kind: str,
    username: str,
    request: str,
) -> CredentialsError:
    """The error for a 401/403 to the run's first request (``backends.first_request``): the
    credentials, or the account they name, do not let the sync start. ``login_kind``:
    ``basic``, ``bearer`` or ``none``; ``username`` never comes with its secret."""
    category = headers.get("X-Failure-Category", "")
    who = f" of {username}" if username else ""
    if status == 401:
        message = f"{host} refused the credentials{who} (HTTP 401 to {request})"
    else:
        message = f"{host} refuses the account{who} (HTTP 403 to {request})"
    if category:
        message += f"; X-Failure-Category: {category}"
    hint = _what_to_check(status, category, flavour, login_kind, request)
    return CredentialsError(status, message, hint=hint, failure_category=category)


def scope_hint(request: str, *, whole_list: bool = True) -> str:
    """What a ``FAILURE_CLIENT_SCOPE_CHECK`` 401 to ``request`` ("METHOD path") is about.

    real-confluence.md item 14: a scoped token without a scope the request needs answers
    401 "Unauthorized; scope does not match" with that header (kovetskiy/mark#917,
    confluence-publisher#492/#516). The body names no scope; the specs do (``scopes``)."""
    method, _, path = request.partition(" ")
    scopes = needed(method, path)
    first = (
        f"the scoped API token lacks {' and '.join(scopes)}, which {request} needs"
        if scopes
        else "the scoped API token lacks a scope this request needs"
    )
    if not whole_list:  # one per failed item: the run's first scope 401 gave the list
        return f"{first} (or use an API token without scopes)"
    return (
        f"{first}; a token for the sync needs {', '.join(all_needed())} (or use an API "
        "token without scopes)"
    )


def _what_to_check(
    status: int, category: str, flavour: str, login_kind: str, request: str = ""
) -> str:
    if "SCOPE" in category.upper():
        return scope_hint(request)
    if flavour == "cloud":
        if status == 403:
            return (
                "the account needs access to Confluence on this site (product access, "
                "'Can use'); check it in admin.atlassian.com, and that the API token belongs "
                "to this account"
            )
        return (
            "Cloud needs CONFLUENCE_USERNAME = the account's e-mail address and "
            "CONFLUENCE_API_TOKEN = an API token of that account (id.atlassian.com → "
            "Security → API tokens): check it has not expired or been revoked; a scoped "
            "token works only through https://api.atlassian.com/ex/confluence/CLOUD-ID"
        )
    if status == 403:
        return (
            "the account exists but may not use Confluence: check it is not deactivated "
            "and has the 'Can use' global permission (and a licence)"
        )
    if login_kind == "bearer":
        return (
            "Data Center: check CONFLUENCE_TOKEN is a personal access token of the sync "
            "account (Profile → Personal Access Tokens), not expired or revoked, and that "
            "the account is not deactivated"
        )
    return (
        "Data Center: check CONFLUENCE_USERNAME (the user name, not the e-mail) and "
        "CONFLUENCE_API_TOKEN (the password, or use CONFLUENCE_TOKEN for a personal access "
        "token), and that the account is not deactivated or locked after failed logins"
    )
