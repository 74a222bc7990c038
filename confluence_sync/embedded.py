"""The embedded default: with no URL, sync to a local Confluence in this process.

Data lives in ``.confluence-sync/localwiki.sqlite3`` next to the config file (or in
``--data-dir``). The local wiki is started on a free loopback port and the normal backend is
built against its URL with its admin credentials, so the sync takes the same HTTP path as
against a real site. The accounts the config names are created as local users first (a real
site has them already), so grants and group memberships can be applied.

May import: config, settings, localwiki.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from confluence_sync.settings import Settings

DATA_DIR: Final = ".confluence-sync"
DB_NAME: Final = "localwiki.sqlite3"


@dataclass(frozen=True)
class Embedded:
    """A running local wiki and the settings that reach it."""

    settings: Settings
    db_path: Path
    viewer_url: str
    admin_user: str


def data_dir_for(config_path: Path, data_dir: Path | None) -> Path:
    return data_dir if data_dir is not None else config_path.resolve().parent / DATA_DIR


@contextmanager
def embedded_wiki(
    config_path: Path, data_dir: Path | None = None, *, accounts: Iterable[str] = ()
) -> Iterator[Embedded]:
    """Start the local wiki (Data Center flavour) on 127.0.0.1 and yield how to reach it;
    ``accounts`` (those of a valid config; none for a dry run, which changes nothing) are
    created as users first."""
    from confluence_sync.localwiki.server import LocalWiki

    folder = data_dir_for(config_path, data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / DB_NAME
    with LocalWiki(db_path=db_path, flavour="dc") as wiki:
        for account in accounts:
            if wiki.store.resolve_user(account) is None:
                # A random password: these users exist so permissions can name them.
                wiki.store.create_user(account, secrets.token_urlsafe(16))
        user, secret = wiki.admin
        settings = Settings.from_env(
            {}, url=wiki.url, flavour="datacenter", username=user, api_token=secret
        )
        yield Embedded(settings, db_path, wiki.viewer_url, user)
