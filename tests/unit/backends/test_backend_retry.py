"""The retry policy, driven directly with scripted senders and a fake clock."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from confluence_sync.backends.rate_gate import RateLimitStopError
from confluence_sync.backends.retry import (
    RETRYABLE_TEXTS,
    Retrier,
    RetryableText,
    RetryPolicy,
    idempotent,
    idempotent_put,
    parse_retry_after,
    safe_to_repeat,
    version_guarded,
)
from confluence_sync.errors import (
    BadRequestError,
    ConflictError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
    WikiError,
)

from .conftest import FakeTime


class Script:
    """A sender that raises / returns the scripted outcomes in order."""

    def __init__(self, *outcomes: object) -> None:
        self.outcomes = list(outcomes)
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


def limited(after: float | None) -> RateLimitedError:
    return RateLimitedError("page 1", 429, "rate limited", retry_after=after)


def server(status: int = 500, message: str = "boom") -> ServerError:
    return ServerError("page 1", status, message)


@pytest.mark.parametrize(
    ("header", "expected"),
    [("5", 5.0), ("0", 0.0), ("1.5", 1.5), ("soon", None), ("", None), (None, None), ("nan", None)],
)
def test_parse_retry_after_seconds_and_nonsense(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header) == expected


def test_parse_retry_after_http_date() -> None:
    now = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC).timestamp()
    header = format_datetime(datetime(2026, 3, 1, 12, 0, 20, tzinfo=UTC), usegmt=True)
    assert parse_retry_after(header, now=now) == pytest.approx(20.0)
    past = format_datetime(datetime(2026, 3, 1, 11, 0, 0, tzinfo=UTC), usegmt=True)
    assert parse_retry_after(past, now=now) == 0.0


@pytest.mark.parametrize(
    ("retry_after", "expected"), [(5.0, 5.0), (0.0, 1.0), (-3.0, 1.0), (0.2, 1.0), (600.0, 600.0)]
)
def test_a_named_rate_limit_wait_is_taken_in_full_from_the_floor_up(
    policy: RetryPolicy, retry_after: float, expected: float
) -> None:
    assert policy.rate_limit_delay(retry_after, 1) == expected


def test_missing_retry_after_backs_off_exponentially_from_the_floor(policy: RetryPolicy) -> None:
    assert [policy.rate_limit_delay(None, n) for n in (1, 2, 3, 7)] == [1.0, 2.0, 4.0, 30.0]


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
def test_429_is_retried_for_every_method_through_the_gate(
    policy: RetryPolicy, fake_time: FakeTime, method: str
) -> None:
    retrier = Retrier(policy)
    send = Script(limited(4.0), "ok")

    def through_gate() -> object:
        retrier.gate.wait()
        return send()

    assert retrier.run(method, "page 1", through_gate) == "ok"
    assert send.calls == 2
    assert fake_time.sleeps == [4.0]  # waited at the gate, once


def test_429_gives_up_after_max_attempts(policy: RetryPolicy) -> None:
    send = Script(limited(1.0))
    with pytest.raises(RateLimitedError):
        Retrier(policy).run("GET", "page 1", send)
    assert send.calls == policy.max_attempts


def test_a_named_wait_past_max_wait_stops_at_once_and_closes_the_gate(
    policy: RetryPolicy, fake_time: FakeTime
) -> None:
    policy.max_wait = 10.0
    retrier = Retrier(policy)
    send = Script(limited(30.0), "ok")
    with pytest.raises(RateLimitStopError, match="rate limited until"):
        retrier.run("GET", "page 1", send)
    assert send.calls == 1 and fake_time.sleeps == []
    with pytest.raises(RateLimitStopError):  # every later request: not sent
        retrier.gate.raise_if_closed("page 2")


@pytest.mark.parametrize("error", [server(500), server(503), TransportError("page 1", "reset")])
def test_transient_failures_are_retried_for_reads(policy: RetryPolicy, error: WikiError) -> None:
    send = Script(error, error, "ok")
    assert Retrier(policy).run("GET", "page 1", send) == "ok"
    assert send.calls == 3


@pytest.mark.parametrize("method", ["POST", "PUT"])
@pytest.mark.parametrize("error", [server(500), TransportError("page 1", "timed out")])
def test_unguarded_writes_are_not_retried_on_5xx_or_timeouts(
    policy: RetryPolicy, method: str, error: WikiError
) -> None:
    send = Script(error, "ok")
    with pytest.raises(type(error)):
        Retrier(policy).run(method, "page 1", send)
    assert send.calls == 1


@pytest.mark.parametrize(
    ("body", "guarded"),
    [
        ({"version": {"number": 4}}, True),
        ({"key": "k", "value": 1, "version": {"number": 2, "minorEdit": True}}, True),
        ({"version": {"number": "4"}}, False),
        ({"version": {"number": True}}, False),
        ({"version": 4}, False),
        ({"name": "template"}, False),
        ([{"operationKey": "read"}], False),
        (None, False),
    ],
)
def test_a_version_guard_is_read_from_the_body(body: object, guarded: bool) -> None:
    assert version_guarded(body) is guarded


@pytest.mark.parametrize(
    ("method", "guarded", "safe"),
    [
        ("GET", False, True),
        ("delete", False, True),
        ("PUT", True, True),
        ("PUT", False, False),
        ("POST", True, False),
    ],
)
def test_which_requests_are_safe_to_send_twice(method: str, guarded: bool, safe: bool) -> None:
    assert idempotent(method, guarded=guarded) is safe


@pytest.mark.parametrize(
    ("path", "safe"),
    [
        ("rest/api/space/UPX/permissions/group/upx-members/grant", True),
        ("rest/api/space/UPX/permissions/user/4028ae28915466/revoke", True),
        ("https://wiki.example/confluence/rest/api/space/UPX/permissions/anonymous/grant", True),
        ("rest/api/user/cherm/group/upx-members", True),
        ("rest/api/content/65544/move/append/65540", True),
        ("rest/api/content/65544/move/before/65540", True),
        ("rest/api/content/65544", False),  # an update: safe only with its version guard
        ("rest/api/space/UPX", False),
        ("rest/api/space/UPX/permissions/group/upx-members/set", False),
        ("rest/api/content/65544/move/sideways/65540", False),
        ("rest/api/user/cherm/group/upx-members/extra", False),
    ],
)
def test_the_puts_idempotent_by_definition_are_named_by_their_path(path: str, safe: bool) -> None:
    assert idempotent_put(path) is safe
    assert safe_to_repeat("PUT", path, None) is safe
    assert safe_to_repeat("POST", path, None) is False  # never a POST, whatever its path


def test_a_version_guard_makes_any_put_safe_to_repeat() -> None:
    assert safe_to_repeat("put", "rest/api/content/1", {"version": {"number": 2}})
    assert not safe_to_repeat("PUT", "rest/api/content/1", {"title": "x"})


def test_an_idempotent_put_is_retried_and_its_repeat_answer_is_the_result(
    policy: RetryPolicy,
) -> None:
    """A grant that landed before a reset: the repeat answers 204 (None) like the first."""
    send = Script(TransportError("grant", "reset", cause="reset"), server(503), None)
    path = "rest/api/space/UPX/permissions/group/wg/grant"
    guarded = safe_to_repeat("PUT", path, [{"operationKey": "read"}])
    assert Retrier(policy).run("PUT", "grant", send, guarded=guarded) is None
    assert send.calls == 3


@pytest.mark.parametrize(
    "error",
    [
        server(500),
        server(503),
        TransportError("page 1", "reset", cause="reset"),
        TransportError("page 1", "no answer", cause="read-timeout"),
    ],
)
@pytest.mark.parametrize(("method", "guarded"), [("PUT", True), ("DELETE", False)])
def test_guarded_puts_and_deletes_are_retried_on_5xx_resets_and_timeouts(
    policy: RetryPolicy, error: WikiError, method: str, guarded: bool
) -> None:
    send = Script(error, error, "ok")
    assert Retrier(policy).run(method, "page 1", send, guarded=guarded) == "ok"
    assert send.calls == 3


def conflict() -> ConflictError:
    return ConflictError("page 1", 409, "Version must be incremented on update.")


def test_a_retried_put_that_had_landed_is_confirmed_by_a_reread(policy: RetryPolicy) -> None:
    send = Script(server(500), conflict())
    rereads: list[str] = []

    def landed() -> str | None:
        rereads.append("read")
        return "version 5, ours"

    resolve_calls: list[str] = []

    def resolve() -> None:
        resolve_calls.append("resolve")
        return None

    got = Retrier(policy).run(
        "PUT", "page 1", send, guarded=True, find_committed=landed, resolve_conflict=resolve
    )
    assert got == "version 5, ours"
    assert (send.calls, rereads, resolve_calls) == (2, ["read"], [])


def test_a_retried_put_whose_409_is_someone_elses_goes_to_the_resolver(
    policy: RetryPolicy,
) -> None:
    send = Script(TransportError("page 1", "reset", cause="reset"), conflict(), "written v6")
    got = Retrier(policy).run(
        "PUT",
        "page 1",
        send,
        guarded=True,
        find_committed=lambda: None,
        resolve_conflict=lambda: lambda: "written v6",
    )
    assert got == "written v6"
    assert send.calls == 2


def test_a_first_409_is_not_taken_for_a_landed_retry(policy: RetryPolicy) -> None:
    """Without an earlier failure there is nothing that could have landed: no re-read."""
    looked: list[str] = []
    with pytest.raises(ConflictError):
        Retrier(policy).run(
            "PUT",
            "page 1",
            Script(conflict()),
            guarded=True,
            find_committed=lambda: looked.append("read") or "x",
        )
    assert looked == []


def test_a_retried_delete_that_meets_404_is_done(policy: RetryPolicy) -> None:
    send = Script(server(503), NotFoundError("label x", 404, "not found"))
    assert Retrier(policy).run("DELETE", "label x", send) is None
    assert send.calls == 2


def test_a_first_delete_that_meets_404_still_says_so(policy: RetryPolicy) -> None:
    with pytest.raises(NotFoundError):
        Retrier(policy).run("DELETE", "label x", Script(NotFoundError("label x", 404, "no")))


def test_a_delete_never_sent_then_404_is_not_taken_for_ours(policy: RetryPolicy) -> None:
    """A connect timeout sent nothing: a 404 after it is the wiki's own answer."""
    send = Script(
        TransportError("label x", "no connection", cause="connect-timeout"),
        NotFoundError("label x", 404, "not found"),
    )
    with pytest.raises(NotFoundError):
        Retrier(policy).run("DELETE", "label x", send)


def test_ambiguous_post_is_looked_up_before_any_retry_and_not_resent(policy: RetryPolicy) -> None:
    events: list[str] = []

    def post() -> str:
        events.append("POST")
        raise TransportError("page 'Agenda'", "timed out")  # the server did commit it

    def lookup() -> str | None:
        events.append("lookup")
        return "page-77"

    assert Retrier(policy).run("POST", "page 'Agenda'", post, find_existing=lookup) == "page-77"
    assert events == ["POST", "lookup"]


def test_ambiguous_post_is_resent_when_the_lookup_finds_nothing(policy: RetryPolicy) -> None:
    events: list[str] = []
    outcomes = [server(502), "page-78"]

    def post() -> str:
        events.append("POST")
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def lookup() -> str | None:
        events.append("lookup")
        return None

    assert Retrier(policy).run("POST", "page", post, find_existing=lookup) == "page-78"
    assert events == ["POST", "lookup", "POST"]


def test_conflict_rereads_and_writes_what_the_callback_decides(policy: RetryPolicy) -> None:
    writes: list[int] = []

    def put_v3() -> str:
        writes.append(3)
        raise ConflictError("page 1", 409, "Version must be incremented")

    def resolve() -> object:
        return lambda: writes.append(5) or "written v5"

    assert Retrier(policy).run("PUT", "page 1", put_v3, resolve_conflict=resolve) == "written v5"
    assert writes == [3, 5]


def test_conflict_without_a_resolver_or_refused_by_it_raises(policy: RetryPolicy) -> None:
    send = Script(ConflictError("page 1", 409, "stale"))
    with pytest.raises(ConflictError):
        Retrier(policy).run("PUT", "page 1", send)
    with pytest.raises(ConflictError):
        Retrier(policy).run("PUT", "page 1", send, resolve_conflict=lambda: None)
    assert send.calls == 2


@pytest.mark.parametrize("entry", RETRYABLE_TEXTS, ids=lambda e: e.text)
def test_known_rollback_texts_are_retried_even_for_writes(
    policy: RetryPolicy, entry: RetryableText
) -> None:
    text = entry.text
    send = Script(server(500, f"java.lang.RuntimeException: {text} while saving"), "ok")
    assert Retrier(policy).run("PUT", "page 1", send) == "ok"
    assert entry.reason


@pytest.mark.parametrize("entry", RETRYABLE_TEXTS, ids=lambda e: e.text)
def test_a_post_without_lookup_is_never_retried_on_5xx_whatever_the_text(
    policy: RetryPolicy, entry: RetryableText
) -> None:
    # Template create, grants, group membership: a second POST could duplicate.
    send = Script(server(500, f"java.lang.RuntimeException: {entry.text}"), "ok")
    with pytest.raises(ServerError):
        Retrier(policy).run("POST", "grant", send)
    assert send.calls == 1


def test_a_post_with_lookup_and_a_rollback_text_is_looked_up_first(policy: RetryPolicy) -> None:
    send = Script(server(500, "Transaction rolled back"), "sent again")
    found: list[str] = []
    result = Retrier(policy).run(
        "POST", "page", send, find_existing=lambda: found.append("looked") or None
    )
    assert result == "sent again" and found == ["looked"] and send.calls == 2


@pytest.mark.parametrize(
    "error",
    [BadRequestError("p", 400, "bad"), NotFoundError("p", 404, "gone"), WikiError("p", 401, "no")],
)
def test_client_errors_are_not_retried(policy: RetryPolicy, error: WikiError) -> None:
    send = Script(error, "ok")
    with pytest.raises(type(error)):
        Retrier(policy).run("GET", "p", send)
    assert send.calls == 1


def test_every_retry_is_logged_without_secrets(
    policy: RetryPolicy, caplog: pytest.LogCaptureFixture
) -> None:
    send = Script(server(503, "busy"), "ok")
    with caplog.at_level("WARNING", logger="confluence_sync.backends.retry"):
        Retrier(policy).run("GET", "pages of space UPX", send)
    assert "retry 1/4 of GET pages of space UPX" in caplog.text
    assert "busy" in caplog.text


def test_the_gate_makes_every_worker_wait(policy: RetryPolicy, fake_time: FakeTime) -> None:
    retrier = Retrier(policy)
    retrier.gate.defer(6.0)
    waited: list[float] = []

    def worker() -> None:
        before = fake_time.clock()
        retrier.gate.wait()
        waited.append(fake_time.clock() - before)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(waited) == 4
    # With a clock that only moves when someone sleeps, the gate opened once for all.
    assert sum(fake_time.sleeps) == pytest.approx(6.0)
    assert retrier.gate.remaining() == 0


def test_a_later_deadline_is_never_shortened(policy: RetryPolicy) -> None:
    retrier = Retrier(policy)
    retrier.gate.defer(10.0)
    retrier.gate.defer(2.0)
    assert retrier.gate.remaining() == pytest.approx(10.0)
