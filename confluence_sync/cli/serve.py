"""``serve``: run the local Confluence-compatible wiki in the foreground, for a person to browse
what a sync made, or for a client to be tried against.

Imports typer, ``confluence_sync.errors`` and ``.flavours``; ``confluence_sync.localwiki`` only
inside the command, so ``--help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import typer

from confluence_sync.errors import EXIT_USAGE
from confluence_sync.flavours import SPELLED, parse_flavour


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback default)."),
    port: int = typer.Option(8090, "--port", help="TCP port; 0 picks a free one."),
    flavour: str = typer.Option("datacenter", "--flavour", help=f"{SPELLED}."),
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

    kind = parse_flavour(flavour)
    if kind is None:
        typer.echo(f"error: --flavour must be {SPELLED}, not {flavour!r}", err=True)
        raise typer.Exit(EXIT_USAGE)
    wiki = LocalWiki(
        db_path=db if db is not None else ":memory:",
        host=host,
        port=port,
        flavour="cloud" if kind == "cloud" else "dc",
        context_path=context_path,
        v1_removed=v1_removed,
        latency_ms=latency_ms,
        faults=fault,
        journal_path=journal,
    ).start()
    user, secret = wiki.admin
    typer.echo(f"local wiki ({kind}) at {wiki.url}")
    typer.echo(
        f"admin: {user} / {secret} (password 'admin' works too; Bearer token: {ADMIN_TOKEN})"
    )
    typer.echo(f"viewer: {wiki.viewer_url}")
    typer.echo("press Ctrl-C to stop")
    try:
        wiki.serve_forever()
    except KeyboardInterrupt:
        typer.echo("stopped")
