"""``--force`` is two decisions: overwriting member edits and allowing a large removal. Each
option grants only its own; ``force`` is the shorthand for both."""

from __future__ import annotations

import datetime as dt

from confluence_sync.plan.notes import Note
from confluence_sync.plan.page_changes import UpdatePage
from confluence_sync.run import RunOptions, plan_run
from confluence_sync.wiki.regions import replace_region

from .conftest import GROUP, network, sync
from .fake import FakeWiki

TODAY = dt.date(2026, 1, 5)
MANY = [f"2026-{m:02d}-10" for m in range(1, 11)]


def _member_edits_facts(wiki: FakeWiki) -> None:
    home = wiki.page_by_title(GROUP, "Arbeitskreis")
    wiki.member_edit(home.info.id, replace_region(home.body, "facts", "<p>Von Hand</p>"))


def _overwrites(options: RunOptions, wiki: FakeWiki) -> bool:
    plan = plan_run(wiki, network(MANY, facts="Hamburg"), options).plan
    return any(isinstance(c, UpdatePage) and c.overwritten == ("facts",) for c in plan.changes)


def test_overwrite_conflicts_overwrites_and_says_so_but_allow_removals_does_not(
    wiki: FakeWiki,
) -> None:
    sync(wiki, network(MANY))
    _member_edits_facts(wiki)
    assert not _overwrites(RunOptions(TODAY, allow_removals=True), wiki)
    assert _overwrites(RunOptions(TODAY, overwrite_conflicts=True), wiki)
    assert _overwrites(RunOptions(TODAY, overwrite_conflicts=True, allow_removals=True), wiki)
    kept = plan_run(wiki, network(MANY, facts="Hamburg"), RunOptions(TODAY)).plan
    conflict = next(c for c in kept.changes if isinstance(c, Note) and c.status == "conflict")
    assert "--overwrite-conflicts overwrites" in conflict.text


def test_allow_removals_allows_a_large_archive_but_overwrite_conflicts_does_not(
    wiki: FakeWiki,
) -> None:
    sync(wiki, network(MANY))
    few = network(MANY[:2])
    refused = plan_run(wiki, few, RunOptions(TODAY, overwrite_conflicts=True))
    assert "archive or revoke 8 of" in refused.refused
    assert "--allow-removals" in refused.refused
    assert plan_run(wiki, few, RunOptions(TODAY, allow_removals=True)).refused == ""
    assert (
        plan_run(
            wiki, few, RunOptions(TODAY, overwrite_conflicts=True, allow_removals=True)
        ).refused
        == ""
    )
