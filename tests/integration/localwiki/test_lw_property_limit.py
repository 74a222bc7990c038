"""Property values over 32 KB of JSON are refused, as Confluence documents ("each property can
have no more than 32KB of JSON data"): 413 on the v1/DC routes, 400 on v2, at create and at
update, for content and space properties alike; 32,768 bytes exactly are taken."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import Wiki

LIMIT = 32_768


def value_of(total: int) -> dict[str, str]:
    """A JSON object of exactly ``total`` bytes (compact, UTF-8), umlauts included."""
    value = {"t": "ü" + "x" * (total - len('{"t":"ü"}'.encode()))}
    assert len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()) == total
    return value


def error_text(response: Any) -> str:
    return str(response.json())


@pytest.mark.parametrize("owner", ["content", "space"])
def test_v1_and_dc_refuse_a_value_over_32_kb_with_413(wiki: Wiki, owner: str) -> None:
    space = wiki.space()
    page = wiki.page("Props")
    base = f"/content/{page['id']}" if owner == "content" else f"/space/{space['key']}"
    fits = wiki.v1("POST", f"{base}/property", json={"key": "k", "value": value_of(LIMIT)})
    assert fits.status_code == 200, fits.text
    big = wiki.v1("POST", f"{base}/property", json={"key": "big", "value": value_of(LIMIT + 1)})
    assert big.status_code == 413 and "too long" in error_text(big)
    update = {"value": value_of(LIMIT + 1), "version": {"number": 2}}
    assert wiki.v1("PUT", f"{base}/property/k", json=update).status_code == 413
    # Nothing of the refused writes landed.
    assert wiki.v1("GET", f"{base}/property/big").status_code == 404
    stored = wiki.v1("GET", f"{base}/property/k").json()
    assert stored["version"]["number"] == 1 and stored["value"] == value_of(LIMIT)


@pytest.mark.parametrize("owner", ["pages", "spaces"])
def test_v2_refuses_a_value_over_32_kb_with_400(cloud: Wiki, owner: str) -> None:
    space = cloud.space()
    owner_id = cloud.page("Props")["id"] if owner == "pages" else space["id"]
    base = f"/{owner}/{owner_id}/properties"
    fits = cloud.v2("POST", base, json={"key": "k", "value": value_of(LIMIT)})
    assert fits.status_code in (200, 201), fits.text
    big = cloud.v2("POST", base, json={"key": "big", "value": value_of(LIMIT + 1)})
    assert big.status_code == 400 and "too long" in error_text(big)
    update = {"key": "k", "value": value_of(LIMIT + 1), "version": {"number": 2}}
    assert cloud.v2("PUT", f"{base}/{fits.json()['id']}", json=update).status_code == 400
    listed = cloud.v2("GET", base).json()["results"]
    assert [(p["key"], p["version"]["number"]) for p in listed] == [("k", 1)]


def test_an_inline_property_of_a_cloud_v1_create_is_held_to_the_limit(cloud: Wiki) -> None:
    """Cloud's v1 create still takes ``metadata.properties`` (Data Center ignores them)."""
    cloud.space()
    data = {
        "type": "page",
        "title": "Mit Marker",
        "space": {"key": "NET"},
        "body": {"storage": {"value": "<p/>", "representation": "storage"}},
        "metadata": {"properties": {"marker": {"value": value_of(LIMIT + 1)}}},
    }
    assert cloud.v1("POST", "/content", json=data).status_code == 413


def test_v2_space_properties_are_listed_in_the_specs_shape(cloud: Wiki) -> None:
    space = cloud.space()
    created = cloud.v2("POST", f"/spaces/{space['id']}/properties", json={"key": "k", "value": 1})
    assert created.status_code == 201
    listed = cloud.v2("GET", f"/spaces/{space['id']}/properties", params={"limit": 250})
    (prop,) = listed.json()["results"]
    # SpaceProperty of the v2 spec: createdAt/createdBy, and a version of its own shape.
    assert {"id", "key", "value", "createdAt", "createdBy", "version"} == set(prop)
    assert set(prop["version"]) == {"createdAt", "createdBy", "message", "number"}
    assert prop["value"] == 1 and prop["version"]["number"] == 1
