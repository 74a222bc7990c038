"""The config reference (``docs/config-reference.md``), generated from the JSON Schema.

Every field of the config file gets one row: its path (``working_groups[].schedule.months``),
type, whether it is required, its default, its description and its constraints (pattern,
minimum/maximum, lengths, allowed values, format). The schema is generated from the models
(``schema.config_schema``), so the reference says what the loader checks; a test compares the
committed file with this output, so it cannot go stale. Regenerate it with
``python -m confluence_sync.config.reference docs/config-reference.md``; ``--check`` exits 1
when the file differs.

Imports: ``config.schema`` (and through it the models); nothing outside ``confluence_sync.config``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from confluence_sync.config.schema import config_schema

HEADER: Final = """\
# Config reference

<!-- Generated from confluence_sync/config/schema.json by
     `python -m confluence_sync.config.reference docs/config-reference.md`; do not edit by hand
     (a test fails when this file is stale). -->

Every field of the network config file, as `confluence-sync validate` checks it. Paths use
`[]` for "each item of the list". *Required* fields must be given; an optional field left out
takes its default. The schema itself: `confluence-sync schema` (see the README for editor
support). Beyond these shapes `validate` checks references (members, hosts, leads), duplicates
and page-title clashes.
"""

# Constraint keywords, in the order they are shown, and how each reads.
_CONSTRAINTS: Final = (
    ("pattern", "pattern `{}`"),
    ("format", "format {}"),
    ("minLength", "at least {} characters"),  # 1 reads "not empty" (``_wording``)
    ("maxLength", "at most {} characters"),
    ("minimum", "≥ {}"),
    ("maximum", "≤ {}"),
    ("exclusiveMinimum", "> {}"),
    ("exclusiveMaximum", "< {}"),
    ("minItems", "at least {} items"),
    ("maxItems", "at most {} items"),
)


@dataclass(frozen=True)
class Field:
    """One row of the reference."""

    path: str
    type: str
    required: bool
    default: str
    description: str
    constraints: str


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """``node`` with a local ``$ref`` followed (keywords beside the ref win, as in 2020-12)."""
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return node
    target: Any = schema
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return {**_resolve(schema, target), **{k: v for k, v in node.items() if k != "$ref"}}


def _variants(schema: dict[str, Any], node: dict[str, Any]) -> list[dict[str, Any]]:
    """The non-null alternatives of a field (``anyOf`` of an optional one), resolved."""
    node = _resolve(schema, node)
    options = node.get("anyOf") or node.get("oneOf")
    if not options:
        return [node]
    return [_resolve(schema, o) for o in options if o.get("type") != "null"]


def _nullable(node: dict[str, Any]) -> bool:
    return any(o.get("type") == "null" for o in node.get("anyOf") or node.get("oneOf") or [])


def _type_name(schema: dict[str, Any], node: dict[str, Any]) -> str:
    names = []
    for variant in _variants(schema, node):
        kind = variant.get("type")
        if kind == "array":
            item = _type_name(schema, variant.get("items") or {})
            names.append(f"list of {item}")
        elif kind == "object" or "properties" in variant:
            names.append(str(variant.get("title") or "object"))
        elif "const" in variant:
            names.append(json.dumps(variant["const"], ensure_ascii=False))
        else:
            names.append(str(kind or "any"))
    return " or ".join(names) + (" or null" if _nullable(_resolve(schema, node)) else "")


def _constraints(schema: dict[str, Any], node: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for variant in _variants(schema, node):
        for keyword, wording in _CONSTRAINTS:
            if keyword in variant:
                found.append(_wording(keyword, wording, variant[keyword]))
        if "enum" in variant:
            allowed = ", ".join(f"`{json.dumps(v, ensure_ascii=False)}`" for v in variant["enum"])
            found.append(f"one of {allowed}")
        items = variant.get("items")
        if variant.get("type") == "array" and isinstance(items, dict):
            resolved = _resolve(schema, items)
            if "properties" not in resolved:  # a list of objects is described by its rows
                found += [f"each item {c}" for c in _constraints(schema, items)]
    return found


def _wording(keyword: str, wording: str, value: Any) -> str:
    if value == 1 and keyword in ("minLength", "minItems"):
        return "not empty"
    if value == 1 and keyword in ("maxLength", "maxItems"):
        return wording.format(value).removesuffix("s")
    return wording.format(value)


def _default(schema: dict[str, Any], node: dict[str, Any], required: bool) -> str:
    if required:
        return ""
    if "default" in node:
        return f"`{json.dumps(node['default'], ensure_ascii=False)}`"
    # pydantic leaves a default_factory out of the schema; the models' only one is
    # ``default_factory=list`` (a test checks the lists of a minimal config are empty).
    if _is_list(schema, node):
        return "`[]`"
    return "—"


def _cell(text: str) -> str:
    """Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _object_of(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any] | None:
    """The object a field holds (directly, optionally, or as list items), if any."""
    for variant in _variants(schema, node):
        if "properties" in variant:
            return variant
        items = variant.get("items")
        if variant.get("type") == "array" and isinstance(items, dict):
            inner = _resolve(schema, items)
            if "properties" in inner:
                return inner
    return None


def _is_list(schema: dict[str, Any], node: dict[str, Any]) -> bool:
    return any(v.get("type") == "array" for v in _variants(schema, node))


def fields(schema: dict[str, Any] | None = None) -> Iterator[Field]:
    """Every field of the schema, depth first, in the schema's property order."""
    schema = schema if schema is not None else config_schema()

    def walk(obj: dict[str, Any], prefix: str) -> Iterator[Field]:
        required = set(obj.get("required") or [])
        for name, raw in (obj.get("properties") or {}).items():
            node = _resolve(schema, raw)
            path = f"{prefix}{name}"
            is_required = name in required
            yield Field(
                path=path,
                type=_type_name(schema, raw),
                required=is_required,
                default=_default(schema, node, is_required),
                description=str(node.get("description") or ""),
                constraints="; ".join(_constraints(schema, raw)),
            )
            inner = _object_of(schema, raw)
            if inner is not None:
                yield from walk(inner, f"{path}[]." if _is_list(schema, raw) else f"{path}.")

    yield from walk(schema, "")


def reference_markdown(schema: dict[str, Any] | None = None) -> str:
    """The whole reference as Markdown, one table per top-level section."""
    schema = schema if schema is not None else config_schema()
    lines = [HEADER.rstrip("\n")]
    section = ""
    for field in fields(schema):
        top = field.path.split(".")[0].split("[")[0]
        if top != section:
            section = top
            lines += [
                f"## `{section}`",
                "",
                "| field | type | required | default | description | constraints |",
                "|---|---|---|---|---|---|",
            ]
        need = "required" if field.required else "optional"
        cells = [field.type, need, field.default, field.description, field.constraints]
        lines.append(f"| `{field.path}` | " + " | ".join(_cell(c) for c in cells) + " |")
    text = "\n".join(lines)
    # A blank line before each section heading after the first table.
    return text.replace("\n## ", "\n\n## ") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m confluence_sync.config.reference [--check] [FILE]``."""
    parser = argparse.ArgumentParser(
        prog="python -m confluence_sync.config.reference",
        description="Write the config reference (Markdown) generated from the JSON Schema.",
    )
    parser.add_argument("file", nargs="?", type=Path, help="where to write it (default: stdout)")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if FILE differs from the generated text"
    )
    args = parser.parse_args(argv)
    text = reference_markdown()
    if args.file is None:
        if args.check:
            parser.error("--check needs FILE")
        sys.stdout.write(text)
        return 0
    target: Path = args.file
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is stale: run {parser.prog} {target}", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
