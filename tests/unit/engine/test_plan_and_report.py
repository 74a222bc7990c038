"""The plan value (ordering, counts, checksum, JSON) and its renderers."""

from __future__ import annotations

import json

from confluence_sync import report
from confluence_sync.config.identities import PageIdentity
from confluence_sync.errors import EXIT_OK, EXIT_PARTIAL, EXIT_UNSAFE
from confluence_sync.plan.changes import AddGrant, CreateSpace, Plan, RevokeGrant
from confluence_sync.plan.notes import Note
from confluence_sync.plan.page_changes import create_change
from confluence_sync.run import RunResult
from confluence_sync.wanted.model import WantedPage
from confluence_sync.wiki.values import Grant

from .conftest import network, plan_for
from .fake import FakeWiki


def sample() -> Plan:
    return Plan(
        (
            RevokeGrant("PUUUPX", grant=Grant("user", "old", "read")),
            create_change(
                WantedPage(PageIdentity.group("UPX", "meetings"), "PUUUPX", "Treffen", "<p/>"), 1
            ),
            Note("PUUUPX", subject="page group/UPX/x", status="conflict", text="a | b"),
            CreateSpace("PUUUPX", name="Arbeitskreis"),
            AddGrant("PUUUPX", grant=Grant("group", "puu-upx-members", "read")),
        )
    )


def test_changes_are_sorted_spaces_grants_pages_revokes_notes() -> None:
    kinds = [c.kind for c in sample().changes]
    assert kinds == ["create-space", "grant", "create", "revoke", "note"]


def test_repr_is_one_line_with_reason() -> None:
    assert repr(sample().changes[0]) == "create-space space PUUUPX (not in the wiki yet)"
    assert "\n" not in "".join(repr(c) for c in sample().changes)


def test_counts_checksum_and_json() -> None:
    plan = sample()
    assert plan.counts() == {"conflict": 1, "create": 1, "create-space": 1, "grant": 1, "revoke": 1}
    assert plan.checksum == Plan(tuple(reversed(plan.changes))).checksum
    assert plan.checksum != Plan(plan.changes[:-1]).checksum
    data = [c.to_json() for c in plan.changes]
    assert data[2]["identity"] == "group/UPX/meetings"
    json.dumps(data)  # JSON-ready
    assert not plan.empty and Plan((plan.changes[-1],)).empty


def test_markdown_escapes_cells_and_says_nothing_to_change() -> None:
    result = RunResult(sample(), [])
    wiki = FakeWiki()
    plan, _ = plan_for(wiki, network())
    from confluence_sync.run import _planned

    result = RunResult(plan, _planned(plan))
    text = report.to_markdown(result)
    assert "| planned | create-space | PUU |" in text
    empty = report.to_markdown(RunResult(Plan(()), []))
    assert "Nothing to change." in empty
    noted = RunResult(sample(), _planned(sample()))
    assert "a \\| b" in report.to_markdown(noted)


def test_report_json_has_status_reason_per_item_and_counts() -> None:
    from confluence_sync.apply.results import ItemResult

    result = RunResult(sample(), [ItemResult("PUU", "page hub/home", "create", "failed", "boom")])
    result.requests, result.writes, result.applied = 7, 3, True
    data = json.loads(report.to_json(result))
    assert data["status"] == "applied"
    assert data["items"][0] == {
        "space": "PUU",
        "item": "page hub/home",
        "kind": "create",
        "status": "failed",
        "reason": "boom",
    }
    assert data["summary"]["failed"] == 1 and data["summary"]["writes"] == 3


def test_exit_codes() -> None:
    from confluence_sync.apply.results import ItemResult

    conflict = ItemResult("PUU", "page x", "note", "conflict", "")
    assert RunResult(Plan(()), [conflict]).exit_code() == EXIT_OK
    assert RunResult(Plan(()), [conflict]).exit_code(strict=True) == EXIT_PARTIAL
    failed = ItemResult("PUU", "page x", "create", "failed", "")
    assert RunResult(Plan(()), [failed]).exit_code() == EXIT_PARTIAL
    assert RunResult(Plan(()), [], refused="too much").exit_code() == EXIT_UNSAFE


def test_revokes_the_admin_asked_for_do_not_count_towards_the_safety_share() -> None:
    """``--revoke-extra-grants`` names exactly these revokes (site defaults on an adopted
    space); the share still guards revokes of what the sync granted."""
    import pytest

    from confluence_sync.errors import UnsafePlanError

    extras = tuple(
        RevokeGrant(
            "PUUUPX", grant=Grant("group", "confluence-users", op), extra=True, requested=True
        )
        for op in ("read", "write", "comment", "attach", "delete_own")
    )
    Plan(extras, managed_grants=10).raise_if_unsafe()
    ours = tuple(
        RevokeGrant("PUUUPX", grant=Grant("group", "puu-upx-members", op))
        for op in ("read", "write", "comment")
    )
    with pytest.raises(UnsafePlanError):
        Plan(ours, managed_grants=10).raise_if_unsafe()
    assert "--revoke-extra-grants" in extras[0].reason
