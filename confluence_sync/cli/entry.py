"""The Typer app with its commands, in the order ``--help`` lists them, and ``main``, the
console entry point: the last edge, where whatever no command mapped becomes an exit code.

Imports the command modules (which keep their heavy imports inside the commands), ``cli.options``
and ``cli.exits``; nothing here may load the engine, or ``--help`` gets slow.
"""

from __future__ import annotations

import sys

import typer

from confluence_sync.cli import config_commands, doctor_command, exits, run_commands, serve
from confluence_sync.cli.options import FlagHelp
from confluence_sync.errors import ConfluenceSyncError

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
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.command()(config_commands.validate)
app.command()(config_commands.init)
app.command()(config_commands.schema)
app.command(cls=FlagHelp, epilog=run_commands.PLAN_EPILOG)(run_commands.plan)
app.command(cls=FlagHelp, epilog=run_commands.SYNC_EPILOG)(run_commands.sync)
app.command(epilog=run_commands.UNLOCK_EPILOG)(run_commands.unlock)
app.command(cls=FlagHelp, epilog=doctor_command.DOCTOR_EPILOG)(doctor_command.doctor)
app.command()(serve.serve)


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
