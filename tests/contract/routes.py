"""The local wiki's implemented routes, read from core's werkzeug route tables, mapped to specs.

Core registers every REST route on a ``RouteTable`` (``api.route_tables()``: ``v1`` for
``/rest/api``, ``v2`` for ``/wiki/api/v2``); each holds werkzeug ``Rule`` objects. A rule such as
``/content/<int:page_id>`` is turned into a sample concrete path and matched against the
flavour's spec, which gives the spec's template (``/rest/api/content/{id}``) or nothing (a
route the spec of that flavour does not document).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule

from .openapi import OpenApiSpec

# Which table serves which spec, and where it is mounted in a concrete URL path.
MOUNTS = {
    "dc": ("v1", "/rest/api"),
    "v1": ("v1", "/wiki/rest/api"),
    "v2": ("v2", "/wiki/api/v2"),
    "v2-2026-04": ("v2", "/wiki/api/v2"),
}
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_IGNORED_METHODS = {"HEAD", "OPTIONS"}  # werkzeug adds HEAD to every GET


@dataclass(frozen=True)
class Route:
    api: str  # "dc", "v1" or "v2"
    method: str
    rule: str  # werkzeug rule below the mount, e.g. /content/<int:page_id>
    template: str | None  # a spec template this rule serves; None if the spec has none

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.template or f"(not in spec) {self.rule}")


def _spec_sample(template: str) -> str:
    """A concrete path for a spec template: every parameter becomes ``1``."""
    return re.sub(r"\{[^/]+?\}", "1", template)


def implemented_routes(api: str, spec: OpenApiSpec, *, context_path: str = "") -> list[Route]:
    """Every (method, rule) core serves for ``api``, once per spec template it serves.

    A werkzeug rule can serve several templates (``/content/<id>/child/<type>`` serves both
    ``…/child/{type}`` and ``…/child/comment``): each template that the rule matches, once
    filled in with sample values, counts.
    """
    from confluence_sync.localwiki.api import route_tables

    table_name, mount = MOUNTS[api]
    table = route_tables()[table_name]
    prefix = (context_path if api == "dc" else "") + mount
    spec_prefix = spec.mount + (mount if not api.startswith("v2") else "")
    routes = []
    # Each flavour counts only its own routes: Cloud-only v1 routes are not DC's, and back.
    flavour = "dc" if api == "dc" else "cloud"
    for rule in table.rules_for(flavour):
        adapter = Map([Rule(rule.rule, methods=rule.methods, endpoint="x")]).bind("localhost")
        for method in sorted((rule.methods or set()) - _IGNORED_METHODS):
            templates = set()
            for spec_method, template in spec.routes():
                if spec_method != method or not (spec.mount + template).startswith(spec_prefix):
                    continue
                local = _spec_sample(template)[len(spec_prefix) - len(spec.mount) :] or "/"
                try:
                    adapter.match(local, method=method)
                except HTTPException:
                    continue
                templates.add(template)
            if not templates:  # fall back to the spec's own matcher on a sample of the rule
                found = spec.find(method, prefix + _CONVERTER.sub("1", rule.rule))
                templates = {found.template} if found else set()
            routes += [Route(api, method, rule.rule, t) for t in sorted(templates)]
            if not templates:
                routes.append(Route(api, method, rule.rule, None))
    return routes
