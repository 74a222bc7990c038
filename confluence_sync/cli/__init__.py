"""The command line: parse options, call one core function, render its result, map errors to
exit codes. Heavy modules are imported inside the commands so `--help` stays fast.

Exit codes: 0 done, 1 unexpected error, 2 usage error, 3 invalid config, 4 unsafe plan refused,
5 some items failed (the rest still applied), 6 another sync is running (the network's lock),
7 the site cannot be used, 8 credentials or rights refused, 9 accounts missing (all three
found before any write).

The rooms, each importing only the ones below it (and the core only inside a command):

- ``entry``: the Typer app, its commands in the order ``--help`` lists them, and ``main``;
- ``config_commands`` (validate, init, schema), ``run_commands`` (plan, sync, unlock),
  ``doctor_command`` (doctor), ``digest_command`` (digest) and ``serve``: the commands, one
  module per family;
- ``render``: how ``plan`` and ``sync`` print a result (never wrapped outside a terminal);
- ``options``: the options several commands share, with their help texts;
- ``verbosity``: ``-v``/``-q`` and what they change (the request lines of ``-v`` come from the
  transport's ``watch_requests``), and ``--version``'s text;
- ``exits``: domain errors and surprises → a message for a person and an exit code (and, with
  ``--format json``, a JSON document on stdout).

May import: errors, flavours, files, settings, config, backends, localwiki, run, commands, report,
checks, run_digest.
"""

from confluence_sync.cli.entry import app, main

__all__ = ["app", "main"]
