"""A spec-driven fuzz of every implemented route, both flavours, then a restart.

Schemathesis generates requests from Atlassian's specs (``specs.py``, cut down to what the
local wiki serves) against a file-backed wiki seeded with a small site (``seed.py``), as the
wiki's admin. Bad input must get a 4xx, never a 5xx; no request may hang (``REQUEST_TIMEOUT``);
and whatever the fuzz did to the data, a new ``LocalWiki`` on the same database file must
start and answer, as ``confluence-sync serve --db`` would.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import requests

from confluence_sync.localwiki.server import LocalWiki
from tests.contract.openapi import specs_present

from .runner import describe, run_tree
from .seed import seed
from .specs import CONTEXT_PATH, TREES, plan_for

pytestmark = [
    pytest.mark.skipif(not specs_present(), reason="Atlassian OpenAPI specs not found"),
    pytest.mark.timeout(300),
]


def _serve(flavour: str, db: Path) -> LocalWiki:
    context = CONTEXT_PATH if flavour == "dc" else ""
    return LocalWiki(flavour=flavour, db_path=db, context_path=context)  # type: ignore[arg-type]


@pytest.mark.parametrize("flavour", ["dc", "cloud"])
def test_fuzz_gets_no_server_error_and_the_wiki_restarts_on_its_database(
    flavour: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Thousands of generated paths are unknown routes; their warning would drown the report.
    caplog.set_level(logging.ERROR, logger="confluence_sync.localwiki")
    db = tmp_path / "wiki.db"
    with _serve(flavour, db) as wiki:
        site = seed(wiki)
        reports = [run_tree(wiki, plan_for(api, site)) for api in TREES[flavour]]
    print("\n" + describe(reports))
    # A floor, so a run whose generation silently broke cannot pass as clean.
    assert all(r.requests >= 5 * r.operations for r in reports), describe(reports)
    assert not [r for r in reports if r.server_errors or r.transport_errors], describe(reports)
    assert not [r for r in reports if r.first_unauthorized], describe(reports)

    with _serve(flavour, db) as again:
        answer = requests.get(
            again.url + ("/api/v2/spaces" if flavour == "cloud" else "/rest/api/space"),
            auth=again.admin,
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
