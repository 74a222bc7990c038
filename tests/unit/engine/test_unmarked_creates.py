"""A created page carries no marker: the index alone records it (one request per new page
saved). These tests pin how such a page is still never taken over nor made twice when its
record is missing — a run cut off before its index write, or an index lost or damaged after
members edited the pages — and that the marker is still written where it proves ownership."""

from __future__ import annotations

from dataclasses import replace

import pytest

from confluence_sync.plan.page_changes import CreatePage
from confluence_sync.state.ledger import MARKER_KEY
from confluence_sync.wanted.model import Wanted, WantedPage
from confluence_sync.wiki.regions import find_regions, replace_region, wrap_region
from confluence_sync.wiki.values import PageInfo

from .conftest import GROUP, network, plan_for, sync
from .fake import FakeWiki

MEETING = "group/UPX/meeting/2026-03"
TITLE = "2026-03-12 Treffen"


def rows(results: list) -> dict[str, tuple[str, str]]:  # type: ignore[type-arg]
    return {r.item: (r.status, r.reason) for r in results}


def creates(plan: object) -> list[str]:
    return [c.identity for c in plan.changes if isinstance(c, CreatePage)]  # type: ignore[attr-defined]


def test_a_run_cut_off_before_its_index_write_is_completed_labels_included(
    wiki: FakeWiki,
) -> None:
    sync(wiki, network())
    meeting = wiki.page_by_title(GROUP, TITLE)
    # As if the run had stopped after the create: no index, and (Cloud adds them after the
    # create) no labels yet.
    wiki.drop_index(GROUP)
    meeting.labels.clear()
    pages_before = set(wiki.pages)
    plan, results = sync(wiki, network())
    assert not creates(plan) and set(wiki.pages) == pages_before
    assert rows(results)[f"page {MEETING}"][0] == "updated"
    assert "our create" in rows(results)[f"page {MEETING}"][1]
    assert meeting.labels == {"treffen"}
    assert not wiki.marker_writes  # recorded again in the index, still unmarked
    assert wiki.index_records(GROUP)[MEETING].page_id == meeting.info.id
    assert plan_for(wiki, network())[0].empty


def test_index_lost_after_members_wrote_around_the_regions_every_page_is_ours_again(
    wiki: FakeWiki,
) -> None:
    sync(wiki, network())
    meeting = wiki.page_by_title(GROUP, TITLE)
    wiki.member_edit(meeting.info.id, meeting.body + "<p>Protokoll: alles gut</p>")
    wiki.drop_index(GROUP)
    pages_before = set(wiki.pages)
    plan, results = sync(wiki, network())
    assert not creates(plan) and set(wiki.pages) == pages_before
    assert not [r for r in results if r.status in ("blocked", "conflict", "failed")]
    status, reason = rows(results)[f"page {MEETING}"]
    assert status == "updated" and "made by the sync account" in reason
    assert "<p>Protokoll: alles gut</p>" in meeting.body  # the member's words stay
    assert not wiki.marker_writes
    assert plan_for(wiki, network())[0].empty  # the index is rebuilt
    # Recorded again, the pages follow the config as before; the member's words stay.
    sync(wiki, network(facts="Hamburg"))
    assert "Hamburg" in find_regions(meeting.body)["facts"].content
    assert "<p>Protokoll: alles gut</p>" in meeting.body


def test_index_lost_a_region_a_member_edited_blocks_its_page_and_nothing_is_made_twice(
    wiki: FakeWiki,
) -> None:
    sync(wiki, network())
    meeting = wiki.page_by_title(GROUP, TITLE)
    edited = replace_region(meeting.body, "facts", "<p>Am 2026-03-12 in Kiel</p>")
    wiki.member_edit(meeting.info.id, edited)
    wiki.drop_index(GROUP)
    pages_before = set(wiki.pages)
    plan, results = sync(wiki, network())
    assert not creates(plan) and set(wiki.pages) == pages_before
    status, reason = rows(results)[f"page {MEETING}"]
    assert status == "blocked" and "region(s) facts differ" in reason and "--adopt" in reason
    assert meeting.body == edited
    # The rest of the space is recognised as before.
    assert rows(results)["page group/UPX/meetings"][0] == "updated"


def test_a_page_someone_else_made_is_not_taken_though_its_regions_are_ours(
    wiki: FakeWiki,
) -> None:
    sync(wiki, network([]))
    meetings = wiki.page_by_title(GROUP, "Treffen")
    body = wrap_region("facts", "<p>Am 2026-03-12 in Bremen</p>") + "<p>Meine Notizen</p>"
    info = wiki.create_page(GROUP, TITLE, body, parent_id=meetings.info.id)
    wiki.pages[info.id].info = replace(wiki.pages[info.id].info, created_by="erika")
    _, results = sync(wiki, network())
    status, reason = rows(results)[f"page {MEETING}"]
    assert status == "blocked" and "exists without marker, use --adopt" in reason
    assert wiki.pages[info.id].body == body and not wiki.pages[info.id].properties


def test_the_sync_account_is_asked_for_only_when_a_page_is_blocked(wiki: FakeWiki) -> None:
    """The planner knows the sync account by the configured names; a page made under another
    of its identities (Cloud: the accountId) is recognised once the reader names them."""
    sync(wiki, network())
    meeting = wiki.page_by_title(GROUP, TITLE)
    meeting.info = replace(meeting.info, created_by="557058:sync")
    wiki.member_edit(meeting.info.id, meeting.body + "<p>Notiz</p>")
    wiki.drop_index(GROUP)
    wiki.identities = ("557058:sync",)
    _, results = sync(wiki, network())
    assert rows(results)[f"page {MEETING}"][0] == "updated"


def test_a_created_page_missing_from_the_listing_is_kept_by_its_index_record(
    wiki: FakeWiki, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync(wiki, network())
    meeting = wiki.page_by_title(GROUP, TITLE)
    listing = wiki.list_pages

    def lagging(space_key: str) -> list[PageInfo]:
        return [p for p in listing(space_key) if p.id != meeting.info.id]

    monkeypatch.setattr(wiki, "list_pages", lagging)
    plan, _ = plan_for(wiki, network())
    assert plan.empty, plan.changes  # not "vanished; created again"


def renamed(wanted: Wanted, old: str, new: str) -> Wanted:
    """The meeting ``old`` known as ``new`` now (an id given in the config, say)."""

    def moved(p: WantedPage) -> WantedPage:
        if p.identity != old:
            return p
        return replace(p, identity=type(p.identity)(new), formerly=(p.identity,))

    spaces = tuple(replace(s, pages=tuple(moved(p) for p in s.pages)) for s in wanted.spaces)
    return replace(wanted, spaces=spaces)


@pytest.mark.parametrize("older_release", [False, True])
def test_a_rename_rewrites_a_marker_only_where_there_is_one(
    wiki: FakeWiki, older_release: bool
) -> None:
    sync(wiki, network())
    if older_release:
        wiki.mark_like_an_older_release(GROUP)
    meeting = wiki.page_by_title(GROUP, TITLE)
    wanted = renamed(network(), MEETING, "group/UPX/meeting/id/kickoff")
    plan, results = sync(wiki, wanted)
    assert not creates(plan) and not [r for r in results if r.status == "archived"]
    assert wiki.index_records(GROUP)["group/UPX/meeting/id/kickoff"].page_id == meeting.info.id
    if older_release:  # the marker named the old identity: rewritten
        assert wiki.marker_writes == [meeting.info.id]
        marker = meeting.properties[MARKER_KEY].value
        assert marker["identity"] == "group/UPX/meeting/id/kickoff"  # type: ignore[index,call-overload]
    else:
        assert not wiki.marker_writes and MARKER_KEY not in meeting.properties
    assert plan_for(wiki, wanted)[0].empty


def test_archiving_an_unmarked_page_marks_it_without_reading_first() -> None:
    wiki = FakeWiki(cloud=True)  # Cloud: a marker of unknown property id is read first
    sync(wiki, network(["2026-03-12", "2026-09-10"]))
    gets = wiki.property_reads
    sync(wiki, network(["2026-03-12"]))
    archived = wiki.page_by_title(GROUP, "2026-09-10 Treffen")
    assert wiki.marker_writes == [archived.info.id]
    assert wiki.property_reads == gets  # the index says it has none: created straight away
    assert archived.properties[MARKER_KEY].value["archived"] is True  # type: ignore[index,call-overload]
