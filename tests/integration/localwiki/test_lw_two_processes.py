"""One database file, two local wikis: what one writes, the other answers at once.

``confluence-sync serve`` on the sync's database beside a sync run (or a second ``serve``) is
two processes on one SQLite file. Each wiki here has its own ``Store``, so its own connections
and caches, as two processes would; one test writes from a real child process. Every test
first reads through the second wiki twice, so its answer is cached (``page_cache.hits`` counts
it), then writes through the first and expects the second to answer the new state.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from confluence_sync.localwiki.server import LocalWiki
from tests.viewer_login import viewer_session

from .conftest import Wiki

EXPAND = {"expand": "body.storage,version"}


def _wiki(path: Path, flavour: str) -> LocalWiki:
    if flavour == "dc":
        return LocalWiki(db_path=path, flavour="dc", context_path="/confluence")
    return LocalWiki(db_path=path, flavour="cloud")


@pytest.fixture(params=["dc", "cloud"])
def pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Wiki, Wiki]]:
    """(writer, reader): two wikis of one flavour on one database file."""
    path = tmp_path / "localwiki.sqlite3"
    with _wiki(path, request.param) as one, _wiki(path, request.param) as two:
        sessions = [requests.Session(), requests.Session()]
        for session, server in zip(sessions, (one, two), strict=True):
            session.auth = server.admin
        yield Wiki(one, sessions[0]), Wiki(two, sessions[1])
        for session in sessions:
            session.close()


def _update(wiki: Wiki, page: dict[str, Any], version: int, body: str) -> None:
    update = {
        "type": "page",
        "title": page["title"],
        "version": {"number": version},
        "body": {"storage": {"value": body, "representation": "storage"}},
    }
    assert wiki.v1("PUT", f"/content/{page['id']}", json=update).status_code == 200


def _read_twice(wiki: Wiki, path: str, api: str = "v1", **kwargs: Any) -> dict[str, Any]:
    """GET twice; the second answer is a cache hit (counted) equal to the first."""
    call = wiki.v1 if api == "v1" else wiki.v2
    hits = wiki.server.core.page_cache.hits
    first, second = call("GET", path, **kwargs), call("GET", path, **kwargs)
    assert first.status_code == second.status_code == 200, first.text
    assert second.content == first.content
    assert wiki.server.core.page_cache.hits == hits + 1
    return dict(second.json())


def test_a_v1_read_answers_the_other_wikis_update_at_once(pair: tuple[Wiki, Wiki]) -> None:
    writer, reader = pair
    writer.space()
    page = writer.page("Plan", "<p>eins</p>")
    path = f"/content/{page['id']}"
    assert _read_twice(reader, path, params=EXPAND)["version"]["number"] == 1
    _update(writer, page, 2, "<p>zwei</p>")
    after = reader.v1("GET", path, params=EXPAND).json()
    assert after["version"]["number"] == 2
    assert after["body"]["storage"]["value"] == "<p>zwei</p>"


def test_a_v2_read_answers_the_other_wikis_update_at_once(tmp_path: Path) -> None:
    path = tmp_path / "localwiki.sqlite3"
    with _wiki(path, "cloud") as one, _wiki(path, "cloud") as two:
        writer, reader = Wiki(one, requests.Session()), Wiki(two, requests.Session())
        writer.http.auth, reader.http.auth = one.admin, two.admin
        writer.space()
        page = writer.page("Plan", "<p>eins</p>")
        pages = f"/pages/{page['id']}"
        params = {"body-format": "storage"}
        assert _read_twice(reader, pages, "v2", params=params)["version"]["number"] == 1
        _update(writer, page, 2, "<p>zwei</p>")
        after = reader.v2("GET", pages, params=params).json()
        assert after["version"]["number"] == 2
        assert after["body"]["storage"]["value"] == "<p>zwei</p>"


def test_the_cache_still_hits_while_nothing_is_written(pair: tuple[Wiki, Wiki]) -> None:
    writer, reader = pair
    writer.space()
    page = writer.page("Plan")
    path = f"/content/{page['id']}"
    _read_twice(reader, path, params=EXPAND)
    # Reads by the other wiki commit nothing, so they leave the reader's cache alone.
    for _ in range(3):
        assert writer.v1("GET", path, params=EXPAND).status_code == 200
    hits = reader.server.core.page_cache.hits
    for _ in range(3):
        assert reader.v1("GET", path, params=EXPAND).status_code == 200
    assert reader.server.core.page_cache.hits == hits + 3
    # After a write the first read misses and the next hits again.
    _update(writer, page, 2, "<p>zwei</p>")
    assert _read_twice(reader, path, params=EXPAND)["version"]["number"] == 2


def test_a_password_changed_by_the_other_wiki_is_refused_at_once(pair: tuple[Wiki, Wiki]) -> None:
    writer, reader = pair
    writer.space()
    page = writer.page("Plan")
    user = writer.server.store.create_user("erika", "alt")
    login = user.email if writer.server.options.flavour == "cloud" else "erika"
    as_erika = reader.as_user(login, "alt")
    _read_twice(as_erika, f"/content/{page['id']}", params=EXPAND)
    writer.server.store.set_password("erika", "neu")
    assert as_erika.v1("GET", f"/content/{page['id']}", params=EXPAND).status_code == 401
    # A route the page cache does not serve goes through the credential cache alone.
    assert as_erika.v1("GET", "/space").status_code == 401


def test_a_grant_revoked_by_the_other_wiki_hides_the_page_at_once(
    pair: tuple[Wiki, Wiki],
) -> None:
    writer, reader = pair
    writer.space()
    page = writer.page("Intern")
    store = writer.server.store
    member = store.create_user("member", "pw", groups=())
    space = store.space_by_key("NET")
    assert space is not None
    store.grant(space.id, "user", str(member.id), "read", "space")
    login = member.email if writer.server.options.flavour == "cloud" else "member"
    as_member = reader.as_user(login, "pw")
    _read_twice(as_member, f"/content/{page['id']}", params=EXPAND)
    store.revoke(space.id, "user", str(member.id))
    assert as_member.v1("GET", f"/content/{page['id']}", params=EXPAND).status_code == 404


def test_a_space_renamed_by_the_other_wiki_shows_in_an_expansion(
    pair: tuple[Wiki, Wiki],
) -> None:
    writer, reader = pair
    writer.space(name="Netzwerk")
    page = writer.page("Plan")
    path, params = f"/content/{page['id']}", {"expand": "space"}
    assert _read_twice(reader, path, params=params)["space"]["name"] == "Netzwerk"
    writer.server.store.update_space("NET", name="Netzwerk Süd")  # the space cache's record
    assert reader.v1("GET", path, params=params).json()["space"]["name"] == "Netzwerk Süd"


def test_the_viewer_shows_the_other_wikis_space_and_page_changes(pair: tuple[Wiki, Wiki]) -> None:
    writer, reader = pair
    writer.space(name="Netzwerk")
    page = writer.page("Plan", "<p>eins</p>")
    viewer = reader.server.viewer_url
    browser = viewer_session(viewer)
    assert "eins" in browser.get(f"{viewer}/pages/{page['id']}", timeout=5).text
    _update(writer, page, 2, "<p>zwei</p>")
    writer.server.store.update_space("NET", name="Netzwerk Süd")
    assert "zwei" in browser.get(f"{viewer}/pages/{page['id']}", timeout=5).text
    assert "Netzwerk Süd" in browser.get(f"{viewer}/spaces/NET", timeout=5).text


CHILD_WRITE = """
import sys
from confluence_sync.localwiki.store import Store
store = Store(sys.argv[1])
page = store.require_page(int(sys.argv[2]))
store.update_page(page.id, title=page.title, version=page.version + 1, author="admin",
                  body="<p>aus dem anderen Prozess</p>")
"""


def test_a_write_by_another_process_is_answered_at_once(tmp_path: Path) -> None:
    path = tmp_path / "localwiki.sqlite3"
    with _wiki(path, "dc") as server:
        wiki = Wiki(server, requests.Session())
        wiki.http.auth = server.admin
        wiki.space()
        page = wiki.page("Plan", "<p>eins</p>")
        assert _read_twice(wiki, f"/content/{page['id']}", params=EXPAND)["version"]["number"] == 1
        subprocess.run(
            [sys.executable, "-c", textwrap.dedent(CHILD_WRITE), str(path), page["id"]],
            check=True,
            timeout=60,
        )
        after = wiki.v1("GET", f"/content/{page['id']}", params=EXPAND).json()
        assert after["version"]["number"] == 2
        assert after["body"]["storage"]["value"] == "<p>aus dem anderen Prozess</p>"
