"""Gateway mode: the Cloud API under /ex/confluence/{cloudId}/wiki only, site-relative v2
next links, the site's own base, and scoped tokens refused as the gateway refuses them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from confluence_sync.localwiki.rules import scopes
from confluence_sync.localwiki.rules.cloud_scopes import TABLE
from confluence_sync.localwiki.server import LocalWiki

CLOUD_ID = "0d2c4e7a-1b9f-4c55-9d2e-6f0a1b2c3d4e"
SPECS = Path(__file__).resolve().parents[3].parent / "shared" / "confluence-openapi"


@pytest.fixture
def wiki() -> Iterator[LocalWiki]:
    with LocalWiki(flavour="cloud", gateway_cloud_id=CLOUD_ID) as server:
        admin = server.store.user_by_name("admin")
        assert admin is not None
        for n in range(3):
            server.store.create_space(key=f"GW{n}", name=f"Gateway {n}", creator=admin)
        server.store.create_user("bot", "pw-bot")
        yield server


def test_the_api_is_under_the_gateway_prefix_only(wiki: LocalWiki) -> None:
    assert wiki.url == f"{wiki.root_url}/ex/confluence/{CLOUD_ID}/wiki"
    assert requests.get(f"{wiki.url}/api/v2/spaces", auth=wiki.admin, timeout=5).ok
    assert requests.get(f"{wiki.url}/rest/api/space", auth=wiki.admin, timeout=5).ok
    for path in (
        "/wiki/api/v2/spaces",
        "/wiki/rest/api/space",
        "/ex/confluence/another-site/wiki/api/v2/spaces",
    ):
        answer = requests.get(wiki.root_url + path, auth=wiki.admin, timeout=5)
        assert answer.status_code == 404, path


def test_v2_next_is_site_relative_and_base_is_the_site(wiki: LocalWiki) -> None:
    answer = requests.get(f"{wiki.url}/api/v2/spaces?limit=1", auth=wiki.admin, timeout=5)
    links = answer.json()["_links"]
    assert links["next"].startswith("/wiki/api/v2/spaces?")
    assert links["base"] == wiki.root_url + "/wiki"
    # Joined naively to the gateway base the link doubles /wiki: the 404 of #1655.
    doubled = requests.get(wiki.url + links["next"], auth=wiki.admin, timeout=5)
    assert doubled.status_code == 404
    prefix = f"{wiki.root_url}/ex/confluence/{CLOUD_ID}"
    second = requests.get(prefix + links["next"], auth=wiki.admin, timeout=5)
    assert second.status_code == 200 and len(second.json()["results"]) == 1
    v1 = requests.get(f"{wiki.url}/rest/api/space?limit=1", auth=wiki.admin, timeout=5).json()
    assert v1["_links"]["next"].startswith("/rest/api/space?")  # relative to the base, as ever


def test_a_scoped_token_without_the_scope_gets_the_gateways_401(wiki: LocalWiki) -> None:
    token = wiki.store.create_token("bot", scopes=["read:page:confluence"])
    refused = requests.get(f"{wiki.url}/api/v2/spaces", auth=("bot", token), timeout=5)
    assert refused.status_code == 401
    assert refused.headers["X-Failure-Category"] == "FAILURE_CLIENT_SCOPE_CHECK"
    assert refused.json() == {"code": 401, "message": "Unauthorized; scope does not match"}
    assert requests.get(f"{wiki.url}/api/v2/pages", auth=("bot", token), timeout=5).ok
    # v1 asks for classic scopes (cloud-v1.json): a granular read:page does not cover it.
    v1 = requests.get(f"{wiki.url}/rest/api/user/current", auth=("bot", token), timeout=5)
    assert v1.status_code == 401 and v1.headers["X-Failure-Category"]
    bearer = {"Authorization": f"Bearer {token}"}
    answer = requests.get(f"{wiki.url}/api/v2/spaces", headers=bearer, timeout=5)
    assert answer.status_code == 401


def test_a_classic_token_and_a_password_are_not_scope_checked(wiki: LocalWiki) -> None:
    token = wiki.store.create_token("bot")
    for secret in (token, "pw-bot"):
        answer = requests.get(f"{wiki.url}/api/v2/spaces", auth=("bot", secret), timeout=5)
        assert answer.status_code == 200


def test_a_scoped_token_is_refused_on_the_site_itself() -> None:
    with LocalWiki(flavour="cloud") as site:
        site.store.create_user("bot", "pw-bot")
        token = site.store.create_token("bot", scopes=["read:space:confluence"])
        answer = requests.get(f"{site.url}/api/v2/spaces", auth=("bot", token), timeout=5)
        assert answer.status_code == 401
        assert "X-Failure-Category" not in answer.headers


def test_gateway_mode_needs_cloud_and_a_plain_cloud_id() -> None:
    with pytest.raises(ValueError):
        LocalWiki(flavour="dc", gateway_cloud_id=CLOUD_ID)
    with pytest.raises(ValueError):
        LocalWiki(flavour="cloud", gateway_cloud_id="../wiki")


def test_required_scopes_follow_the_specs() -> None:
    assert scopes.required("v2", "GET", "/spaces") == {"read:space:confluence"}
    assert scopes.required("v2", "PUT", "/pages/65537") == {"write:page:confluence"}
    assert scopes.required("v1", "GET", "/group/by-name") == {"read:confluence-groups"}
    assert scopes.required("v1", "GET", "/group/some-group") == frozenset()  # none in the spec
    assert scopes.missing("v2", "GET", "/pages/1", ["read:page:confluence"]) == []


@pytest.mark.skipif(not SPECS.is_dir(), reason="the shared OpenAPI specs are not here")
def test_the_checked_in_table_is_what_the_specs_say() -> None:
    v1 = json.loads((SPECS / "cloud-v1.json").read_text(encoding="utf-8"))
    v2 = json.loads((SPECS / "cloud-v2-2026-04.json").read_text(encoding="utf-8"))
    assert list(TABLE) == scopes.derive(v1, v2)


def test_serve_gateway_prints_the_gateway_url_and_refuses_it_on_data_center() -> None:
    command = [sys.executable, "-m", "confluence_sync", "serve", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--flavour", "cloud", "--gateway", CLOUD_ID],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split(" at ", 1)[1].strip()
        assert url.endswith(f"/ex/confluence/{CLOUD_ID}/wiki")
        auth = ("admin@localwiki.invalid", "localwiki-admin-token")
        assert requests.get(url + "/api/v2/spaces", auth=auth, timeout=10).ok
    finally:
        process.terminate()
        process.wait(timeout=10)
    done = subprocess.run(
        [*command, "--flavour", "dc", "--gateway", CLOUD_ID],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "--gateway needs --flavour cloud" in done.stderr
