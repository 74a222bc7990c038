"""Members save pages in the editor, over HTTP, in both flavours.

The local wiki's ``/__localwiki/editor-save`` re-serialises the whole body the way the Cloud or
the Data Center editor does (our regions included), as every real save does. A member who
writes only outside our regions must not freeze the page; an edit of our words must still be
a conflict; and inline comments on our words must survive a region update where the words do.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from confluence_sync import report
from confluence_sync.run import RunResult
from confluence_sync.state import ledger_store as index_store
from confluence_sync.state.ledger import INDEX_KEY
from confluence_sync.wiki.canonical_legacy import legacy_region_hash
from confluence_sync.wiki.regions import find_regions

from ...unit.engine.legacy import legacy_value
from .conftest import GROUP, HUB, MEETINGS, Site

MEETING = "2026-03-12 Frühjahrstreffen bei HANSA-FLEX"
MINUTES = "<p><ac:placeholder>Was wurde besprochen?</ac:placeholder></p>"
WORDS = "<p>Protokoll: Rundgang durch die Halle, Abwärme &amp; ISO 50001.</p>"


def with_place(site: Site, place: str) -> None:
    """The usual network, the spring meeting held at ``place``."""
    meetings = MEETINGS["2026-03-12"] + f"        place: {place}\n" + MEETINGS["2026-09-10"]
    site.write_config(raw=site.config_text(meetings))


def statuses(result: RunResult, status: str) -> list[str]:
    return [f"{r.item}: {r.reason}" for r in result.results if r.status == status]


def test_minutes_saved_in_the_editor_do_not_stop_a_region_update(site: Site) -> None:
    with_place(site, "Halle 3")
    site.sync()
    meeting = site.page(GROUP, MEETING)
    assert MINUTES in meeting.body
    saved = site.member_save("sluedtke", meeting, meeting.body.replace(MINUTES, WORDS))
    # The editor rewrote our region too (E3: the earlier canonical form saw an edit).
    before, after = find_regions(meeting.body)["facts"], find_regions(saved.body)["facts"]
    assert after.content != before.content
    assert legacy_region_hash(after.content) != legacy_region_hash(before.content)

    with_place(site, "Halle 5")
    result = site.sync()
    assert not statuses(result, "conflict") and not statuses(result, "failed")
    assert any("region facts" in r for r in statuses(result, "updated"))
    page = site.page(GROUP, MEETING)
    facts = find_regions(page.body)["facts"].content
    assert "Halle 5" in facts and "Halle 3" not in facts
    assert "Rundgang durch die Halle" in page.body
    assert page.info.version == saved.info.version + 1


def test_an_edit_of_our_words_saved_in_the_editor_is_a_conflict_and_kept(site: Site) -> None:
    with_place(site, "Halle 3")
    site.sync()
    meeting = site.page(GROUP, MEETING)
    site.member_save("cherm", meeting, meeting.body.replace("Halle 3", "Halle 4 (Eingang Süd)"))
    with_place(site, "Halle 5")
    result = site.sync()
    conflicts = statuses(result, "conflict")
    assert len(conflicts) == 1 and "region 'facts' edited by" in conflicts[0]
    facts = find_regions(site.page(GROUP, MEETING).body)["facts"].content
    assert "Halle 4 (Eingang Süd)" in facts and "Halle 5" not in facts


def comment(site: Site, page_id: str, words: str, ref: str) -> None:
    """A member comments on ``words`` in the facts region (no page version, as Confluence)."""
    site.inline_comment(page_id, "facts", words, ref)


@pytest.mark.parametrize("conflict", [False, True], ids=["planned", "after-409"])
def test_inline_comments_on_kept_words_survive_and_removed_ones_are_named(
    site: Site, conflict: bool
) -> None:
    with_place(site, "Halle 3")
    site.sync()
    meeting = site.page(GROUP, MEETING)
    comment(site, meeting.info.id, "Gastgeber", "c-kept")
    comment(site, meeting.info.id, "Halle 3", "c-gone")

    with_place(site, "Halle 5")
    plan = site.plan()
    named = "inline comment c-gone on 'Halle 3' in region facts loses its words"
    assert any(named in r for r in statuses(plan, "planned"))
    assert named in report.to_markdown(plan)
    assert "c-kept" not in report.to_markdown(plan)

    if conflict:  # the write meets a 409: re-read, re-checked and spliced by apply instead
        site.faults.add(f"409:path=*/{meeting.info.id}")
    result = site.sync()
    assert any(named in r for r in statuses(result, "updated"))
    if conflict:
        assert site.journal.counts().faults == 1
        last = site.wiki.store.versions(int(meeting.info.id))[0]  # newest first
        assert last["message"].count(named) == 1
    facts = find_regions(site.page(GROUP, MEETING).body)["facts"].content
    assert '<ac:inline-comment-marker ac:ref="c-kept">Gastgeber</ac:inline-comment-marker>' in facts
    assert "c-gone" not in facts and "Halle 5" in facts


def legacy_index(site: Site, space: str) -> None:
    """The space's index as an earlier release wrote it: region hashes in the old form."""
    backend = site.backend()
    stored = index_store.read(backend.reader, space)
    prop, index = stored.head, stored.index
    assert prop is not None and not stored.shards
    pages = {}
    for identity, record in index.pages.items():
        found = find_regions(backend.reader.get_page(record.page_id).body)
        regions = {name: legacy_region_hash(found[name].content) for name in record.regions}
        pages[identity] = replace(record, regions=regions)
    legacy = replace(index, pages=pages)
    value = legacy_value(legacy)  # an earlier release kept the index in one property
    backend.writer().set_space_property(space, INDEX_KEY, value, current=prop)


def test_an_index_from_an_earlier_release_is_taken_over_without_conflicts(site: Site) -> None:
    with_place(site, "Halle 3")
    site.sync()
    for space in (HUB, GROUP):
        legacy_index(site, space)
    meeting = site.page(GROUP, MEETING)
    versions = {p.id: p.version for p in site.backend().reader.list_pages(GROUP)}

    result = site.sync()
    assert not statuses(result, "conflict") and not statuses(result, "failed")
    migrated = statuses(result, "updated")
    assert migrated and all("current canonical form" in r for r in migrated)
    assert {p.id: p.version for p in site.backend().reader.list_pages(GROUP)} == versions
    site.journal.clear()
    assert site.sync().writes == 0 and site.journal.counts().writes == 0

    # Recorded in the new form, a later editor save and a config change go through.
    saved = site.member_save("sluedtke", meeting, site.page(GROUP, MEETING).body)
    with_place(site, "Halle 5")
    result = site.sync()
    assert not statuses(result, "conflict")
    assert "Halle 5" in find_regions(site.page(GROUP, MEETING).body)["facts"].content
    assert site.page(GROUP, MEETING).info.version == saved.info.version + 1
