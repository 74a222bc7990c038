"""Every request the adapters send, checked against Atlassian's OpenAPI specs: the endpoint
must be documented for that method, the query parameters must be documented ones, and the
JSON body must validate against the documented request schema.

The specs stay in ``../shared/confluence-openapi/`` next to the repository; they are read
from there, never copied.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.wiki.values import Grant, PageUpdate, Template

from .conftest import Site, connect

SPECS = Path(__file__).resolve().parents[3] / ".." / "shared" / "confluence-openapi"
NEWER_V2 = "cloud-v2-2026-04.json"  # documents the space-role routes cloud-v2.json lacks
pytestmark = pytest.mark.skipif(not SPECS.is_dir(), reason="the shared OpenAPI specs are absent")


@dataclass
class Sent:
    method: str
    path: str
    params: dict[str, Any]
    body: Any


@cache
def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SPECS / name).read_text(encoding="utf-8"))
    return data


def spec_for(flavour: str, path: str) -> tuple[str, str]:
    """(spec file, path as the spec writes it) for a path below the adapter's base URL."""
    if flavour == "dc":
        return "dc-10.0.3.json", "/" + path
    if path.startswith("api/v2/"):
        return "cloud-v2.json", "/" + path[len("api/v2") + 1 :]
    return "cloud-v1.json", "/wiki/" + path


def match(spec: dict[str, Any], method: str, path: str) -> str | None:
    """The documented path template for ``path``; literal segments beat parameters."""
    candidates = []
    for template, operations in spec["paths"].items():
        pattern = "^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in operations:
            candidates.append((template.count("{"), template))
    return min(candidates)[1] if candidates else None


def query_names(spec: dict[str, Any], template: str, method: str) -> set[str]:
    operation = spec["paths"][template]
    names = set()
    for parameter in operation[method.lower()].get("parameters", []) + operation.get(
        "parameters", []
    ):
        if "$ref" in parameter:
            parameter = spec["components"]["parameters"][parameter["$ref"].split("/")[-1]]
        if parameter.get("in") == "query":
            names.add(parameter["name"])
    return names


def body_errors(spec_name: str, template: str, method: str, body: Any) -> list[str]:
    spec = load(spec_name)
    request_body = spec["paths"][template][method.lower()].get("requestBody")
    if request_body is None:
        return [] if body is None else ["a body was sent but none is documented"]
    if "$ref" in request_body:
        name = request_body["$ref"].split("/")[-1]
        pointer = f"/components/requestBodies/{name}/content/application~1json/schema"
    else:
        escaped = template.replace("~", "~0").replace("/", "~1")
        pointer = f"/paths/{escaped}/{method.lower()}/requestBody/content/application~1json/schema"
    registry: Registry[Any] = Registry().with_resource(
        "urn:spec", Resource.from_contents(spec, default_specification=DRAFT4)
    )
    validator = OAS30Validator({"$ref": f"urn:spec#{pointer}"}, registry=registry)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(body)
        if not _spec_quirk(e.validator, e.message, list(e.absolute_path))
    ]


def _spec_quirk(keyword: object, message: str, where: list[Any]) -> bool:
    """Errors that are the spec's, not ours (each checked by hand against the schema)."""
    # v2 PageBodyWrite and PageNestedBodyWrite have no required fields, so every body is
    # "valid under each of" the oneOf; no request could satisfy it.
    if keyword == "oneOf" and "is valid under each of" in message:
        return True
    # v1 templates reuse the *response* Label schema, which requires the label's id; a label
    # being attached has none yet.
    return keyword == "required" and "'id'" in message and "labels" in where


def record(site: Site) -> list[Sent]:
    transport = site.backend.reader.transport  # type: ignore[attr-defined]
    original = transport.send_once
    sent: list[Sent] = []

    def send_once(method: str, path: str, **kwargs: Any) -> Any:
        shown = path
        if shown.startswith("http"):
            shown = shown.removeprefix(transport.origin).removeprefix(transport.base_path)
        shown, _, query = shown.lstrip("/").partition("?")
        params = dict(kwargs.get("params") or {})
        params.update(dict(p.split("=", 1) for p in query.split("&") if "=" in p))
        sent.append(Sent(method, shown, params, kwargs.get("json")))
        return original(method, path, **kwargs)

    transport.send_once = send_once
    return sent


def exercise(site: Site) -> None:
    """Every reader and writer method once."""
    user = site.admin_call("/__localwiki/users", {"username": "jo", "password": "pw-jo-123"})
    user_id = user["accountId"] if site.cloud else "jo"
    reader, writer = site.backend.reader, site.backend.writer()
    space = writer.create_space("UPX", "Upper Xanten", "Arbeitsgruppe")
    reader.get_space("UPX")
    parent = writer.create_page("UPX", "Treffen", "<p/>", parent_id=space.homepage_id)
    page = writer.create_page(
        "UPX",
        "Treffen März",
        "<p/>",
        parent_id=parent.id,
        labels=["meeting"],
        properties={"confluence-sync": {"id": "m"}},
    )
    reader.list_pages("UPX")
    reader.find_page_by_title("UPX", "Treffen März")
    reader.get_page(page.id)
    writer.update_page(PageUpdate(page.id, "Treffen März", "<p>2</p>", page.version))
    writer.move_page(page.id, space.homepage_id or parent.id)
    marker = reader.get_page_property(page.id, "confluence-sync")
    writer.set_page_property(page.id, "confluence-sync", {"id": "m2"}, current=marker)
    index = writer.set_space_property("UPX", "confluence-sync-index", [], current=None)
    writer.set_space_property("UPX", "confluence-sync-index", [page.id], current=index)
    reader.get_space_property("UPX", "confluence-sync-index")
    writer.add_labels(page.id, ["upx"])
    writer.remove_label(page.id, "upx")
    reader.get_labels(page.id)
    writer.ensure_group("upx-members")
    writer.add_group_member("upx-members", user_id)
    reader.list_group_members("upx-members")
    writer.remove_group_member("upx-members", user_id)
    reader.resolve_user(user_id)
    writer.grant("UPX", Grant("group", "upx-members", "read"))
    writer.grant("UPX", Grant("group", "upx-members", "write"))
    writer.grant("UPX", Grant("user", user_id, "read"))
    writer.revoke("UPX", Grant("group", "upx-members", "write"))
    reader.list_grants("UPX")
    if site.cloud:
        saved = writer.save_template("UPX", Template("Protokoll", "<p/>", "für Treffen", ("a",)))
        writer.save_template("UPX", Template("Protokoll", "<p>2</p>", "", id=saved.id))
        reader.list_templates("UPX")


def test_every_request_is_documented_and_well_formed(site: Site) -> None:
    _check(site)


def test_every_request_in_roles_mode_is_documented_and_well_formed() -> None:
    """Cloud in ROLES mode: spaces through v2 ``POST /spaces``, grants as role assignments,
    checked against the 2026-04 snapshot that documents them."""
    with LocalWiki(flavour="cloud", v1_removed=True, space_role_mode="ROLES") as wiki:
        backend = connect(wiki, "cloud")
        try:
            sent = _check(Site(wiki, backend, "cloud"))
        finally:
            backend.close()
    paths = {(s.method, s.path.split("/")[-1]) for s in sent}
    assert ("POST", "role-assignments") in paths and ("POST", "spaces") in paths
    assert not [s for s in sent if s.path.endswith("/permission") and s.method != "GET"]


def _check(site: Site) -> list[Sent]:
    sent = record(site)
    exercise(site)
    problems: list[str] = []
    checked = 0
    for request in sent:
        if request.path.startswith("__localwiki"):
            continue
        spec_name, spec_path = spec_for(site.flavour, request.path)
        spec = load(spec_name)
        template = match(spec, request.method, spec_path)
        if template is None and spec_name == "cloud-v2.json":  # the space-role routes
            spec_name, spec = NEWER_V2, load(NEWER_V2)
            template = match(spec, request.method, spec_path)
        where = f"{request.method} {spec_path} ({spec_name})"
        if template is None:
            problems.append(f"{where}: not documented")
            continue
        checked += 1
        unknown = set(request.params) - query_names(spec, template, request.method)
        if unknown:
            problems.append(f"{where}: undocumented query parameters {sorted(unknown)}")
        problems += [
            f"{where}: {e}" for e in body_errors(spec_name, template, request.method, request.body)
        ]
    assert checked >= 25
    assert not problems, "\n".join(problems)
    return sent
