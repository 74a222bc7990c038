"""``confluence-sync doctor [FILE]``: whether a sync can succeed against the configured site,
one line per check (✓/✗, what was found, what to do), as text or one JSON object.

Imports typer, ``cli.options`` and ``cli.exits``; the checks and the settings only inside the
command, so ``--help`` stays fast.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from confluence_sync.cli.exits import fail, fail_config
from confluence_sync.cli.options import DataDir, Flavour, Url, Username
from confluence_sync.errors import ConfigError, ConfluenceSyncError

if TYPE_CHECKING:
    from confluence_sync.checks.model import Report

DOCTOR_EPILOG = (
    "[bold]Checks, in order[/bold]: connection (host, port, TLS), site (Confluence? flavour, "
    "version, context path), credentials (as whom), rights (create spaces, administer them, "
    "manage groups), api (what the flavour offers), and with FILE accounts (every account the "
    "config names exists). Reads only.\n\n"
    "[bold]Exit codes[/bold]: 0 a sync can succeed; 7 the site cannot be used; 8 the "
    "credentials or the account's rights are refused; 9 accounts are missing; 3 invalid "
    "config; 2 usage error.\n\n"
    "[bold]Examples[/bold]: CONFLUENCE_URL=https://wiki.example.org/confluence "
    "CONFLUENCE_TOKEN=… confluence-sync doctor network.yaml  |  confluence-sync doctor "
    "--format json"
)


class DoctorFormat(StrEnum):
    """How ``doctor`` prints: a line per check, or one JSON object."""

    text = "text"
    json = "json"


def doctor(
    file: Path | None = typer.Argument(
        None, metavar="FILE", help="The network's YAML config: also check the accounts it names."
    ),
    output_format: DoctorFormat = typer.Option(DoctorFormat.text, "--format", help="text or json."),
    url: Url = None,
    flavour: Flavour = None,
    username: Username = None,
    data_dir: DataDir = None,
) -> None:
    """Check that a sync can succeed: the site, the credentials, the rights, the accounts."""
    from confluence_sync.checks.doctor import diagnose
    from confluence_sync.settings import Settings

    try:
        settings = Settings.from_env(url=url, flavour=flavour, username=username)
        report = diagnose(settings, file, data_dir=data_dir)
    except ConfigError as error:
        fail_config(error)
    except ConfluenceSyncError as error:
        fail(error)
    if output_format is DoctorFormat.json:
        import json

        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo(render(report))
    raise typer.Exit(report.exit_code)


def render(report: Report) -> str:
    """The text form: the target, then one line per check, its remedy indented below."""
    lines = [f"doctor: {report.target}"]
    for check in report.checks:
        mark = "✓" if check.ok else "✗"
        lines.append(f"{mark} {check.name}: {check.found}")
        if not check.ok and check.todo:
            lines.append(f"    → {check.todo}")
        lines += [f"    ! {warning}" for warning in check.warnings]
    code = report.exit_code
    lines.append("a sync can succeed" if code == 0 else f"a sync cannot succeed yet (exit {code})")
    return "\n".join(lines)
