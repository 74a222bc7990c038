"""The embedded default: with no URL, sync to a local Confluence in this process.

The local wiki runs in the flavour asked for (``--flavour`` / ``CONFLUENCE_FLAVOUR``; Data
Center when neither is given), and Cloud as a real Cloud site is today: v1 content routes gone
(410), so the sync takes the v2 path it takes against Atlassian. Data lives next to the config
file (or in ``--data-dir``), one database per flavour: ``.confluence-sync/localwiki.sqlite3``
for Data Center (the file of earlier versions, which were always Data Center) and
``localwiki-cloud.sqlite3`` for Cloud. One folder tried first as Data Center and then as Cloud
so holds two sites, as a real network would have two: each database holds what only its
flavour makes (Data Center's stand-in template pages, Cloud's page templates, users known by
username or by account id), so one database switched between flavours would show a sync the
other flavour's leftovers as pages to archive and accounts it cannot find.

The local wiki is started on a free loopback port and the normal backend is built against its
URL with its admin credentials, so the sync takes the same HTTP path as against a real site.
The accounts the config names are created as local users first (a real site has them
already), so grants and group memberships can be applied; on Cloud the config names accounts
by account id, so each is created with the name as its account id.

A data folder that cannot be made, or a database file in it that is not the local wiki's, is
``LocalDataError`` (exit 2) before anything runs.

May import: errors, flavours, config, settings, localwiki.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from confluence_sync.errors import EXIT_USAGE, ConfluenceSyncError
from confluence_sync.flavours import Flavour
from confluence_sync.settings import Settings

DATA_DIR: Final = ".confluence-sync"
DB_NAME: Final = "localwiki.sqlite3"
DB_NAMES: Final[dict[Flavour, str]] = {"datacenter": DB_NAME, "cloud": "localwiki-cloud.sqlite3"}


class LocalDataError(ConfluenceSyncError):
    """The embedded wiki's data folder or database cannot be used."""

    exit_code = EXIT_USAGE


@dataclass(frozen=True)
class Embedded:
    """A running local wiki and the settings that reach it."""

    settings: Settings
    db_path: Path
    viewer_url: str
    admin_user: str
    flavour: Flavour = "datacenter"


def data_dir_for(config_path: Path, data_dir: Path | None) -> Path:
    return data_dir if data_dir is not None else config_path.resolve().parent / DATA_DIR


def db_path_for(folder: Path, flavour: Flavour) -> Path:
    """The embedded wiki's database of ``flavour`` in its data folder."""
    return folder / DB_NAMES[flavour]


@contextmanager
def embedded_wiki(
    config_path: Path,
    data_dir: Path | None = None,
    *,
    accounts: Iterable[str] = (),
    flavour: Flavour = "datacenter",
) -> Iterator[Embedded]:
    """Start the local wiki in ``flavour`` on 127.0.0.1 and yield how to reach it;
    ``accounts`` (those of a valid config; none for a dry run, which changes nothing) are
    created as users first."""
    from confluence_sync.localwiki.server import LocalWiki
    from confluence_sync.localwiki.store.db import UnusableDatabase

    folder = data_dir_for(config_path, data_dir)
    db_path = db_path_for(folder, flavour)
    cloud = flavour == "cloud"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = "it is a file" if folder.is_file() else error.strerror or str(error)
        raise LocalDataError(
            f"cannot make the local wiki's data folder {folder}: {reason}",
            hint="give --data-dir a folder you can write to (it is made when missing)",
        ) from None
    with ExitStack() as stack:
        try:
            wiki = stack.enter_context(
                LocalWiki(db_path=db_path, flavour="cloud" if cloud else "dc", v1_removed=cloud)
            )
        except UnusableDatabase as error:
            raise LocalDataError(
                str(error), hint=f"move {db_path} away, or give --data-dir another folder"
            ) from None
        for account in accounts:
            if wiki.store.resolve_user(account) is None:
                # A random password: these users exist so permissions can name them.
                password = secrets.token_urlsafe(16)
                wiki.store.create_user(account, password, account_id=account if cloud else None)
        user, secret = wiki.admin
        settings = Settings.from_env(
            {}, url=wiki.url, flavour=flavour, username=user, api_token=secret
        )
        yield Embedded(settings, db_path, wiki.viewer_url, user, flavour)
