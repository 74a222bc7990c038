"""The two faults of Cloud's background property writes after a page create: ``property-409``
(the property lands, the client hears 409) and ``property-duplicate`` (400
``jsonproperty.duplicate.key``, nothing written), each on the next property create only."""

from __future__ import annotations

import pytest
import requests

from confluence_sync.localwiki.testing.faults import parse_fault_spec

from .conftest import Served
from .test_fault_kinds import add

V2_PROPS = "/wiki/api/v2/pages/42/properties"
V1_PROPS = "/rest/api/content/42/property"


@pytest.mark.parametrize("kind", ["property-409", "property-duplicate"])
def test_defaults_are_the_next_property_create(kind: str) -> None:
    rule = parse_fault_spec(kind)
    assert (rule.methods, rule.count) == (("POST",), 1)
    assert rule.matches("POST", V2_PROPS) and rule.matches("POST", V1_PROPS)
    # Not a property create: the page create, a property update, a property read.
    assert not rule.matches("POST", "/wiki/api/v2/pages")
    assert not rule.matches("PUT", V2_PROPS + "/7")
    assert not rule.matches("GET", V2_PROPS)


def test_property_409_writes_the_property_yet_answers_409(served: Served) -> None:
    add(served, "property-409")
    assert requests.post(served.url + "/wiki/api/v2/pages", json={}, timeout=5).ok
    answer = requests.post(served.url + V2_PROPS, json={"key": "k", "value": 1}, timeout=5)
    assert answer.status_code == 409
    assert "ConflictException" in answer.text  # in the v2 error shape
    assert served.wiki.writes == 2  # the page and the property: it landed
    again = requests.post(served.url + V2_PROPS, json={"key": "k", "value": 1}, timeout=5)
    assert again.ok  # once only


def test_property_duplicate_answers_400_and_writes_nothing(served: Served) -> None:
    add(served, "property-duplicate")
    answer = requests.post(served.url + V1_PROPS, json={"key": "k", "value": 1}, timeout=5)
    assert answer.status_code == 400
    assert "jsonproperty.duplicate.key" in answer.json()["message"]
    assert served.wiki.writes == 0
