"""Fixtures for the contract tests: the specs (or a skip) and one recorded run per flavour."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from . import scenario, steps_cloud, steps_dc
from .openapi import SPEC_DIR, OpenApiSpec, spec_for, specs_present

CONTEXT_PATH = "/confluence"


@dataclass
class FlavourRun:
    flavour: str
    recorder: scenario.Recorder
    specs: dict[str, OpenApiSpec]

    def spec_for_path(self, path: str) -> OpenApiSpec:
        if self.flavour == "dc":
            return self.specs["dc"]
        return self.specs["v2"] if path.startswith("/wiki/api/v2/") else self.specs["v1"]


def local_wiki_class() -> Any:
    # Imported here, not skipped on failure: a broken local wiki must fail these tests.
    from confluence_sync.localwiki.server import LocalWiki

    return LocalWiki


def run_flavour(flavour: str) -> FlavourRun:
    """Start a fresh wiki of ``flavour``, drive the scenario, and stop it again."""
    local_wiki = local_wiki_class()
    if flavour == "dc":
        with local_wiki(flavour="dc", context_path=CONTEXT_PATH) as wiki:
            recorder = scenario.run(steps_dc.dc_steps(), wiki.url, wiki.admin)
        specs = {"dc": spec_for("dc", context_path=CONTEXT_PATH)}
    else:
        with local_wiki(flavour="cloud") as wiki:
            recorder = scenario.run(steps_cloud.cloud_steps(), wiki.root_url, wiki.admin)
        specs = {"v1": spec_for("v1"), "v2": spec_for("v2")}
    return FlavourRun(flavour, recorder, specs)


@pytest.fixture(scope="session")
def runs() -> Iterator[dict[str, FlavourRun]]:
    if not specs_present():
        pytest.skip(f"Atlassian OpenAPI specs not found in {SPEC_DIR}")
    yield {flavour: run_flavour(flavour) for flavour in ("dc", "cloud")}
