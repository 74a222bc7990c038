"""The first check: the URL's host resolves, its port takes a connection, and the port speaks
what the scheme says (TLS for https, plain HTTP for http).

Plain sockets (the standard library), not the HTTP client: a refused port, a name that does
not resolve and a TLS mismatch each fail differently down here, and an HTTP client reports
them all as one "connection error". Certificate trust is left to the first real request
(``site``), which uses the same CA bundle the sync will.

The TLS probe sends a ClientHello followed by an empty line: a TLS server answers with a
handshake record, while a plain-HTTP server that reads request lines (Tomcat, werkzeug) gets
the line end it waits for and answers 400 at once instead of waiting for more.

Imports: ``errors`` and ``checks.model``.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from confluence_sync.errors import EXIT_SITE

from .model import Check, failed, passed

NAME = "connection"
_TLS_RECORD_TYPES = (0x15, 0x16)  # alert, handshake: the first byte of a TLS server's answer


@dataclass(frozen=True)
class Address:
    scheme: str
    host: str
    port: int

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    @classmethod
    def of(cls, url: str) -> Address:
        parts = urlsplit(url)
        default = 443 if parts.scheme == "https" else 80
        return cls(parts.scheme, parts.hostname or "", parts.port or default)


def connect(url: str, timeout: float, *, probe_tls: bool = True) -> Check:
    """Resolve, connect and (https, ``probe_tls``) see TLS answer; one line either way."""
    address = Address.of(url)
    where = address.where
    try:
        socket.getaddrinfo(address.host, address.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        return failed(
            NAME,
            f"the host {address.host} does not resolve ({reason})",
            "check the host name in CONFLUENCE_URL (a typo, or a name known only inside a VPN)",
            EXIT_SITE,
            "dns",
        )
    try:
        sock = socket.create_connection((address.host, address.port), timeout=timeout)
    except ConnectionRefusedError:
        return failed(
            NAME,
            f"{where} refused the connection (nothing listens on port {address.port})",
            "check the port in CONFLUENCE_URL and that Confluence runs there "
            "(https: 443; a Data Center's own HTTP port is usually 8090)",
            EXIT_SITE,
            "refused",
        )
    except TimeoutError:
        return failed(
            NAME,
            f"{where} did not answer within {timeout:g} s",
            "check the host and port; a firewall or proxy may drop the connection",
            EXIT_SITE,
            "connect-timeout",
        )
    except OSError as error:
        return failed(
            NAME,
            f"cannot connect to {where} ({error.strerror or error})",
            "check the host and port in CONFLUENCE_URL and the network",
            EXIT_SITE,
            "refused",
        )
    with sock:
        if address.scheme != "https":
            return passed(NAME, f"{where} takes connections (plain HTTP)")
        if not probe_tls:
            return passed(NAME, f"{where} takes connections")
        speaks = _speaks_tls(sock, address.host, timeout)
    if speaks is False:
        return failed(
            NAME,
            f"https to {where}, but the port answers plain HTTP, not TLS",
            f"use http://{where}… or the site's https port (usually 443)",
            EXIT_SITE,
            "tls",
        )
    return passed(NAME, f"{where} takes connections and speaks TLS")


def http_on_tls_port(url: str, timeout: float) -> Check | None:
    """For an http URL whose first request failed: the failure line when the port speaks
    TLS (https is needed), else None."""
    address = Address.of(url)
    if address.scheme != "http":
        return None
    try:
        with socket.create_connection((address.host, address.port), timeout=timeout) as sock:
            speaks = _speaks_tls(sock, address.host, timeout)
    except OSError:
        return None
    if not speaks:
        return None
    return failed(
        NAME,
        f"http to {address.where}, but the port speaks TLS",
        f"use https://{address.where}… in CONFLUENCE_URL",
        EXIT_SITE,
        "tls",
    )


def _speaks_tls(sock: socket.socket, host: str, timeout: float) -> bool | None:
    """True: a TLS record came back; False: plain HTTP did; None: neither (closed, silent)."""
    context = ssl.create_default_context()
    context.check_hostname = False  # only the protocol is asked here, not the certificate
    context.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname=host or None)
    # The ClientHello lands in ``outgoing``; the answer is read from the socket below.
    with contextlib.suppress(ssl.SSLWantReadError):
        tls.do_handshake()
    sock.settimeout(timeout)
    try:
        sock.sendall(outgoing.read() + b"\r\n\r\n")
        first = sock.recv(8)
    except OSError:
        return None
    if len(first) >= 2 and first[0] in _TLS_RECORD_TYPES and first[1] == 0x03:
        return True
    # Anything else that came back is no TLS: mostly a plain-HTTP "400" (with a status line,
    # or without one, as an HTTP/0.9 answer: Python's http.server reads the ClientHello as a
    # request line of no known version and answers with the bare error page).
    return False if first else None
