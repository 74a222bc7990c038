"""The config reference in docs/: generated from the schema, complete, and never stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from confluence_sync.config import load_config_text
from confluence_sync.config.reference import Field, fields, main, reference_markdown
from confluence_sync.config.schema import config_schema

from .conftest import MINIMAL, REPO, TODAY

REFERENCE = REPO / "docs" / "config-reference.md"


def _leaf_names(node: Any) -> set[str]:
    """Every property name anywhere in the schema, $defs included."""
    names: set[str] = set()
    if isinstance(node, dict):
        names |= set(node.get("properties", {}))
        for child in node.values():
            names |= _leaf_names(child)
    elif isinstance(node, list):
        for child in node:
            names |= _leaf_names(child)
    return names


def _by_path() -> dict[str, Field]:
    return {field.path: field for field in fields()}


def test_the_committed_reference_is_current() -> None:
    assert REFERENCE.read_text(encoding="utf-8") == reference_markdown(), (
        "regenerate: python -m confluence_sync.config.reference docs/config-reference.md"
    )


def test_every_schema_field_has_a_row_with_a_description() -> None:
    rows = list(fields())
    assert {row.path.rsplit(".", 1)[-1].removesuffix("[]") for row in rows} == _leaf_names(
        config_schema()
    )
    assert [row.path for row in rows if not row.description] == []
    assert len({row.path for row in rows}) == len(rows)


def test_rows_say_type_required_default_and_constraints() -> None:
    rows = _by_path()
    months = rows["working_groups[].schedule.months"]
    assert (months.type, months.required, months.default) == ("list of integer", True, "")
    assert months.constraints == "not empty; at most 12 items; each item ≥ 1; each item ≤ 12"
    weekday = rows["working_groups[].schedule.weekday"]
    assert (weekday.required, weekday.default) == (False, '`"thu"`')
    assert weekday.constraints.startswith('one of `"mon"`, `"tue"`')
    assert rows["organisations[].id"].constraints == (
        "pattern `^[a-z0-9]+(?:-[a-z0-9]+)*$`; at most 255 characters"
    )
    assert rows["working_groups[].meetings[].date"].constraints == "format date"
    assert rows["organisations[].contacts[].account"].type == "string or null"
    assert rows["working_groups[].schedule"].type == "Schedule or null"
    assert rows["network.admins"].type == "list of Admin"
    assert "| `network.key` | string | required |" in reference_markdown()


def test_optional_lists_default_to_empty_lists() -> None:
    # The schema omits default_factory; the reference says `[]`, which the loader must honour.
    config = load_config_text(MINIMAL, today=TODAY)
    assert [r.default for r in fields() if r.type.startswith("list") and not r.required] == [
        "`[]`"
    ] * 7
    group = config.working_groups[0]
    assert config.network.admins == [] and config.organisations[-1].contacts == []
    assert group.topics == [] and group.meetings == []


def test_the_module_writes_and_checks_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "reference.md"
    assert main(["--check", str(target)]) == 1
    assert main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == reference_markdown()
    assert main(["--check", str(target)]) == 0
    target.write_text(reference_markdown().replace("required", "optional", 1), encoding="utf-8")
    assert main(["--check", str(target)]) == 1
    assert "is stale" in capsys.readouterr().err
