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
from confluence_sync.cli.options import ConfigFile, DataDir, Flavour, Today, Url, Username
from confluence_sync.cli.verbosity import Quiet, Verbose, level, loudness

DIGEST_EPILOG = (
    "[bold]What it shows[/bold], per working group: the meetings held (on or before --until, "
    "default today) with host, place and page link; the attendees members entered "
    "(Teilnehmende/Attendees: each organisation with names filled in); the decisions "
    "(Beschlüsse/Decisions; placeholders only count as none); the action items, open and done, "
    "with assignee and due date (overdue: open past the day); then the meetings upcoming; and "
    "totals for the network. Which page is which meeting comes from the sync's own index, so "
    "run it after a sync. German or English as network.language says.\n\n"
    "[bold]Cost[/bold]: reads only, in bulk: per space its index and its pages with their "
    "bodies (Data Center 50, Cloud 250 a request), plus the accounts tasks name that the config "
    "does not; -v shows each request, the summary line on stderr counts them.\n\n"
    "[bold]Exit codes[/bold]: 0 done; 2 usage error (a bad date, --since after --until); "
    "3 invalid config; 7 the site cannot be used; 8 credentials refused; 1 unexpected error.\n\n"
    "[bold]Examples[/bold]: confluence-sync digest network.yaml  |  confluence-sync digest "
    "network.yaml --since 2026-01-01 --until 2026-06-30 -o halbjahr.md  |  confluence-sync "
    "digest network.yaml --format html -o digest.html  |  ... --format json | jq .totals"
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
    today: Today = None,
    url: Url = None,
    flavour: Flavour = None,
    username: Username = None,
    data_dir: DataDir = None,
    verbose: Verbose = False,
    quiet: Quiet = False,
) -> None:
    """Report what the working groups did: meetings, attendees, decisions, action items."""
    from datetime import date

    from confluence_sync.run_digest import digest_run
    from confluence_sync.settings import Settings

    shown = level(verbose, quiet)
    with reported(output_format is DigestFormat.json), loudness(shown):
        settings = Settings.from_env(url=url, flavour=flavour, username=username)
        done = digest_run(
            file,
            settings=settings,
            today=today.date() if today else date.today(),
            since=since.date() if since else None,
            until=until.date() if until else None,
            data_dir=data_dir,
        )
    text = done.text(output_format.value)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        typer.echo(text)
    t = done.digest.totals
    summary = (
        f"digest: {t.held} meetings held, {t.upcoming} upcoming, {t.decisions} decisions, "
        f"{t.open} open tasks ({t.overdue} overdue), {t.done} done; "
        f"{done.requests} requests, {done.writes} writes"
    )
    typer.echo(summary + (f"; written to {output}" if output else ""), err=True)
