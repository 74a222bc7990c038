"""Confluence's XSRF filter on writes, as ``rules/xsrf.py`` keeps it (Atlassian REST's
``XsrfResourceFilter``: a browser's POST must come from the site; a form-like POST needs
``X-Atlassian-Token: no-check``; JSON and non-POST writes pass)."""

from __future__ import annotations

import pytest

from confluence_sync.localwiki.rules.xsrf import WriteRequest, refused

SITE = "http://127.0.0.1:8090"
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/150.0 Safari/537.36"
JSON = "application/json; charset=utf-8"
FORM = "application/x-www-form-urlencoded"


def request(method: str = "POST", **kw: str) -> WriteRequest:
    return WriteRequest(method=method, site=SITE, **kw)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (request("GET"), False),
        (request("POST", content_type=JSON), False),  # XsrfCheckTest.testPostJsonSuccess
        (request("POST", content_type=FORM), True),  # testPostFormBlocked
        (request("POST", content_type=FORM, token="no-check"), False),  # testPostFormSuccess
        (request("POST", content_type="multipart/form-data; boundary=x"), True),
        (request("POST", content_type="text/plain", token="nocheck"), False),  # deprecated
        (request("POST"), True),  # no content type counts as a form's
        (request("PUT", content_type=FORM), False),  # testPutFormSuccess: only logged
        (request("DELETE"), False),
    ],
)
def test_the_token_rule_without_a_browser(case: WriteRequest, expected: bool) -> None:
    assert refused(case) is expected


def test_a_browser_post_must_come_from_the_site_itself() -> None:
    elsewhere = request(content_type=JSON, user_agent=CHROME, origin="http://evil.example")
    assert refused(elsewhere)
    with_token = request(
        content_type=JSON, user_agent=CHROME, origin="http://evil.example", token="no-check"
    )
    assert refused(with_token)  # the header does not make a foreign origin acceptable
    assert not refused(request(content_type=JSON, user_agent=CHROME, origin=SITE))
    by_referer = request(content_type=JSON, user_agent=CHROME, referer=SITE + "/viewer/x?q=1")
    assert not refused(by_referer)
    other_port = request(content_type=JSON, user_agent=CHROME, origin="http://127.0.0.1:8091")
    assert refused(other_port)
    extension = request(content_type=JSON, user_agent=CHROME, origin="chrome-extension://abc")
    assert not refused(extension)


def test_a_same_origin_browser_form_post_still_needs_the_token() -> None:
    form = request(content_type=FORM, user_agent=CHROME, origin=SITE)
    assert refused(form)
    assert not refused(request(content_type=FORM, user_agent=CHROME, origin=SITE, token="no-check"))


def test_a_browser_write_other_than_post_is_only_logged() -> None:
    put = request("PUT", content_type=FORM, user_agent=CHROME, origin="http://evil.example")
    assert not refused(put)


def test_default_ports_are_the_same_origin() -> None:
    site = WriteRequest(method="POST", site="https://wiki.example", user_agent=CHROME)
    same = WriteRequest(
        method="POST",
        site="https://wiki.example",
        user_agent=CHROME,
        content_type=JSON,
        origin="https://WIKI.example:443",
    )
    assert refused(site)  # no origin, no referer: a browser POST that proves nothing
    assert not refused(same)
