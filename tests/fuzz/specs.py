"""The spec documents the fuzz runs on: each flavour's API tree cut down to the routes the
local wiki implements, with the seeded ids as path parameter examples.

The documents come from ``tests.contract.openapi.load_document`` (Atlassian's files with the
contract tests' documented patches), and the implemented routes from
``tests.contract.routes.implemented_routes``, which reads the wiki's werkzeug route tables.
Routes the spec of a flavour does not document cannot be generated from it and are left out
(``Plan.undocumented`` lists them).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from tests.contract.openapi import load_document, spec_for
from tests.contract.routes import implemented_routes

from .seed import Site, example_for

CONTEXT_PATH = "/confluence"
# The API trees of each flavour, as tests.contract names them.
TREES = {"dc": ("dc",), "cloud": ("v1", "v2")}
# Where a tree's spec paths start below the wiki's root URL.
MOUNTS = {"dc": CONTEXT_PATH, "v1": "", "v2": "/wiki/api/v2"}
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@dataclass
class Plan:
    """One tree's document plus what was left out of it."""

    api: str
    document: dict[str, Any]
    operations: list[tuple[str, str]] = field(default_factory=list)  # (METHOD, template)
    undocumented: list[tuple[str, str]] = field(default_factory=list)  # (METHOD, werkzeug rule)
    with_body: list[tuple[str, str]] = field(default_factory=list)


def _deref(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = document
        for token in node["$ref"][2:].split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _key(document: dict[str, Any], param: dict[str, Any]) -> tuple[Any, Any]:
    resolved = _deref(document, param)
    return resolved.get("in"), resolved.get("name")


def _with_examples(
    document: dict[str, Any], method: str, template: str, params: list[Any], site: Site
) -> list[Any]:
    """Path parameters inlined (a shared component must not get one route's id) with the
    seeded id as example."""
    out = []
    for param in params:
        resolved = _deref(document, param)
        if resolved.get("in") == "path":
            example = example_for(method, template, resolved["name"], site)
            if example is not None:
                resolved = {k: v for k, v in resolved.items() if k != "examples"}
                resolved["example"] = example
                out.append(resolved)
                continue
        out.append(param)
    return out


def plan_for(api: str, site: Site) -> Plan:
    """The fuzz document of one API tree (``dc``, ``v1`` or ``v2``)."""
    context = CONTEXT_PATH if api == "dc" else ""
    spec = spec_for(api, context_path=context)
    routes = implemented_routes(api, spec, context_path=context)
    wanted = {(r.method, r.template) for r in routes if r.template}
    document = copy.deepcopy(load_document(api))
    plan = Plan(api, document)
    plan.undocumented = sorted({(r.method, r.rule) for r in routes if r.template is None})
    paths: dict[str, Any] = {}
    for template, item in document["paths"].items():
        kept = {
            m: op for m, op in item.items() if m in _METHODS and (m.upper(), template) in wanted
        }
        if not kept:
            continue
        shared = item.get("parameters", [])
        for method, operation in kept.items():
            # Path-level parameters are folded into each operation so examples stay per route.
            own = operation.get("parameters", [])
            names = {_key(document, p) for p in own}
            merged = [p for p in shared if _key(document, p) not in names] + own
            operation["parameters"] = _with_examples(
                document, method.upper(), template, merged, site
            )
            plan.operations.append((method.upper(), template))
            if "requestBody" in operation:
                plan.with_body.append((method.upper(), template))
        paths[template] = kept
    document["paths"] = paths
    document["servers"] = []  # the base URL is the running wiki's, given to schemathesis
    plan.operations.sort()
    return plan
