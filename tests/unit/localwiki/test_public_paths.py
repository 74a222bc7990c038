"""The import paths code outside the local wiki uses keep working whatever the layout inside.

The sync engine, the CLI, the benchmarks and tests written against the flat layout import
these names from these modules; each must be the object the wiki itself uses.
"""

from __future__ import annotations

import importlib

import pytest

from confluence_sync.localwiki.store import model as store_model
from confluence_sync.localwiki.testing import journal as testing_journal

PUBLIC = {
    "confluence_sync.localwiki.server": ["LocalWiki", "build_wsgi_app"],
    "confluence_sync.localwiki.store": [
        "Store",
        "ADMIN_USERNAME",
        "ADMIN_PASSWORD",
        "ADMIN_EMAIL",
        "ADMIN_TOKEN",
    ],
    "confluence_sync.localwiki.model": [
        "DEFAULT_GROUP",
        "StoreError",
        "Invalid",
        "NotFound",
        "Conflict",
        "TooLarge",
    ],
    "confluence_sync.localwiki.journal": ["read_journal", "count_requests", "JournalMiddleware"],
}


@pytest.mark.parametrize(("module", "names"), sorted(PUBLIC.items()))
def test_a_public_path_gives_its_names(module: str, names: list[str]) -> None:
    loaded = importlib.import_module(module)
    missing = [name for name in names if not hasattr(loaded, name)]
    assert not missing, f"{module} lost {missing}"


def test_the_old_paths_hand_on_the_same_objects() -> None:
    model = importlib.import_module("confluence_sync.localwiki.model")
    journal = importlib.import_module("confluence_sync.localwiki.journal")
    assert model.DEFAULT_GROUP == store_model.DEFAULT_GROUP
    assert model.NotFound is store_model.NotFound
    assert journal.JournalMiddleware is testing_journal.JournalMiddleware
    assert journal.read_journal is testing_journal.read_journal
