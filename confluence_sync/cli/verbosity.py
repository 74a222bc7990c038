"""How much a command says: ``-v``/``--verbose`` adds one stderr line per HTTP request,
``-q``/``--quiet`` keeps only errors and the final summary line; and ``--version``'s text.

The conventions, for every command that has the flags:

- stdout carries the result (the table, the JSON, the Markdown, the summary line); stderr
  carries everything else (notes, hints, progress, request lines, errors);
- ``-v`` prints each HTTP exchange as it is answered — method, path, status, milliseconds —
  never a host, a query string, a header or a token (the transport hands over the path only,
  through the backend's redaction);
- ``-q`` drops the table, the notes, the hints, the progress bar and the engine's warnings
  (retries): what is left is the summary line on stdout and the errors on stderr;
  ``--format json``/``markdown`` still print their document (a script asked for it), only
  the stderr chatter goes;
- ``-v`` and ``-q`` together are a usage error (exit 2).

Imports typer only at module level; the backend's transport only when ``-v`` is given.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum
from typing import Annotated

import typer

_VERBOSE_HELP = "Print each HTTP request to stderr: method, path, status, time (never a token)."
_QUIET_HELP = "Print only errors and the final summary line."

Verbose = Annotated[bool, typer.Option("--verbose", "-v", metavar="", help=_VERBOSE_HELP)]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", metavar="", help=_QUIET_HELP)]


class Level(IntEnum):
    """How much a command prints besides its result."""

    quiet = 0
    normal = 1
    verbose = 2


def level(verbose: bool, quiet: bool) -> Level:
    """The level the flags ask for; both at once is a usage error (exit 2)."""
    if verbose and quiet:
        raise typer.BadParameter("--verbose and --quiet exclude each other", param_hint="-v/-q")
    return Level.verbose if verbose else Level.quiet if quiet else Level.normal


def request_line(method: str, path: str, status: int, milliseconds: float) -> str:
    """One request as ``-v`` prints it: ``GET /rest/api/space 200 12 ms``."""
    return f"{method} {path} {status} {milliseconds:.0f} ms"


@contextmanager
def loudness(shown: Level) -> Iterator[None]:
    """While inside, with ``-v``: every HTTP response of the run as one line on stderr (the
    spaces' workers answer in parallel: one lock keeps lines whole); with ``-q``: the
    engine's warnings (a retry, a slow answer) are not printed, its errors are."""
    if shown is Level.quiet:
        engine = logging.getLogger("confluence_sync")
        before = engine.level
        engine.setLevel(logging.ERROR)
        try:
            yield
        finally:
            engine.setLevel(before)
        return
    if shown is not Level.verbose:
        yield
        return
    from confluence_sync.backends.transport import watch_requests

    lock = threading.Lock()

    def show(method: str, path: str, status: int, milliseconds: float) -> None:
        line = request_line(method, path, status, milliseconds)
        with lock:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()

    stop = watch_requests(show)
    try:
        yield
    finally:
        stop()


def version_text() -> str:
    """What ``--version`` prints: the tool's version and what it runs on (read from the
    installed packages' metadata, so nothing heavy is imported)."""
    import platform
    from importlib import metadata

    def installed(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "unknown (not installed as a package)"

    return "\n".join(
        (
            f"confluence-sync {installed('confluence-sync')}",
            f"Python {platform.python_version()} ({platform.python_implementation()})",
            f"atlassian-python-api {installed('atlassian-python-api')}",
            f"requests {installed('requests')}",
        )
    )
