"""A LocalWiki per test, in either flavour, with a backend logged in as its admin."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from confluence_sync.backends import open_backend
from confluence_sync.backends.contract import Backend
from confluence_sync.backends.retry import RetryPolicy
from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.settings import Settings
from confluence_sync.wiki.values import SpaceInfo


@dataclass
class Site:
    wiki: LocalWiki
    backend: Backend
    flavour: str

    @property
    def cloud(self) -> bool:
        return self.flavour == "cloud"

    def admin_call(self, path: str, body: dict[str, Any]) -> Any:
        """The local wiki's private admin API (users, groups, tokens)."""
        transport = self.backend.reader.transport  # type: ignore[attr-defined]
        return transport.call("POST", self.wiki.root_url + path, what=path, json=body)

    def space(self, key: str = "UPX", name: str = "Upper Xanten") -> SpaceInfo:
        return self.backend.writer().create_space(key, name, "Arbeitsgruppe")


def connect(wiki: LocalWiki, flavour: str, **overrides: str) -> Backend:
    settings = Settings.from_env(
        {},
        url=wiki.url,
        flavour="cloud" if flavour == "cloud" else "datacenter",
        username=overrides.get("username", wiki.admin[0]),
        api_token=overrides.get("api_token", wiki.admin[1]),
    )
    return open_backend(settings, policy=RetryPolicy(floor=0.01, cap=0.05, backoff_base=0.01))


@pytest.fixture(params=["dc", "cloud"])
def site(request: pytest.FixtureRequest) -> Iterator[Site]:
    flavour = request.param
    # Cloud runs with the retired v1 routes answering 410, as real Cloud sites do now: any
    # v1 content call the adapter still made would fail the test.
    with LocalWiki(flavour=flavour, v1_removed=flavour == "cloud") as wiki:
        backend = connect(wiki, flavour)
        try:
            yield Site(wiki, backend, flavour)
        finally:
            backend.close()
