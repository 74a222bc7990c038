"""``confluence-sync doctor``: every check in order, one line each, and the exit code of the
first that failed (0 only when a sync can succeed).

Order: connection (host, port, TLS) → site (Confluence? which flavour, version, context
path) → credentials (as whom) → rights (spaces, groups) → api (what the flavour offers) →
accounts (with FILE: every account the config names exists). A failure of the first three
ends the run (nothing after can be asked); rights, api and accounts are each asked.

Without a URL the sync uses the embedded local wiki: doctor starts it and checks it the same
way, and says so.

Imports: ``errors``, ``settings``, ``config``, ``embedded``, ``backends`` and the other
``checks`` modules.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from confluence_sync.backends.contract import RequestCounter
from confluence_sync.errors import (
    EXIT_SITE,
    CredentialsError,
    SiteError,
    TransportError,
    WikiError,
)
from confluence_sync.settings import Settings

from . import account, network, site
from .model import Check, Report, failed, passed

EMBEDDED = "the embedded local wiki (no CONFLUENCE_URL)"


def diagnose(
    settings: Settings, config_path: Path | None = None, *, data_dir: Path | None = None
) -> Report:
    """Check the site of ``settings`` (the embedded wiki when it has no URL) and, with a
    config, the accounts it names. A bad config raises ConfigError before any request."""
    names = _config_accounts(config_path)
    if settings.embedded and config_path is None:
        return Report(
            EMBEDDED,
            [
                passed(
                    "site",
                    "no CONFLUENCE_URL: plan and sync use an embedded local wiki next to the "
                    "config file; give FILE to check that one, or set CONFLUENCE_URL",
                )
            ],
        )
    if settings.embedded and config_path is not None:
        with _embedded(settings, config_path, data_dir) as (local, where):
            report = check_site(local, names, embedded=True)
            report.target = where
            return report
    return check_site(settings, names)


def check_site(
    settings: Settings, names: list[str] | None = None, *, embedded: bool = False
) -> Report:
    """Every check against ``settings.url``; ``names``: the config's accounts (None: no
    config given, no account line)."""
    report = Report(f"{settings.url} ({settings.resolved_flavour})")
    counter = RequestCounter()
    connection = network.connect(settings.url or "", settings.connect_timeout)
    report.checks.append(connection)
    if not connection.ok:
        return report
    prober = site.Prober(settings, counter)
    try:
        _checks(report, prober, settings, names, embedded)
    finally:
        prober.close()
        report.requests = counter.requests
    return report


def _checks(
    report: Report,
    prober: site.Prober,
    settings: Settings,
    names: list[str] | None,
    embedded: bool,
) -> None:
    try:
        line, found = site.identify(prober, settings)
    except (TransportError, SiteError) as error:
        report.checks[0] = _unreachable(settings, error)
        return
    report.checks.append(line)
    if found is None or not line.ok:
        return
    try:
        who, me = account.credentials(prober, found)
        report.checks.append(who)
        if me is None:
            return
        report.checks.append(account.rights(prober, found, me))
        report.checks.append(account.capabilities(prober, found))
        if names is None:
            return
        if embedded:
            report.checks.append(
                passed(
                    "accounts",
                    f"the embedded wiki creates the {len(names)} accounts the config names "
                    "when it syncs",
                )
            )
            return
        report.checks.append(account.accounts(prober, found, names))
    except (TransportError, SiteError) as error:
        report.checks.append(_unreachable(settings, error, name="site"))
    except (WikiError, CredentialsError) as error:
        report.checks.append(
            failed(
                "site",
                f"the site failed a read: {error.message}",
                "run doctor again; if it persists, ask the site's administrators",
                EXIT_SITE,
                "not-confluence",
            )
        )


def _unreachable(settings: Settings, error: Exception, name: str = network.NAME) -> Check:
    """The line for a request that got no HTTP answer, after the socket connected."""
    url = settings.url or ""
    tls = network.http_on_tls_port(url, settings.connect_timeout)
    if tls is not None:
        return tls
    text = getattr(error, "message", str(error))
    cause = getattr(error, "cause", "")
    if "SSLError" in text or cause == "tls":
        return failed(
            name,
            f"the TLS connection failed: {text} (often a certificate the machine does not trust)",
            "install the site's CA certificate, or point REQUESTS_CA_BUNDLE at a bundle holding it",
            EXIT_SITE,
            "tls",
        )
    timeout = "timed out" in text or cause in ("connect-timeout", "read-timeout")
    return failed(
        name,
        f"connected, but the request got no answer: {text}",
        "check that the URL is the wiki's and that no proxy stands in between",
        EXIT_SITE,
        "read-timeout" if timeout else "refused",
    )


def _config_accounts(config_path: Path | None) -> list[str] | None:
    if config_path is None:
        return None
    from confluence_sync.config import load_config

    return load_config(config_path).accounts()


@contextmanager
def _embedded(
    settings: Settings, config_path: Path, data_dir: Path | None
) -> Iterator[tuple[Settings, str]]:
    """The embedded local wiki plan and sync would use (next to FILE), started to be checked."""
    from confluence_sync.embedded import embedded_wiki

    with embedded_wiki(config_path, data_dir, flavour=settings.resolved_flavour) as local:
        where = f"{EMBEDDED}: {local.settings.url} ({local.flavour}), data in {local.db_path}"
        yield local.settings, where
