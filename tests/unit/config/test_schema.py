"""The JSON Schema: valid, documented on every field, current, and the example passes it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import yaml

from confluence_sync.config.schema import config_schema, config_schema_text

from .conftest import EXAMPLE, REPO


def _as_json_values(value: Any) -> Any:
    """YAML dates as the strings an editor sees."""
    if isinstance(value, dict):
        return {k: _as_json_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json_values(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _properties(node: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield from node.get("properties", {}).items()
        for child in node.values():
            yield from _properties(child)
    elif isinstance(node, list):
        for child in node:
            yield from _properties(child)


def test_schema_is_valid_json_schema() -> None:
    schema = config_schema()
    jsonschema.validators.validator_for(schema).check_schema(schema)
    assert schema["$schema"].startswith("https://json-schema.org/draft/2020-12")


def test_every_field_has_a_description() -> None:
    props = list(_properties(config_schema()))
    assert len(props) > 30
    assert [name for name, prop in props if not prop.get("description")] == []


def test_example_config_validates_against_the_schema() -> None:
    schema = config_schema()
    document = _as_json_values(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    jsonschema.validators.validator_for(schema)(schema).validate(document)


def test_schema_rejects_a_typo_like_the_loader() -> None:
    schema = config_schema()
    document = {"network": {"key": "PUU", "name": "P", "langauge": "de"}}
    errors = list(jsonschema.validators.validator_for(schema)(schema).iter_errors(document))
    assert errors


def test_committed_schema_file_is_current() -> None:
    committed = (REPO / "confluence_sync" / "config" / "schema.json").read_text(encoding="utf-8")
    assert committed == config_schema_text(), "regenerate: confluence-sync schema -o ..."
    assert json.loads(committed)["title"] == "confluence-sync network config"
    first_line = EXAMPLE.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=confluence_sync/config/schema.json"


def test_network_templates_folder_is_an_optional_non_empty_path() -> None:
    schema = config_schema()
    document = _as_json_values(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    validator = jsonschema.validators.validator_for(schema)(schema)
    document["network"]["templates"] = "templates"
    assert not list(validator.iter_errors(document))
    document["network"]["templates"] = ""
    assert list(validator.iter_errors(document))
