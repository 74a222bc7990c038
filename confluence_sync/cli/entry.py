"""The Typer app with its commands, in the order ``--help`` lists them, and ``main``, the
console entry point: the last edge, where whatever no command mapped becomes an exit code.

Imports the command modules (which keep their heavy imports inside the commands), ``cli.options``
and ``cli.exits``; nothing here may load the engine, or ``--help`` gets slow.
"""

from __future__ import annotations

import sys

import typer

from confluence_sync.cli import (
    calendar_command,
    config_commands,
    digest_command,
    doctor_command,
    exits,
    run_commands,
    serve,
)
from confluence_sync.cli.options import FlagHelp, FlagHelpGroup
from confluence_sync.cli.verbosity import version_text
from confluence_sync.errors import ConfluenceSyncError

# What every command shares, said once under the top-level --help (docs: README "Conventions").
_CONVENTIONS = (
    "[bold]Conventions[/bold]: -h/--help on every command; results on stdout, notes, hints "
    "and errors on stderr; -v/--verbose prints each HTTP request (method, path, status, ms; "
    "never a token), -q/--quiet only errors and the summary line; with --format json errors "
    "are JSON on stdout too; CONFLUENCE_SYNC_DEBUG=1 shows the (redacted) traceback of an "
    "unexpected error. Shell completion: confluence-sync --install-completion (bash, zsh, "
    "fish, PowerShell), or --show-completion to see the script."
)

app = typer.Typer(
    name="confluence-sync",
    help=(
        "Keep a network's Confluence wiki in line with one YAML file: hub space, one space per "
        "working group, meeting pages, member directories, page templates, labels and "
        "permissions. Members' words on the wiki are never overwritten.\n\n"
        "Start with [bold]confluence-sync plan network.yaml[/bold] (reads only, shows what would "
        "change), then [bold]confluence-sync sync network.yaml[/bold] (makes the wiki match). "
        "Without CONFLUENCE_URL both work on an embedded local wiki next to the file."
    ),
    epilog=_CONVENTIONS,
    cls=FlagHelpGroup,
    no_args_is_help=True,
    # typer's --install-completion/--show-completion; the script calls the program with
    # _CONFLUENCE_SYNC_COMPLETE set, which click answers before any command runs.
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},  # inherited by every command
    pretty_exceptions_enable=False,
)


def _show_version(wanted: bool) -> None:
    if wanted:
        typer.echo(version_text())
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        is_eager=True,
        callback=_show_version,
        metavar="",
        help="Show the version (and Python's, atlassian-python-api's, requests') and exit.",
    ),
) -> None:
    # Only the options above: each command has its own -v/-q, next to the flags they affect.
    pass


app.command()(config_commands.validate)
app.command()(config_commands.init)
app.command()(config_commands.schema)
app.command(cls=FlagHelp, epilog=run_commands.PLAN_EPILOG)(run_commands.plan)
app.command(cls=FlagHelp, epilog=run_commands.SYNC_EPILOG)(run_commands.sync)
app.command(epilog=run_commands.UNLOCK_EPILOG)(run_commands.unlock)
app.command(cls=FlagHelp, epilog=doctor_command.DOCTOR_EPILOG)(doctor_command.doctor)
app.command(cls=FlagHelp, epilog=digest_command.DIGEST_EPILOG)(digest_command.digest)
app.command()(serve.serve)
app.command()(calendar_command.calendar)


def main() -> None:
    """Console-script entry point.

    An unexpected exception prints one line, not a traceback: tracebacks carry local values
    and request details, and nothing secret may reach a terminal or a CI log. Set
    ``CONFLUENCE_SYNC_DEBUG=1`` to see the (redacted) traceback.
    """
    try:
        app()
    except ConfluenceSyncError as error:  # a command that did not map its own error
        sys.exit(exits.unmapped(error))
    except KeyboardInterrupt:
        sys.exit(exits.interrupted())
    except Exception as error:
        sys.exit(exits.unexpected(error))
