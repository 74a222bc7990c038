"""``serve``: run the local Confluence-compatible wiki in the foreground, for a person to browse
what a sync made, or for a client to be tried against.

``--set-password ACCOUNT`` gives an account of the wiki (one the config names, created by an
embedded sync with a random password nobody knows) a new generated password and prints it, so
the admin can hand it to the member, who logs in to the viewer with it. The password is
generated (96 random bits), never typed on a command line, and stored hashed; the member's
open sessions end. Another ``serve`` on the same ``--db`` accepts it at once.

Imports typer, ``confluence_sync.errors`` and ``.flavours``; ``confluence_sync.localwiki`` only
inside the command, so ``--help`` stays fast.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from confluence_sync.errors import EXIT_USAGE
from confluence_sync.flavours import SPELLED, parse_flavour

if TYPE_CHECKING:
    from confluence_sync.localwiki.store import Store

SET_PASSWORD_HELP = (
    "Give ACCOUNT (username, email or account id of the wiki, e.g. one the config names) a "
    "new generated password and print it, then serve; members log in at /viewer/login. "
    "Repeat for several."
)


def _new_passwords(store: Store, accounts: list[str], admin: str) -> list[tuple[str, str]]:
    """(account as typed, password) for each account, set in ``store``; a usage error (exit
    2) for an account the wiki does not have, or for the built-in admin, whose password the
    embedded sync logs in with."""
    found = []
    for account in accounts:
        user = store.resolve_user(account)
        if user is None:
            known = ", ".join(u.username for u in store.users() if u.username != admin)
            typer.echo(
                f"error: --set-password: no account {account!r} in this wiki"
                + (
                    f" (it has: {known})" if known else " (it has none: pass the --db a sync wrote)"
                ),
                err=True,
            )
            raise typer.Exit(EXIT_USAGE)
        if user.username == admin:
            typer.echo(f"error: --set-password: the admin's password stays {admin!r}", err=True)
            raise typer.Exit(EXIT_USAGE)
        found.append((account, user.username))
    passwords = []
    for account, username in found:
        password = secrets.token_urlsafe(12)
        store.set_password(username, password)
        passwords.append((account, password))
    return passwords


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback default)."),
    port: int = typer.Option(8090, "--port", help="TCP port; 0 picks a free one."),
    flavour: str = typer.Option(
        "datacenter",
        "--flavour",
        envvar="CONFLUENCE_FLAVOUR",  # as plan, sync and unlock read it
        show_envvar=False,
        help=f"{SPELLED} (env CONFLUENCE_FLAVOUR).",
    ),
    db: Path | None = typer.Option(None, "--db", help="SQLite file; in memory when omitted."),
    context_path: str = typer.Option("", "--context-path", help="DC context, e.g. /confluence."),
    v1_removed: bool = typer.Option(False, "--v1-removed", help="Cloud: v1 content routes 410."),
    gateway: str = typer.Option(
        "",
        "--gateway",
        metavar="CLOUD_ID",
        help="Cloud: serve the API as api.atlassian.com does, under /ex/confluence/CLOUD_ID only.",
    ),
    dc_version: str = typer.Option(
        "10.0.3", "--dc-version", help="DC release to play, e.g. 8.5 (older: fewer REST routes)."
    ),
    space_role_mode: str = typer.Option(
        "PRE_ROLES",
        "--space-role-mode",
        help="Cloud: PRE_ROLES, ROLES_TRANSITION or ROLES (roles only: v1 permission writes 400).",
    ),
    latency_ms: int = typer.Option(0, "--latency-ms", help="Delay added to every request."),
    fault: list[str] = typer.Option([], "--fault", help="Fault spec; repeat for several."),
    journal: Path | None = typer.Option(None, "--journal", help="Write a request journal here."),
    set_password: list[str] = typer.Option(
        [], "--set-password", metavar="ACCOUNT", help=SET_PASSWORD_HELP
    ),
) -> None:
    """Run the local Confluence-compatible wiki until Ctrl-C.

    Members log in to /viewer with an account of the wiki (--set-password gives one).
    """
    from confluence_sync.localwiki.api.v1.site import parse_version
    from confluence_sync.localwiki.server import LocalWiki
    from confluence_sync.localwiki.store import ADMIN_TOKEN, ADMIN_USERNAME
    from confluence_sync.localwiki.store.db import FlavourMismatch, UnusableDatabase

    kind = parse_flavour(flavour)
    if kind is None:
        typer.echo(f"error: --flavour must be {SPELLED}, not {flavour!r}", err=True)
        raise typer.Exit(EXIT_USAGE)
    if gateway and kind != "cloud":
        typer.echo("error: --gateway needs --flavour cloud", err=True)
        raise typer.Exit(EXIT_USAGE)
    if parse_version(dc_version) is None:
        typer.echo(
            f"error: --dc-version: a release such as 9.1.0 or 8.5, not {dc_version!r}", err=True
        )
        raise typer.Exit(EXIT_USAGE)
    mode = space_role_mode.upper()
    if mode not in ("PRE_ROLES", "ROLES_TRANSITION", "ROLES") or (
        mode != "PRE_ROLES" and kind != "cloud"
    ):
        typer.echo(
            "error: --space-role-mode: PRE_ROLES, ROLES_TRANSITION or ROLES, with --flavour "
            f"cloud (got {space_role_mode!r})",
            err=True,
        )
        raise typer.Exit(EXIT_USAGE)
    try:
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
            gateway_cloud_id=gateway,
            dc_version=dc_version,
            space_role_mode=mode,
        )
    except (FlavourMismatch, UnusableDatabase) as error:  # the other flavour's, or no database
        typer.echo(f"error: --db {error}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except ValueError as error:  # the release was checked above: what is left is the cloud id
        typer.echo(f"error: --gateway: {error}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    try:
        passwords = _new_passwords(wiki.store, set_password, ADMIN_USERNAME)
    except typer.Exit:
        wiki.store.close()
        raise
    wiki.start()
    user, secret = wiki.admin
    typer.echo(f"local wiki ({kind}) at {wiki.url}")
    typer.echo(
        f"admin: {user} / {secret} (password 'admin' works too; Bearer token: {ADMIN_TOKEN})"
    )
    typer.echo(f"viewer: {wiki.viewer_url}")
    for account, password in passwords:
        typer.echo(f"password for {account}: {password} (log in at {wiki.viewer_url}/login)")
    typer.echo("press Ctrl-C to stop")
    try:
        wiki.serve_forever()
    except KeyboardInterrupt:
        typer.echo("stopped")
