"""The command line: parse options, call one core function, render its result, map errors to
exit codes. Heavy modules are imported inside the commands so `--help` stays fast.

Exit codes: 0 done, 1 unexpected error, 2 usage error, 3 invalid config, 4 unsafe plan refused,
5 some items failed (the rest still applied).
"""

from __future__ import annotations

import sys
from typing import NoReturn

import typer

from confluence_sync.errors import ConfluenceSyncError

app = typer.Typer(
    name="confluence-sync",
    help=(
        "Keep a network's Confluence wiki in line with one YAML file: hub space, one space per "
        "working group, meeting pages, member directories, page templates, labels and "
        "permissions. Members' words on the wiki are never overwritten."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(error: ConfluenceSyncError) -> NoReturn:
    """Print a domain error for a person and leave with its exit code."""
    typer.echo(f"error: {error}", err=True)
    raise typer.Exit(error.exit_code)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except ConfluenceSyncError as error:  # a command that did not map its own error
        typer.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)


# Commands are registered below, one function each. They stay thin: options in, one core
# call, output out.
