"""``list_space_properties``: the index head and its shards in one listing request (DC
``GET /space/{key}/property``, Cloud v2 ``GET /spaces/{id}/properties``), values and versions
as a versioned write needs them; a value over 32 KB is refused the way each API refuses it."""

from __future__ import annotations

import pytest

from confluence_sync.errors import BadRequestError, PayloadTooLargeError

from .conftest import Site

INDEX = "confluence-sync.index"


def test_the_index_and_its_shards_come_in_one_request(site: Site) -> None:
    site.space()
    writer = site.backend.writer()
    for key, value in (
        (INDEX, {"format": 1}),
        (f"{INDEX}.p0", {"p": {}}),
        (f"{INDEX}.p1", {"p": {"x": {"i": 1, "v": 1}}}),
        ("other-app", {"mine": True}),  # someone else's: not listed
        (f"{INDEX}er", {}),  # a longer key with our prefix: not ours either
    ):
        writer.set_space_property("UPX", key, value, current=None)
    before = site.backend.counter.requests
    found = site.backend.reader.list_space_properties("UPX", INDEX)
    assert site.backend.counter.requests - before == 1
    assert sorted(p.key for p in found) == [INDEX, f"{INDEX}.p0", f"{INDEX}.p1"]
    shard = next(p for p in found if p.key == f"{INDEX}.p1")
    assert shard.value == {"p": {"x": {"i": 1, "v": 1}}} and shard.version == 1
    # What the listing gives is enough for the next versioned write (Cloud needs the id).
    again = writer.set_space_property("UPX", shard.key, {"p": {}}, current=shard)
    assert again.version == 2


def test_a_long_listing_is_followed_page_by_page(site: Site) -> None:
    site.space()
    writer = site.backend.writer()
    for number in range(260):  # more than one page: DC lists 200, v2 250 at most
        writer.set_space_property("UPX", f"{INDEX}.p{number}", {"p": {}}, current=None)
    before = site.backend.counter.requests
    found = site.backend.reader.list_space_properties("UPX", INDEX)
    assert len(found) == 260 and site.backend.counter.requests - before == 2


def test_no_properties_and_no_space_are_empty(site: Site) -> None:
    site.space()
    assert site.backend.reader.list_space_properties("UPX", INDEX) == []
    assert site.backend.reader.list_space_properties("NOPE", INDEX) == []


def test_a_value_over_32_kb_is_refused_as_the_api_refuses_it(site: Site) -> None:
    site.space()
    writer = site.backend.writer()
    # 413 on DC (its spec: "Returned if the value is too long"); v2 lists only 400.
    refused = BadRequestError if site.cloud else PayloadTooLargeError
    fits = writer.set_space_property("UPX", INDEX, {"x": "y" * 32_760}, current=None)
    with pytest.raises(refused):
        writer.set_space_property("UPX", INDEX, {"x": "y" * 32_761}, current=fits)
    page = writer.create_page("UPX", "Seite", "<p/>")
    with pytest.raises(refused):
        writer.set_page_property(page.id, "confluence-sync", {"x": "y" * 40_000}, current=None)
