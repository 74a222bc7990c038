"""Keeping secrets out of logs and error texts: one process-wide filter on the loggers that may
see request details, and ``redact`` for texts a server echoes back.

Owns the registered secrets (every transport registers its token). Imports nothing of the
project, so the transport and the HTTP error mapping can both use it.
"""

from __future__ import annotations

import logging
import re
import threading

# Loggers that may see request details; the redaction filter is attached to each, because a
# logger's filters do not apply to records propagated from its children.
_WATCHED_LOGGERS = (
    "atlassian.rest_client",
    "urllib3.connectionpool",
    "confluence_sync.backends.transport",
    "confluence_sync.backends.retry",
)
_AUTH_HEADER = re.compile(
    r"(Authorization['\"]?\s*[:=]\s*['\"]?)(Basic|Bearer)?\s*[^'\"\s,}]+", re.I
)
_SCHEME_TOKEN = re.compile(r"\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]{8,}")
REDACTED = "[redacted]"


class RedactingFilter(logging.Filter):
    """Replaces Authorization values and the registered secrets in every log record."""

    # Shorter "secrets" are not replaced literally: they would shred ordinary words. The
    # header patterns still catch them where they matter.
    MIN_LITERAL = 6

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self.secrets: set[str] = set()
        self.register(secrets)

    def register(self, secrets: tuple[str, ...]) -> None:
        with self._lock:
            self.secrets.update(s for s in secrets if len(s) >= self.MIN_LITERAL)

    def redact(self, text: str) -> str:
        with self._lock:
            secrets = sorted(self.secrets, key=len, reverse=True)
        for secret in secrets:
            text = text.replace(secret, REDACTED)
        text = _AUTH_HEADER.sub(lambda m: f"{m.group(1)}{REDACTED}", text)
        return _SCHEME_TOKEN.sub(lambda m: f"{m.group(1)} {REDACTED}", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


# One filter for the process, attached once; every transport registers its secrets with it.
_REDACTOR = RedactingFilter()
for _name in _WATCHED_LOGGERS:
    logging.getLogger(_name).addFilter(_REDACTOR)


def install_redaction(secrets: tuple[str, ...]) -> RedactingFilter:
    """Make the process-wide filter hide these secrets too."""
    _REDACTOR.register(secrets)
    return _REDACTOR


def redact(text: str) -> str:
    """``text`` with Authorization values and every registered secret replaced."""
    return _REDACTOR.redact(text)
