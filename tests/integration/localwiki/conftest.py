"""Local wiki fixtures: real servers on 127.0.0.1:0 with an admin session each."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from confluence_sync.localwiki.server import LocalWiki


@dataclass
class Wiki:
    """A running LocalWiki plus an admin HTTP session rooted at its client base URL."""

    server: LocalWiki
    http: requests.Session

    @property
    def url(self) -> str:
        return self.server.url

    def v1(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.http.request(method, f"{self.url}/rest/api{path}", **kwargs)

    def v2(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.http.request(method, f"{self.url}/api/v2{path}", **kwargs)

    def as_user(self, username: str, password: str) -> Wiki:
        session = requests.Session()
        session.auth = (username, password)
        return Wiki(self.server, session)

    def space(self, key: str = "NET", name: str = "Netzwerk") -> dict[str, Any]:
        response = self.v1("POST", "/space", json={"key": key, "name": name})
        assert response.status_code == 200, response.text
        return dict(response.json())

    def page(
        self, title: str, body: str = "<p>x</p>", *, space: str = "NET", parent: str | None = None
    ) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": "page",
            "title": title,
            "space": {"key": space},
            "body": {"storage": {"value": body, "representation": "storage"}},
        }
        if parent:
            data["ancestors"] = [{"id": parent}]
        response = self.v1("POST", "/content", json=data)
        assert response.status_code == 200, response.text
        return dict(response.json())


def attach(wiki: Wiki, page_id: str, name: str = "a.txt", data: bytes = b"a") -> str:
    """Upload one attachment to a page (v1, both flavours); its id."""
    made = wiki.v1(
        "POST",
        f"/content/{page_id}/child/attachment",
        headers={"X-Atlassian-Token": "no-check"},
        files={"file": (name, data, "text/plain")},
    )
    assert made.status_code == 200, made.text
    return str(made.json()["results"][0]["id"])


def _serve(**options: Any) -> Iterator[Wiki]:
    with LocalWiki(**options) as server:
        session = requests.Session()
        session.auth = server.admin
        yield Wiki(server, session)
        session.close()


@pytest.fixture
def dc() -> Iterator[Wiki]:
    yield from _serve(flavour="dc", context_path="/confluence")


@pytest.fixture
def cloud() -> Iterator[Wiki]:
    yield from _serve(flavour="cloud")


@pytest.fixture(params=["dc", "cloud"])
def wiki(request: pytest.FixtureRequest) -> Iterator[Wiki]:
    """Each test runs once per flavour (v1 routes are shared; Cloud keeps them unless removed)."""
    if request.param == "dc":
        yield from _serve(flavour="dc", context_path="/confluence")
    else:
        yield from _serve(flavour="cloud")
