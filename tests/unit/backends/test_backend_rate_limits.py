"""Cloud's rate limits (developer.atlassian.com/cloud/confluence/rate-limiting/): a named wait
is waited in full up to ``max_wait``, ``X-RateLimit-Reset`` stands in for a missing
``Retry-After``, ``X-RateLimit-NearLimit`` slows every worker, and a wait past ``max_wait``
stops the run cleanly. Fake clocks: nothing here waits for real."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from confluence_sync.backends import open_backend
from confluence_sync.backends.rate_gate import RateLimitStopError, parse_reset
from confluence_sync.backends.retry import Retrier, RetryPolicy
from confluence_sync.errors import EXIT_PARTIAL, RateLimitedError
from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.settings import Settings

from .conftest import FakeTime

NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC).timestamp()


def limited(after: float | None) -> RateLimitedError:
    return RateLimitedError("page 1", 429, "rate limited", retry_after=after)


@pytest.fixture
def timed(policy: RetryPolicy) -> RetryPolicy:
    policy.wall_clock = lambda: NOON
    return policy


def test_a_long_retry_after_within_max_wait_is_waited_in_full_and_said_once(
    timed: RetryPolicy,
    fake_time: FakeTime,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    retrier = Retrier(timed)
    outcomes: list[object] = [limited(90.0), limited(90.0), "ok"]

    def send() -> object:
        retrier.gate.wait()
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    with caplog.at_level(logging.WARNING, logger="confluence_sync"):
        assert retrier.run("GET", "page 1", send) == "ok"
    assert fake_time.sleeps == [90.0, 90.0]  # not cut to the 30 s cap
    said = [r.getMessage() for r in caplog.records if "rate limited until" in r.getMessage()]
    assert said == ["rate limited until 12:01"]


def test_waits_beyond_max_wait_in_total_stop_the_request(
    timed: RetryPolicy, fake_time: FakeTime
) -> None:
    timed.max_wait = 100.0
    retrier = Retrier(timed)
    calls = []

    def send() -> object:
        retrier.gate.wait()
        calls.append(1)
        raise limited(60.0)

    with pytest.raises(RateLimitStopError, match="not done: rate limited until"):
        retrier.run("PUT", "page 1", send, guarded=True)
    assert len(calls) == 2 and fake_time.sleeps == [60.0]  # 60 + 60 would pass 100


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("2026-03-02T12:05Z", 360.0),  # to the minute: the end of that minute
        ("2026-03-02T12:05:30Z", 330.0),
        ("2026-03-02T12:05:30+00:00", 330.0),
        ("2026-03-02T11:00Z", 0.0),
        ("tomorrow", None),
        ("", None),
        (None, None),
    ],
)
def test_x_ratelimit_reset_is_read_as_atlassian_writes_it(
    value: str | None, seconds: float | None
) -> None:
    assert parse_reset(value, now=NOON) == seconds


def test_near_limit_spaces_every_request_for_a_burst_window(
    timed: RetryPolicy, fake_time: FakeTime
) -> None:
    gate = Retrier(timed).gate
    gate.wait()
    assert fake_time.sleeps == []
    gate.near_limit()
    for _ in range(3):
        gate.wait()
    assert fake_time.sleeps == [timed.near_limit_spacing] * 2  # the first passes at once
    fake_time.now += timed.near_limit_window
    before = len(fake_time.sleeps)
    gate.wait()
    gate.wait()
    assert len(fake_time.sleeps) == before  # the window is over: full speed again


def _backend(wiki: LocalWiki, policy: RetryPolicy):  # type: ignore[no-untyped-def]
    settings = Settings.from_env(
        {}, url=wiki.url, flavour="datacenter", username=wiki.admin[0], api_token=wiki.admin[1]
    )
    return open_backend(settings, policy=policy)


def test_over_http_reset_and_near_limit_headers_reach_the_gate(
    policy: RetryPolicy, fake_time: FakeTime
) -> None:
    """The local wiki's ``429:retry-after=none:reset=…`` and ``near-limit`` faults."""
    with LocalWiki(flavour="dc", faults=["429:retry-after=none:reset=120:count=1"]) as wiki:
        backend = _backend(wiki, policy)
        try:
            assert backend.reader.get_space("NOPE") is None
            # the wait came from X-RateLimit-Reset (to the minute: 120-180 s), not the floor
            assert len(fake_time.sleeps) == 1 and 120.0 <= fake_time.sleeps[0] <= 181.0
            wiki.app.app.plan.add("near-limit:count=1")  # type: ignore[attr-defined]
            for _ in range(3):  # the answer says "near"; then one request per spacing
                backend.reader.get_space("NOPE", fresh=True)
            assert fake_time.sleeps[1:] == [policy.near_limit_spacing]
        finally:
            backend.close()


def test_over_http_a_retry_after_past_max_wait_sends_nothing_more(
    policy: RetryPolicy, fake_time: FakeTime
) -> None:
    policy.max_wait = 300.0
    with LocalWiki(flavour="dc", faults=["429:retry-after=3600:count=1"]) as wiki:
        backend = _backend(wiki, policy)
        try:
            with pytest.raises(RateLimitStopError) as caught:
                backend.reader.get_space("NOPE")
            assert caught.value.exit_code == EXIT_PARTIAL  # met while reading: exit 5, not 1
            sent = backend.reader.counter.requests
            with pytest.raises(RateLimitStopError):
                backend.reader.get_space("OTHER")
            assert backend.reader.counter.requests == sent and fake_time.sleeps == []
        finally:
            backend.close()
