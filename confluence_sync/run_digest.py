"""One ``digest`` command: config → the group spaces' meeting pages, read in bulk → the pure
digest (``digest.assemble``) → the accounts its tasks mention, named → a :class:`Digested`.

Reads only: it is handed a ``WikiReader`` and nothing else, so it cannot write. What it costs
(TARGETS: ≤ 3 requests per space + 1 per 100 pages): every group space in one listing (per 100
keys); per space the sync's index (one listing of the space's properties: which page is which
meeting) and its pages with their bodies (Data Center 50 a request, Cloud 250); then the
accounts the tasks name that the config does not (Cloud: 200 a request; Data Center has no
bulk read by key: its account list, or one read per account; see ``backends.user_names``).
Spaces are read on a few workers at once.

May import: errors, config, settings, wiki, backends, embedded, state, digest, run.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from confluence_sync.backends import open_backend
from confluence_sync.backends.contract import WikiReader
from confluence_sync.config import load_config
from confluence_sync.config.model import NetworkConfig, space_key
from confluence_sync.digest import render
from confluence_sync.digest.assemble import (
    GroupPages,
    Link,
    assemble,
    is_meeting,
    references,
    with_names,
)
from confluence_sync.digest.model import Digest
from confluence_sync.embedded import embedded_wiki
from confluence_sync.errors import EXIT_USAGE, ConfluenceSyncError
from confluence_sync.settings import Settings
from confluence_sync.state import ledger_store

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
        writers = {"markdown": render.to_markdown, "json": render.to_json, "html": render.to_html}
        return writers[output_format](self.digest)


class DigestDateError(ConfluenceSyncError):
    """``--since`` lies after ``--until`` (a usage error, exit 2)."""

    exit_code = EXIT_USAGE


def digest_run(
    config_path: Path,
    *,
    settings: Settings,
    today: dt.date,
    since: dt.date | None = None,
    until: dt.date | None = None,
    data_dir: Path | None = None,
    workers: int = 4,
) -> Digested:
    """The network's digest as of ``until`` (else ``today``), from ``since`` on."""
    day = until or today
    if since is not None and since > day:
        raise DigestDateError(
            f"--since {since.isoformat()} is after {'--until' if until else 'today'} "
            f"{day.isoformat()}",
            hint="give --since a day on or before --until",
        )
    config = load_config(config_path, today=today)
    with ExitStack() as stack:
        viewer = ""
        if settings.embedded:
            local = stack.enter_context(
                embedded_wiki(config_path, data_dir, flavour=settings.resolved_flavour)
            )
            settings, viewer = local.settings, _SERVE_VIEWER
        backend = open_backend(settings)
        stack.callback(backend.close)
        reader = backend.reader
        start = reader.counter.by_method()
        digest = read_digest(
            reader,
            config,
            day=day,
            since=since,
            link=page_link(settings.url or "", reader.capabilities.flavour, viewer),
            workers=workers,
        )
        spent = {
            m: n - start.get(m, 0)
            for m, n in reader.counter.by_method().items()
            if n - start.get(m, 0)
        }
        writes = sum(n for m, n in spent.items() if m not in ("GET", "HEAD", "OPTIONS"))
        return Digested(digest, sum(spent.values()), writes, spent)


def read_digest(
    reader: WikiReader,
    config: NetworkConfig,
    *,
    day: dt.date,
    since: dt.date | None = None,
    link: Link = lambda space, page_id: "",
    workers: int = 4,
) -> Digest:
    """Read every group space of ``config`` and assemble its digest (reads only)."""
    network = config.network
    keys = {group.key: space_key(network, group) for group in config.working_groups}
    reader.get_spaces(list(keys.values()))

    def group_pages(key: str) -> GroupPages:
        group = next(g for g in config.working_groups if g.key == key)
        return read_group(reader, key, group.name, keys[key])

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        groups = list(pool.map(group_pages, keys))
    digest = assemble(network.name, network.language, groups, day=day, since=since, link=link)
    # The config names its people already (Cloud: by the accountId a mention stores): no
    # request for them.
    known = {a.account: a.name for a in network.admins if a.name}
    known |= {c.account: c.name for o in config.organisations for c in o.contacts if c.account}
    mentioned = references(digest)
    names = {ref: known[ref] for ref in mentioned if ref in known}
    unknown = [ref for ref in mentioned if ref not in names]
    for ref, user in (reader.mentioned_users(unknown) if unknown else {}).items():
        # A Data Center mention names the userKey; its username may be one the config names.
        names[ref] = known.get(user.id) or user.display_name or user.id
    return with_names(digest, names)


def read_group(reader: WikiReader, key: str, name: str, space: str) -> GroupPages:
    """One group's space: its meeting identities from the sync's index, and every page with
    its body (an absent space: no meetings)."""
    if reader.get_space(space) is None:
        return GroupPages(key, name, space, {}, {})
    index = ledger_store.read(reader, space).index
    meetings = {
        identity: (record.page_id, record.day)
        for identity, record in index.pages.items()
        if is_meeting(identity) and not record.archived
    }
    pages = (
        {page.info.id: page for page in reader.list_pages_with_bodies(space)} if meetings else {}
    )
    return GroupPages(key, name, space, meetings, pages)


def page_link(base: str, flavour: str, viewer: str = "") -> Link:
    """How a page is addressed for people: the embedded wiki's viewer (as ``serve`` runs it),
    Data Center's ``viewpage.action`` or Cloud's ``/spaces/KEY/pages/ID``."""
    if viewer:
        return lambda space, page_id: f"{viewer}/pages/{page_id}"
    root = base.rstrip("/")
    if flavour == "cloud":
        return lambda space, page_id: f"{root}/spaces/{space}/pages/{page_id}"
    return lambda space, page_id: f"{root}/pages/viewpage.action?pageId={page_id}"
