"""StoreWikiData: the renderer's reads answered from a real in-memory Store — CQL over labels
and spaces, children in their order, people by any identifier, and the visibility hook."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from confluence_sync.localwiki.rules.cql import CqlError
from confluence_sync.localwiki.store import Store
from confluence_sync.localwiki.viewer.store_data import StoreWikiData


@pytest.fixture
def store() -> Iterator[Store]:
    store = Store(":memory:")
    admin = store.user_by_name("admin")
    assert admin is not None
    store.create_space(key="UPX", name="Umwelt", creator=admin)
    store.create_space(key="EUK", name="Energie", creator=admin)
    yield store
    store.close()


def test_search_finds_labelled_pages_of_a_space_with_bodies_and_labels(store: Store) -> None:
    store.create_page(
        space_key="UPX", title="März", body="<p>m</p>", author="admin", labels=["treffen"]
    )
    store.create_page(
        space_key="EUK", title="April", body="<p>a</p>", author="admin", labels=["treffen"]
    )
    store.create_page(space_key="UPX", title="Notiz", body="<p>n</p>", author="admin")
    wiki = StoreWikiData(store, "/viewer/")
    found = wiki.search('label = "treffen" and space = "UPX"')
    assert [(p.title, p.body, set(p.labels)) for p in found] == [("März", "<p>m</p>", {"treffen"})]
    assert found[0].href == f"/viewer/pages/{found[0].id}"
    assert {p.title for p in wiki.search('label in ("treffen") order by title desc')} == {
        "März",
        "April",
    }
    with pytest.raises(CqlError):
        wiki.search("label = = x")


def test_visibility_hides_a_space_from_every_read(store: Store) -> None:
    page = store.create_page(
        space_key="EUK", title="Geheim", body="", author="admin", labels=["treffen"]
    )
    store.create_page(space_key="EUK", title="Kind", body="", author="admin", parent_id=page.id)
    wiki = StoreWikiData(store, "/viewer", visible=lambda space: space.key != "EUK")
    assert wiki.search('label = "treffen"') == []
    assert wiki.page_href("EUK", "Geheim") is None and wiki.children(page.id) == ()
    assert wiki.top_level("EUK") == ()


def test_children_top_level_and_titles(store: Store) -> None:
    space = store.space_by_key("UPX")
    assert space is not None and space.homepage_id is not None
    for title in ("B", "A", "C"):
        store.create_page(
            space_key="UPX", title=title, body="", author="admin", parent_id=space.homepage_id
        )
    wiki = StoreWikiData(store, "/viewer")
    assert [p.title for p in wiki.children(space.homepage_id)] == ["B", "A", "C"]
    assert [p.title for p in wiki.top_level("UPX")] == ["Umwelt"]
    found = wiki.page_by_title("UPX", "A")
    assert found is not None and wiki.page_href("UPX", "A") == found.href
    assert wiki.page_by_title("UPX", "a") is None and wiki.page_by_title("NOPE", "A") is None


def test_a_person_is_found_by_any_mention_form_with_all_its_ids(store: Store) -> None:
    user = store.create_user("cherm", "pw", display_name="Christian Herm")
    wiki = StoreWikiData(store, "/viewer")
    for attrs in (
        {"username": "cherm"},
        {"userkey": user.user_key},
        {"account-id": user.account_id},
    ):
        person = wiki.person(attrs)
        assert person is not None and person.display_name == "Christian Herm"
        assert {"cherm", user.user_key, user.account_id} <= person.ids
    assert wiki.person({"username": "nobody"}) is None
