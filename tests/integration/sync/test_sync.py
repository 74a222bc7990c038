"""Sync over real HTTP against the local Confluence, Data Center and Cloud flavours."""

from __future__ import annotations

import datetime as dt

import pytest

from confluence_sync.apply.lock import LockedError, acquire
from confluence_sync.run import RunResult
from confluence_sync.state import ledger_store as index_store
from confluence_sync.state.ledger import MARKER_KEY
from confluence_sync.state.observe import observe
from confluence_sync.wanted.model import Wanted
from confluence_sync.wiki.regions import find_regions, replace_region

from .conftest import GROUP, HUB, Site

MEETING = "2026-03-12 Frühjahrstreffen bei HANSA-FLEX"


def by_item(result: RunResult) -> dict[str, str]:
    return {r.item: r.status for r in result.results}


def failures(result: RunResult) -> list[str]:
    return [f"{r.item}: {r.reason}" for r in result.results if r.status == "failed"]


def test_first_sync_creates_everything_and_the_second_writes_nothing(site: Site) -> None:
    site.write_config()
    first = site.sync()
    arrived = site.journal.counts().total
    assert not failures(first), failures(first)
    assert first.exit_code() == 0
    titles = set(site.titles(GROUP).values())
    assert MEETING in titles and "2026-09-10 Treffen bei Deutsche See GmbH" in titles
    meeting = site.page(GROUP, MEETING)
    reader = site.backend().reader
    # No marker at creation: the space's index records the page (test_unmarked_recovery
    # shows a lost index is recovered without it).
    assert reader.get_page_property(meeting.info.id, MARKER_KEY) is None
    recorded = index_store.read(reader, GROUP).index.pages["group/UPX/meeting/2026-03"]
    assert recorded.page_id == meeting.info.id and not recorded.marked
    assert "treffen" in reader.get_labels(meeting.info.id)
    members = {u.id for u in reader.list_group_members("puu-upx-members")}
    assert members == {site.accounts[a] for a in ("cherm", "sluedtke", "moeztuerk")}
    assert any(g.subject == "puu-upx-members" for g in reader.list_grants(GROUP))
    assert first.requests == arrived  # the report counts what reached the server

    site.journal.clear()
    second = site.sync()
    counts = site.journal.counts()
    assert counts.writes == 0 and second.writes == 0
    managed = sum(1 for r in second.results if r.status == "unchanged")
    spaces = 2
    assert counts.total <= 2 * spaces + -(-managed // 250), counts  # TARGETS.md
    assert second.requests == counts.total


def test_dry_run_sends_no_writes(site: Site) -> None:
    site.write_config()
    site.journal.clear()
    result = site.plan()
    assert site.journal.counts().writes == 0
    assert any(r.status == "planned" for r in result.results)
    site.sync()
    site.write_config(["2026-03-19", "2026-09-10"])
    site.journal.clear()
    site.plan()
    assert site.journal.counts().writes == 0


def test_member_words_outside_regions_survive_config_changes(site: Site) -> None:
    site.write_config()
    site.sync()
    meeting = site.page(GROUP, MEETING)
    words = "<p>Protokoll: Rundgang durch die Halle, Fragen zu ISO 50001 &amp; Co.</p>"
    site.member_save("sluedtke", meeting, meeting.body + words)
    site.write_config(["2026-03-19", "2026-09-10"])
    result = site.sync()
    assert not failures(result), failures(result)
    assert not [r for r in result.results if r.status == "conflict"]
    moved = site.page(GROUP, "2026-03-19 Frühjahrstreffen bei HANSA-FLEX")
    assert moved.info.id == meeting.info.id  # a date change is an update, not a new page
    assert "Rundgang durch die Halle" in moved.body
    assert MEETING not in site.titles(GROUP).values()


def test_date_change_updates_only_pages_whose_content_changes(site: Site) -> None:
    site.write_config()
    site.sync()
    before = {p.id: p.version for p in site.backend().reader.list_pages(GROUP)}
    hub_before = {p.id: p.version for p in site.backend().reader.list_pages(HUB)}
    site.write_config(["2026-03-19", "2026-09-10"])
    result = site.sync(trust_versions=True)  # the opt-in no-read path
    updated = {r.item for r in result.results if r.status == "updated"}
    assert "page group/UPX/meeting/2026-03" in updated
    assert "page group/UPX/meeting/2026-09" not in updated
    assert "page group/UPX/members" not in updated and "page hub/directory" not in updated
    after = {p.id: p.version for p in site.backend().reader.list_pages(GROUP)}
    changed = {pid for pid in before if after[pid] != before[pid]}
    assert len(changed) == sum(
        1 for r in result.results if r.status == "updated" and r.space == GROUP
    )
    hub_after = {p.id: p.version for p in site.backend().reader.list_pages(HUB)}
    assert sum(hub_after[p] != hub_before[p] for p in hub_before) <= 1  # the home page only
    # Nobody edited since our writes: no page body is read, and no marker is rewritten —
    # the reads are observe's (the spaces in one listing, then per space its pages and its
    # index), the writes the pages, the lock and the indexes.
    assert result.by_method.get("GET") == 1 + 2 * 2
    pages_written = sum(1 for r in result.results if r.status == "updated")
    # lock, hub index (releases it), group index; the two meetings calendars it is in
    assert result.writes == pages_written + 3 + 2


def test_date_change_by_default_reads_each_changed_page_once(site: Site) -> None:
    site.write_config()
    site.sync()
    site.write_config(["2026-03-19", "2026-09-10"])
    result = site.sync()
    assert not failures(result), failures(result)
    pages_written = sum(1 for r in result.results if r.status == "updated")
    assert "page group/UPX/meeting/2026-03" in {
        r.item for r in result.results if r.status == "updated"
    }
    # Safe by default: observe's reads plus one body read per changed page (an inline comment
    # adds no version, so an unchanged version does not vouch for the body).
    assert result.by_method.get("GET") == 1 + 2 * 2 + pages_written
    # lock, hub index (releases it), group index; the two meetings calendars it is in
    assert result.writes == pages_written + 3 + 2


def test_edit_inside_a_region_is_reported_and_kept_force_overwrites(site: Site) -> None:
    site.write_config()
    site.sync()
    meeting = site.page(GROUP, MEETING)
    name = sorted(find_regions(meeting.body))[0]
    edited = replace_region(meeting.body, name, "<p>Ort geändert von Hand</p>")
    site.member_save("cherm", meeting, edited)
    site.write_config(["2026-03-19", "2026-09-10"])
    result = site.sync()
    conflicts = [r for r in result.results if r.status == "conflict"]
    # The conflict names who edited (on Cloud the person, not the accountId) and which
    # version, next to the version we wrote.
    who = site.accounts["cherm"]
    if site.cloud:
        person = site.backend().reader.resolve_user(who)
        assert person is not None and person.display_name not in ("", who)
        who = person.display_name
    assert conflicts and f"edited by {who} (page version" in conflicts[0].reason
    assert f"page version {meeting.info.version + 1}, we wrote" in conflicts[0].reason
    assert result.exit_code() == 0 and result.exit_code(strict=True) == 5
    kept = site.page(GROUP, "2026-03-19 Frühjahrstreffen bei HANSA-FLEX")
    assert "Ort geändert von Hand" in kept.body
    forced = site.sync(overwrite_conflicts=True)
    assert any("--overwrite-conflicts overwrites" in r.reason for r in forced.results)
    assert "Ort geändert von Hand" not in site.page(GROUP, kept.info.title).body


def test_removed_contact_loses_access_and_removed_meeting_is_archived(site: Site) -> None:
    site.write_config()
    site.sync()
    old = site.page(GROUP, "2026-09-10 Treffen bei Deutsche See GmbH")
    site.write_config(["2026-03-12"], atlas=False)
    result = site.sync()
    assert not failures(result), failures(result)
    reader = site.backend().reader
    members = {u.id for u in reader.list_group_members("puu-upx-members")}
    assert site.accounts["moeztuerk"] not in members
    archived = reader.get_page(old.info.id)  # still there
    archive = reader.find_page_by_title(GROUP, "Archiv")
    assert archive is not None and archived.info.parent_id == archive.id
    assert "archiviert" in reader.get_labels(old.info.id)
    assert by_item(result)["page group/UPX/meeting/2026-09"] == "archived"


def test_page_with_our_title_but_no_marker_is_blocked_until_adopt(site: Site) -> None:
    site.write_config(["2026-03-12"])
    site.sync()
    meetings = site.page(GROUP, "Treffen")
    writer = site.backend().writer()
    own = writer.create_page(
        GROUP,
        "2026-09-10 Treffen bei Deutsche See GmbH",
        "<p>Unsere eigene Seite</p>",
        parent_id=meetings.info.id,
    )
    own_page = site.backend().reader.get_page(own.id)
    site.member_save("sluedtke", own_page, "<p>Unsere eigene Seite!</p>")
    site.write_config()
    result = site.sync()
    blocked = [r for r in result.results if r.status == "blocked"]
    # Made with the sync's own credentials here, so the reason says so; its region is not ours.
    reason = blocked[0].reason if blocked else ""
    assert "exists without marker" in reason and "facts differ" in reason and "--adopt" in reason
    assert site.backend().reader.get_page_property(own.id, MARKER_KEY) is None
    adopted = site.sync(adopt=True)
    assert not failures(adopted), failures(adopted)
    marker = site.backend().reader.get_page_property(own.id, MARKER_KEY)
    assert marker is not None
    assert "Unsere eigene Seite!" in site.backend().reader.get_page(own.id).body


def test_the_lock_refuses_a_second_run(site: Site) -> None:
    site.write_config(["2026-03-12"])
    site.sync()
    backend = site.backend()
    from confluence_sync.run import load_wanted

    wanted: Wanted = load_wanted(site.path, site.options())
    state = observe(backend.reader, wanted)
    now = dt.datetime.now(dt.UTC)
    acquire(backend.reader, backend.writer(), state.spaces[HUB], now=now, holder="other@host pid 1")
    site.write_config()
    with pytest.raises(LockedError, match="another sync is running since"):
        site.sync()
    # a lock past its expiry is stale and taken over
    state = observe(backend.reader, wanted)
    from confluence_sync.apply.lock import check

    assert "stale" in check(state.spaces[HUB], now + dt.timedelta(hours=3))
