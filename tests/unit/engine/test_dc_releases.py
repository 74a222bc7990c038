"""Planning by the Data Center release (``plan.manual``): REST space permissions from 9.1,
group admin from 8.2, manual steps otherwise; the release asked only when it matters."""

from __future__ import annotations

from dataclasses import replace

import pytest

from confluence_sync.backends.contract import Capabilities, release_tuple
from confluence_sync.plan.changes import AddGrant, AddMember, EnsureGroup
from confluence_sync.plan.notes import Note

from .conftest import GROUP, network, plan_for, sync
from .fake import FakeWiki


class Release:
    """A site_version that counts how often it was asked."""

    def __init__(self, version: str | None) -> None:
        self.version, self.asked = version, 0

    def __call__(self) -> str | None:
        self.asked += 1
        return self.version


def _on(wiki: FakeWiki, version: str | None) -> Release:
    release = Release(version)
    wiki.capabilities = replace(wiki.capabilities, site_version=release)
    return release


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("9.1.0", (9, 1, 0)), ("10.0.3", (10, 0, 3)), ("8.19.1-m12", (8, 19, 1)), ("x", None)],
)
def test_a_release_reads_as_numbers(text: str, parsed: tuple[int, ...] | None) -> None:
    assert release_tuple(text) == parsed


def test_what_each_release_has() -> None:
    def on(version: str | None) -> Capabilities:
        return Capabilities("datacenter", False, site_version=lambda: version)

    assert not on("9.0.3").space_permission_api and on("9.0.3").group_admin_api
    assert on("9.1.0").space_permission_api and on("10.0.3").space_permission_api
    assert not on("8.1.4").group_admin_api and on("8.2.0").group_admin_api
    # A site that does not say (Cloud, an unreadable answer) is taken to have everything.
    assert on(None).space_permission_api and Capabilities("cloud", True).space_permission_api


def test_before_9_1_grants_are_manual_steps_and_groups_stay_rest(wiki: FakeWiki) -> None:
    _on(wiki, "9.0.3")
    plan, results = sync(wiki, network())
    assert not [c for c in plan.changes if isinstance(c, AddGrant)]
    assert [c for c in plan.changes if isinstance(c, AddMember)]  # 8.2+: over REST
    steps = [c for c in plan.changes if isinstance(c, Note) and c.status == "manual"]
    step = next(s for s in steps if "group puu-upx-members" in s.item and GROUP in s.item)
    assert "Space tools → Permissions → Edit Permissions" in step.reason
    assert "Data Center 9.0.3" in step.reason and f"in space {GROUP}" in step.reason
    assert not [r for r in results if r.failed]
    assert wiki.groups["puu-upx-members"] == {"cherm", "sluedtke"}


def test_before_8_2_groups_are_manual_steps_too(wiki: FakeWiki) -> None:
    _on(wiki, "8.1.4")
    plan, _ = plan_for(wiki, network())
    assert not [c for c in plan.changes if isinstance(c, (EnsureGroup, AddMember, AddGrant))]
    items = {c.item for c in plan.changes if isinstance(c, Note) and c.status == "manual"}
    assert "group puu-upx-members" in items and "member cherm of group puu-upx-members" in items


def test_a_no_op_plan_never_asks_the_release(wiki: FakeWiki) -> None:
    sync(wiki, network())
    release = _on(wiki, "10.0.3")
    plan, _ = plan_for(wiki, network())
    assert plan.empty and release.asked == 0


def test_a_grant_change_on_9_1_stays_rest(wiki: FakeWiki) -> None:
    release = _on(wiki, "9.1.0")
    plan, _ = plan_for(wiki, network())
    assert [c for c in plan.changes if isinstance(c, AddGrant)] and release.asked >= 1
