"""The planner and apply on the fake wiki: ownership, member safety, archives, permissions."""

from __future__ import annotations

import pytest

from confluence_sync.errors import UnsafePlanError
from confluence_sync.plan.changes import AddGrant, CreateSpace, RemoveMember, RevokeGrant
from confluence_sync.plan.notes import Note
from confluence_sync.plan.page_changes import ArchivePage, CreatePage, UpdatePage
from confluence_sync.state.ledger import MARKER_KEY
from confluence_sync.wiki.regions import find_regions, region_hash, replace_region
from confluence_sync.wiki.values import Grant

from .conftest import GROUP, HUB, network, plan_for, sync
from .fake import FakeWiki


def statuses(results: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {r.item: r.status for r in results}


def test_first_sync_creates_everything_and_second_plans_nothing(wiki: FakeWiki) -> None:
    wanted = network()
    plan, results = sync(wiki, wanted)
    assert {c.space for c in plan.changes if isinstance(c, CreateSpace)} == {HUB, GROUP}
    assert not [r for r in results if r.failed]
    meeting = wiki.page_by_title(GROUP, "2026-03-12 Treffen")
    # No marker at creation: the index alone records the page (test_unmarked_creates shows
    # how a page is recognised when that record is lost).
    assert MARKER_KEY not in meeting.properties and not wiki.marker_writes
    record = wiki.index_records(GROUP)["group/UPX/meeting/2026-03"]
    assert record.page_id == meeting.info.id and not record.marked
    assert meeting.labels == {"treffen"}
    meetings = wiki.page_by_title(GROUP, "Treffen")
    assert meeting.info.parent_id == meetings.info.id
    # the space's own home page was taken over, not duplicated
    assert wiki.pages[wiki.spaces[GROUP].homepage_id or ""].info.title == "Arbeitskreis"
    assert wiki.groups["puu-upx-members"] == {"cherm", "sluedtke"}
    before = wiki.counter.writes
    again, _ = plan_for(wiki, wanted)
    assert again.empty, again.changes
    assert wiki.counter.writes == before


def test_no_op_observe_reads_three_requests_per_space(wiki: FakeWiki) -> None:
    wanted = network(extra_pages=20)
    sync(wiki, wanted)
    start = wiki.counter.requests
    plan, _ = plan_for(wiki, wanted)
    assert plan.empty
    assert wiki.counter.requests - start <= 3 * len(wanted.spaces)


def test_member_words_outside_regions_survive_a_config_change(wiki: FakeWiki) -> None:
    sync(wiki, network())
    meeting = wiki.page_by_title(GROUP, "2026-03-12 Treffen")
    wiki.member_edit(meeting.info.id, meeting.body + "<p>Protokoll: alles gut</p>")
    _, results = sync(wiki, network(facts="Hamburg"))
    assert statuses(results)["page group/UPX/meeting/2026-03"] == "updated"
    assert "<p>Protokoll: alles gut</p>" in meeting.body
    assert "Hamburg" in find_regions(meeting.body)["facts"].content


def test_edit_inside_a_region_is_a_conflict_and_kept_until_force(wiki: FakeWiki) -> None:
    sync(wiki, network())
    home = wiki.page_by_title(GROUP, "Arbeitskreis")
    edited = replace_region(home.body, "facts", "<p>Von Hand geändert</p>")
    wiki.member_edit(home.info.id, edited)
    plan, _ = sync(wiki, network(facts="Hamburg"))
    conflict = [c for c in plan.changes if isinstance(c, Note) and c.status == "conflict"]
    assert conflict and "region 'facts' edited by erika" in conflict[0].reason
    assert "page version 3, we wrote 2" in conflict[0].text
    assert "Von Hand geändert" in home.body
    # still reported on the next run, not forgotten
    again, _ = plan_for(wiki, network(facts="Hamburg"))
    assert any(isinstance(c, Note) and c.status == "conflict" for c in again.changes)
    plan, _results = sync(wiki, network(facts="Hamburg"), force=True)
    update = next(
        c for c in plan.changes if isinstance(c, UpdatePage) and c.identity == "group/UPX/home"
    )
    assert update.overwritten == ("facts",)
    assert "--overwrite-conflicts overwrites member edits in facts" in update.reason
    assert "Hamburg" in find_regions(home.body)["facts"].content


def test_date_change_updates_its_page_and_the_index_only(wiki: FakeWiki) -> None:
    sync(wiki, network(["2026-03-12", "2026-09-10"]))
    plan, _results = sync(wiki, network(["2026-03-19", "2026-09-10"]))
    touched = {c.identity for c in plan.changes if isinstance(c, UpdatePage | CreatePage)}
    assert touched == {"group/UPX/meeting/2026-03", "group/UPX/meetings"}
    moved = wiki.pages[
        next(
            c.page_id
            for c in plan.changes
            if isinstance(c, UpdatePage) and c.identity.endswith("2026-03")
        )
    ]
    assert moved.info.title == "2026-03-19 Treffen"  # renamed in place: same page id


def test_removed_meeting_is_archived_not_deleted(wiki: FakeWiki) -> None:
    sync(wiki, network(["2026-03-12", "2026-09-10"]))
    page_count = len(wiki.pages)
    plan, _ = sync(wiki, network(["2026-03-12"]))
    archive = next(c for c in plan.changes if isinstance(c, ArchivePage))
    assert archive.identity == "group/UPX/meeting/2026-09"
    page = wiki.pages[archive.page_id]
    assert page.info.parent_id == wiki.page_by_title(GROUP, "Archiv").info.id
    assert "archiviert" in page.labels and len(wiki.pages) == page_count
    assert plan_for(wiki, network(["2026-03-12"]))[0].empty


def test_page_with_our_title_but_no_marker_is_blocked_unless_adopt(wiki: FakeWiki) -> None:
    sync(wiki, network([]))
    meetings = wiki.page_by_title(GROUP, "Treffen")
    info = wiki.create_page(
        GROUP, "2026-03-12 Treffen", "<p>Eigene Notizen</p>", parent_id=meetings.info.id
    )
    wiki.member_edit(info.id, "<p>Eigene Notizen, bearbeitet</p>")
    plan, _ = sync(wiki, network())
    blocked = [c for c in plan.changes if isinstance(c, Note) and c.status == "blocked"]
    assert blocked and "exists without marker" in blocked[0].text and "--adopt" in blocked[0].text
    assert MARKER_KEY not in wiki.pages[info.id].properties
    plan, _ = sync(wiki, network(), adopt=True)
    assert wiki.pages[info.id].properties[MARKER_KEY].value["identity"].endswith("2026-03")  # type: ignore[index]
    assert "Eigene Notizen, bearbeitet" in wiki.pages[info.id].body


def test_contact_removed_loses_group_membership(wiki: FakeWiki) -> None:
    sync(wiki, network(members=["cherm", "sluedtke"]))
    plan, _ = sync(wiki, network(members=["cherm"]))
    assert {(c.group, c.account) for c in plan.changes if isinstance(c, RemoveMember)} == {
        ("puu-contacts", "sluedtke"),
        ("puu-upx-members", "sluedtke"),
    }
    assert wiki.groups["puu-upx-members"] == {"cherm"}


def test_grants_follow_the_config_but_never_the_sync_account(wiki: FakeWiki) -> None:
    wanted = network()
    sync(wiki, wanted)
    wiki.grants[GROUP].add(Grant("user", "sync-bot", "admin"))
    # a grant we made, later dropped from the config, is revoked; the sync account's is not
    space = wanted.spaces[1]
    fewer = type(wanted)(
        wanted.hub_key,
        (
            wanted.spaces[0],
            type(space)(
                space.key,
                space.name,
                pages=space.pages,
                grants=space.grants - {Grant("group", "puu-upx-members", "write")},
            ),
        ),
        wanted.groups,
    )
    plan, _ = sync(wiki, fewer)
    assert [c.grant for c in plan.changes if isinstance(c, RevokeGrant)] == [
        Grant("group", "puu-upx-members", "write")
    ]
    assert Grant("user", "sync-bot", "admin") in wiki.grants[GROUP]


def test_read_is_granted_before_other_operations(wiki: FakeWiki) -> None:
    plan, _ = plan_for(wiki, network())
    grants = [c.grant for c in plan.changes if isinstance(c, AddGrant) and c.space == GROUP]
    first_other = next(i for i, g in enumerate(grants) if g.operation != "read")
    assert all(g.operation == "read" for g in grants[:first_other])
    assert all(g.operation != "read" for g in grants[first_other:])


def test_parents_come_before_children_in_the_plan(wiki: FakeWiki) -> None:
    plan, _ = plan_for(wiki, network())
    order = [c.identity for c in plan.changes if isinstance(c, CreatePage) and c.space == GROUP]
    assert order.index("group/UPX/home") < order.index("group/UPX/meetings")
    assert order.index("group/UPX/meetings") < order.index("group/UPX/meeting/2026-03")


def test_archiving_most_pages_is_refused_without_force(wiki: FakeWiki) -> None:
    many = [f"2026-{m:02d}-10" for m in range(1, 11)]
    sync(wiki, network(many))
    plan, _ = plan_for(wiki, network(many[:2]))
    with pytest.raises(UnsafePlanError, match="archive or revoke 8 of"):
        plan.raise_if_unsafe()
    plan.raise_if_unsafe(allow_removals=True)
    small, _ = plan_for(wiki, network(many[:9]))
    small.raise_if_unsafe()  # one of 15: fine


def test_a_conflict_on_update_rechecks_and_keeps_a_members_concurrent_edit(wiki: FakeWiki) -> None:
    sync(wiki, network())
    home = wiki.page_by_title(GROUP, "Arbeitskreis")
    wiki.conflict_next_update = True  # someone saved just before our write; regions untouched
    _, results = sync(wiki, network(facts="Hamburg"))
    assert statuses(results)["page group/UPX/home"] == "updated"
    assert region_hash(find_regions(home.body)["facts"].content) == region_hash("<p>Hamburg</p>")


def test_a_failed_parent_fails_its_children_and_the_rest_goes_on(wiki: FakeWiki) -> None:
    sync(wiki, network([]))
    original = wiki.create_page

    def broken(space_key: str, title: str, body: str, **kw: object) -> object:
        if title == "Extra 0":
            from confluence_sync.errors import ServerError

            raise ServerError(f"page {title!r}", 500, "boom", hint="try again later")
        return original(space_key, title, body, **kw)  # type: ignore[arg-type]

    wiki.create_page = broken  # type: ignore[method-assign]
    _, results = sync(wiki, network(["2026-03-12"], extra_pages=2))
    got = statuses(results)
    assert got["page group/UPX/extra/0"] == "failed"
    assert got["page group/UPX/extra/1"] == "created"
    assert got["page group/UPX/meeting/2026-03"] == "created"


def test_two_runs_that_read_the_same_hub_cannot_both_take_the_lock(wiki: FakeWiki) -> None:
    import datetime as dt

    from confluence_sync.apply.lock import LockedError, acquire, check, released

    sync(wiki, network())
    now = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)
    _, first = plan_for(wiki, network())
    _, second = plan_for(wiki, network())
    held = acquire(wiki, wiki, first.spaces[HUB], now=now, holder="a@host pid 1")
    with pytest.raises(LockedError, match="another sync took the lock"):
        acquire(wiki, wiki, second.spaces[HUB], now=now, holder="b@host pid 2")
    _, third = plan_for(wiki, network())
    with pytest.raises(LockedError, match="another sync is running since 2026-01-15T12:00:00"):
        check(third.spaces[HUB], now)
    assert check(third.spaces[HUB], now + dt.timedelta(hours=3)).startswith("took over a stale")
    assert released(held.lock, now)["released"]


def test_batched_grants_one_call_per_subject_each_item_reported() -> None:
    wiki = FakeWiki(batch_grants=True)
    _, results = sync(wiki, network())
    grants = [ops for action, ops in wiki.grant_calls if action == "grant"]
    subjects = [{(g.subject_type, g.subject) for g in ops} for ops in grants]
    assert all(len(s) == 1 for s in subjects)  # one subject per call …
    assert len(grants) == 4  # two subjects in each of the two spaces
    # … read first within it, and every grant item reported as granted
    assert all(ops[0].operation == "read" for ops in grants)
    granted = [r for r in results if r.kind == "grant"]
    assert granted and all(r.status == "granted" for r in granted)
    assert len(granted) == sum(len(ops) for ops in grants)
    assert plan_for(wiki, network())[0].empty  # the index recorded them
