"""The gateway URL (``…/ex/confluence/{cloudId}/wiki``): next links resolved below the
gateway prefix, and a scope 401 named with the scope the specs give the request."""

from __future__ import annotations

import pytest

from confluence_sync.backends import scopes
from confluence_sync.backends.contract import RequestCounter
from confluence_sync.backends.http_errors import error_for, refused_login
from confluence_sync.backends.retry import Retrier, RetryPolicy
from confluence_sync.backends.transport import Transport
from confluence_sync.errors import AuthenticationError
from confluence_sync.localwiki.rules.cloud_scopes import TABLE
from confluence_sync.settings import BasicAuth

GATEWAY = "https://api.atlassian.com/ex/confluence/1a2b-3c4d/wiki"
SCOPE_HEADERS = {"X-Failure-Category": "FAILURE_CLIENT_SCOPE_CHECK"}
SCOPE_BODY = '{"code": 401, "message": "Unauthorized; scope does not match"}'


def transport(url: str, flavour: str = "cloud") -> Transport:
    auth = BasicAuth(username="sync@example.org", secret="t0ken")  # type: ignore[arg-type]
    return Transport(
        url,
        auth,
        flavour=flavour,
        counter=RequestCounter(),
        retrier=Retrier(RetryPolicy()),
        timeouts=(1.0, 1.0),
    )


@pytest.mark.parametrize(
    ("base", "flavour", "link", "expected"),
    [
        # atlassian-python-api#1655: not …/wiki/wiki/…, and not the origin's /wiki/…
        (GATEWAY, "cloud", "/wiki/api/v2/spaces?cursor=x", f"{GATEWAY}/api/v2/spaces?cursor=x"),
        (GATEWAY, "cloud", "/rest/api/group?start=2", f"{GATEWAY}/rest/api/group?start=2"),
        (
            "https://net.atlassian.net/wiki",
            "cloud",
            "/wiki/api/v2/spaces?cursor=x",
            "https://net.atlassian.net/wiki/api/v2/spaces?cursor=x",
        ),
        (
            "https://wiki.example.org/confluence",
            "datacenter",
            "/rest/api/content?start=2",
            "https://wiki.example.org/confluence/rest/api/content?start=2",
        ),
        (
            "https://wiki.example.org/confluence",
            "datacenter",
            "/confluence/rest/api/content?start=2",
            "https://wiki.example.org/confluence/rest/api/content?start=2",
        ),
    ],
)
def test_next_links_resolve_below_the_base(
    base: str, flavour: str, link: str, expected: str
) -> None:
    sender = transport(base, flavour)
    try:
        assert sender.absolute(link) == expected
    finally:
        sender.close()


def test_a_scope_401_to_the_first_request_names_the_scope() -> None:
    error = refused_login(
        401,
        SCOPE_HEADERS,
        flavour="cloud",
        host="api.atlassian.com",
        login_kind="basic",
        username="sync@example.org",
        request="GET /ex/confluence/1a2b-3c4d/wiki/api/v2/spaces",
    )
    assert error.failure_category == "FAILURE_CLIENT_SCOPE_CHECK"
    assert "lacks read:space:confluence, which GET" in error.hint
    assert "write:confluence-groups" in error.hint  # the whole list the sync needs


def test_a_later_scope_401_names_the_scope_of_that_request() -> None:
    error = error_for(
        401,
        SCOPE_BODY,
        SCOPE_HEADERS,
        object="group puu-upx-members",
        method="POST",
        path="/ex/confluence/1a2b-3c4d/wiki/rest/api/group/userByGroupId",
        flavour="cloud",
    )
    assert isinstance(error, AuthenticationError)
    assert "scope does not match" in str(error)
    assert "lacks write:confluence-groups" in error.hint


def test_a_request_the_specs_give_no_scope_for_is_not_guessed() -> None:
    assert scopes.needed("POST", "/wiki/rest/api/space/PUU/permission") == ()
    hint = error_for(
        401,
        SCOPE_BODY,
        SCOPE_HEADERS,
        object="x",
        method="POST",
        path="/wiki/rest/api/space/PUU/permission",
        flavour="cloud",
    ).hint
    assert "lacks a scope this request needs" in hint


def test_the_client_table_is_the_specs_as_the_local_wiki_reads_them() -> None:
    # Both derive from cloud-v1.json and cloud-v2-2026-04.json; the client keeps the
    # operations it sends (localwiki may not be imported by the client, so it is a copy).
    assert set(scopes.TABLE) <= set(TABLE)
    assert scopes.needed("GET", "api/v2/spaces/98304/pages") == ("read:page:confluence",)
    assert scopes.needed("GET", "rest/api/group/by-name") == ("read:confluence-groups",)
