"""The space a create answered with saves the read after it, when the answer says enough."""

from __future__ import annotations

from confluence_sync.backends.answers import space_from_create
from confluence_sync.wiki.values import SpaceInfo


def test_expanded_home_page() -> None:
    data = {"id": 98306, "key": "PUU", "name": "Netz", "homepage": {"id": "65547"}}
    assert space_from_create(data, "PUU") == SpaceInfo("PUU", "98306", "Netz", "65547")


def test_home_page_only_linked() -> None:
    data = {"id": 7, "key": "PUU", "name": "N", "_expandable": {"homepage": "/rest/api/content/42"}}
    assert space_from_create(data, "puu") == SpaceInfo("PUU", "7", "N", "42")


def test_answers_that_do_not_say_enough_mean_read_it() -> None:
    assert space_from_create({"id": 7, "key": "PUU"}, "PUU") is None  # no home page
    assert space_from_create({"id": 7, "key": "XYZ", "homepage": {"id": "1"}}, "PUU") is None
    assert space_from_create(None, "PUU") is None
    found = SpaceInfo("PUU", "7", "N", "42")  # an ambiguous failure's lookup result
    assert space_from_create(found, "PUU") is found
