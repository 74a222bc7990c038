"""Where the wiki is and how we log in: read from the environment, overridable by CLI flags.

Variables::

    CONFLUENCE_URL        site base URL; unset → the embedded local wiki (wired by the CLI)
    CONFLUENCE_FLAVOUR    cloud | datacenter; guessed from the host when unset
    CONFLUENCE_USERNAME   with CONFLUENCE_API_TOKEN: HTTP Basic (Cloud: the account e-mail)
    CONFLUENCE_API_TOKEN
    CONFLUENCE_TOKEN      a Data Center personal access token, sent as Bearer

Secrets are held as ``SecretStr``: ``repr``/``str`` of the settings, and every error raised
here, show ``**********`` instead of the token. Only ``auth()`` hands the raw value out, and
only the backends call it.

May import: errors, flavours.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, SecretStr

from confluence_sync.errors import EXIT_USAGE, ConfluenceSyncError
from confluence_sync.flavours import SPELLED, Flavour, parse_flavour

# Hosts that are Atlassian Cloud: site hosts and the OAuth / scoped-token gateway.
_CLOUD_HOST_SUFFIXES = (".atlassian.net", ".jira.com")
_CLOUD_HOSTS = ("atlassian.net", "api.atlassian.com")


class SettingsError(ConfluenceSyncError):
    """The connection settings are incomplete or contradictory."""

    exit_code = EXIT_USAGE


class BasicAuth(BaseModel):
    """HTTP Basic: user name (Cloud: e-mail) and API token or password."""

    model_config = ConfigDict(frozen=True)
    username: str
    secret: SecretStr


class BearerAuth(BaseModel):
    """A personal access token sent as ``Authorization: Bearer``."""

    model_config = ConfigDict(frozen=True)
    token: SecretStr


# Seconds. Cloud's quotas count per hour, so a site may ask for far longer; five minutes is
# what an admin at the terminal would still wait (Retry-After up to that is waited in full).
DEFAULT_MAX_WAIT = 300.0


class Settings(BaseModel):
    """Validated connection settings. Build with :meth:`from_env`."""

    model_config = ConfigDict(frozen=True)

    url: str | None = None
    flavour: Flavour | None = None
    username: str | None = None
    api_token: SecretStr | None = None
    token: SecretStr | None = None
    # (connect, read) seconds. Connect is short: a wrong host should fail fast; read is long
    # enough for a big page body on a slow Data Center.
    connect_timeout: float = 5.0
    read_timeout: float = 60.0
    # The longest a request waits for a rate limit the site names (Retry-After); past it the
    # run stops and reports the rest as not done (``--max-wait``).
    max_wait: float = DEFAULT_MAX_WAIT

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        url: str | None = None,
        flavour: str | None = None,
        username: str | None = None,
        api_token: str | None = None,
        token: str | None = None,
    ) -> Settings:
        """Read ``CONFLUENCE_*`` from ``env`` (default: ``os.environ``); a keyword argument
        that is not None (a CLI flag) wins over the variable."""
        source = os.environ if env is None else env

        def pick(flag: str | None, name: str) -> str | None:
            value = flag if flag is not None else source.get(name)
            return value.strip() if value and value.strip() else None

        chosen_url = pick(url, "CONFLUENCE_URL")
        chosen_flavour = pick(flavour, "CONFLUENCE_FLAVOUR")
        chosen_api_token = pick(api_token, "CONFLUENCE_API_TOKEN")
        chosen_token = pick(token, "CONFLUENCE_TOKEN")
        settings = cls(
            url=_check_url(chosen_url) if chosen_url else None,
            flavour=_check_flavour(chosen_flavour),
            username=pick(username, "CONFLUENCE_USERNAME"),
            api_token=SecretStr(chosen_api_token) if chosen_api_token else None,
            token=SecretStr(chosen_token) if chosen_token else None,
        )
        settings.check()
        return settings

    @property
    def embedded(self) -> bool:
        """No URL: the CLI starts the local wiki and syncs to it."""
        return self.url is None

    @property
    def resolved_flavour(self) -> Flavour:
        """The flavour given, else guessed from the host (Atlassian Cloud hosts → cloud)."""
        if self.flavour is not None:
            return self.flavour
        return guess_flavour(self.url or "")

    def check(self) -> None:
        """Raise :class:`SettingsError` when a remote site lacks usable credentials."""
        if self.url is None:
            return
        if self.username and self.api_token is None:
            raise SettingsError(
                "CONFLUENCE_USERNAME is set but CONFLUENCE_API_TOKEN is not",
                hint="set CONFLUENCE_API_TOKEN (Cloud: create one at id.atlassian.com)",
            )
        if self.api_token is not None and not self.username:
            raise SettingsError(
                "CONFLUENCE_API_TOKEN is set but CONFLUENCE_USERNAME is not",
                hint="set CONFLUENCE_USERNAME (Cloud: the account's e-mail address)",
            )
        if self.api_token is None and self.token is None:
            raise SettingsError(
                f"no credentials for {self.url}",
                hint=(
                    "set CONFLUENCE_USERNAME + CONFLUENCE_API_TOKEN, or CONFLUENCE_TOKEN "
                    "(a Data Center personal access token)"
                ),
            )
        if self.resolved_flavour == "cloud" and self.api_token is None:
            raise SettingsError(
                "Confluence Cloud needs CONFLUENCE_USERNAME + CONFLUENCE_API_TOKEN",
                hint="CONFLUENCE_TOKEN (Bearer) is for Data Center personal access tokens",
            )

    def auth(self) -> BasicAuth | BearerAuth | None:
        """The credentials to send; a PAT wins on Data Center when both are given."""
        if self.token is not None and self.resolved_flavour == "datacenter":
            return BearerAuth(token=self.token)
        if self.username and self.api_token is not None:
            return BasicAuth(username=self.username, secret=self.api_token)
        if self.token is not None:
            return BearerAuth(token=self.token)
        return None

    def secrets(self) -> tuple[str, ...]:
        """Raw secret values, for the log redaction filter only."""
        return tuple(s.get_secret_value() for s in (self.api_token, self.token) if s is not None)


def guess_flavour(url: str) -> Flavour:
    """``*.atlassian.net`` and ``api.atlassian.com`` are Cloud; any other host is Data Center."""
    host = (urlsplit(url).hostname or "").lower()
    if host in _CLOUD_HOSTS or host.endswith(_CLOUD_HOST_SUFFIXES):
        return "cloud"
    return "datacenter"


def _check_flavour(value: str | None) -> Flavour | None:
    if value is None:
        return None
    flavour = parse_flavour(value)
    if flavour is None:
        raise SettingsError(
            f"CONFLUENCE_FLAVOUR must be {SPELLED}, not {value!r}",
            hint="leave it unset to guess from the host name",
        )
    return flavour


def _check_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(
            "CONFLUENCE_URL must be an http(s) URL such as https://wiki.example.org",
            hint="include the context path if the site has one (…/confluence)",
        )
    if parts.username or parts.password:
        # Credentials in the URL would end up in logs and error messages.
        raise SettingsError(
            "CONFLUENCE_URL must not contain a user name or password",
            hint="use CONFLUENCE_USERNAME + CONFLUENCE_API_TOKEN or CONFLUENCE_TOKEN instead",
        )
    return value.rstrip("/")
