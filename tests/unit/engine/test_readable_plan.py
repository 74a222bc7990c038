"""People read one row per subject and space for grants, and one row for a manual step that
repeats per group; the JSON keeps one entry per item."""

from __future__ import annotations

import json

from confluence_sync import report
from confluence_sync.apply.results import ItemResult
from confluence_sync.plan.changes import AddGrant, Plan, RevokeGrant
from confluence_sync.run import RunResult
from confluence_sync.wiki.values import Grant

NOTE = (
    "Data Center has no REST API for page templates: the minutes template is provided as a "
    "page 'Vorlage' in space PUU{0}; a space admin can copy it into Space tools → Templates."
)


def result() -> RunResult:
    items = [
        ItemResult.of(AddGrant("PUUUPX", grant=Grant("group", "puu-upx-members", op)), "planned")
        for op in ("read", "write", "comment", "attach")
    ]
    items.append(
        ItemResult.of(AddGrant("PUUUPX", grant=Grant("user", "j.weiss", "read")), "planned")
    )
    revoke = RevokeGrant("PUUUPX", grant=Grant("group", "puu-upx-members", "blog"))
    items.append(ItemResult.of(revoke, "planned", "no longer in the config"))
    items += [
        ItemResult("", f"template group/{g}/template/minutes", "manual", "manual", NOTE.format(g))
        for g in ("EUK", "UPX")
    ]
    items.append(ItemResult("PUU", "page hub/home", "create", "planned", "new in the config"))
    return RunResult(Plan(()), items)


def test_markdown_groups_grants_per_subject_and_repeated_notes() -> None:
    text = report.to_markdown(result())
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows[1:] == [
        "| planned | grant | PUUUPX | read, write, comment, attach for group puu-upx-members "
        "on PUUUPX | the config gives it |",
        "| planned | grant | PUUUPX | read for user j.weiss on PUUUPX | the config gives it |",
        "| planned | revoke | PUUUPX | blog for group puu-upx-members on PUUUPX | no longer in "
        "the config |",
        "| manual | manual |  | template group/{EUK,UPX}/template/minutes | "
        + NOTE.format("{EUK,UPX}").replace("PUU{EUK,UPX}", "{PUUEUK,PUUUPX}")
        + " |",
        "| planned | create | PUU | page hub/home | new in the config |",
    ]


def test_table_has_the_same_rows_and_json_every_item() -> None:
    table = report.table(result(), title="plan")
    assert table.row_count == 5
    items = json.loads(report.to_json(result()))
    assert sum(1 for r in items["items"] if r["kind"] == "grant") == 5
    assert sum(1 for r in items["items"] if r["status"] == "manual") == 2
