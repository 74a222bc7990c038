"""``_links`` as real sites return them: the top-level object of an answer carries ``base`` (and
v1/DC ``context``), so a client can build a page's URL as ``base + webui``; objects inside a
list leave that to the list."""

from __future__ import annotations

from typing import Any

import pytest
from atlassian import Confluence

from .conftest import Wiki, attach

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _v1_page_links(wiki: Wiki) -> tuple[dict[str, Any], dict[str, Any]]:
    wiki.space()
    page = wiki.page("Treffen")
    return page, wiki.v1("GET", f"/content/{page['id']}").json()["_links"]


def test_dc_content_answer_links(dc: Wiki) -> None:
    page, links = _v1_page_links(dc)
    assert links["base"] == dc.server.root_url + "/confluence" == dc.url
    assert links["context"] == "/confluence"
    assert links["collection"] == "/rest/api/content"
    assert links["self"] == f"{dc.url}/rest/api/content/{page['id']}"
    assert links["edit"] == f"/pages/resumedraft.action?draftId={page['id']}"
    assert links["tinyui"].startswith("/x/") and "editui" not in links
    # The page's URL, built the way clients build it.
    assert (links["base"] + links["webui"]).startswith(dc.url + "/pages/viewpage.action?")
    # The create and update answers are top-level content too.
    assert page["_links"]["base"] == dc.url
    update = {"type": "page", "title": "Treffen", "version": {"number": 2}}
    assert dc.v1("PUT", f"/content/{page['id']}", json=update).json()["_links"]["base"] == dc.url


def test_cloud_v1_content_answer_links(cloud: Wiki) -> None:
    page, links = _v1_page_links(cloud)
    assert links["base"] == cloud.url and cloud.url.endswith("/wiki")
    assert links["context"] == "/wiki"
    assert links["editui"] == f"/pages/resumedraft.action?draftId={page['id']}"
    assert links["edituiv2"] == f"/spaces/NET/pages/edit-v2/{page['id']}"
    assert links["webui"] == f"/spaces/NET/pages/{page['id']}" and "edit" not in links


def test_v1_list_elements_leave_base_to_the_list(wiki: Wiki) -> None:
    wiki.space()
    wiki.page("Treffen")
    listed = wiki.v1("GET", "/content", params={"spaceKey": "NET"}).json()
    assert listed["_links"]["base"] == wiki.url
    assert all("base" not in r["_links"] and "webui" in r["_links"] for r in listed["results"])


def test_v1_space_and_property_answers_carry_base_and_context(wiki: Wiki) -> None:
    made = wiki.space()
    assert made["_links"]["base"] == wiki.url
    space = wiki.v1("GET", "/space/NET").json()["_links"]
    assert space["base"] == wiki.url and space["collection"] == "/rest/api/space"
    page = wiki.page("Treffen")
    prop = wiki.v1("POST", f"/content/{page['id']}/property", json={"key": "k", "value": 1})
    assert prop.json()["_links"]["base"] == wiki.url
    assert prop.json()["_links"]["context"] == wiki.v1("GET", "/space").json()["_links"]["context"]


def test_v2_single_entities_carry_base_and_list_elements_do_not(cloud: Wiki) -> None:
    space = cloud.v2("POST", "/spaces", json={"key": "NET", "name": "Netz"}).json()
    assert space["_links"]["base"] == cloud.url
    assert cloud.v2("GET", f"/spaces/{space['id']}").json()["_links"]["base"] == cloud.url
    body = {"spaceId": space["id"], "title": "Treffen", "status": "current"}
    made = cloud.v2("POST", "/pages", json=body).json()
    links = cloud.v2("GET", f"/pages/{made['id']}").json()["_links"]
    assert made["_links"]["base"] == links["base"] == cloud.url
    assert links["editui"] == f"/pages/resumedraft.action?draftId={made['id']}"
    assert links["edituiv2"] == f"/spaces/NET/pages/edit-v2/{made['id']}"
    assert links["webui"] == f"/spaces/NET/pages/{made['id']}" and links["tinyui"]
    listed = cloud.v2("GET", "/pages", params={"space-id": space["id"]}).json()
    assert listed["_links"]["base"] == cloud.url
    assert listed["results"] and all("base" not in p["_links"] for p in listed["results"])
    spaces = cloud.v2("GET", "/spaces").json()["results"]
    assert all("base" not in s["_links"] for s in spaces)


def test_v2_single_attachment_carries_base(cloud: Wiki) -> None:
    cloud.space()
    page = cloud.page("Anhang")
    att = attach(cloud, page["id"])
    links = cloud.v2("GET", f"/attachments/{att}").json()["_links"]
    assert links["base"] == cloud.url and links["download"].startswith("/download/attachments/")


def test_atlassian_client_builds_a_page_url_from_links_base(dc: Wiki) -> None:
    """atlassian-python-api 5.0.5's ``has_unknown_attachment_error`` answers with
    ``_links.base + _links.tinyui`` of the page; without ``base`` it raises a TypeError."""
    client = Confluence(url=dc.url, username="admin", password="admin")
    client.create_space("NET", "Netzwerk")
    body = '<p><a href="/plugins/servlet/confluence/placeholder/unknown-attachment">x</a></p>'
    page = client.create_page("NET", "Kaputt", body)
    url = client.has_unknown_attachment_error(page["id"])
    assert url == f"{dc.url}/x/{page['id']}"
