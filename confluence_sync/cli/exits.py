"""The edge where errors leave: a domain error becomes a message for a person and its exit code;
an interrupt or an unexpected exception becomes one line, never a traceback with secrets.

Imports typer and ``confluence_sync.errors`` only; the HTTP backend's redaction is used only
when a run has loaded it already.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import typer

from confluence_sync.errors import EXIT_UNEXPECTED, ConfigError, ConfluenceSyncError

INTERRUPTED = 130  # what a shell reports for a process ended by SIGINT


def fail(error: ConfluenceSyncError) -> NoReturn:
    """Print a domain error for a person and leave with its exit code."""
    typer.echo(f"error: {error}", err=True)
    raise typer.Exit(error.exit_code)


def fail_config(error: ConfigError) -> NoReturn:
    """List every problem of an invalid config (file:line first), then what to do; exit 3."""
    for problem in error.problems:
        typer.echo(str(problem), err=True)
    typer.echo(f"{error.message}; {error.hint}", err=True)
    raise typer.Exit(error.exit_code) from None


def unmapped(error: ConfluenceSyncError) -> int:
    """A domain error that no command mapped itself: print it, return its exit code."""
    typer.echo(f"error: {error}", err=True)
    return error.exit_code


def interrupted() -> int:
    """Ctrl-C: say how to recover, return the exit code."""
    typer.echo(
        "interrupted; re-running converges (an interrupted sync may leave its lock: "
        "see `confluence-sync unlock --help`)",
        err=True,
    )
    return INTERRUPTED


def unexpected(error: Exception) -> int:
    """A bug or an unforeseen situation: one redacted line (the traceback only when asked for
    with ``CONFLUENCE_SYNC_DEBUG``), return exit code 1."""
    import os
    import traceback

    text = f"{type(error).__name__}: {error}"
    if os.environ.get("CONFLUENCE_SYNC_DEBUG"):
        text = "".join(traceback.format_exception(error))
    if "confluence_sync.backends.redaction" in sys.modules:  # secrets are known once connected
        from confluence_sync.backends.redaction import install_redaction

        text = install_redaction(()).redact(text)
    typer.echo(f"unexpected error: {text}", err=True)
    typer.echo(
        "  hint: this is a bug or an unforeseen situation; set CONFLUENCE_SYNC_DEBUG=1 for the "
        "traceback (secrets are redacted) and report it",
        err=True,
    )
    return EXIT_UNEXPECTED
