"""The command line: parse options, call one core function, render its result, map errors to
exit codes. Heavy modules are imported inside the commands so `--help` stays fast.

Exit codes: 0 done, 1 unexpected error, 2 usage error, 3 invalid config, 4 unsafe plan refused,
5 some items failed (the rest still applied), 6 another sync is running (the network's lock).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
import typer.core

from confluence_sync.errors import ConfluenceSyncError

if TYPE_CHECKING:  # the engine is imported inside the commands, to keep --help fast
    from confluence_sync.run import Outcome

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


def fail(error: ConfluenceSyncError) -> NoReturn:
    """Print a domain error for a person and leave with its exit code."""
    typer.echo(f"error: {error}", err=True)
    raise typer.Exit(error.exit_code)


def main() -> None:
    """Console-script entry point.

    An unexpected exception prints one line, not a traceback: tracebacks carry local values
    and request details, and nothing secret may reach a terminal or a CI log. Set
    ``CONFLUENCE_SYNC_DEBUG=1`` to see the (redacted) traceback.
    """
    try:
        app()
    except ConfluenceSyncError as error:  # a command that did not map its own error
        typer.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        typer.echo(
            "interrupted; re-running converges (an interrupted sync may leave its lock: "
            "see `confluence-sync unlock --help`)",
            err=True,
        )
        sys.exit(130)
    except Exception as error:
        sys.exit(_unexpected(error))


def _unexpected(error: Exception) -> int:
    import os
    import traceback

    text = f"{type(error).__name__}: {error}"
    if os.environ.get("CONFLUENCE_SYNC_DEBUG"):
        text = "".join(traceback.format_exception(error))
    if "confluence_sync.backends.transport" in sys.modules:  # secrets are only known once connected
        from confluence_sync.backends.redaction import install_redaction

        text = install_redaction(()).redact(text)
    typer.echo(f"unexpected error: {text}", err=True)
    typer.echo(
        "  hint: this is a bug or an unforeseen situation; set CONFLUENCE_SYNC_DEBUG=1 for the "
        "traceback (secrets are redacted) and report it",
        err=True,
    )
    return 1


# Commands are registered below, one function each. They stay thin: options in, one core
# call, output out.


# --- config commands: validate, init, schema (confluence_sync.config) ---------------------


class OutputFormat(StrEnum):
    """How ``validate`` prints its result."""

    text = "text"
    json = "json"


class LanguageChoice(StrEnum):
    """Language of generated pages."""

    de = "de"
    en = "en"


_TODAY_HELP = "Day to expand schedules from, YYYY-MM-DD (default: today)."


@app.command()
def validate(
    file: Path = typer.Argument(..., help="The network's YAML config file."),
    today: datetime | None = typer.Option(
        None, "--today", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help=_TODAY_HELP
    ),
    output_format: OutputFormat = typer.Option(
        OutputFormat.text, "--format", help="text for people, json for scripts."
    ),
) -> None:
    """Check a config file; print what it describes, or every problem in it (exit 3)."""
    import json
    from datetime import date

    from confluence_sync.config import load_config
    from confluence_sync.config.summary import render_text, summarise
    from confluence_sync.errors import ConfigError

    day = today.date() if today else date.today()
    as_json = output_format is OutputFormat.json
    try:
        config = load_config(file, today=day)
    except ConfigError as error:
        if as_json:
            problems = [p.as_dict() for p in error.problems]
            typer.echo(json.dumps({"valid": False, "problems": problems}, ensure_ascii=False))
        else:
            for problem in error.problems:
                typer.echo(str(problem), err=True)
            typer.echo(f"{error.message}; {error.hint}", err=True)
        raise typer.Exit(error.exit_code) from None
    summary = summarise(config, day)
    if as_json:
        typer.echo(json.dumps({"valid": True, "summary": summary}, ensure_ascii=False, indent=2))
    else:
        typer.echo(render_text(summary))


@app.command()
def init(
    file: Path = typer.Argument(..., help="Where to write the new config."),
    name: str = typer.Option(..., "--name", help="Name of the new network."),
    key: str = typer.Option(..., "--key", help="Network key: capital letters A-Z and digits."),
    language: LanguageChoice | None = typer.Option(
        None, "--language", help="Language of generated pages (default: de, or --from's)."
    ),
    source: Path | None = typer.Option(
        None,
        "--from",
        help="Take the working groups of this existing config (no organisations, contacts, "
        "accounts or meetings).",
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite FILE if it exists."),
    today: datetime | None = typer.Option(
        None,
        "--today",
        formats=["%Y-%m-%d"],
        metavar="YYYY-MM-DD",
        help="Day the kick-off is planned from (default: today).",
    ),
) -> None:
    """Write a commented starter config that validates (never overwrites without --force)."""
    from confluence_sync.config.bootstrap import write_starter

    try:
        config = write_starter(
            file,
            name=name,
            key=key,
            language=language.value if language else None,
            source_path=source,
            force=force,
            today=today.date() if today else None,
        )
    except ConfluenceSyncError as error:
        fail(error)
    groups = ", ".join(g.name for g in config.working_groups) or "none"
    typer.echo(f"wrote {file}: network {config.network.key}, working groups: {groups}")
    typer.echo(f"next: replace the placeholders, then run: confluence-sync validate {file}")


@app.command()
def schema(
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the schema to this file instead of stdout."
    ),
) -> None:
    """Print the JSON Schema of the config file (for editor completion and checks)."""
    from confluence_sync.config.schema import config_schema_text

    text = config_schema_text()
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}")


# --- sync commands: plan, sync (confluence_sync.run) ------------------------------------


class PlanFormat(StrEnum):
    """How ``plan`` prints: a table for people, json or markdown for CI."""

    table = "table"
    json = "json"
    markdown = "markdown"


_URL_HELP = "Confluence base URL (env CONFLUENCE_URL); none: the embedded local wiki."
_FLAVOUR_HELP = "cloud or datacenter (env CONFLUENCE_FLAVOUR; guessed from the URL)."
_USERNAME_HELP = "Env CONFLUENCE_USERNAME (Cloud: the account's e-mail)."
_OVERWRITE_HELP = (
    "Overwrite member edits inside managed regions; the report names each region overwritten."
)
_REMOVALS_HELP = "Allow a plan that archives/revokes/removes more than 25% of what we manage."
_FORCE_HELP = "Shorthand for --overwrite-conflicts --allow-removals."

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
    "1 unexpected error."
)
_SYNC_EPILOG = (
    f"{_CONNECT}\n\n{_EXIT_CODES}\n\n"
    "[bold]Examples[/bold]: confluence-sync sync network.yaml --dry-run  |  "
    "CONFLUENCE_URL=https://wiki.example.org CONFLUENCE_TOKEN=… confluence-sync sync "
    "network.yaml --report report.json"
)
_PLAN_EXAMPLES = (
    "[bold]Examples[/bold]: confluence-sync plan network.yaml  |  "
    "confluence-sync plan network.yaml --format markdown > plan.md"
)
_PLAN_EPILOG = f"{_CONNECT}\n\n{_EXIT_CODES}\n\n{_PLAN_EXAMPLES}"
_UNLOCK_EPILOG = (
    f"{_CONNECT}\n\n"
    "[bold]Exit codes[/bold]: 0 removed (or no lock held); 2 usage error; 3 invalid config; "
    "1 unexpected error.\n\n"
    "[bold]Example[/bold]: confluence-sync unlock network.yaml (only when no sync is running: "
    "a live sync keeps its lock fresh)"
)


def _flavour_option(value: str | None) -> str | None:
    """Reject a wrong ``--flavour`` as a usage error naming the flag (exit 2), before the
    settings would blame the environment variable."""
    if value is not None and value.strip().lower() not in ("cloud", "datacenter"):
        raise typer.BadParameter(f"must be cloud or datacenter, not {value!r}")
    return value


_DATA_DIR_HELP = "Folder of the embedded local wiki (default: .confluence-sync next to FILE)."
# 8: a 2,000-page first sync reaches 5-6 requests in flight with 50 ms latency (4: about 3.3);
# still half the HTTP pool (16), and a 429 makes every worker wait at the shared gate.
_WORKERS_HELP = "Spaces worked on in parallel (one shared rate limit)."
DEFAULT_WORKERS = 8
# Opt-in: Confluence adds no page version for an inline comment but puts its marker in the body.
_TRUST_VERSIONS_HELP = (
    "Skip reading pages whose version is unchanged since our last write; faster, but an "
    "inline comment added since then outside the managed regions would be detached."
)


_REVOKE_EXTRA_HELP = (
    "Also revoke, on spaces that existed before the sync, grants it did not make and the "
    "config does not name (site defaults, hand-made grants); without it they are reported "
    "and kept. On spaces the sync created they are always revoked."
)


@dataclass(frozen=True)
class _RunFlags:
    """The options ``plan`` and ``sync`` share, as given on the command line."""

    today: datetime | None
    url: str | None
    flavour: str | None
    username: str | None
    data_dir: Path | None
    overwrite_conflicts: bool
    allow_removals: bool
    force: bool
    adopt: bool
    workers: int
    trust_versions: bool = False
    revoke_extra_grants: bool = False


def _engine_call(
    file: Path, flags: _RunFlags, *, strict: bool, dry_run: bool, show_progress: bool
) -> tuple[Outcome, int]:
    """Build settings and options, run one engine command, map domain errors to exits."""
    from datetime import date

    from confluence_sync.run import RunOptions, execute
    from confluence_sync.settings import Settings

    options = RunOptions(
        today=flags.today.date() if flags.today else date.today(),
        # --force is both of the narrower flags.
        overwrite_conflicts=flags.overwrite_conflicts or flags.force,
        allow_removals=flags.allow_removals or flags.force,
        adopt=flags.adopt,
        strict=strict,
        workers=max(1, flags.workers),
        trust_versions=flags.trust_versions,
        revoke_extra_grants=flags.revoke_extra_grants,
    )
    hooks: dict[str, object] = {}
    progress_bar = None
    if show_progress:
        from rich.console import Console
        from rich.progress import Progress

        console = Console(stderr=True)
        if console.is_terminal:  # progress only for a person watching, never in logs
            progress_bar = Progress(console=console, transient=True)
            task = progress_bar.add_task("syncing", total=None)
            hooks["on_plan"] = lambda plan: progress_bar.update(task, total=len(plan.changes))
            hooks["progress"] = lambda result: progress_bar.advance(task)
    try:
        settings = Settings.from_env(url=flags.url, flavour=flags.flavour, username=flags.username)
        if progress_bar is not None:
            progress_bar.start()
        try:
            outcome = execute(
                file,
                options,
                settings=settings,
                data_dir=flags.data_dir,
                dry_run=dry_run,
                **hooks,  # type: ignore[arg-type]
            )
        finally:
            if progress_bar is not None:
                progress_bar.stop()
    except ConfluenceSyncError as error:
        from confluence_sync.errors import ConfigError

        if isinstance(error, ConfigError):
            for problem in error.problems:
                typer.echo(str(problem), err=True)
            typer.echo(f"{error.message}; {error.hint}", err=True)
            raise typer.Exit(error.exit_code) from None
        fail(error)
    return outcome, outcome.result.exit_code(strict=strict)


class _FlagHelp(typer.core.TyperCommand):
    """``--help`` takes no value: without this typer prints "<bool>" after it."""

    # Any: typer vendors its own click, whose classes are not public API.
    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.metavar = ""
        return option


# Options plan and sync both take, declared once. A flag's metavar "": it takes no value, and
# typer would otherwise print "<bool>" after it.
_File = Annotated[Path, typer.Argument(help="The network's YAML config file.")]
_Today = Annotated[
    datetime | None,
    typer.Option("--today", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help=_TODAY_HELP),
]
_Url = Annotated[str | None, typer.Option("--url", help=_URL_HELP)]
_Flavour = Annotated[
    str | None, typer.Option("--flavour", help=_FLAVOUR_HELP, callback=_flavour_option)
]
_Username = Annotated[str | None, typer.Option("--username", help=_USERNAME_HELP)]
_DataDir = Annotated[Path | None, typer.Option("--data-dir", help=_DATA_DIR_HELP)]
_Overwrite = Annotated[
    bool, typer.Option("--overwrite-conflicts", metavar="", help=_OVERWRITE_HELP)
]
_Removals = Annotated[bool, typer.Option("--allow-removals", metavar="", help=_REMOVALS_HELP)]
_Force = Annotated[bool, typer.Option("--force", metavar="", help=_FORCE_HELP)]
_Workers = Annotated[int, typer.Option("--workers", help=_WORKERS_HELP)]
_RevokeExtra = Annotated[
    bool, typer.Option("--revoke-extra-grants", metavar="", help=_REVOKE_EXTRA_HELP)
]
_TrustVersions = Annotated[
    bool, typer.Option("--trust-versions", metavar="", help=_TRUST_VERSIONS_HELP)
]


@app.command(cls=_FlagHelp, epilog=_PLAN_EPILOG)
def plan(
    file: _File,
    output_format: PlanFormat = typer.Option(
        PlanFormat.table, "--format", help="table, json, markdown."
    ),
    today: _Today = None,
    url: _Url = None,
    flavour: _Flavour = None,
    username: _Username = None,
    data_dir: _DataDir = None,
    adopt: bool = typer.Option(
        False, "--adopt", metavar="", help="Plan to take over unmarked pages."
    ),
    overwrite_conflicts: _Overwrite = False,
    allow_removals: _Removals = False,
    force: _Force = False,
    workers: _Workers = DEFAULT_WORKERS,
    trust_versions: _TrustVersions = False,
    revoke_extra_grants: _RevokeExtra = False,
) -> None:
    """Show what a sync would change and why; reads only (exit 4 if the plan is unsafe)."""
    from confluence_sync import report

    flags = _RunFlags(
        today, url, flavour, username, data_dir, overwrite_conflicts, allow_removals, force,
        adopt, workers, trust_versions, revoke_extra_grants,
    )  # fmt: skip
    outcome, code = _engine_call(file, flags, strict=False, dry_run=True, show_progress=False)
    result = outcome.result
    if output_format is PlanFormat.json:
        typer.echo(report.to_json(result))
    elif output_format is PlanFormat.markdown:
        typer.echo(report.to_markdown(result))
    else:
        from rich.console import Console

        Console().print(report.table(result, title=f"plan for {file}"))
        if result.refused:
            typer.echo(f"refused: {result.refused}", err=True)
    raise typer.Exit(code)


@app.command(cls=_FlagHelp, epilog=_SYNC_EPILOG)
def sync(
    file: _File,
    dry_run: bool = typer.Option(
        False, "--dry-run", metavar="", help="Plan only; nothing is written."
    ),
    overwrite_conflicts: _Overwrite = False,
    allow_removals: _Removals = False,
    force: _Force = False,
    adopt: bool = typer.Option(
        False, "--adopt", metavar="", help="Take over pages without our marker."
    ),
    strict: bool = typer.Option(
        False, "--strict", metavar="", help="Conflicts and blocked pages exit 5."
    ),
    report_path: Path | None = typer.Option(None, "--report", help="Write a JSON report here."),
    today: _Today = None,
    url: _Url = None,
    flavour: _Flavour = None,
    username: _Username = None,
    data_dir: _DataDir = None,
    workers: _Workers = DEFAULT_WORKERS,
    trust_versions: _TrustVersions = False,
    revoke_extra_grants: _RevokeExtra = False,
) -> None:
    """Make the wiki match FILE; members' words are kept. Tokens come from the environment."""
    from rich.console import Console

    from confluence_sync import report

    flags = _RunFlags(
        today, url, flavour, username, data_dir, overwrite_conflicts, allow_removals, force,
        adopt, workers, trust_versions, revoke_extra_grants,
    )  # fmt: skip
    outcome, code = _engine_call(file, flags, strict=strict, dry_run=dry_run, show_progress=True)
    result = outcome.result
    if report_path is not None:
        report.write_report(result, report_path)
    Console().print(report.table(result, title=("dry run" if dry_run else "sync") + f" of {file}"))
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)
    if result.refused:
        typer.echo(f"refused: {result.refused}", err=True)
    if outcome.db_path is not None:
        typer.echo(f"local wiki data: {outcome.db_path}")
        typer.echo(f"browse it: confluence-sync serve --db {outcome.db_path}")
        typer.echo("then open http://127.0.0.1:8090/viewer (serve's default port)")
    raise typer.Exit(code)


@app.command(epilog=_UNLOCK_EPILOG)
def unlock(
    file: Path = typer.Argument(..., help="The network's YAML config file."),
    url: str | None = typer.Option(None, "--url", help=_URL_HELP),
    flavour: str | None = typer.Option(
        None, "--flavour", help=_FLAVOUR_HELP, callback=_flavour_option
    ),
    username: str | None = typer.Option(None, "--username", help=_USERNAME_HELP),
    data_dir: Path | None = typer.Option(None, "--data-dir", help=_DATA_DIR_HELP),
) -> None:
    """Remove the lock a killed sync left behind (says whose it was and since when)."""
    from confluence_sync.run import unlock as unlock_network
    from confluence_sync.settings import Settings

    try:
        settings = Settings.from_env(url=url, flavour=flavour, username=username)
        typer.echo(unlock_network(file, settings=settings, data_dir=data_dir))
    except ConfluenceSyncError as error:
        fail(error)


# --- serve: the local Confluence-compatible wiki (confluence_sync.localwiki) ---------------
@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback default)."),
    port: int = typer.Option(8090, "--port", help="TCP port; 0 picks a free one."),
    flavour: str = typer.Option("dc", "--flavour", help="dc (Data Center) or cloud."),
    db: Path | None = typer.Option(None, "--db", help="SQLite file; in memory when omitted."),
    context_path: str = typer.Option("", "--context-path", help="DC context, e.g. /confluence."),
    v1_removed: bool = typer.Option(False, "--v1-removed", help="Cloud: v1 content routes 410."),
    latency_ms: int = typer.Option(0, "--latency-ms", help="Delay added to every request."),
    fault: list[str] = typer.Option([], "--fault", help="Fault spec; repeat for several."),
    journal: Path | None = typer.Option(None, "--journal", help="Write a request journal here."),
) -> None:
    """Run the local Confluence-compatible wiki until Ctrl-C."""
    from confluence_sync.localwiki.server import LocalWiki
    from confluence_sync.localwiki.store import ADMIN_TOKEN

    if flavour not in ("dc", "cloud"):
        typer.echo("error: --flavour must be dc or cloud", err=True)
        raise typer.Exit(2)
    wiki = LocalWiki(
        db_path=db if db is not None else ":memory:",
        host=host,
        port=port,
        flavour="cloud" if flavour == "cloud" else "dc",
        context_path=context_path,
        v1_removed=v1_removed,
        latency_ms=latency_ms,
        faults=fault,
        journal_path=journal,
    ).start()
    user, secret = wiki.admin
    typer.echo(f"local wiki ({flavour}) at {wiki.url}")
    typer.echo(
        f"admin: {user} / {secret} (password 'admin' works too; Bearer token: {ADMIN_TOKEN})"
    )
    typer.echo(f"viewer: {wiki.viewer_url}")
    typer.echo("press Ctrl-C to stop")
    try:
        wiki.serve_forever()
    except KeyboardInterrupt:
        typer.echo("stopped")
