"""Review findings on page planning: members' words and foreign spaces are never taken over,
and one unreadable page does not stop the plan."""

from __future__ import annotations

from dataclasses import replace

from confluence_sync.state.ledger import MARKER_KEY
from confluence_sync.wanted.model import Wanted
from confluence_sync.wiki.regions import wrap_region

from .conftest import GROUP, network, plan_for, sync, target_regions
from .fake import FakeWiki

MEETING = "group/UPX/meeting/2026-03"


def with_meeting_regions(wanted: Wanted, regions: dict[str, str]) -> Wanted:
    """The network, with the March meeting rendered from these regions only."""
    spaces = []
    for space in wanted.spaces:
        pages = []
        for page in space.pages:
            if page.identity == MEETING:
                body = "".join(wrap_region(n, c) for n, c in regions.items()) + "<h2>P</h2><p></p>"
                page = replace(page, regions=target_regions(space.key, regions), body=body)
            pages.append(page)
        spaces.append(replace(space, pages=tuple(pages)))
    return replace(wanted, spaces=tuple(spaces))


def test_a_region_the_template_brings_back_keeps_a_member_edit() -> None:
    wiki = FakeWiki()
    two = with_meeting_regions(network(), {"facts": "<p>A</p>", "extra": "<p>ours</p>"})
    sync(wiki, two)
    sync(wiki, with_meeting_regions(network(), {"facts": "<p>A</p>"}))  # 'extra' dropped
    found = wiki.page_by_title(GROUP, "2026-03-12 Treffen")
    assert found is not None
    body = wiki.get_page(found.info.id).body
    assert "<p>ours</p>" in body  # left on the page, no longer ours
    wiki.member_edit(found.info.id, body.replace("<p>ours</p>", "<p>MEMBER MINUTES</p>"))
    _, results = sync(wiki, two)  # the template re-adds 'extra'
    assert "MEMBER MINUTES" in wiki.get_page(found.info.id).body
    conflicts = [r for r in results if r.item == f"page {MEETING}" and r.status == "conflict"]
    assert conflicts and "'extra'" in conflicts[0].reason


def test_a_region_brought_back_unchanged_is_simply_ours_again() -> None:
    wiki = FakeWiki()
    two = with_meeting_regions(network(), {"facts": "<p>A</p>", "extra": "<p>ours</p>"})
    sync(wiki, two)
    sync(wiki, with_meeting_regions(network(), {"facts": "<p>A</p>"}))
    _, results = sync(wiki, two)
    assert not [r for r in results if r.status in ("conflict", "failed")]


def test_a_foreign_space_home_page_is_not_taken_over_without_adopt() -> None:
    wiki = FakeWiki()
    info = wiki.create_space(GROUP, "Somebody's own space")
    assert info.homepage_id is not None
    wiki.pages[info.homepage_id].body = "<p>Our team's own notes</p>"
    _, results = sync(wiki, network())
    home = [r for r in results if r.item == "page group/UPX/home"]
    assert home and home[0].status == "blocked"
    assert wiki.pages[info.homepage_id].body == "<p>Our team's own notes</p>"
    assert not wiki.pages[info.homepage_id].properties


def test_the_home_page_of_a_space_the_hub_index_records_is_taken() -> None:
    wiki = FakeWiki()
    sync(wiki, network())
    # The group's space is gone and made again (a run that created it was stopped before
    # its home page and index were written); the hub index still records it as ours.
    for page_id in [i for i, p in wiki.pages.items() if p.info.space_key == GROUP]:
        del wiki.pages[page_id]
    wiki.drop_index(GROUP)
    info = wiki.create_space(GROUP, "Arbeitskreis")
    _, results = sync(wiki, network())
    row = [r for r in results if r.item == "page group/UPX/home"]
    assert row and row[0].status == "updated"
    assert info.homepage_id is not None
    # Taken over like a create: recorded in the index, no marker written.
    assert MARKER_KEY not in wiki.pages[info.homepage_id].properties
    assert wiki.index_records(GROUP)["group/UPX/home"].page_id == info.homepage_id
    assert plan_for(wiki, network())[0].empty


def test_one_unreadable_page_is_reported_and_the_rest_planned() -> None:
    wiki = FakeWiki()
    sync(wiki, network())
    found = wiki.page_by_title(GROUP, "2026-03-12 Treffen")
    assert found is not None
    broken = wiki.get_page(found.info.id).body + "<p>x <foo:bar/></p>"
    wiki.member_edit(found.info.id, broken)
    _, results = sync(wiki, network(facts="Hamburg"))
    row = [r for r in results if r.item == f"page {MEETING}"]
    assert row and row[0].status == "conflict"
    assert found.info.id in row[0].reason and "cannot be read" in row[0].reason
    assert wiki.get_page(found.info.id).body == broken
    home = [r for r in results if r.item == "page group/UPX/home"]
    assert home and home[0].status == "updated"
