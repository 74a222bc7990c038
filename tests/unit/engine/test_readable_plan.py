"""People read one row per subject and space for grants, and one row for a manual step that
repeats per group; the JSON keeps one entry per item."""

from __future__ import annotations

import json

from confluence_sync import report
from confluence_sync.apply.results import ItemResult
from confluence_sync.config.identities import PageIdentity
from confluence_sync.plan.changes import AddGrant, Plan, RevokeGrant
from confluence_sync.plan.notes import Note
from confluence_sync.run import RunResult
from confluence_sync.wanted.build import DC_TEMPLATE_NOTE
from confluence_sync.wiki.values import Grant

NOTE = (
    "Data Center has no REST API for page templates: the minutes template is provided as a "
    "page 'Vorlage' in space {0}; a space admin can copy it into Space tools → Templates."
)


def template_step(group: str) -> Note:
    """The manual step the target reports per group on Data Center (wanted/build.py)."""
    identity = PageIdentity.template(group, "minutes")
    fills = (("identity", identity), ("title", "Vorlage"), ("space", "PUU" + group))
    return Note(
        "", subject="template '{title}'", status="manual", text=DC_TEMPLATE_NOTE, fills=fills
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
    items += [ItemResult.of(template_step(g), "manual") for g in ("EUK", "UPX")]
    items.append(
        ItemResult("PUU", "page hub/home", "create", "planned", "new in the config", title="Start")
    )
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
        "| manual | manual |  | template 'Vorlage' | " + NOTE.format("PUUEUK and PUUUPX") + " |",
        "| planned | create | PUU | page 'Start' | new in the config |",
    ]


def test_one_step_alone_keeps_its_own_words() -> None:
    alone = RunResult(Plan(()), [ItemResult.of(template_step("UPX"), "manual")])
    assert "| template 'Vorlage' | " + NOTE.format("PUUUPX") + " |" in (report.to_markdown(alone))


def test_a_value_with_braces_is_not_a_blank() -> None:
    step = Note(
        "", subject="page {title}", status="manual", text="x", fills=(("title", "{space}"),)
    )
    assert ItemResult.of(step, "manual").item == "page {space}"


def test_table_has_the_same_rows_and_json_every_item() -> None:
    table = report.table(result(), title="plan")
    assert table.row_count == 5
    items = json.loads(report.to_json(result()))
    assert sum(1 for r in items["items"] if r["kind"] == "grant") == 5
    assert sum(1 for r in items["items"] if r["status"] == "manual") == 2
