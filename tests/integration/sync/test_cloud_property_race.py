"""Right after a page create Cloud may write the page's properties in the background
(CONFCLOUD-72142): the sync's marker write meets 409 although the property is there, or a
duplicate key. The first is handled in the same run (the property is read again and kept or
updated with its version); the second is reported as what it is, with what to do."""

from __future__ import annotations

import pytest

from confluence_sync.state.ledger import MARKER_KEY

from .conftest import GROUP, Site


@pytest.fixture
def cloud_site(site: Site) -> Site:
    if not site.cloud:
        pytest.skip("Cloud's background property writes")
    return site


def test_a_409_on_the_first_marker_write_is_resolved_in_the_same_run(cloud_site: Site) -> None:
    site = cloud_site
    site.write_config(["2026-03-12"])
    rule = site.faults.add("property-409")
    result = site.sync()
    assert rule.fired == 1
    assert not [r for r in result.results if r.status == "failed"], result.results
    # The page whose marker write met the 409 carries its marker, and the hub index knows
    # every page: the next run has nothing to do.
    conflicted = [
        e
        for e in site.journal.entries()
        if e["status"] == 409 and e["path"].endswith("/properties")
    ]
    assert len(conflicted) == 1
    page_id = conflicted[0]["path"].split("/pages/")[1].split("/")[0]
    marker = site.backend().reader.get_page_property(page_id, MARKER_KEY)
    assert marker is not None and marker.version == 1  # kept: it held what we sent
    site.journal.clear()
    assert site.sync().writes == 0


def test_a_duplicate_property_key_is_reported_clearly(cloud_site: Site) -> None:
    site = cloud_site
    site.write_config(["2026-03-12"])
    site.faults.add("property-duplicate")
    result = site.sync()
    failed = [r for r in result.results if r.status == "failed"]
    # The first property write is the marker of a home page (made with its space): the hub's
    # or the group's, whichever space's worker gets to its pages first.
    duplicate = [r for r in failed if "holds this property key twice" in r.reason]
    assert [r.item for r in duplicate] in (["page hub/home"], ["page group/UPX/home"]), failed
    assert "CONFCLOUD-72142" in duplicate[0].reason
    assert "DELETE /pages/" in duplicate[0].reason  # what to do about it
    # Only the pages below it wait for it (its space's, a child's child too); the rest went on.
    below = [r for r in failed if r not in duplicate]
    assert all(r.space == duplicate[0].space for r in below), below
    assert all("parent page" in r.reason and "does not exist" in r.reason for r in below)
    assert site.titles(GROUP)
    site.faults.clear()
