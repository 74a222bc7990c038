"""Core's route tables, mapped onto the specs: the introspection the report relies on."""

from __future__ import annotations

import pytest

from .openapi import spec_for, specs_present
from .routes import implemented_routes

pytestmark = pytest.mark.skipif(not specs_present(), reason="Atlassian OpenAPI specs not found")


def test_dc_rules_map_to_the_method_specific_templates() -> None:
    routes = implemented_routes(
        "dc", spec_for("dc", context_path="/confluence"), context_path="/confluence"
    )
    keys = {route.key for route in routes}
    # DC names the same path {id} for GET and {contentId} for PUT.
    assert ("GET", "/rest/api/content/{id}") in keys
    assert ("PUT", "/rest/api/content/{contentId}") in keys
    assert all(route.method not in ("HEAD", "OPTIONS") for route in routes)


def test_one_rule_can_serve_several_templates_and_unknown_rules_are_kept() -> None:
    routes = implemented_routes("v1", spec_for("v1"))
    child = {r.template for r in routes if r.rule == "/content/<int:page_id>/child/<content_type>"}
    assert "/wiki/rest/api/content/{id}/child/{type}" in child
    # Undocumented rules are kept (the report lists them).
    assert any(route.template is None for route in routes)


def test_each_flavour_counts_only_its_own_rules() -> None:
    cloud = {r.rule for r in implemented_routes("v1", spec_for("v1"))}
    dc = {
        r.rule
        for r in implemented_routes(
            "dc", spec_for("dc", context_path="/confluence"), context_path="/confluence"
        )
    }
    assert "/admin/user" in dc and "/admin/user" not in cloud  # DC-only
    assert "/space/<key>/permission" in cloud and "/space/<key>/permission" not in dc


def test_every_v2_rule_is_documented() -> None:
    """In the 2025-08 spec, or else (the space-role routes) in the 2026-04 snapshot."""
    routes = implemented_routes("v2", spec_for("v2"))
    assert routes
    newer = {r.rule: r.template for r in implemented_routes("v2", spec_for("v2-2026-04"))}
    assert [r for r in routes if r.template is None and newer.get(r.rule) is None] == []
    assert newer["/space-role-mode"] == "/space-role-mode"
