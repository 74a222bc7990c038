"""The index records only what the sync added: a person added to our group by hand and a
grant that stood before the sync stay, however often the sync runs and whatever the config
later drops. Before, every current member and every current grant equal to a wanted one
were recorded as ours, and removed by the next run that no longer wanted them."""

from __future__ import annotations

from dataclasses import replace

from confluence_sync.plan.changes import RemoveMember, RevokeGrant
from confluence_sync.state import ledger_store as index_store
from confluence_sync.wanted.model import Wanted
from confluence_sync.wiki.values import Grant

from .conftest import GROUP, HUB, network, sync
from .fake import FakeWiki

MEMBERS = "puu-upx-members"
HAND_GRANT = Grant("user", "colleague", "write")


def with_grant(wanted: Wanted, grant: Grant) -> Wanted:
    spaces = tuple(
        replace(s, grants=s.grants | {grant}) if s.key == GROUP else s for s in wanted.spaces
    )
    return replace(wanted, spaces=spaces)


def recorded_index(wiki: FakeWiki, key: str) -> tuple[frozenset[Grant], dict[str, frozenset[str]]]:
    stored = index_store.read(wiki, key)
    assert stored.head is not None
    return stored.index.grants or frozenset(), dict(stored.index.groups)


def test_a_member_added_by_hand_survives_repeated_syncs() -> None:
    wiki = FakeWiki()
    sync(wiki, network())
    wiki.groups[MEMBERS].add("colleague")  # an admin adds a person by hand
    # The config drops sluedtke (the group is read again), then stays as it is.
    for _ in range(3):
        plan, _ = sync(wiki, network(members=["cherm"]))
        removed = {c.account for c in plan.changes if isinstance(c, RemoveMember)}
        assert "colleague" not in removed
    assert wiki.groups[MEMBERS] == {"cherm", "colleague"}
    _, groups = recorded_index(wiki, HUB)
    assert groups[MEMBERS] == {"cherm"}


def test_a_grant_that_stood_before_is_not_revoked_when_the_config_drops_it() -> None:
    wiki = FakeWiki()
    sync(wiki, network())
    wiki.grants[GROUP].add(HAND_GRANT)  # granted by hand, not by the sync
    # The config comes to want the same grant (nothing to add), then drops it again.
    sync(wiki, with_grant(network(), HAND_GRANT))
    sync(wiki, with_grant(network(meetings=("2026-03-12",)), HAND_GRANT))
    grants, _ = recorded_index(wiki, GROUP)
    assert HAND_GRANT not in grants
    plan, _ = sync(wiki, network())
    assert not [c for c in plan.changes if isinstance(c, RevokeGrant)]
    assert HAND_GRANT in wiki.grants[GROUP]


def test_a_grant_the_sync_added_is_recorded_and_revoked_when_dropped() -> None:
    wiki = FakeWiki()
    sync(wiki, with_grant(network(), HAND_GRANT))
    grants, _ = recorded_index(wiki, GROUP)
    assert HAND_GRANT in grants
    plan, _ = sync(wiki, network())
    assert RevokeGrant(GROUP, grant=HAND_GRANT) in plan.changes
    assert HAND_GRANT not in wiki.grants[GROUP]
