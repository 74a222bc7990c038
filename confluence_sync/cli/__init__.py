"""The command line: parse options, call one core function, render its result, map errors to
exit codes. Heavy modules are imported inside the commands so `--help` stays fast.

Exit codes: 0 done, 1 unexpected error, 2 usage error, 3 invalid config, 4 unsafe plan refused,
5 some items failed (the rest still applied), 6 another sync is running (the network's lock),
7 the site cannot be used, 8 credentials or rights refused, 9 accounts missing (all three
found before any write).

The rooms, each importing only the ones below it (and the core only inside a command):

- ``entry``: the Typer app, its commands in the order ``--help`` lists them, and ``main``;
- ``config_commands`` (validate, init, schema), ``run_commands`` (plan, sync, unlock),
  ``doctor_command`` (doctor) and ``serve``: the commands, one module per family;
- ``options``: the options several commands share, with their help texts;
- ``exits``: domain errors and surprises → a message for a person and an exit code.

May import: errors, flavours, settings, config, backends, localwiki, run, report, checks.
"""

from confluence_sync.cli.entry import app, main

__all__ = ["app", "main"]
