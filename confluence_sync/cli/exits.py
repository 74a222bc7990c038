"""The edge where errors leave: a domain error becomes a message for a person and its exit code;
an interrupt or an unexpected exception becomes one line, never a traceback with secrets. With
``--format json`` (:func:`reported`) an error is also a JSON document on stdout, so a script
that parses stdout always gets one.

Imports typer and ``confluence_sync.errors`` only; the HTTP backend's redaction is used only
when a run has loaded it already.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

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


def _redacted(text: str) -> str:
    if "confluence_sync.backends.redaction" in sys.modules:  # secrets are known once connected
        from confluence_sync.backends.redaction import redact

        return redact(text)
    return text


# Facts some errors carry as data (SiteError.cause, CredentialsError.status,
# MissingAccountsError.accounts, WikiError.object and .status): a script branches on them.
_FACTS = ("cause", "status", "accounts", "object")


def error_document(error: Exception) -> dict[str, Any]:
    """An error as ``--format json`` prints it: ``{"status", "exit_code", "error": {type,
    message, hint, exit_code, …}}``, and for an invalid config also ``"problems"``, each
    ``{file, line, column, field, message}`` (``path``: the same as ``field``, as
    ``validate`` has always said)."""
    if isinstance(error, ConfluenceSyncError):
        code = error.exit_code
        described: dict[str, Any] = {
            "type": type(error).__name__,
            "message": _redacted(error.message),
            "hint": error.hint,
        }
        for name in _FACTS:
            value = getattr(error, name, None)
            if value is not None:
                described[name] = list(value) if isinstance(value, tuple) else value
    else:
        code = EXIT_UNEXPECTED
        described = {"type": "unexpected", "message": _redacted(f"{type(error).__name__}: {error}")}
    document: dict[str, Any] = {
        "status": "invalid-config" if isinstance(error, ConfigError) else "error",
        "exit_code": code,
        "error": {**described, "exit_code": code},
    }
    if isinstance(error, ConfigError):
        document["problems"] = [
            {
                "file": problem.file,
                "line": problem.line,
                "column": problem.column,
                "field": problem.path,
                "message": problem.message,
                "path": problem.path,
            }
            for problem in error.problems
        ]
    return document


def echo_json(document: dict[str, Any]) -> None:
    """One JSON document on stdout, as every ``--format json`` prints."""
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2))


@contextmanager
def reported(as_json: bool, extra: dict[str, Any] | None = None) -> Iterator[None]:
    """Errors inside leave with their exit code and their words on stderr, as without JSON;
    with ``as_json`` each also prints its :func:`error_document` (merged with ``extra``) on
    stdout — an unexpected one too, as exit 1. Wrap only the work itself: a typer exit or
    usage error raised inside would be taken for a surprise."""
    try:
        yield
    except ConfigError as error:
        if as_json:
            echo_json({**(extra or {}), **error_document(error)})
        fail_config(error)
    except ConfluenceSyncError as error:
        if as_json:
            echo_json({**(extra or {}), **error_document(error)})
        fail(error)
    except Exception as error:
        if not as_json:
            raise  # main() words it
        echo_json({**(extra or {}), **error_document(error)})
        raise typer.Exit(unexpected(error)) from None
