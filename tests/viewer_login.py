"""Logging in to the local wiki's viewer, for tests that look at pages as a person does: a
visitor who has not logged in sees no space (``viewer.auth``), so every such test logs in,
as the admin or as the member whose view it checks."""

from __future__ import annotations

import requests
from werkzeug.test import Client

from confluence_sync.localwiki.store.sessions import SESSION_COOKIE
from confluence_sync.localwiki.store.wiki import ADMIN_PASSWORD


def viewer_session(
    viewer_url: str, username: str = "admin", password: str = ADMIN_PASSWORD
) -> requests.Session:
    """A browser logged in to the viewer at ``viewer_url`` (it holds the session cookie)."""
    browser = requests.Session()
    answer = browser.post(
        viewer_url + "/login",
        data={"username": username, "password": password},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 303 and SESSION_COOKIE in browser.cookies, answer.text[:300]
    return browser


def client_login(client: Client, username: str = "admin", password: str = ADMIN_PASSWORD) -> Client:
    """``client`` (on a viewer mounted at ``/viewer``) logged in as ``username``."""
    answer = client.post("/viewer/login", data={"username": username, "password": password})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    return client
