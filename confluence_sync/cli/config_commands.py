"""The commands about the config file: ``validate`` checks one, ``init`` writes a starter,
``schema`` prints its JSON Schema. None of them talks to a wiki.

Imports typer, ``cli.options``, ``cli.verbosity`` and ``cli.exits``; ``confluence_sync.config``
only inside a command, so ``--help`` stays fast.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path

import typer

from confluence_sync.cli.exits import fail, reported
from confluence_sync.cli.options import ConfigFile, Today
from confluence_sync.cli.verbosity import Quiet
from confluence_sync.errors import ConfluenceSyncError


class OutputFormat(StrEnum):
    """How ``validate`` prints its result."""

    text = "text"
    json = "json"


class LanguageChoice(StrEnum):
    """Language of generated pages."""

    de = "de"
    en = "en"


def validate(
    file: ConfigFile,
    today: Today = None,
    output_format: OutputFormat = typer.Option(
        OutputFormat.text,
        "--format",
        help="text for people, json for scripts (problems too, as JSON on stdout).",
    ),
    quiet: Quiet = False,
) -> None:
    """Check a config file; print what it describes, or every problem in it (exit 3)."""
    import json

    from confluence_sync.config import load_config_on
    from confluence_sync.config.summary import render_text, summarise

    as_json = output_format is OutputFormat.json
    with reported(as_json, extra={"valid": False}):
        config, day = load_config_on(file, today.date() if today else None)
        summary = summarise(config, day)
    if as_json:
        typer.echo(json.dumps({"valid": True, "summary": summary}, ensure_ascii=False, indent=2))
    else:
        text = render_text(summary)
        typer.echo(text.splitlines()[0] if quiet else text)  # quiet: the "valid: …" line


def init(
    file: Path = typer.Argument(..., help="Where to write the new config."),
    name: str = typer.Option(..., "--name", help="Name of the new network."),
    key: str = typer.Option(
        ..., "--key", help="Network key: letters A-Z and digits (lower case is upper-cased)."
    ),
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
    from confluence_sync.config.bootstrap import starter_key, write_starter

    key, note = starter_key(key)
    if note:
        typer.echo(note, err=True)
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
        from confluence_sync.files import write_file

        with reported(False):
            write_file(output, text, "the schema")
        typer.echo(f"wrote {output}")
