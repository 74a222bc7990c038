"""The viewer's pages over a real in-memory Store, through werkzeug's test client (no sockets)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from werkzeug.test import Client

from confluence_sync.localwiki.store import Store
from confluence_sync.localwiki.viewer.app import make_viewer
from tests.viewer_login import client_login

EVIL = '<img src=x onerror="alert(1)"> & Co'


@pytest.fixture
def store() -> Iterator[Store]:
    store = Store(":memory:")
    admin = store.user_by_name("admin")
    assert admin is not None
    store.create_space(key="UPX", name=f"Arbeitskreis {EVIL}", creator=admin)
    yield store
    store.close()


def pages(store: Store) -> tuple[int, int]:
    parent = store.create_page(space_key="UPX", title="Sitzungen", body="<p>x</p>", author="admin")
    child = store.create_page(
        space_key="UPX",
        title=f"Sitzung {EVIL}",
        body='<p>Siehe <ac:link><ri:page ri:content-title="Sitzungen"/></ac:link></p>',
        author="admin",
        parent_id=parent.id,
        labels=["meeting"],
        properties={"confluence-sync": {"id": "group/UPX/meeting/2026-03"}},
    )
    return parent.id, child.id


def get(store: Store, path: str) -> tuple[int, str]:
    """``path`` as the admin sees it (a visitor who has not logged in sees no space)."""
    client = client_login(Client(make_viewer(store)))
    response = client.get(path)
    return response.status_code, response.get_data(as_text=True)


def test_space_list_escapes_names(store: Store) -> None:
    status, html = get(store, "/viewer/")
    assert status == 200
    assert "Arbeitskreis &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co" in html
    assert "<img" not in html


def test_space_tree_nests_children_under_their_parent(store: Store) -> None:
    parent, child = pages(store)
    status, html = get(store, "/viewer/spaces/UPX")
    assert status == 200
    assert (
        f'<a href="/viewer/pages/{parent}">Sitzungen</a><ul class="tree">'
        f'<li><a href="/viewer/pages/{child}">Sitzung &lt;img' in html
    )


def test_page_shows_body_and_labels_and_resolves_links(store: Store) -> None:
    parent, child = pages(store)
    status, html = get(store, f"/viewer/pages/{child}")
    assert status == 200
    assert f'<a class="page-link" href="/viewer/pages/{parent}">Sitzungen</a>' in html
    assert '<span class="label">meeting</span>' in html
    assert "<img" not in html


def test_internals_are_under_page_information_not_on_the_page(store: Store) -> None:
    _, child = pages(store)
    _, html = get(store, f"/viewer/pages/{child}")
    assert "group/UPX/meeting/2026-03" not in html and "<th>Version</th>" not in html
    assert f'<a class="page-info-link" href="/viewer/pages/{child}/info">page information</a>' in (
        html
    )
    status, info = get(store, f"/viewer/pages/{child}/info")
    assert status == 200
    assert "<code>confluence-sync</code>" in info and "group/UPX/meeting/2026-03" in info
    assert "<th>Version</th>" in info and f'href="/viewer/pages/{child}/storage"' in info
    assert '<span class="label">meeting</span>' in info
    assert "Sitzung &lt;img src=x" in info and "<img" not in info
    assert get(store, "/viewer/pages/424242/info")[0] == 404


def test_storage_source_is_escaped(store: Store) -> None:
    _, child = pages(store)
    status, html = get(store, f"/viewer/pages/{child}/storage")
    assert status == 200
    assert "&lt;ac:link&gt;" in html


def test_missing_things_are_404(store: Store) -> None:
    assert get(store, "/viewer/spaces/NOPE")[0] == 404
    assert get(store, "/viewer/pages/424242")[0] == 404


def test_stylesheet_is_served(store: Store) -> None:
    response = Client(make_viewer(store)).get("/viewer/static/viewer.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert b".macro" in response.get_data()


def test_an_earlier_version_is_rendered_and_linked_from_the_history(store: Store) -> None:
    _, child = pages(store)
    page = store.page(child)
    assert page is not None
    store.update_page(child, title=page.title, version=2, author="admin", body="<p>zwei</p>")
    _, html = get(store, f"/viewer/pages/{child}/info")
    assert f'<a href="/viewer/pages/{child}/versions/1">1</a>' in html
    status, old = get(store, f"/viewer/pages/{child}/versions/1")
    assert status == 200
    assert "version 1 of 2" in old and "Siehe" in old and "zwei" not in old
    assert get(store, f"/viewer/pages/{child}/versions/9")[0] == 404


def test_dates_follow_the_browsers_language_and_a_chosen_one_sticks(store: Store) -> None:
    page = store.create_page(
        space_key="UPX",
        title="Termin",
        body='<p><time datetime="2026-03-12" /></p>',
        author="admin",
    )
    client = client_login(Client(make_viewer(store)))
    german = client.get(f"/viewer/pages/{page.id}", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert "Do., 12. März 2026" in german.get_data(as_text=True)
    assert '<html lang="de">' in german.get_data(as_text=True)
    plain = client.get(f"/viewer/pages/{page.id}")
    assert "Thu, Mar 12, 2026" in plain.get_data(as_text=True)  # the viewer's default: English
    chosen = client.get(f"/viewer/pages/{page.id}?lang=de")
    assert "localwiki-lang=de" in chosen.headers["Set-Cookie"]
    again = client.get(f"/viewer/pages/{page.id}", headers={"Accept-Language": "en"})
    assert "Do., 12. März 2026" in again.get_data(as_text=True)  # the cookie wins


def test_the_sites_default_language_serves_readers_without_a_known_one(store: Store) -> None:
    page = store.create_page(
        space_key="UPX",
        title="Termin",
        body='<p><time datetime="2026-03-12" /></p>',
        author="admin",
    )
    response = client_login(Client(make_viewer(store, language="de"))).get(
        f"/viewer/pages/{page.id}", headers={"Accept-Language": "fr-FR"}
    )
    assert "Do., 12. März 2026" in response.get_data(as_text=True)


def test_the_byline_names_people_and_the_day_in_the_readers_language(store: Store) -> None:
    store.create_user("cherm", "pw-cherm", display_name="Christian Herm")
    page = store.create_page(space_key="UPX", title="Notiz", body="<p>x</p>", author="cherm")
    client = client_login(Client(make_viewer(store)))
    html = client.get(f"/viewer/pages/{page.id}?lang=de").get_data(as_text=True)
    day = page.updated_at[:10]
    assert "Erstellt von Christian Herm, zuletzt geändert von Christian Herm am " in html
    assert day not in html.split('<p class="meta">', 1)[1].split("</p>", 1)[0]  # no bare ISO
    assert "· Version 1 ·" in html and ">Seiteninformationen</a>" in html
