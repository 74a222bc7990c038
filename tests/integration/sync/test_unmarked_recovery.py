"""A created page carries no marker, over real HTTP in both flavours: when the space's index is
lost after members wrote on the pages, the sync recognises the pages it made by their creator
(Data Center ``history.createdBy``, Cloud v2 ``authorId``) and their regions, makes nothing
twice, keeps the members' words, and blocks a page whose region a member changed."""

from __future__ import annotations

from confluence_sync.run import RunResult
from confluence_sync.state import ledger_store as index_store
from confluence_sync.wiki.regions import replace_region

from .conftest import GROUP, Site

MEETING = "2026-03-12 Frühjahrstreffen bei HANSA-FLEX"
WORDS = "<p>Protokoll: Rundgang durch die Halle.</p>"


def lose_index(site: Site, key: str) -> None:
    """Someone deletes the space's index: its head and every shard."""
    stored = index_store.read(site.backend().reader, key)
    space = site.wiki.store.space_by_key(key)
    assert space is not None and stored.head is not None
    for prop in [stored.head, *stored.shards.values()]:
        site.wiki.store.delete_property("space", space.id, prop.key)


def statuses(result: RunResult) -> dict[str, tuple[str, str]]:
    return {r.item: (r.status, r.reason) for r in result.results}


def test_a_lost_index_is_rebuilt_from_what_the_sync_account_made(site: Site) -> None:
    site.write_config()
    assert site.sync().exit_code() == 0
    meeting = site.page(GROUP, MEETING)
    site.member_save("sluedtke", meeting, meeting.body + WORDS)
    pages = set(site.titles(GROUP))
    lose_index(site, GROUP)
    site.journal.clear()
    result = site.sync()
    rows = statuses(result)
    assert not [i for i, (s, _) in rows.items() if s in ("created", "blocked", "failed")], rows
    assert "made by the sync account" in rows["page group/UPX/meeting/2026-03"][1]
    assert set(site.titles(GROUP)) == pages  # nothing made twice
    assert "Protokoll: Rundgang durch die Halle." in site.page(GROUP, MEETING).body
    posts = [e for e in site.journal.entries() if e["method"] == "POST"]
    assert not [e for e in posts if "propert" in str(e["path"]) and "/space" not in str(e["path"])]
    again = site.sync()
    assert again.writes == 0, again.results


def test_a_lost_index_and_a_member_s_region_edit_block_only_that_page(site: Site) -> None:
    site.write_config()
    site.sync()
    meeting = site.page(GROUP, MEETING)
    edited = replace_region(meeting.body, "facts", "<p>Ort: Halle 7 (von Hand)</p>")
    site.member_save("sluedtke", meeting, edited)
    pages = set(site.titles(GROUP))
    lose_index(site, GROUP)
    rows = statuses(site.sync())
    status, reason = rows["page group/UPX/meeting/2026-03"]
    assert status == "blocked" and "--adopt" in reason, rows
    assert set(site.titles(GROUP)) == pages
    assert "Halle 7 (von Hand)" in site.page(GROUP, MEETING).body
    assert rows["page group/UPX/meetings"][0] in ("updated", "recorded"), rows
