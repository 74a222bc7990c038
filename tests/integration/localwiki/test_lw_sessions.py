"""The viewer's session cookie on the REST API, over HTTP, in both flavours: it authenticates
as the member (their rights, their name on a version), its writes pass Confluence's XSRF
check only as Confluence lets them, and it stops working at logout."""

from __future__ import annotations

from typing import Any

import requests

from confluence_sync.localwiki.store.sessions import SESSION_COOKIE
from tests.viewer_login import viewer_session

from .conftest import Wiki

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/150.0 Safari/537.36"


def member_browser(wiki: Wiki, name: str = "erika") -> requests.Session:
    """A logged-in member's browser (a session holding the viewer's cookie, nothing else)."""
    wiki.server.store.create_user(name, "pw-" + name)
    return viewer_session(wiki.server.viewer_url, name, "pw-" + name)


def page_url(wiki: Wiki, page_id: str) -> str:
    if wiki.server.options.flavour == "cloud":
        return f"{wiki.url}/api/v2/pages/{page_id}"
    return f"{wiki.url}/rest/api/content/{page_id}"


def update(wiki: Wiki, page: dict[str, Any], number: int, words: str) -> dict[str, Any]:
    body = f"<p>{words}</p>"
    if wiki.server.options.flavour == "cloud":
        return {
            "id": page["id"],
            "status": "current",
            "title": page["title"],
            "version": {"number": number},
            "body": {"representation": "storage", "value": body},
        }
    return {
        "id": page["id"],
        "type": "page",
        "title": page["title"],
        "version": {"number": number},
        "body": {"storage": {"value": body, "representation": "storage"}},
    }


def test_the_cookie_authenticates_rest_as_the_member(wiki: Wiki) -> None:
    wiki.space()  # readable by confluence-users, as a new space is
    page = wiki.page("Protokoll")
    browser = member_browser(wiki)
    read = browser.get(page_url(wiki, page["id"]), timeout=10)
    assert read.status_code == 200
    saved = browser.put(page_url(wiki, page["id"]), json=update(wiki, page, 2, "neu"), timeout=10)
    assert saved.status_code == 200, saved.text
    versions = wiki.server.store.versions(int(page["id"]))
    assert versions[0]["number"] == 2 and versions[0]["author"] == "erika"
    again = browser.put(page_url(wiki, page["id"]), json=update(wiki, page, 2, "alt"), timeout=10)
    assert again.status_code == 409  # a concurrent edit: the version is not current + 1


def test_a_cookie_grants_only_the_members_rights(wiki: Wiki) -> None:
    wiki.v1("POST", "/space/_private", json={"key": "PRIV", "name": "Privat"})
    page = wiki.page("Geheim", space="PRIV")
    browser = member_browser(wiki)
    assert browser.get(page_url(wiki, page["id"]), timeout=10).status_code == 404


def test_cookie_writes_pass_confluences_xsrf_check_as_confluence_lets_them(wiki: Wiki) -> None:
    wiki.space()
    page = wiki.page("Protokoll")
    browser = member_browser(wiki)
    url = page_url(wiki, page["id"])
    # A form-like POST without the token is refused before any route sees it.
    labels = f"{wiki.url}/rest/api/content/{page['id']}/label"
    plain = browser.post(labels, data="x", headers={"Content-Type": "text/plain"}, timeout=10)
    assert plain.status_code == 403 and "XSRF check failed" in plain.text
    nocheck = {"Content-Type": "text/plain", "X-Atlassian-Token": "no-check"}
    assert browser.post(labels, data="x", headers=nocheck, timeout=10).status_code != 403
    # A browser's POST from another site is refused even as JSON with the token.
    foreign = {
        "User-Agent": CHROME,
        "Origin": "http://evil.example",
        "X-Atlassian-Token": "no-check",
    }
    label = [{"prefix": "global", "name": "x"}]
    assert browser.post(labels, json=label, headers=foreign, timeout=10).status_code == 403
    same = {"User-Agent": CHROME, "Origin": wiki.server.root_url}
    assert browser.post(labels, json=label, headers=same, timeout=10).status_code == 200
    # Confluence only logs a PUT that fails the checks; so does the local wiki.
    put = browser.put(url, json=update(wiki, page, 2, "neu"), headers=foreign, timeout=10)
    assert put.status_code == 200, put.text


def test_basic_auth_is_not_held_to_the_cookie_rule(wiki: Wiki) -> None:
    wiki.space()
    page = wiki.page("Protokoll")
    labels = f"/content/{page['id']}/label"
    foreign = {"User-Agent": CHROME, "Origin": "http://evil.example"}
    answer = wiki.v1("POST", labels, json=[{"prefix": "global", "name": "x"}], headers=foreign)
    assert answer.status_code == 200


def test_after_logout_the_cookie_is_nobody(wiki: Wiki) -> None:
    wiki.space()
    page = wiki.page("Protokoll")
    browser = member_browser(wiki)
    assert browser.get(page_url(wiki, page["id"]), timeout=10).status_code == 200
    cookie = browser.cookies[SESSION_COOKIE]
    browser.post(wiki.server.viewer_url + "/logout", allow_redirects=False, timeout=10)
    replay = requests.get(page_url(wiki, page["id"]), cookies={SESSION_COOKIE: cookie}, timeout=10)
    assert replay.status_code == 401


def test_a_page_read_with_a_cookie_is_never_served_from_the_cache_to_others(wiki: Wiki) -> None:
    wiki.space()
    page = wiki.page("Protokoll")
    browser = member_browser(wiki)
    url = page_url(wiki, page["id"])
    for _ in range(2):
        assert browser.get(url, timeout=10).status_code == 200
    assert requests.get(url, timeout=10).status_code == 401
    bogus = requests.get(url, cookies={SESSION_COOKIE: "made-up"}, timeout=10)
    assert bogus.status_code == 401
