"""The plan on a Data Center release without REST space permissions (< 9.1): one manual note
per space, which says first that it cannot be checked there and that nothing changes once it
was done by hand, then the clicks for whoever has not done them; the same on every run, never
one more. What ``doctor`` says of such a release is the plan's work announced (``by_hand``)."""

from __future__ import annotations

from dataclasses import replace

from confluence_sync.plan.changes import AddGrant, RevokeGrant
from confluence_sync.plan.manual import by_hand, by_release
from confluence_sync.plan.notes import Note
from confluence_sync.wiki.values import Grant
from tests.unit.engine.conftest import GROUP, HUB, network, plan_for, sync
from tests.unit.engine.fake import FakeWiki

HEAD = (
    "cannot be checked on Data Center 9.0.3: it has no REST API for space permissions (Data "
    "Center 9.1 added it), so the sync can neither set nor read them and lists them in every "
    "plan. Done by hand already? Then nothing changes. If not, a space admin: in space "
)


def on(version: str | None) -> FakeWiki:
    wiki = FakeWiki()
    wiki.capabilities = replace(wiki.capabilities, site_version=lambda: version)
    return wiki


def permission_notes(changes: object) -> list[Note]:
    assert isinstance(changes, tuple | list)
    return [
        c
        for c in changes
        if isinstance(c, Note) and c.status == "manual" and c.item.startswith("permissions of")
    ]


def test_one_note_per_space_says_it_cannot_be_checked_then_the_steps() -> None:
    plan, _ = plan_for(on("9.0.3"), network())
    notes = permission_notes(plan.changes)
    assert sorted(n.space for n in notes) == sorted({HUB, GROUP})
    group = next(n for n in notes if n.space == GROUP)
    assert group.item == f"permissions of space {GROUP} (group puu-upx-members, user netzwerkbuero)"
    assert group.reason.startswith(
        HEAD + f"{GROUP}, Space tools → Permissions → Edit Permissions; "
    )
    # the groups' step first, View first in each row, the screen's own words; Save all last
    steps = group.reason.split("Edit Permissions; ", 1)[1]
    assert steps.startswith(
        "under Groups type 'puu-upx-members' into 'Grant browse permission to', click Add and "
        "tick 'All — View', "
    )
    assert "; under Individual Users type 'netzwerkbuero' into " in steps
    assert steps.endswith(" in its row; then click Save all")


def test_every_later_plan_says_the_same_once_and_nothing_else() -> None:
    wiki = on("9.0.3")
    first, _ = sync(wiki, network())
    again, _ = plan_for(wiki, network())
    # the steps cannot be told done from not done: the same notes, one per space, and no write
    assert [(n.item, n.reason) for n in permission_notes(again.changes)] == [
        (n.item, n.reason) for n in permission_notes(first.changes)
    ]
    assert all(isinstance(c, Note) for c in again.changes), again.changes


def test_a_revoke_is_an_untick_in_the_subjects_row_after_the_grants() -> None:
    _, state = plan_for(on("9.0.3"), network())
    grant = AddGrant(GROUP, grant=Grant("user", "cherm", "read"))
    revoke = RevokeGrant(GROUP, grant=Grant("group", "puu-alt", "write"))
    [group] = permission_notes(by_release([revoke, grant], state))
    assert group.item == f"permissions of space {GROUP} (user cherm, revoke group puu-alt)"
    assert group.reason.endswith(
        "; in the row of 'puu-alt' under Groups untick 'Pages — Add'; then click Save all"
    )


def test_the_doctor_announces_what_the_plan_will_ask_by_hand() -> None:
    assert by_hand("10.0.3", permissions=True, groups=True) == []
    [permissions] = by_hand("9.0.3", permissions=False, groups=True)
    assert permissions.startswith("Data Center 9.0.3 has no REST API for space permissions")
    assert "one per space" in permissions and "once done nothing changes" in permissions
    both = by_hand("8.1.4", permissions=False, groups=False)
    assert len(both) == 2 and "Administration (cog) → User management → Groups" in both[1]
