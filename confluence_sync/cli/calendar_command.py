"""``confluence-sync calendar FILE -o meetings.ics``: the meetings calendar as a file.

From the config alone by default (no request: every meeting at sequence 0); ``--from-wiki``
reads each space's index first (the same URL and token settings as ``sync``; without a URL
the embedded wiki's data next to FILE), so the file equals the one the sync attaches to the
home pages, sequences and cancelled meetings included.

May import: errors, run, settings, cli (options, exits).
"""

from __future__ import annotations

from pathlib import Path

import typer

from confluence_sync.cli.exits import fail, fail_config
from confluence_sync.cli.options import ConfigFile, DataDir, Flavour, Today, Url, Username
from confluence_sync.errors import ConfigError, ConfluenceSyncError
from confluence_sync.files import check_writable, write_file


def calendar(
    file: ConfigFile,
    output: Path = typer.Option(..., "--output", "-o", help="Write the .ics file here."),
    group: str | None = typer.Option(
        None, "--group", metavar="KEY", help="Only this working group's meetings (its key)."
    ),
    from_wiki: bool = typer.Option(
        False,
        "--from-wiki",
        metavar="",
        help="Read the wiki's index for sequences and cancelled meetings (one request per "
        "space), so the file is the one the sync attaches.",
    ),
    link: str = typer.Option(
        "",
        "--link-base",
        metavar="URL",
        help="The site address the meetings' page links start with (default: the --url or "
        "CONFLUENCE_URL setting with --from-wiki; none otherwise).",
    ),
    today: Today = None,
    url: Url = None,
    flavour: Flavour = None,
    username: Username = None,
    data_dir: DataDir = None,
) -> None:
    """Write the meetings calendar (iCalendar) of FILE: every group's, or one --group's."""

    from confluence_sync.commands import calendar as make_calendar
    from confluence_sync.settings import Settings

    try:
        check_writable(output, "the calendar", config=file)  # before the first request
        settings = None
        if from_wiki:
            settings = Settings.from_env(url=url, flavour=flavour, username=username)
            if not link and not settings.embedded and settings.url:
                link = settings.url
        data = make_calendar(
            file,
            today.date() if today else None,
            group=group,
            site=link,
            settings=settings,
            data_dir=data_dir,
        )
        write_file(output, data, "the calendar")
    except ConfigError as error:
        fail_config(error)
    except ConfluenceSyncError as error:
        fail(error)
    events = data.count(b"BEGIN:VEVENT")
    typer.echo(f"wrote {output}: {events} meetings")
