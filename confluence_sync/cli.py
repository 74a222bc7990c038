"""The command line: parse options, call one core function, render its result, map errors to
exit codes. Heavy modules are imported inside the commands so `--help` stays fast.

Exit codes: 0 done, 1 unexpected error, 2 usage error, 3 invalid config, 4 unsafe plan refused,
5 some items failed (the rest still applied).
"""

from __future__ import annotations

import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
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
        None, "--today", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD",
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
