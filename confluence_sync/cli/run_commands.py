"""The commands that work on a wiki: ``plan`` shows what a sync would change, ``sync`` makes the
wiki match the config, ``unlock`` removes the lock a killed sync left behind; with the help
epilogues that teach a first-time admin how to connect and what the exit codes mean.

Imports typer, ``cli.options``, ``cli.verbosity`` and ``cli.exits``; the engine, the settings,
the report and ``cli.render`` only inside a command, so ``--help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from confluence_sync.cli.exits import reported
from confluence_sync.cli.options import (
    DEFAULT_WORKERS,
    AllowRemovals,
    ConfigFile,
    DataDir,
    Flavour,
    Force,
    MaxWait,
    OverwriteConflicts,
    RevokeExtraGrants,
    RunFlags,
    SkipMissingAccounts,
    Today,
    TrustVersions,
    Url,
    Username,
    Workers,
)
from confluence_sync.cli.verbosity import Level, Quiet, Verbose, level, loudness
from confluence_sync.files import check_writable

if TYPE_CHECKING:  # the engine is imported inside the commands, to keep --help fast
    from confluence_sync.commands import Outcome

# Shown under plan/sync/unlock --help: what a first-time admin needs besides the options.
_CONNECT = (
    "[bold]Connecting[/bold]: CONFLUENCE_URL (the site; unset: an embedded local wiki in "
    ".confluence-sync next to FILE, nothing leaves the machine), CONFLUENCE_FLAVOUR (cloud or "
    "datacenter), CONFLUENCE_USERNAME with CONFLUENCE_API_TOKEN (Cloud: e-mail + API token), "
    "or CONFLUENCE_TOKEN (Data Center personal access token). Tokens are read only from the "
    "environment, never from options."
)
_EXIT_CODES = (
    "[bold]Exit codes[/bold]: 0 done; 2 usage error; 3 invalid config (nothing sent); "
    "4 unsafe plan refused (see --allow-removals); 5 some items failed (the rest applied; with "
    "--strict also conflicts); 6 another sync is running (its lock; see unlock); "
    "7 the site cannot be used, 8 the credentials or the account's rights were refused, "
    "9 accounts the config names are not on the site (all three before any write; see "
    "doctor); 1 unexpected error."
)
SYNC_EPILOG = (
    f"{_CONNECT}\n\n{_EXIT_CODES}\n\n"
    "[bold]Examples[/bold]: confluence-sync sync network.yaml --dry-run  |  "
    "CONFLUENCE_URL=https://wiki.example.org CONFLUENCE_TOKEN=… confluence-sync sync "
    "network.yaml --report report.json"
)
_PLAN_EXAMPLES = (
    "[bold]Examples[/bold]: confluence-sync plan network.yaml --diff  |  "
    "confluence-sync plan network.yaml --format markdown > plan.md  |  "
    "confluence-sync plan network.yaml -v (each request on stderr)"
)
PLAN_EPILOG = f"{_CONNECT}\n\n{_EXIT_CODES}\n\n{_PLAN_EXAMPLES}"
UNLOCK_EPILOG = (
    f"{_CONNECT}\n\n"
    "[bold]Exit codes[/bold]: 0 removed (or no lock held); 2 usage error; 3 invalid config; "
    "1 unexpected error.\n\n"
    "[bold]Example[/bold]: confluence-sync unlock network.yaml (only when no sync is running: "
    "a live sync keeps its lock fresh)"
)


class PlanFormat(StrEnum):
    """How ``plan`` and ``sync`` print: a table for people, json or markdown for CI (the
    values of ``cli.render.ResultFormat``, which this module may not import: --help)."""

    table = "table"
    json = "json"
    markdown = "markdown"


_FORMAT_HELP = "table, json, markdown (json: errors too, as JSON on stdout)."
_DIFF_HELP = "Show each rewritten region's before and after (a unified diff) and title changes."


def plan(
    file: ConfigFile,
    output_format: PlanFormat = typer.Option(PlanFormat.table, "--format", help=_FORMAT_HELP),
    diff: bool = typer.Option(False, "--diff", metavar="", help=_DIFF_HELP),
    verbose: Verbose = False,
    quiet: Quiet = False,
    today: Today = None,
    url: Url = None,
    flavour: Flavour = None,
    username: Username = None,
    data_dir: DataDir = None,
    adopt: bool = typer.Option(
        False, "--adopt", metavar="", help="Plan to take over unmarked pages."
    ),
    overwrite_conflicts: OverwriteConflicts = False,
    allow_removals: AllowRemovals = False,
    force: Force = False,
    workers: Workers = DEFAULT_WORKERS,
    max_wait: MaxWait = None,
    trust_versions: TrustVersions = False,
    revoke_extra_grants: RevokeExtraGrants = False,
    skip_missing_accounts: SkipMissingAccounts = False,
) -> None:
    """Show what a sync would change and why; reads only (exit 4 if the plan is unsafe)."""
    from confluence_sync.cli.render import ResultFormat, show

    shown = level(verbose, quiet)
    flags = RunFlags.of(locals())
    as_json = output_format is PlanFormat.json
    outcome, code = _run(
        file, flags, strict=False, dry_run=True, shown=shown, as_json=as_json, progress=False
    )
    result = outcome.result
    output = ResultFormat(output_format.value)
    show(result, output, title=f"plan for {file}", shown=shown, diff=diff)
    if result.refused and output is ResultFormat.table:
        typer.echo(f"refused: {result.refused}", err=True)
    raise typer.Exit(code)


def sync(
    file: ConfigFile,
    dry_run: bool = typer.Option(
        False, "--dry-run", metavar="", help="Plan only; nothing is written."
    ),
    overwrite_conflicts: OverwriteConflicts = False,
    allow_removals: AllowRemovals = False,
    force: Force = False,
    adopt: bool = typer.Option(
        False, "--adopt", metavar="", help="Take over pages without our marker."
    ),
    strict: bool = typer.Option(
        False, "--strict", metavar="", help="Conflicts and blocked pages exit 5."
    ),
    report_path: Path | None = typer.Option(None, "--report", help="Write a JSON report here."),
    output_format: PlanFormat = typer.Option(PlanFormat.table, "--format", help=_FORMAT_HELP),
    diff: bool = typer.Option(False, "--diff", metavar="", help=_DIFF_HELP),
    verbose: Verbose = False,
    quiet: Quiet = False,
    today: Today = None,
    url: Url = None,
    flavour: Flavour = None,
    username: Username = None,
    data_dir: DataDir = None,
    workers: Workers = DEFAULT_WORKERS,
    max_wait: MaxWait = None,
    trust_versions: TrustVersions = False,
    revoke_extra_grants: RevokeExtraGrants = False,
    skip_missing_accounts: SkipMissingAccounts = False,
) -> None:
    """Make the wiki match FILE; members' words are kept. Tokens come from the environment."""
    from confluence_sync import report
    from confluence_sync.cli.render import ResultFormat, show

    shown = level(verbose, quiet)
    flags = RunFlags.of(locals())
    as_json = output_format is PlanFormat.json
    if report_path is not None:
        with reported(as_json):  # a report it could not keep: found before the first request
            check_writable(report_path, "the report", config=file)
    outcome, code = _run(
        file, flags, strict=strict, dry_run=dry_run, shown=shown, as_json=as_json, progress=True
    )
    result = outcome.result
    title = ("dry run" if dry_run else "sync") + f" of {file}"
    show(result, ResultFormat(output_format.value), title=title, shown=shown, diff=diff)
    if report_path is not None:
        with reported(False):  # the results are shown already: only the error on stderr
            report.write_report(result, report_path)
    if result.refused:
        typer.echo(f"refused: {result.refused}", err=True)
    if result.credentials:  # a 401 mid-run stopped it (exit 8): what to fix, also when quiet
        typer.echo(f"error: {result.credentials}", err=True)
    if shown is Level.quiet:
        raise typer.Exit(code)
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)
    if outcome.db_path is not None:
        # stderr when stdout carries a document a script parses; stdout otherwise, as before
        to_err = output_format is not PlanFormat.table
        typer.echo(f"local wiki data: {outcome.db_path}", err=to_err)
        as_cloud = " --flavour cloud" if outcome.cloud else ""
        serve = f"browse it: confluence-sync serve --db {outcome.db_path}{as_cloud}"
        typer.echo(serve, err=to_err)
        typer.echo("then open http://127.0.0.1:8090/viewer (serve's default port)", err=to_err)
    raise typer.Exit(code)


def unlock(
    file: ConfigFile,
    url: Url = None,
    flavour: Flavour = None,
    username: Username = None,
    data_dir: DataDir = None,
    verbose: Verbose = False,
) -> None:
    """Remove the lock a killed sync left behind (says whose it was and since when)."""
    from confluence_sync.commands import unlock as unlock_network
    from confluence_sync.settings import Settings

    with reported(False), loudness(level(verbose, False)):
        settings = Settings.from_env(url=url, flavour=flavour, username=username)
        said = unlock_network(file, settings=settings, data_dir=data_dir)
    typer.echo(said)


def _run(
    file: Path,
    flags: RunFlags,
    *,
    strict: bool,
    dry_run: bool,
    shown: Level,
    as_json: bool,
    progress: bool,
) -> tuple[Outcome, int]:
    """Run one engine command as the flags say; return its outcome and exit code. A domain
    error leaves here, with its message and exit code (and, ``as_json``, as JSON on stdout).
    ``progress``: a bar on stderr, when a person watches a terminal and neither ``-q`` nor
    ``-v``'s request lines (which would tear it) are asked for."""

    from confluence_sync.commands import execute
    from confluence_sync.run import RunOptions
    from confluence_sync.settings import Settings

    options = RunOptions(
        today=flags.today.date() if flags.today else None,  # None: the network's today
        # --force is both of the narrower flags.
        overwrite_conflicts=flags.overwrite_conflicts or flags.force,
        allow_removals=flags.allow_removals or flags.force,
        adopt=flags.adopt,
        workers=max(1, flags.workers),
        trust_versions=flags.trust_versions,
        revoke_extra_grants=flags.revoke_extra_grants,
        skip_missing_accounts=flags.skip_missing_accounts,
    )
    with reported(as_json), loudness(shown):
        settings = Settings.from_env(url=flags.url, flavour=flags.flavour, username=flags.username)
        if flags.max_wait is not None:
            settings = settings.model_copy(update={"max_wait": flags.max_wait})
        with _progress(progress and shown is Level.normal) as hooks:
            outcome = execute(
                file, options, settings=settings, data_dir=flags.data_dir, dry_run=dry_run, **hooks
            )
    return outcome, outcome.result.exit_code(strict=strict)


@contextmanager
def _progress(show: bool) -> Iterator[dict[str, Any]]:
    """``execute``'s hooks for a transient progress bar on stderr, one step per planned change;
    none unless asked for and a person watches a terminal (never into a log)."""
    if show:
        from rich.console import Console
        from rich.progress import Progress

        console = Console(stderr=True)
        if console.is_terminal:
            with Progress(console=console, transient=True) as bar:
                task = bar.add_task("syncing", total=None)
                yield {
                    "on_plan": lambda plan: bar.update(task, total=len(plan.changes)),
                    "progress": lambda result: bar.advance(task),
                }
            return
    yield {}
