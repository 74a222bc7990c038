"""Which editor a page opens in (the local wiki's ``viewer/info.editor_of``): on Cloud the
cloud editor for every page since April 2026, made through v1 or v2, storage format or not;
neither flavour writes an ``editor`` content property of its own, and one a client stores is
kept as sent (a content property like any other)."""

from __future__ import annotations

from typing import Any

from .conftest import Wiki

STORAGE = {"representation": "storage", "value": "<p>Protokoll</p>"}


def _editor_property(wiki: Wiki, page_id: str) -> Any:
    listed = wiki.v2("GET", f"/pages/{page_id}/properties", params={"key": "editor"})
    assert listed.status_code == 200, listed.text
    results = listed.json()["results"]
    return results[0]["value"] if results else None


def test_pages_made_through_v1_and_v2_get_no_editor_property(cloud: Wiki) -> None:
    space = cloud.space()
    made = cloud.v2(
        "POST",
        "/pages",
        json={"spaceId": space["id"], "status": "current", "title": "Über v2", "body": STORAGE},
    )
    assert made.status_code == 200, made.text
    v1 = cloud.page("Über v1")
    assert _editor_property(cloud, made.json()["id"]) is None
    assert _editor_property(cloud, v1["id"]) is None
    assert cloud.v1("GET", f"/content/{v1['id']}/property/editor").status_code == 404


def test_an_editor_property_a_client_sends_is_kept_as_sent(cloud: Wiki) -> None:
    cloud.space()
    made = cloud.v1(
        "POST",
        "/content",
        json={
            "type": "page",
            "title": "Mit Eigenschaft",
            "space": {"key": "NET"},
            "body": {"storage": STORAGE},
            "metadata": {"properties": {"editor": {"value": "v2"}}},
        },
    )
    assert made.status_code == 200, made.text
    assert _editor_property(cloud, made.json()["id"]) == "v2"
