"""The page response cache: hits are exact, and no change leaves a stale or unauthorised hit.

Every test reads a page at least twice first, so the second answer comes from the cache
(``core.page_cache.hits`` proves it), then changes something the answer depends on and
expects the full path's answer again.
"""

from __future__ import annotations

from typing import Any

import requests

from .conftest import Wiki

EXPAND = {"expand": "body.storage,version,space"}


def _cached(
    wiki: Wiki, page_id: str, session: requests.Session | None = None, **kwargs: Any
) -> requests.Response:
    """GET the page twice; the second answer must be a cache hit equal to the first."""
    http = session or wiki.http
    url = f"{wiki.url}/rest/api/content/{page_id}"
    hits = wiki.server.core.page_cache.hits
    first = http.get(url, params=EXPAND, **kwargs)
    second = http.get(url, params=EXPAND, **kwargs)
    assert first.status_code == second.status_code == 200
    assert wiki.server.core.page_cache.hits == hits + 1
    assert second.content == first.content
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    return second


def _update(wiki: Wiki, page: dict[str, Any], version: int, body: str) -> None:
    update = {
        "type": "page",
        "title": page["title"],
        "version": {"number": version},
        "body": {"storage": {"value": body, "representation": "storage"}},
    }
    assert wiki.v1("PUT", f"/content/{page['id']}", json=update).status_code == 200


def test_a_repeated_read_is_a_hit_and_an_update_is_seen_at_once(wiki: Wiki) -> None:
    wiki.space()
    page = wiki.page("Plan", "<p>eins</p>")
    assert _cached(wiki, page["id"]).json()["version"]["number"] == 1
    _update(wiki, page, 2, "<p>zwei</p>")
    after = wiki.v1("GET", f"/content/{page['id']}", params=EXPAND).json()
    assert after["version"]["number"] == 2
    assert after["body"]["storage"]["value"] == "<p>zwei</p>"


def test_v2_page_reads_are_cached_and_invalidated(cloud: Wiki) -> None:
    cloud.space()
    page = cloud.page("Plan", "<p>eins</p>")
    hits = cloud.server.core.page_cache.hits
    for _ in range(2):
        read = cloud.v2("GET", f"/pages/{page['id']}")
        assert read.status_code == 200 and read.json()["version"]["number"] == 1
    assert cloud.server.core.page_cache.hits == hits + 1
    _update(cloud, page, 2, "<p>zwei</p>")
    assert cloud.v2("GET", f"/pages/{page['id']}").json()["version"]["number"] == 2


def test_a_revoked_grant_turns_a_cached_read_into_404(dc: Wiki) -> None:
    dc.space()
    page = dc.page("Intern")
    store = dc.server.store
    reader = store.create_user("reader", "pw", groups=())
    space = store.space_by_key("NET")
    assert space is not None
    store.grant(space.id, "user", str(reader.id), "read", "space")
    as_reader = dc.as_user("reader", "pw")
    _cached(dc, page["id"], as_reader.http)
    store.revoke(space.id, "user", str(reader.id))
    assert as_reader.v1("GET", f"/content/{page['id']}", params=EXPAND).status_code == 404


def test_leaving_the_granted_group_turns_a_cached_read_into_404(wiki: Wiki) -> None:
    wiki.space()
    page = wiki.page("Intern")
    store = wiki.server.store
    user = store.create_user("member", "pw")  # joins confluence-users, which the space grants
    login = user.email if wiki.server.options.flavour == "cloud" else "member"
    as_member = wiki.as_user(login, "pw")
    _cached(wiki, page["id"], as_member.http)
    store.remove_member("confluence-users", "member")
    assert as_member.v1("GET", f"/content/{page['id']}", params=EXPAND).status_code == 404


def test_a_changed_password_turns_a_cached_read_into_401(wiki: Wiki) -> None:
    wiki.space()
    page = wiki.page("Plan")
    user = wiki.server.store.create_user("erika", "alt")
    login = user.email if wiki.server.options.flavour == "cloud" else "erika"
    as_erika = wiki.as_user(login, "alt")
    _cached(wiki, page["id"], as_erika.http)
    wiki.server.store.set_password("erika", "neu")
    assert as_erika.v1("GET", f"/content/{page['id']}", params=EXPAND).status_code == 401
    assert wiki.as_user(login, "neu").v1("GET", f"/content/{page['id']}").status_code == 200


def test_the_cache_is_per_credentials(wiki: Wiki) -> None:
    wiki.space()
    page = wiki.page("Geheim")
    _cached(wiki, page["id"])  # the admin's answer is cached
    wiki.server.store.create_user("outsider", "pw", groups=())
    outsider = wiki.as_user("outsider", "pw")
    assert outsider.v1("GET", f"/content/{page['id']}", params=EXPAND).status_code == 404
    wrong = requests.get(
        f"{wiki.url}/rest/api/content/{page['id']}",
        params=EXPAND,
        auth=(wiki.server.admin[0], "falsch"),
        timeout=5,
    )
    assert wrong.status_code == 401
    assert (
        requests.get(
            f"{wiki.url}/rest/api/content/{page['id']}", params=EXPAND, timeout=5
        ).status_code
        == 401
    )


def test_a_renamed_space_shows_in_a_cached_expansion(dc: Wiki) -> None:
    dc.space(name="Netzwerk")
    page = dc.page("Plan")
    assert _cached(dc, page["id"]).json()["space"]["name"] == "Netzwerk"
    dc.server.store.update_space("NET", name="Netzwerk Süd")
    after = dc.v1("GET", f"/content/{page['id']}", params=EXPAND).json()
    assert after["space"]["name"] == "Netzwerk Süd"


def test_the_host_asked_for_is_part_of_the_key(dc: Wiki) -> None:
    dc.space()
    page = dc.page("Plan")
    _cached(dc, page["id"])
    other = dc.v1(
        "GET",
        f"/content/{page['id']}",
        params=EXPAND,
        headers={"Host": f"localhost:{dc.server.port}"},
    )
    assert other.json()["_links"]["self"].startswith(f"http://localhost:{dc.server.port}/")


def test_faults_and_the_journal_still_see_cached_reads(dc: Wiki) -> None:
    dc.space()
    page = dc.page("Plan")
    _cached(dc, page["id"])
    root = dc.server.root_url
    dc.http.delete(root + "/__localwiki/journal")
    rule = {"specs": [f"429:path=*/content/{page['id']}:count=1"]}
    assert dc.http.post(root + "/__localwiki/faults", json=rule).status_code == 200
    limited = dc.v1("GET", f"/content/{page['id']}", params=EXPAND)
    assert limited.status_code == 429
    assert dc.v1("GET", f"/content/{page['id']}", params=EXPAND).status_code == 200
    entries = dc.http.get(root + "/__localwiki/journal").json()["entries"]
    assert [(e["status"], e["fault_kind"]) for e in entries] == [(429, "429"), (200, None)]
