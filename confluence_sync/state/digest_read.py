"""Reading the network's digest: the group spaces' meeting pages, in bulk, assembled by the
pure ``digest`` package, with the accounts their tasks mention named. Reads only.

What it costs (TARGETS: ≤ 3 requests per space + 1 per 100 pages): every group space in one
listing (per 100 keys); per space the sync's index (one listing of its properties: which page
is which meeting) and its pages with their bodies (Data Center 50 a request, Cloud 250); then
the accounts the tasks name that the config does not (Cloud: 200 a request; Data Center has no
bulk read by key, see ``backends.user_names``). A sync that refreshes the published digest
hands in the records its run leaves (``records``): no space or index is read then. Spaces are
read on a few workers at once.

Imports: backends (contract), digest (assemble, freshness, model), state (ledger, ledger_store),
wanted (model).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from confluence_sync.backends.contract import WikiReader
from confluence_sync.digest.assemble import (
    GroupPages,
    Link,
    assemble,
    is_meeting,
    references,
    with_names,
)
from confluence_sync.digest.freshness import Entry
from confluence_sync.digest.model import Digest
from confluence_sync.state import ledger_store
from confluence_sync.state.ledger import PageRecord
from confluence_sync.wanted.model import DigestSource

Records = Mapping[str, PageRecord]  # identity → record: one space's pages as the index holds them


def read_digest(
    reader: WikiReader,
    source: DigestSource,
    *,
    day: dt.date,
    since: dt.date | None = None,
    link: Link = lambda space, page_id: "",
    workers: int = 4,
    records: Mapping[str, Records] | None = None,
) -> tuple[Digest, list[Entry]]:
    """The digest of every group space of ``source`` as of ``day``, and the meeting pages it
    was read from with their versions (its ``freshness.fingerprint``)."""
    if records is None:
        reader.get_spaces(list(source.spaces))

    def group_pages(group: tuple[str, str, str]) -> GroupPages:
        key, name, space = group
        if records is not None:
            return _read_pages(reader, key, name, space, records.get(space, {}))
        return read_group(reader, key, name, space)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        groups = list(pool.map(group_pages, source.groups))
    digest = assemble(source.network, source.language, groups, day=day, since=since, link=link)
    entries = [
        (g.space_key, identity, page_id, g.pages[page_id].info.version)
        for g in groups
        for identity, (page_id, _day) in g.meetings.items()
        if page_id in g.pages
    ]
    # The config names its people already (Cloud: by the accountId a mention stores): no
    # request for them.
    known = dict(source.names)
    mentioned = references(digest)
    names = {ref: known[ref] for ref in mentioned if ref in known}
    unknown = [ref for ref in mentioned if ref not in names]
    for ref, user in (reader.mentioned_users(unknown) if unknown else {}).items():
        # A Data Center mention names the userKey; its username may be one the config names.
        names[ref] = known.get(user.id) or user.display_name or user.id
    return with_names(digest, names), entries


def read_group(reader: WikiReader, key: str, name: str, space: str) -> GroupPages:
    """One group's space: its meeting identities from the sync's index, and every page with
    its body (an absent space: no meetings)."""
    if reader.get_space(space) is None:
        return GroupPages(key, name, space, {}, {})
    return _read_pages(reader, key, name, space, ledger_store.read(reader, space).index.pages)


def _read_pages(reader: WikiReader, key: str, name: str, space: str, pages: Records) -> GroupPages:
    meetings = {
        identity: (record.page_id, record.day)
        for identity, record in pages.items()
        if is_meeting(identity) and not record.archived
    }
    bodies = (
        {page.info.id: page for page in reader.list_pages_with_bodies(space)} if meetings else {}
    )
    return GroupPages(key, name, space, meetings, bodies)
