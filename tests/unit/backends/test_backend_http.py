"""The transport over real HTTP (scripted server on 127.0.0.1:0): timeouts, counting, retries
end to end, pagination and secret redaction."""

from __future__ import annotations

import base64
import logging
import threading
import time
import traceback
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from werkzeug.wrappers import Request

from confluence_sync.backends.contract import RequestCounter
from confluence_sync.backends.redaction import RedactingFilter
from confluence_sync.backends.retry import Retrier, RetryPolicy
from confluence_sync.backends.transport import Transport
from confluence_sync.errors import (
    AuthenticationError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    SiteError,
    TransportError,
    WikiError,
)
from confluence_sync.settings import BasicAuth, BearerAuth

from .conftest import FakeTime, ScriptedServer

TOKEN = "pAt-5ecret-0123456789abcdef"


def make_transport(
    wiki: ScriptedServer,
    policy: RetryPolicy,
    *,
    auth: BasicAuth | BearerAuth | None = None,
    suffix: str = "",
    timeouts: tuple[float, float] = (2.0, 5.0),
) -> Transport:
    return Transport(
        wiki.url + suffix,
        auth if auth is not None else BearerAuth(token=TOKEN),  # type: ignore[arg-type]
        flavour="datacenter",
        counter=RequestCounter(),
        retrier=Retrier(policy),
        timeouts=timeouts,
    )


def settle(wiki: ScriptedServer, transport: Transport) -> Transport:
    """The run's first request answered like Confluence: later answers are about objects."""
    wiki.route("GET", "/rest/api/space", (200, {"results": []}, {}))
    transport.call("GET", "rest/api/space", what="spaces")
    return transport


def test_requests_carry_explicit_connect_and_read_timeouts(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    transport = make_transport(wiki, policy, timeouts=(3.0, 7.0))
    assert transport._api.timeout == (3.0, 7.0)


def test_a_slow_read_times_out_and_is_retried_only_for_get(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    def slow(_request: Request) -> tuple[int, object, dict[str, str]]:
        time.sleep(0.6)
        return 200, {"ok": True}, {}

    wiki.route("GET", "/rest/api/slow", slow)
    wiki.route("POST", "/rest/api/slow", slow)
    policy.max_attempts = 2
    transport = settle(wiki, make_transport(wiki, policy, timeouts=(1.0, 0.2)))
    with pytest.raises(TransportError) as caught:
        transport.call("GET", "rest/api/slow", what="page 9")
    assert "no answer within 0.2 s" in str(caught.value) and caught.value.status is None
    assert caught.value.cause == "read-timeout" and caught.value.maybe_committed
    with pytest.raises(TransportError):
        transport.call("POST", "rest/api/slow", what="page 9", json={})
    assert [s.method for s in wiki.calls(path="/rest/api/slow")] == ["GET", "GET", "POST"]


def test_counter_counts_every_attempt_and_writes_by_method(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    wiki.sequence("GET", "/rest/api/a", [(503, "<html>busy</html>", {}), (200, {"x": 1}, {})])
    wiki.route("PUT", "/rest/api/b", (204, "", {}))
    transport = make_transport(wiki, policy)
    assert transport.call("GET", "rest/api/a", what="a") == {"x": 1}
    assert transport.call("PUT", "rest/api/b", what="b", json={}) is None
    assert transport.counter.requests == 3
    assert transport.counter.writes == 1
    assert transport.counter.by_method() == {"GET": 2, "PUT": 1}


@pytest.mark.parametrize(
    ("header", "expected_wait"),
    [("2", 2.0), ("0", 1.0), ("garbage", 1.0), ("date", 5.0)],
)
def test_retry_after_forms_end_to_end(
    wiki: ScriptedServer,
    policy: RetryPolicy,
    fake_time: FakeTime,
    header: str,
    expected_wait: float,
) -> None:
    if header == "date":
        # The wall clock is injected: the date is exactly 5 s after the policy's "now".
        now = datetime(2026, 3, 12, 9, 0, 0, tzinfo=UTC)
        policy.wall_clock = now.timestamp
        header = format_datetime(now + timedelta(seconds=5), usegmt=True)
    wiki.sequence(
        "POST",
        "/rest/api/content",
        [(429, {"message": "slow down"}, {"Retry-After": header}), (200, {"id": "5"}, {})],
    )
    transport = make_transport(wiki, policy)
    assert transport.call("POST", "rest/api/content", what="page", json={}) == {"id": "5"}
    assert len(fake_time.sleeps) == 1
    assert fake_time.sleeps[0] == expected_wait
    assert len(wiki.calls("POST")) == 2


def test_rate_limit_that_never_ends_is_bounded(wiki: ScriptedServer, policy: RetryPolicy) -> None:
    wiki.route("GET", "/rest/api/space", (429, "", {"Retry-After": "1"}))
    with pytest.raises(RateLimitedError):
        make_transport(wiki, policy).call("GET", "rest/api/space", what="spaces")
    assert len(wiki.seen) == policy.max_attempts


def test_errors_map_through_the_status_table(wiki: ScriptedServer, policy: RetryPolicy) -> None:
    wiki.route(
        "GET", "/rest/api/content/7", (404, {"statusCode": 404, "message": "No content"}, {})
    )
    wiki.route("GET", "/rest/api/user/current", (401, "", {}))
    # The first answer is a 404: the site is probed (rest/api/space answers), so the 404 was
    # about the page, and it stays a NotFoundError.
    wiki.route("GET", "/rest/api/space", (200, {"results": []}, {}))
    transport = make_transport(wiki, policy)
    with pytest.raises(NotFoundError) as missing:
        transport.call("GET", "rest/api/content/7", what="page 7")
    assert "page 7" in str(missing.value) and "restriction" in missing.value.hint
    with pytest.raises(AuthenticationError):
        transport.call("GET", "rest/api/user/current", what="current user")


def test_post_on_5xx_is_not_resent(wiki: ScriptedServer, policy: RetryPolicy) -> None:
    wiki.route("POST", "/rest/api/content", (500, {"message": "boom"}, {}))
    with pytest.raises(ServerError):
        make_transport(wiki, policy).call("POST", "rest/api/content", what="page", json={})
    assert len(wiki.calls("POST")) == 1


def test_pagination_follows_dc_and_v2_next_links(wiki: ScriptedServer, policy: RetryPolicy) -> None:
    def dc_pages(request: Request) -> tuple[int, object, dict[str, str]]:
        start = int(request.args.get("start", "0"))
        links = {"next": "/rest/api/content?start=2&limit=2"} if start == 0 else {}
        return 200, {"results": [{"n": start}, {"n": start + 1}], "_links": links}, {}

    def v2_pages(request: Request) -> tuple[int, object, dict[str, str]]:
        cursor = request.args.get("cursor")
        links = {"next": "/wiki/api/v2/spaces/1/pages?cursor=abc"} if cursor is None else {}
        return 200, {"results": [{"c": cursor}], "_links": links}, {}

    wiki.route("GET", "/confluence/rest/api/content", dc_pages)
    wiki.route("GET", "/wiki/api/v2/spaces/1/pages", v2_pages)
    dc = make_transport(wiki, policy, suffix="/confluence")
    assert [r["n"] for r in dc.paginate("rest/api/content", what="pages")] == [0, 1, 2, 3]
    cloud = make_transport(wiki, policy, suffix="/wiki")
    assert [r["c"] for r in cloud.paginate("api/v2/spaces/1/pages", what="pages")] == [None, "abc"]


def test_next_links_to_another_host_are_not_followed(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    # Our credentials would go with the request; only the configured origin gets them.
    links = {"next": "http://elsewhere.invalid:8080/rest/api/content?start=1"}
    wiki.route("GET", "/rest/api/content", (200, {"results": [{"n": 0}], "_links": links}, {}))
    pages = make_transport(wiki, policy).paginate("rest/api/content", what="pages")
    assert next(pages) == {"n": 0}
    with pytest.raises(TransportError, match="another host"):
        next(pages)
    assert len(wiki.seen) == 1


def test_absolute_next_links_on_our_origin_are_followed(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    def pages(request: Request) -> tuple[int, object, dict[str, str]]:
        start = int(request.args.get("start", "0"))
        links = {"next": f"{wiki.url}/rest/api/content?start=1"} if start == 0 else {}
        return 200, {"results": [{"n": start}], "_links": links}, {}

    wiki.route("GET", "/rest/api/content", pages)
    found = make_transport(wiki, policy).paginate("rest/api/content", what="pages")
    assert [r["n"] for r in found] == [0, 1]


def test_an_echoed_authorization_header_never_reaches_the_error(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    def echo(request: Request) -> tuple[int, object, dict[str, str]]:
        said = "Bad request; received headers: Authorization=" + request.headers["Authorization"]
        return 400, {"statusCode": 400, "message": said}, {}

    wiki.route("GET", "/rest/api/space", echo)
    basic = BasicAuth(username="sync@example.org", secret=TOKEN)  # type: ignore[arg-type]
    for auth in (None, basic):
        with pytest.raises(WikiError) as caught:
            make_transport(wiki, policy, auth=auth).call("GET", "rest/api/space", what="spaces")
        text = str(caught.value)
        encoded = base64.b64encode(f"sync@example.org:{TOKEN}".encode()).decode()
        assert "Authorization=" in text and TOKEN not in text and encoded not in text
        assert "[redacted]" in text


def test_bearer_and_basic_auth_are_sent(wiki: ScriptedServer, policy: RetryPolicy) -> None:
    wiki.route("GET", "/rest/api/user/current", (200, {}, {}))
    make_transport(wiki, policy).call("GET", "rest/api/user/current", what="me")
    basic = BasicAuth(username="sync@example.org", secret=TOKEN)  # type: ignore[arg-type]
    make_transport(wiki, policy, auth=basic).call("GET", "rest/api/user/current", what="me")
    first, second = wiki.seen
    assert first.headers["Authorization"] == f"Bearer {TOKEN}"
    expected = base64.b64encode(f"sync@example.org:{TOKEN}".encode()).decode()
    assert second.headers["Authorization"] == f"Basic {expected}"


def test_token_never_reaches_logs_errors_or_tracebacks(
    wiki: ScriptedServer, policy: RetryPolicy, caplog: pytest.LogCaptureFixture
) -> None:
    wiki.route("GET", "/rest/api/content/1", (500, {"message": "boom"}, {}))
    wiki.route("POST", "/rest/api/content", (401, "", {}))
    policy.max_attempts = 2
    transport = make_transport(wiki, policy)
    errors: list[BaseException] = []
    with caplog.at_level(logging.DEBUG):
        for method, path in (("GET", "rest/api/content/1"), ("POST", "rest/api/content")):
            try:
                transport.call(method, path, what="page 1", json={"x": 1})
            except Exception as error:
                errors.append(error)
        # A refused connection: requests' own exception text must not carry the header.
        dead = Transport(
            "http://127.0.0.1:9",
            BearerAuth(token=TOKEN),  # type: ignore[arg-type]
            flavour="datacenter",
            counter=RequestCounter(),
            retrier=Retrier(policy),
            timeouts=(0.5, 0.5),
        )
        try:
            dead.call("POST", "rest/api/content", what="page", json={})
        except SiteError as error:
            errors.append(error)
        logging.getLogger("confluence_sync.backends.transport").debug(
            "headers %s", {"Authorization": f"Bearer {TOKEN}"}
        )
    assert len(errors) == 3
    for error in errors:
        shown = str(error) + repr(error) + "".join(traceback.format_exception(error))
        assert TOKEN not in shown
        chained = [error.__cause__, error.__context__]
        assert not any(hasattr(link, "request") for link in chained)  # no prepared request
    assert TOKEN not in caplog.text
    assert "[redacted]" in caplog.text
    assert TOKEN not in repr(transport)


def test_redacting_filter_scrubs_header_forms() -> None:
    redactor = RedactingFilter(("plain-secret",))
    for text in (
        "Authorization: Bearer abcdefghijklmnop",
        "'Authorization': 'Basic c3luYzpzZWNyZXQ='",
        "token plain-secret in a sentence",
        "curl -H 'Authorization: Basic c3luYzpzZWNyZXQ=' http://x",
    ):
        cleaned = redactor.redact(text)
        assert "abcdefghijklmnop" not in cleaned
        assert "c3luYzpzZWNyZXQ=" not in cleaned
        assert "plain-secret" not in cleaned


def test_one_workers_429_holds_back_the_others(wiki: ScriptedServer, fake_time: FakeTime) -> None:
    """Worker A meets a 429; while it waits, worker B starts a request and must wait at the
    same gate. The fake sleep runs B inside A's wait, so the order is deterministic."""
    sleepers: list[str] = []
    other: list[object] = []

    def sleep(seconds: float) -> None:
        sleepers.append(threading.current_thread().name)
        if len(sleepers) == 1:  # A is about to wait: let B try now
            worker_b = threading.Thread(
                target=lambda: other.append(transport.call("GET", "rest/api/b", what="b")),
                name="B",
            )
            worker_b.start()
            worker_b.join(5)
        fake_time.sleep(seconds)

    policy = RetryPolicy(clock=fake_time.clock, sleep=sleep, jitter=lambda: 1.0)
    wiki.sequence("GET", "/rest/api/a", [(429, "", {"Retry-After": "3"}), (200, {"a": 1}, {})])
    wiki.route("GET", "/rest/api/b", (200, {"b": 1}, {}))
    transport = make_transport(wiki, policy)
    threading.current_thread().name = "A"
    assert transport.call("GET", "rest/api/a", what="a") == {"a": 1}
    assert other == [{"b": 1}]
    assert sleepers == ["A", "B"]  # B waited too although it never saw a 429
    assert [s.path for s in wiki.seen] == ["/rest/api/a", "/rest/api/b", "/rest/api/a"]
