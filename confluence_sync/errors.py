"""The exceptions confluence-sync raises, and the exit codes the CLI maps them to.

Hierarchy::

    ConfluenceSyncError            anything we raise on purpose; carries a hint for the user
    ├── ConfigError                the YAML file is wrong (exit 3); holds every Problem at once
    ├── UnsafePlanError            the plan would remove too much (exit 4)
    ├── lock.LockedError           another sync is running (exit 6)
    ├── SiteError                  the site cannot be used at all (exit 7): unreachable, not
    │                              Confluence, wrong URL or flavour (found before any write)
    ├── CredentialsError           the first request was refused: 401/403 (exit 8)
    ├── MissingAccountsError       accounts the config names are not on the site (exit 9)
    └── WikiError                  the wiki refused or failed a request; names object + status
        ├── AuthenticationError    401: credentials or token rejected
        ├── PermissionDeniedError  403: the sync account may not do this
        ├── NotFoundError          404: missing, or hidden by a restriction
        ├── BadRequestError        other 4xx: the request was wrong
        │   ├── TitleExistsError   400: a page with this title already exists in the space
        │   └── AlreadyExistsError 400: what we create (a property, a permission) is there
        ├── ConflictError          409: someone changed the object since we read it
        ├── GoneError              410: the endpoint was removed (Cloud v1)
        ├── PayloadTooLargeError   413: body or property value too large
        ├── RateLimitedError       429: slow down; carries retry_after seconds
        ├── ServerError            5xx: the wiki failed
        └── TransportError         no status: timeout, reset; ``cause`` says which

Wiki (HTTP) errors are raised only by ``confluence_sync.backends``; it is the only place
that turns an HTTP status into one of them.

May import: nothing of confluence_sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

EXIT_OK: Final = 0
EXIT_UNEXPECTED: Final = 1
EXIT_USAGE: Final = 2
EXIT_CONFIG: Final = 3
EXIT_UNSAFE: Final = 4
EXIT_PARTIAL: Final = 5
EXIT_LOCKED: Final = 6  # another sync holds the network's lock
EXIT_SITE: Final = 7  # the site cannot be reached or is not the Confluence the settings say
EXIT_CREDENTIALS: Final = 8  # the site refused the credentials (or the account's rights)
EXIT_ACCOUNTS: Final = 9  # accounts the config names do not exist on the site


class ConfluenceSyncError(Exception):
    """Base of every error we raise on purpose. ``hint`` says what the user can do."""

    exit_code: int = EXIT_UNEXPECTED

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a config file, located as precisely as the YAML allows."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.path}: {self.message}"

    def as_dict(self) -> dict[str, str | int]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }


class ConfigError(ConfluenceSyncError):
    """The config file has problems; all of them are listed, sorted by position."""

    exit_code = EXIT_CONFIG

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the config",
            hint="fix the lines named above; nothing was sent to the wiki",
        )

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class UnsafePlanError(ConfluenceSyncError):
    """The plan removes more than the safety share allows; re-run with --force if intended."""

    exit_code = EXIT_UNSAFE


class SiteError(ConfluenceSyncError):
    """The site cannot be used: ``cause`` says why, as data (``dns``, ``refused``,
    ``unreachable``, ``tls``, ``bad-url``, ``connect-timeout``, ``read-timeout``,
    ``not-confluence``, ``wrong-path``, ``wrong-flavour``). ``url`` is the address it was
    about, ``suggestion`` the address that looked right instead, when one was found. Raised
    by the run's first request, so nothing was changed — except ``dns``/``refused``/``unreachable``/
    ``tls``/``bad-url``, which end a run wherever they happen (the site went away mid-run)."""

    exit_code = EXIT_SITE

    def __init__(
        self, cause: str, message: str, *, hint: str = "", url: str = "", suggestion: str = ""
    ) -> None:
        super().__init__(message, hint=hint)
        self.cause = cause
        self.url = url
        self.suggestion = suggestion


class CredentialsError(ConfluenceSyncError):
    """The site answered the first request with 401 or 403: the credentials, or the rights
    of the account they name, do not let the sync start. Nothing was changed.
    ``failure_category``: Cloud's ``X-Failure-Category`` header when it sent one
    (``FAILURE_CLIENT_SCOPE_CHECK``: a scoped token lacks a scope)."""

    exit_code = EXIT_CREDENTIALS

    def __init__(
        self, status: int, message: str, *, hint: str = "", failure_category: str = ""
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.failure_category = failure_category


class MissingAccountsError(ConfluenceSyncError):
    """Accounts the config names are not on the site; ``accounts`` lists them all at once.
    Raised before any write."""

    exit_code = EXIT_ACCOUNTS

    def __init__(self, accounts: tuple[str, ...], message: str, *, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.accounts = accounts


class WikiError(ConfluenceSyncError):
    """A request to the wiki failed. ``object`` names what we were touching (``page 123``,
    ``space UPX``), ``status`` is the HTTP status (None when no response arrived)."""

    def __init__(self, object: str, status: int | None, message: str, hint: str = "") -> None:
        self.object = object
        self.status = status
        where = f"{object}: " if object else ""
        code = f" (HTTP {status})" if status is not None else ""
        super().__init__(f"{where}{message}{code}", hint=hint)


class AuthenticationError(WikiError):
    """401: the wiki did not accept our credentials, or a scoped token lacks a scope of the
    request (Cloud's ``FAILURE_CLIENT_SCOPE_CHECK``). Whenever it comes, a run cannot fix it
    by trying again: it ends the run as the credentials' exit code (8), not as failed items."""

    exit_code = EXIT_CREDENTIALS


class PermissionDeniedError(WikiError):
    """403: authenticated, but the sync account lacks a permission."""


class NotFoundError(WikiError):
    """404: the object does not exist, or a restriction hides it from the sync account."""


class BadRequestError(WikiError):
    """A 4xx the others do not cover: the wiki rejected what we sent."""


class AlreadyExistsError(BadRequestError):
    """400: the property, permission or group we create exists already."""


class TitleExistsError(BadRequestError):
    """400: another page in the space already has this title (case-insensitively)."""

    def __init__(
        self,
        object: str,
        status: int | None,
        message: str,
        hint: str = "",
        *,
        title: str = "",
        space_key: str = "",
    ) -> None:
        self.title = title
        self.space_key = space_key
        super().__init__(object, status, message, hint)


class ConflictError(WikiError):
    """409: the object changed since we read it (stale version)."""


class GoneError(WikiError):
    """410: the endpoint was removed (Confluence Cloud retires v1 routes)."""


class PayloadTooLargeError(WikiError):
    """413: the page body or property value is larger than the wiki accepts."""


class _MayWait(WikiError):
    """An answer that may say how long to wait: ``retry_after`` seconds (None: not said)."""

    def __init__(
        self,
        object: str,
        status: int | None,
        message: str,
        hint: str = "",
        *,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(object, status, message, hint)


class RateLimitedError(_MayWait):
    """429: the wiki asks us to wait ``retry_after`` seconds (None when it did not say)."""


class ServerError(_MayWait):
    """5xx: the wiki (or a proxy in front of it) failed. A 503 may carry ``retry_after``."""


# Causes of a request that got no answer where the request never reached the server: a
# write that failed this way was certainly not committed.
NOT_SENT_CAUSES: Final = frozenset(
    {"dns", "refused", "unreachable", "tls", "bad-url", "connect-timeout"}
)


class TransportError(WikiError):
    """No HTTP status. ``cause`` says why, as data: ``read-timeout``, ``reset`` (the
    connection broke after the request went out), ``connect-timeout``, ``other`` (the
    default), or one of the causes that end a run (those are raised as :class:`SiteError`).
    ``maybe_committed``: whether a write may have happened (not when it was never sent)."""

    def __init__(self, object: str, message: str, hint: str = "", *, cause: str = "other") -> None:
        super().__init__(object, None, message, hint)
        self.cause = cause

    @property
    def maybe_committed(self) -> bool:
        return self.cause not in NOT_SENT_CAUSES
