"""Backends: the only code that talks HTTP to Confluence.

``open_backend(settings)`` returns a :class:`~confluence_sync.backends.contract.Backend` whose
``reader`` serves observation and dry runs and whose ``writer()`` serves apply. Cloud and
Data Center adapters share one transport, retry policy and request counter per backend.

Modules: ``contract`` (what the engine may call), ``transport`` (HTTP, pagination),
``retry`` (the one retry policy), ``http_errors`` (the one status → exception mapping),
``failures`` (why a request got no answer: its cause, as data, and its words),
``first_request`` (the run's first request: a refused login, a wrong URL or flavour),
``redaction`` (no secret in a log), ``adapter`` (what both flavours share), ``writes`` and
``answers`` (shared writes and answer readers), ``cloud``/``cloud_writer``,
``datacenter``/``datacenter_writer``, ``permissions`` (the grant vocabularies).

May import: errors, settings, wiki.
"""

from __future__ import annotations

from confluence_sync.settings import Settings

from .contract import Backend, RequestCounter
from .retry import Retrier, RetryPolicy


def site_base(url: str, flavour: str) -> str:
    """The URL the adapters' paths are relative to: Cloud's ends in ``/wiki``."""
    base = url.rstrip("/")
    if flavour == "cloud" and not base.endswith("/wiki"):
        base += "/wiki"
    return base


def open_backend(
    settings: Settings,
    *,
    policy: RetryPolicy | None = None,
    counter: RequestCounter | None = None,
) -> Backend:
    """Connect to ``settings.url`` (required: the embedded wiki is started by the caller,
    which then passes its URL here)."""
    # Imported here so `confluence-sync --help` never loads requests or atlassian.
    from .cloud import CloudReader
    from .cloud_writer import CloudWriter
    from .datacenter import DataCenterReader
    from .datacenter_writer import DataCenterWriter
    from .transport import Transport

    if settings.url is None:
        raise ValueError("open_backend needs a URL; start the local wiki first")
    flavour = settings.resolved_flavour
    transport = Transport(
        site_base(settings.url, flavour),
        settings.auth(),
        flavour=flavour,
        counter=counter or RequestCounter(),
        retrier=Retrier(policy or RetryPolicy(max_wait=settings.max_wait)),
        timeouts=(settings.connect_timeout, settings.read_timeout),
    )
    if flavour == "cloud":
        cloud = CloudReader(transport)
        return Backend(reader=cloud, _writer=CloudWriter(cloud), _close=transport.close)
    dc = DataCenterReader(transport)
    return Backend(reader=dc, _writer=DataCenterWriter(dc), _close=transport.close)


def check_site(backend: Backend) -> None:
    """Send the run's first request on its own, for a pre-flight check (``doctor``): raises
    ``SiteError`` (exit 7: unreachable, TLS, timeout, not Confluence, wrong URL or flavour,
    with the likely right address when one answers) or ``CredentialsError`` (exit 8), as the
    first request of a run would; returns once the site answered as the settings say. One
    GET; a few more only when it fails. The cause of any exception: ``failures.classify``.
    A reader that speaks no HTTP (a test's fake) has no site to check."""
    from .adapter import RestReader

    if isinstance(backend.reader, RestReader):
        backend.reader.transport.check_site()


__all__ = [
    "Backend",
    "RequestCounter",
    "RetryPolicy",
    "check_site",
    "open_backend",
    "site_base",
]
