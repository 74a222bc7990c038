"""What pointing a publishing client at the local wiki over TLS needs: a throwaway certificate,
the server's context for it, and a client environment that trusts it and bypasses proxies.

Shared by the publishing tests and ``bench/third_party_clients.py`` (which imports it with the
repo root on ``sys.path``), so this module imports nothing from the test fixtures.
"""

from __future__ import annotations

import os
import ssl
import subprocess
from pathlib import Path


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A one-day certificate and key for 127.0.0.1 made with the ``openssl`` command.

    Raises OSError (no openssl) or CalledProcessError; callers decide whether that skips."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            # Clients check the address against the SAN, not the CN.
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    """The server side TLS context ``LocalWiki(ssl_context=...)`` serves with."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def client_env(cert: Path | None = None) -> dict[str, str]:
    """This process's environment for a client subprocess: no proxy (the wiki is on loopback)
    and, given ``cert``, trusting that throwaway certificate through ``SSL_CERT_FILE``."""
    env = {k: v for k, v in os.environ.items() if "PROXY" not in k.upper()}
    env["NO_PROXY"] = "127.0.0.1,localhost"
    if cert is not None:
        env["SSL_CERT_FILE"] = str(cert)
    return env
