"""``confluence-sync digest FILE``: what the working groups did, read back from their meeting
pages — meetings held and upcoming, who came, what was decided, which action items are open or
done (assignee, due date) — as Markdown, JSON or HTML, in the network's language. Reads only.

Imports typer, ``cli.options``, ``cli.verbosity`` and ``cli.exits``; the engine and the
renderers only inside the command, so ``--help`` stays fast.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path

import typer

from confluence_sync.cli.exits import reported
from confluence_sync.cli.options import (
    ConfigFile,
    DataDir,
    Flavour,
    OverwriteConflicts,
    Today,
    Url,
    Username,
)
from confluence_sync.cli.verbosity import Level, Quiet, Verbose, level, loudness
from confluence_sync.files import check_writable, write_file

DIGEST_EPILOG = (
    "[bold]What it shows[/bold], per working group: the meetings held (on or before --until, "
    "default today) with host, place and page link; the attendees members entered "
    "(Teilnehmende/Attendees: each organisation with names filled in); the decisions "
    "(Beschlüsse/Decisions; placeholders only count as none); the action items, open and done, "
    "with assignee and due date (overdue: open past the day); then the meetings upcoming; and "
    "totals for the network. Which page is which meeting comes from the sync's own index, so "
    "run it after a sync. German or English as network.language says.\n\n"
    '[bold]--publish[/bold] writes it as a page on the hub (title "Bericht: NETWORK" or '
    "\"Digest: NETWORK\", under the hub's home page) and records it in the hub's index; from "
    "then on every sync refreshes the page when a meeting page, the config or the day changes "
    "what it shows (a sync with nothing new reads nothing more for it). The digest is one "
    "managed region: what members write below it stays; an edit inside it is a conflict, kept "
    "and reported (sync --overwrite-conflicts replaces it; digest --publish "
    "--overwrite-conflicts too, also for a page of that title the hub's index has no record "
    "of and a member saved). --since is kept for later syncs; "
    "--until is refused (the page is always as of the sync's day). Archive or delete the page "
    "to stop: the next sync forgets it. Without -o nothing is printed on stdout.\n\n"
    "[bold]Cost[/bold]: reads only, in bulk: per space its index and its pages with their "
    "bodies (Data Center 50, Cloud 250 a request), plus the accounts tasks name that the config "
    "does not; -v shows each request, the summary line on stderr counts them.\n\n"
    "[bold]Exit codes[/bold]: 0 done; 2 usage error (a bad date, --since after --until, "
    "--until with --publish); 3 invalid config; 5 the page could not be written (or a "
    "member's edit inside it was kept); 6 another sync holds the network's lock; 7 the site "
    "cannot be used; 8 credentials refused; 1 unexpected error.\n\n"
    "[bold]Examples[/bold]: confluence-sync digest network.yaml  |  confluence-sync digest "
    "network.yaml --since 2026-01-01 --until 2026-06-30 -o halbjahr.md  |  confluence-sync "
    "digest network.yaml --format html -o digest.html  |  ... --format json | jq .totals  |  "
    "confluence-sync digest network.yaml --publish --since 2026-01-01"
)


class DigestFormat(StrEnum):
    markdown = "markdown"
    json = "json"
    html = "html"


def digest(
    file: ConfigFile,
    since: datetime | None = typer.Option(
        None,
        "--since",
        formats=["%Y-%m-%d"],
        metavar="YYYY-MM-DD",
        help="Leave out meetings held before this day.",
    ),
    until: datetime | None = typer.Option(
        None,
        "--until",
        formats=["%Y-%m-%d"],
        metavar="YYYY-MM-DD",
        help="Held means on or before this day (default: today); later meetings are upcoming.",
    ),
    output_format: DigestFormat = typer.Option(
        DigestFormat.markdown, "--format", help="markdown, json or html."
    ),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Write the digest to this file instead of stdout."
    ),
    publish: bool = typer.Option(
        False,
        "--publish",
        help="Write it as a page on the hub, which every later sync keeps current.",
    ),
    overwrite_conflicts: OverwriteConflicts = False,
    today: Today = None,
    url: Url = None,
    flavour: Flavour = None,
    username: Username = None,
    data_dir: DataDir = None,
    verbose: Verbose = False,
    quiet: Quiet = False,
) -> None:
    """Report what the working groups did: meetings, attendees, decisions, action items."""

    from confluence_sync.run_digest import digest_run
    from confluence_sync.settings import Settings

    shown = level(verbose, quiet)
    if publish:
        if until is not None:
            raise typer.BadParameter(
                "a published digest is always as of the sync's day; leave out --until",
                param_hint="--until",
            )
        _publish(
            file,
            since,
            output_format,
            output,
            today,
            url,
            flavour,
            username,
            data_dir,
            shown,
            overwrite=overwrite_conflicts,
        )
        return
    if overwrite_conflicts:
        raise typer.BadParameter(
            "the digest only reads without --publish; give --publish or leave it out",
            param_hint="--overwrite-conflicts",
        )
    with reported(output_format is DigestFormat.json), loudness(shown):
        if output is not None:
            check_writable(output, "the digest", config=file)  # before the first request
        settings = Settings.from_env(url=url, flavour=flavour, username=username)
        done = digest_run(
            file,
            settings=settings,
            today=today.date() if today else None,
            since=since.date() if since else None,
            until=until.date() if until else None,
            data_dir=data_dir,
        )
    text = done.text(output_format.value)
    if output is not None:
        _write(output, text)
    else:
        typer.echo(text)
    t = done.digest.totals
    summary = (
        f"digest: {t.held} meetings held, {t.upcoming} upcoming, {t.decisions} decisions, "
        f"{t.open} open tasks ({t.overdue} overdue), {t.done} done; "
        f"{done.requests} requests, {done.writes} writes"
    )
    typer.echo(summary + (f"; written to {output}" if output else ""), err=True)


def _publish(
    file: Path,
    since: datetime | None,
    output_format: DigestFormat,
    output: Path | None,
    today: datetime | None,
    url: str | None,
    flavour: str | None,
    username: str | None,
    data_dir: Path | None,
    shown: Level,
    *,
    overwrite: bool,
) -> None:
    """``--publish``: the page written by a run of the engine; its outcome on stderr."""

    from confluence_sync.run_digest import publish_run, text_of
    from confluence_sync.settings import Settings

    with reported(False), loudness(shown):
        if output is not None:
            check_writable(output, "the digest", config=file)  # before the page is written
        settings = Settings.from_env(url=url, flavour=flavour, username=username)
        done = publish_run(
            file,
            settings=settings,
            today=today.date() if today else None,
            since=since.date() if since else None,
            data_dir=data_dir,
            overwrite_conflicts=overwrite,
        )
    result = done.result
    if result.refused:
        typer.echo(f"error: {result.refused}", err=True)
        raise typer.Exit(result.exit_code())
    if output is not None and done.digest is not None:
        _write(output, text_of(done.digest, output_format.value))
    where = f"; written to {output}" if output is not None and done.digest is not None else ""
    typer.echo(
        f"digest --publish: {done.outcome}; {result.requests} requests, "
        f"{result.writes} writes{where}",
        err=True,
    )
    code = result.exit_code(strict=True)  # a kept conflict too: the page is not current
    if code:
        raise typer.Exit(code)


def _write(output: Path, text: str) -> None:
    """The digest's file, ending in a newline; a path that fails now is an error, exit 2."""
    with reported(False):
        write_file(output, text if text.endswith("\n") else text + "\n", "the digest")
