"""Check concrete HTTP exchanges against Atlassian's OpenAPI specs (read from ../shared).

One :class:`OpenApiSpec` per flavour's API tree:

* ``dc`` — ``dc-10.0.3.json``; spec paths start at ``/rest/api`` (after the context path);
* ``v1`` — ``cloud-v1.json``; spec paths start at ``/wiki/rest/api``;
* ``v2`` — ``cloud-v2.json``; spec paths are relative to ``/wiki/api/v2``;
* ``v2-2026-04`` — ``cloud-v2-2026-04.json``, the snapshot that documents Cloud's space roles
  (``/space-role-mode``, role assignments, ``POST /spaces`` with ``roleAssignments``); mounted
  as ``v2``. ``v2`` stays the contract of everything else.

:meth:`OpenApiSpec.check` matches a method and concrete path to the spec's path template,
validates the JSON request body (if the operation takes one) and the JSON response body for
the returned status with ``OAS30Validator``, resolving ``$ref`` through a ``referencing``
registry that holds the whole spec (inline schemas are addressed by JSON pointer so their
references resolve against the spec, not against the fragment).

Quirks of the specs, handled here rather than papered over in the server:

* DC declares the same concrete path under different parameter names per method
  (``GET /content/{id}`` but ``PUT /content/{contentId}``), so templates are matched per method;
* literal segments beat parameters (``/content/search`` is not ``/content/{id}``);
* content types carry parameters (``application/json;charset=UTF-8``) and v1 lists ``*/*``;
* many error responses (v1, v2) are documented without a body schema: the body is then held
  to the API's error shape from confluence-api.md §10.1 (``ERROR_SCHEMAS``);
* some statuses Confluence really sends are missing from a spec (``SPEC_GAPS``, each with
  its evidence), e.g. the 409 for a stale version on DC and v2;
* a few schemas contradict themselves or Confluence (``SPEC_PATCHES``, each with its reason):
  DC's ``ValidationResult.errors``, v2's ambiguous ``oneOf`` page bodies, v2's ``parentId``;
* DC duplicates query parameters with different schemas (``status`` string vs array), so
  parameters are only checked for presence when required.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30Validator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "confluence-openapi"
SPEC_FILES = {
    "dc": "dc-10.0.3.json",
    "v1": "cloud-v1.json",
    "v2": "cloud-v2.json",
    "v2-2026-04": "cloud-v2-2026-04.json",
}
_URN = "urn:localwiki:spec"
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


# Statuses Confluence really answers that the spec does not list, with the evidence. The body
# is then held to the API's error shape instead of being waved through.
SPEC_GAPS: dict[tuple[str, str, str, int], str] = {
    ("dc", "PUT", "/rest/api/content/{contentId}", 409): (
        "DC 10.0.3 lists 200/400/404 only; a stale version answers 409 "
        "'Version must be incremented on update' (confluence-api.md §4.3)"
    ),
    ("v2", "PUT", "/pages/{id}", 409): (
        "the v2 spec lists no 409 for page updates; a stale version answers 409 as on v1"
    ),
    ("v2", "PUT", "/pages/{page-id}/properties/{property-id}", 409): (
        "the v2 spec lists no 409 for property updates; a stale version answers 409"
    ),
}
# Error bodies where the spec gives no schema (v1 Cloud and v2 document errors without one):
# the shapes of confluence-api.md §10.1.
ERROR_SCHEMAS: dict[str, dict[str, Any]] = {
    "v1": {
        "type": "object",
        "required": ["statusCode", "message"],
        "properties": {
            "statusCode": {"type": "integer"},
            "message": {"type": "string"},
            "data": {"type": "object"},
            "reason": {"type": "string"},
        },
    },
    "v2": {
        "type": "object",
        "required": ["errors"],
        "properties": {
            "errors": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["status", "code", "title"],
                    "properties": {
                        "status": {"type": "integer"},
                        "code": {"type": "string"},
                        "title": {"type": "string"},
                        "detail": {"type": "string", "nullable": True},
                    },
                },
            }
        },
    },
}
ERROR_SCHEMAS["dc"] = ERROR_SCHEMAS["v1"]
ERROR_SCHEMAS["v2-2026-04"] = ERROR_SCHEMAS["v2"]


def _pointer(*tokens: str) -> str:
    return "/".join(token.replace("~", "~0").replace("/", "~1") for token in ("", *tokens))


@dataclass(frozen=True)
class Operation:
    template: str
    method: str
    spec: dict[str, Any]


@dataclass
class Check:
    """The verdict on one request/response pair."""

    api: str
    method: str
    path: str
    status: int
    template: str | None = None
    request_errors: list[str] = field(default_factory=list)
    response_errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def route(self) -> str:
        return f"{self.method} {self.template or self.path}"

    @property
    def ok(self) -> bool:
        return self.template is not None and not self.request_errors and not self.response_errors

    def explain(self) -> str:
        lines = [f"[{self.api}] {self.method} {self.path} → {self.status} ({self.template})"]
        lines += [f"  request: {e}" for e in self.request_errors]
        lines += [f"  response: {e}" for e in self.response_errors]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _json_type(content_type: str | None) -> bool:
    base = (content_type or "").split(";", 1)[0].strip().lower()
    return base in ("application/json", "*/*") or base.endswith("+json")


class OpenApiSpec:
    """A loaded spec plus the path prefix its templates sit under in a concrete URL path."""

    def __init__(self, api: str, document: dict[str, Any], mount: str) -> None:
        self.api = api
        self.document = document
        self.mount = mount.rstrip("/")
        self.registry: Registry[Any] = Registry().with_resource(
            _URN, Resource.from_contents(document, default_specification=DRAFT4)
        )
        self._templates: dict[str, list[tuple[int, int, re.Pattern[str], str]]] = {}
        for template, item in document["paths"].items():
            literal = [s for s in template.split("/") if s and not s.startswith("{")]
            regex = re.compile(
                "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "/?$"
            )
            for method in item:
                if method in _METHODS:
                    self._templates.setdefault(method.upper(), []).append(
                        (-len(literal), -len("".join(literal)), regex, template)
                    )
        for entries in self._templates.values():
            entries.sort(key=lambda entry: (entry[0], entry[1]))

    def routes(self) -> set[tuple[str, str]]:
        """Every (METHOD, template) the spec documents."""
        return {(m, t) for m, entries in self._templates.items() for *_, t in entries}

    def find(self, method: str, path: str) -> Operation | None:
        """The operation a concrete request path (under ``mount``) belongs to."""
        if not path.startswith(self.mount):
            return None
        local = path[len(self.mount) :] or "/"
        for _, _, regex, template in self._templates.get(method.upper(), []):
            if regex.match(local):
                return Operation(template, method.upper(), self.document["paths"][template])
        return None

    def _validate(self, instance: Any, pointer: str) -> list[str]:
        validator = OAS30Validator(
            {"$ref": f"{_URN}#{pointer}"},
            registry=self.registry,
            format_checker=oas30_format_checker,
        )
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
        return [
            f"{'/'.join(str(p) for p in e.absolute_path) or '<root>'}: {e.message[:300]}"
            for e in errors[:10]
        ]

    def _deref(self, node: dict[str, Any]) -> dict[str, Any]:
        """Follow a local ``$ref`` (v1 keeps shared parameters under components)."""
        while "$ref" in node:
            target: Any = self.document
            for token in node["$ref"][2:].split("/"):
                target = target[token.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def _check_error_shape(self, body: bytes, content_type: str | None) -> list[str]:
        """An error the spec gives no schema for must still have the API's error shape."""
        if not _json_type(content_type):
            return [f"error response Content-Type {content_type!r}, expected JSON"]
        try:
            instance = json.loads(body)
        except ValueError:
            return ["error response body is not JSON"]
        validator = OAS30Validator(ERROR_SCHEMAS[self.api], format_checker=oas30_format_checker)
        return [f"error shape: {e.message[:300]}" for e in validator.iter_errors(instance)]

    def _body_schema(self, holder: dict[str, Any], *where: str) -> tuple[str, str] | None:
        """(JSON pointer, media type) of the JSON schema in a requestBody/response, if any."""
        node, tokens = holder, list(where)
        if "$ref" in node:  # v2 keeps request bodies under components/requestBodies
            tokens = [t.replace("~1", "/").replace("~0", "~") for t in node["$ref"][2:].split("/")]
            node = self.document
            for token in tokens:
                node = node[token]
        for media, content in (node.get("content") or {}).items():
            if _json_type(media) and "schema" in content:
                return _pointer(*tokens, "content", media, "schema"), media
        return None

    def check(
        self,
        method: str,
        path: str,
        status: int,
        *,
        request_body: bytes | None = None,
        request_type: str | None = None,
        response_body: bytes = b"",
        response_type: str | None = None,
        query: dict[str, str] | None = None,
    ) -> Check:
        """Validate one exchange; an undocumented route or status is an error, not a pass."""
        result = Check(self.api, method.upper(), path, status)
        op = self.find(method, path)
        if op is None:
            result.request_errors.append("no path template in the spec for this method and path")
            return result
        result.template = op.template
        operation = op.spec[method.lower()]
        base = ("paths", op.template, method.lower())
        params = [*op.spec.get("parameters", []), *operation.get("parameters", [])]
        params = [self._deref(p) for p in params]
        known = {p.get("name") for p in params if p.get("in") == "query"}
        for param in params:
            required = param.get("in") == "query" and param.get("required")
            if required and query is not None and param["name"] not in query:
                result.request_errors.append(f"required query parameter {param['name']!r}")
        for name in sorted(set(query or {}) - known):
            result.request_errors.append(f"query parameter {name!r} is not in the spec")
        if "requestBody" in operation and 200 <= status < 300:
            found = self._body_schema(operation["requestBody"], *base, "requestBody")
            if request_body:
                if found is None:
                    result.notes.append("request body schema is not JSON in the spec")
                elif not _json_type(request_type):
                    result.request_errors.append(f"request Content-Type {request_type!r}")
                else:
                    pointer, _ = found
                    result.request_errors += self._validate(json.loads(request_body), pointer)
            elif operation["requestBody"].get("required"):
                result.request_errors.append("the spec requires a request body")
        responses = operation.get("responses", {})
        key = str(status) if str(status) in responses else "default"
        gap = SPEC_GAPS.get((self.api, method.upper(), op.template, status))
        if key not in responses and gap is None:
            documented = ", ".join(sorted(responses))
            result.response_errors.append(f"status {status} not documented ({documented})")
            return result
        found = self._body_schema(responses[key], *base, "responses", key) if not gap else None
        if gap:
            result.notes.append(f"spec gap: {gap}")
        if found is None:
            if status >= 400:
                result.response_errors += self._check_error_shape(response_body, response_type)
            elif response_body:
                result.notes.append(f"{status} has no JSON body schema in the spec")
            return result
        if not response_body:
            result.response_errors.append(f"{status} documents a JSON body but none was sent")
            return result
        if not _json_type(response_type):
            result.response_errors.append(f"response Content-Type {response_type!r}")
            return result
        try:
            instance = json.loads(response_body)
        except ValueError:
            result.response_errors.append("response body is not JSON")
            return result
        result.response_errors += self._validate(instance, found[0])
        return result


def _nullable_string(node: Any) -> Any:
    return {"type": "string", "nullable": True, "description": node.get("description", "")}


def _one_of_to_any_of(node: Any) -> Any:
    return {"anyOf": node["oneOf"]}


# Corrections of the specs where they contradict themselves or what Confluence sends, applied
# in memory to the loaded document (the files stay untouched). Each names its reason.
SPEC_PATCHES: list[tuple[str, tuple[str, ...], Any, str]] = [
    (
        "dc",
        ("components", "schemas", "ValidationResult", "properties", "errors"),
        lambda node: {},
        "typed object, but Confluence answers errors: [] (confluence-api.md §10.1)",
    ),
    *[
        (
            "v2",
            ("components", "requestBodies", body, "content", "application/json", "schema",
             "properties", "body"),
            _one_of_to_any_of,
            "PageBodyWrite and PageNestedBodyWrite both accept {representation, value}, so "
            "oneOf rejects every documented body",
        )
        for body in ("PageCreateRequest", "PageUpdateRequest")
    ],
    *[
        (
            "v2",
            ("components", "schemas", schema, "properties", field_name),
            _nullable_string,
            "described as 'null if there is no parent page' but typed as a non-null string",
        )
        for schema in ("PageBulk", "PageSingle")
        for field_name in ("parentId", "parentType")
    ],
]  # fmt: skip


@cache
def load_document(api: str) -> dict[str, Any]:
    """The parsed spec document with ``SPEC_PATCHES`` applied (cached; the specs are large)."""
    with (SPEC_DIR / SPEC_FILES[api]).open(encoding="utf-8") as handle:
        document: dict[str, Any] = json.load(handle)
    for patch_api, where, change, _reason in SPEC_PATCHES:
        if patch_api != api:
            continue
        parent = document
        for token in where[:-1]:
            parent = parent[token]
        parent[where[-1]] = change(parent[where[-1]])
    return document


def spec_for(api: str, *, context_path: str = "") -> OpenApiSpec:
    """The spec checker for ``dc`` (under ``context_path``), ``v1``, ``v2`` or ``v2-2026-04``."""
    mount = {"dc": context_path, "v1": "", "v2": "/wiki/api/v2", "v2-2026-04": "/wiki/api/v2"}[api]
    return OpenApiSpec(api, load_document(api), mount)


def specs_present() -> bool:
    return all((SPEC_DIR / name).is_file() for name in SPEC_FILES.values())
