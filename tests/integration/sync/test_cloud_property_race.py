"""Right after a page create Cloud may write the page's properties in the background
(CONFCLOUD-72142): a property write then meets 409 although the property is there, or a
duplicate key. A create writes no property any more (the index records the page), so that race
cannot meet a create; the marker writes that remain (archiving, adoption) meet the same faults
on the page's first property write. The first is handled in the same run (the property is
read again and kept or updated with its version); the second is reported as what it is, with
what to do."""

from __future__ import annotations

import pytest

from confluence_sync.state.ledger import MARKER_KEY

from .conftest import GROUP, Site

ARCHIVED = "page group/UPX/meeting/2026-09"


@pytest.fixture
def cloud_site(site: Site) -> Site:
    if not site.cloud:
        pytest.skip("Cloud's background property writes")
    return site


def page_property_posts(site: Site) -> list[dict[str, object]]:
    return [
        e
        for e in site.journal.entries()
        if e["method"] == "POST"
        and str(e["path"]).endswith("/properties")
        and "/pages/" in str(e["path"])
    ]


def test_a_first_sync_writes_no_page_property_and_a_409_on_a_marker_is_resolved(
    cloud_site: Site,
) -> None:
    site = cloud_site
    site.write_config()
    first = site.sync()
    assert not [r for r in first.results if r.status == "failed"], first.results
    assert page_property_posts(site) == []  # nothing for Cloud's background write to meet
    site.write_config(["2026-03-12"])  # archives 2026-09: its first marker write
    rule = site.faults.add("property-409")
    result = site.sync()
    assert rule.fired == 1
    assert not [r for r in result.results if r.status == "failed"], result.results
    assert {r.item: r.status for r in result.results}[ARCHIVED] == "archived"
    conflicted = [e for e in page_property_posts(site) if e["status"] == 409]
    assert len(conflicted) == 1
    page_id = str(conflicted[0]["path"]).split("/pages/")[1].split("/")[0]
    marker = site.backend().reader.get_page_property(page_id, MARKER_KEY)
    assert marker is not None and marker.version == 1  # kept: it held what we sent
    assert marker.value["archived"] is True  # type: ignore[index,call-overload]
    site.journal.clear()
    assert site.sync().writes == 0


def test_a_duplicate_property_key_is_reported_clearly(cloud_site: Site) -> None:
    site = cloud_site
    site.write_config()
    site.sync()
    site.write_config(["2026-03-12"])
    site.faults.add("property-duplicate")
    result = site.sync()
    failed = [r for r in result.results if r.status == "failed"]
    duplicate = [r for r in failed if "holds this property key twice" in r.reason]
    assert [r.item for r in duplicate] == [ARCHIVED], failed
    assert "CONFCLOUD-72142" in duplicate[0].reason
    assert "DELETE /pages/" in duplicate[0].reason  # what to do about it
    assert duplicate == failed  # the rest of the plan went on
    assert site.titles(GROUP)
