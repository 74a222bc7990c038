"""One ``digest`` command: config → the group spaces' meeting pages, read in bulk
(``state.digest_read``, which says what it costs) → the pure digest → a :class:`Digested`.

Without ``--publish`` it reads only: it is handed a ``WikiReader`` and nothing else, so it
cannot write. With ``--publish`` it is a run of the engine whose plan holds the digest's
refresh and nothing else (``commands.execute`` with ``only_digest``): the lock, the page write and
the hub index's record are the sync's own, and every later sync keeps the page current.

May import: errors, config, settings, wiki, wanted, backends, state, digest, run, commands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from confluence_sync.commands import connect, execute
from confluence_sync.config import load_config_on
from confluence_sync.digest import render
from confluence_sync.digest.assemble import Link
from confluence_sync.digest.model import Digest
from confluence_sync.errors import EXIT_USAGE, ConfluenceSyncError
from confluence_sync.run import RunOptions, RunResult
from confluence_sync.settings import Settings
from confluence_sync.state.digest_read import read_digest
from confluence_sync.wanted.build import digest_source

# What the embedded wiki's pages are reached at once `serve` runs (its default port).
_SERVE_VIEWER = "http://127.0.0.1:8090/viewer"


@dataclass
class Digested:
    """A finished digest and what reading it cost."""

    digest: Digest
    requests: int = 0
    writes: int = 0
    by_method: dict[str, int] = field(default_factory=dict)

    def text(self, output_format: str) -> str:
        """The digest as ``markdown``, ``json`` or ``html`` (``digest.render``)."""
        return text_of(self.digest, output_format)


def text_of(digest: Digest, output_format: str) -> str:
    """``digest`` as ``markdown``, ``json`` or ``html`` (``digest.render``)."""
    writers = {"markdown": render.to_markdown, "json": render.to_json, "html": render.to_html}
    return writers[output_format](digest)


class DigestDateError(ConfluenceSyncError):
    """``--since`` lies after ``--until`` (a usage error, exit 2)."""

    exit_code = EXIT_USAGE


def digest_run(
    config_path: Path,
    *,
    settings: Settings,
    today: dt.date | None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    data_dir: Path | None = None,
    workers: int = 4,
) -> Digested:
    """The network's digest as of ``until`` (else ``today``; None: the network's today),
    from ``since`` on."""
    config, today = load_config_on(config_path, today)
    day = until or today
    if since is not None and since > day:
        raise DigestDateError(
            f"--since {since.isoformat()} is after {'--until' if until else 'today'} "
            f"{day.isoformat()}",
            hint="give --since a day on or before --until",
        )
    with connect(config_path, settings, data_dir) as site:
        reader = site.backend.reader
        viewer = _SERVE_VIEWER if site.local is not None else ""
        start = reader.counter.by_method()
        digest, _read = read_digest(
            reader,
            digest_source(config),
            day=day,
            since=since,
            link=page_link(site.settings.url or "", reader.capabilities.flavour, viewer),
            workers=workers,
        )
        spent = reader.counter.since(start)
        writes = reader.counter.writes_in(spent)
        return Digested(digest, sum(spent.values()), writes, spent)


@dataclass
class Published:
    """``digest --publish``: the run that refreshed the page, and the digest it shows."""

    result: RunResult
    digest: Digest | None

    @property
    def outcome(self) -> str:
        """What became of the page, in the run's words (``page created: 3 held, …``)."""
        done = [r for r in self.result.results if r.kind == "digest"]
        return f"{done[0].status}: {done[0].reason}" if done else "nothing to do"


def publish_run(
    config_path: Path,
    *,
    settings: Settings,
    today: dt.date | None,
    since: dt.date | None = None,
    data_dir: Path | None = None,
    workers: int = 4,
    overwrite_conflicts: bool = False,
) -> Published:
    """Write the hub's digest page now (a sync's run, its plan the digest's refresh only);
    every later sync keeps it current. ``overwrite_conflicts``: also over a member's edit of
    its region (words below the region stay)."""
    options = RunOptions(
        today,
        workers=workers,
        overwrite_conflicts=overwrite_conflicts,
        publish_digest=since.isoformat() if since else "",
        only_digest=True,
    )
    outcome = execute(config_path, options, settings=settings, data_dir=data_dir)
    return Published(outcome.result, outcome.result.digest)


def page_link(base: str, flavour: str, viewer: str = "") -> Link:
    """How a page is addressed for people: the embedded wiki's viewer (as ``serve`` runs it),
    Data Center's ``viewpage.action`` or Cloud's ``/spaces/KEY/pages/ID``."""
    if viewer:
        return lambda space, page_id: f"{viewer}/pages/{page_id}"
    root = base.rstrip("/")
    if flavour == "cloud":
        return lambda space, page_id: f"{root}/spaces/{space}/pages/{page_id}"
    return lambda space, page_id: f"{root}/pages/viewpage.action?pageId={page_id}"
