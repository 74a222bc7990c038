"""The JSON Schema of the config file, generated from the pydantic models.

Editors with yaml-language-server (VS Code's YAML extension, and others) use it to complete
field names, show the field descriptions on hover and flag wrong values while typing. The copy
in ``schema.json`` next to this module is what ``config.example.yaml`` points at; a test keeps it
equal to the generated one.
"""

from __future__ import annotations

import json
from typing import Any

from confluence_sync.config.model import NetworkConfig

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def config_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a network config."""
    schema = NetworkConfig.model_json_schema(mode="validation")
    return {"$schema": DIALECT, **schema}


def config_schema_text() -> str:
    """The schema as stable, readable JSON text ending in a newline."""
    return json.dumps(config_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
