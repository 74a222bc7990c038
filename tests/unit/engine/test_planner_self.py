"""Review findings on memberships and the sync account: people added by hand stay in our
groups, and every identity of the sync account is self (no lost admin right)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from confluence_sync.apply import lock
from confluence_sync.plan.changes import RemoveMember, RevokeGrant
from confluence_sync.plan.notes import Note
from confluence_sync.plan.planner import make_plan
from confluence_sync.state.ledger import INDEX_KEY
from confluence_sync.state.observe import observe
from confluence_sync.wiki.values import Grant

from .conftest import GROUP, HUB, network, sync
from .fake import FakeWiki

NOW = dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.UTC)


def test_a_member_added_by_hand_before_the_first_sync_is_reported_not_removed() -> None:
    wiki = FakeWiki()
    wiki.groups["puu-upx-members"] = {"cherm", "colleague"}  # the group existed already
    plan, _ = sync(wiki, network())
    assert not [c for c in plan.changes if isinstance(c, RemoveMember)]
    notes = [c for c in plan.changes if isinstance(c, Note) and c.item == "group puu-upx-members"]
    assert notes and "colleague" in notes[0].text and notes[0].status == "skipped"
    assert "colleague" in wiki.groups["puu-upx-members"]


def test_a_member_the_sync_added_is_removed_when_the_config_drops_them() -> None:
    wiki = FakeWiki()
    sync(wiki, network(members=["cherm", "sluedtke"]))
    plan, _ = sync(wiki, network(members=["cherm"]))
    removed = {(c.group, c.account) for c in plan.changes if isinstance(c, RemoveMember)}
    assert ("puu-upx-members", "sluedtke") in removed


def test_every_identity_of_the_sync_account_is_self() -> None:
    wiki = FakeWiki()
    wanted = network()
    sync(wiki, wanted)
    # Cloud: grants name the accountId, the settings the e-mail (any case); both are given.
    own = Grant("user", "557058:abc-sync", "admin")
    wiki.grants[GROUP].add(own)
    wiki.groups["puu-upx-members"].add("Sync-Bot@Example.org")
    state = observe(wiki, wanted, workers=1)
    hub, space = state.spaces[wanted.hub_key], state.spaces[GROUP]
    # As if the sync had recorded both (the observation is never changed; a new one is made).
    groups = {**hub.index.groups, "puu-upx-members": frozenset({"Sync-Bot@Example.org"})}
    grants = (space.index.grants or frozenset()) | {own}
    state = replace(
        state,
        spaces={
            **state.spaces,
            hub.key: replace(hub, index=replace(hub.index, groups=groups)),
            space.key: replace(space, index=replace(space.index, grants=grants)),
        },
    )
    plan = make_plan(wanted, state, self_accounts=("sync-bot@example.org", "557058:abc-sync"))
    assert not [c for c in plan.changes if isinstance(c, RevokeGrant)]
    assert not [c for c in plan.changes if isinstance(c, RemoveMember)]


def test_the_untouched_home_page_the_sync_account_saved_is_taken() -> None:
    # A run created the space and was stopped before any index or home page write.
    wiki = FakeWiki()
    info = wiki.create_space(GROUP, "Arbeitskreis (renamed meanwhile)")
    assert info.homepage_id is not None
    home = wiki.pages[info.homepage_id]
    home.info = replace(home.info, last_editor="Sync-Bot")
    _, results = sync(wiki, network())
    row = [r for r in results if r.item == "page group/UPX/home"]
    assert row and row[0].status == "updated"


def test_a_killed_runs_new_space_is_recorded_by_the_lock_and_its_home_page_taken() -> None:
    # The run created the hub, took the lock (which records the spaces it wants), created
    # the group space and was killed before any home page or index write. On Cloud the
    # settings name the e-mail but the page its accountId: the record decides, not the name.
    wiki = FakeWiki()
    wiki.create_space(HUB, "Partnerschaft Umwelt Unternehmen")
    state = observe(wiki, network())
    held = lock.acquire(wiki, wiki, state.hub, now=NOW, spaces=[HUB, GROUP])
    assert held.lock["holder"]
    recorded = wiki.get_space_property(HUB, INDEX_KEY)
    assert recorded is not None and isinstance(recorded.value, dict)
    assert recorded.value["spaces"] == [GROUP]
    info = wiki.create_space(GROUP, "Arbeitskreis")
    assert info.homepage_id is not None
    home = wiki.pages[info.homepage_id]
    home.info = replace(home.info, last_editor="557058:someone")
    _, results = sync(wiki, network())
    row = [r for r in results if r.item == "page group/UPX/home"]
    assert row and row[0].status == "updated"


def test_an_unrecorded_space_named_as_we_create_it_keeps_its_home_page() -> None:
    # Someone made the space by hand, with the very name the config gives it: not ours.
    wiki = FakeWiki()
    foreign = wiki.create_space(GROUP, "Arbeitskreis")
    assert foreign.homepage_id is not None
    home = wiki.pages[foreign.homepage_id]
    home.info = replace(home.info, last_editor="someone-else")
    _, results = sync(wiki, network())
    row = [r for r in results if r.item == "page group/UPX/home"]
    assert row and row[0].status == "blocked"
