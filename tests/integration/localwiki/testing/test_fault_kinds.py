"""Each fault kind, observed by a real ``requests`` client over loopback HTTP."""

from __future__ import annotations

import datetime as dt
import email.utils
import errno
import logging

import pytest
import requests

from .conftest import Served

CONTENT = "/rest/api/content/42"


def add(served: Served, *specs: str, replace: bool = True) -> None:
    answer = requests.post(
        f"{served.url}/__localwiki/faults",
        json={"specs": list(specs), "replace": replace},
        timeout=5,
    )
    assert answer.status_code == 200, answer.text


def test_429_sends_retry_after_in_seconds(served: Served) -> None:
    add(served, "429:retry-after=2")
    answer = requests.get(served.url + CONTENT, timeout=5)
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "2"
    assert answer.json()["statusCode"] == 429


def test_429_retry_after_zero_is_sent_as_zero(served: Served) -> None:
    add(served, "429:retry-after=0")
    answer = requests.get(served.url + CONTENT, timeout=5)
    assert (answer.status_code, answer.headers["Retry-After"]) == (429, "0")


def test_429_retry_after_as_http_date(served: Served) -> None:
    add(served, "429:retry-after=3:retry-format=date")
    answer = requests.get(served.url + CONTENT, timeout=5)
    value = answer.headers["Retry-After"]
    assert not value.isdigit()
    assert value.endswith("GMT")
    assert email.utils.parsedate_to_datetime(value).tzinfo is not None


def test_429_with_cloud_rate_limit_headers(served: Served) -> None:
    add(served, "429:retry-after=3600:reset=3600:near-limit")
    answer = requests.get(served.url + CONTENT, timeout=5)
    assert (answer.status_code, answer.headers["Retry-After"]) == (429, "3600")
    reset = answer.headers["X-RateLimit-Reset"]  # Atlassian's yyyy-MM-ddTHH:mmZ
    moment = dt.datetime.strptime(reset, "%Y-%m-%dT%H:%MZ").replace(tzinfo=dt.UTC)
    ahead = moment - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=58) < ahead <= dt.timedelta(hours=1)
    assert answer.headers["X-RateLimit-NearLimit"] == "true"


def test_near_limit_answers_normally_with_the_header(served: Served) -> None:
    add(served, "near-limit:count=1")
    first = requests.get(served.url + "/rest/api/space", timeout=5)
    second = requests.get(served.url + "/rest/api/space", timeout=5)
    assert first.status_code == 200 and first.headers["X-RateLimit-NearLimit"] == "true"
    assert second.status_code == 200 and "X-RateLimit-NearLimit" not in second.headers


def test_503_without_and_with_retry_after(served: Served) -> None:
    add(served, "503:count=1", "503:retry-after=5:count=1")
    first = requests.get(served.url + CONTENT, timeout=5)
    second = requests.get(served.url + CONTENT, timeout=5)
    third = requests.get(served.url + CONTENT, timeout=5)
    assert first.status_code == 503 and "Retry-After" not in first.headers
    assert second.status_code == 503 and second.headers["Retry-After"] == "5"
    assert third.status_code == 200


def test_v2_paths_get_the_v2_error_shape(served: Served) -> None:
    add(served, "503")
    answer = requests.get(served.url + "/wiki/api/v2/pages/42", timeout=5)
    assert answer.json()["errors"][0]["status"] == 503


def test_502_is_an_html_page(served: Served) -> None:
    add(served, "502")
    answer = requests.get(served.url + CONTENT, timeout=5)
    assert answer.status_code == 502
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "Bad Gateway" in answer.text
    with pytest.raises(ValueError):
        answer.json()


def _is_reset(error: requests.ConnectionError) -> bool:
    cause: BaseException | None = error
    while cause is not None:
        if (
            isinstance(cause, ConnectionResetError)
            or getattr(cause, "errno", None) == errno.ECONNRESET
        ):
            return True
        nxt = (
            cause.args[1]
            if len(cause.args) > 1 and isinstance(cause.args[1], BaseException)
            else None
        )
        cause = nxt or cause.__cause__ or cause.__context__
    return "reset" in str(error).lower()


def test_reset_drops_the_connection_with_rst_and_keeps_the_server_quiet(
    served: Served, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="werkzeug")
    add(served, "reset:method=PUT:count=1")
    with pytest.raises(requests.ConnectionError) as caught:
        requests.put(served.url + CONTENT, json={"v": 1}, timeout=5)
    assert _is_reset(caught.value), repr(caught.value)
    assert served.wiki.writes == 0  # stopped in front of the wiki
    assert requests.put(served.url + CONTENT, json={"v": 2}, timeout=5).status_code == 200
    assert served.wiki.writes == 1
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_commit_500_commits_then_fails(served: Served) -> None:
    add(served, "commit-500:method=PUT")
    answer = requests.put(served.url + CONTENT, json={"title": "Ä & B"}, timeout=5)
    assert answer.status_code == 500
    assert served.wiki.writes == 1
    assert served.wiki.pages["42"] == {"title": "Ä & B"}


def test_commit_reset_commits_then_drops(served: Served, capfd: pytest.CaptureFixture[str]) -> None:
    add(served, "commit-reset:method=PUT:count=1")
    with pytest.raises(requests.ConnectionError):
        requests.put(served.url + CONTENT, json={"title": "kept"}, timeout=5)
    assert served.wiki.pages["42"] == {"title": "kept"}
    assert requests.get(served.url + CONTENT, timeout=5).json() == {"title": "kept"}
    assert "Traceback" not in capfd.readouterr().err


def test_409_on_the_next_page_update_only(served: Served) -> None:
    add(served, "409")
    # Not a page update: a property PUT and a GET pass.
    assert requests.put(served.url + CONTENT + "/property/x", json={}, timeout=5).ok
    assert requests.get(served.url + CONTENT, timeout=5).ok
    conflict = requests.put(served.url + CONTENT, json={"version": {"number": 5}}, timeout=5)
    assert conflict.status_code == 409
    body = conflict.json()
    assert body["statusCode"] == 409
    assert body["message"] == "Version must be incremented on update. Current version is: 4"
    assert requests.put(served.url + CONTENT, json={"version": {"number": 5}}, timeout=5).ok


def test_409_cloud_shapes(served: Served) -> None:
    add(served, "409:count=2")
    v1 = requests.put(
        served.url + "/wiki/rest/api/content/7", json={"version": {"number": 2}}, timeout=5
    )
    assert v1.json()["message"].startswith(
        "com.atlassian.confluence.api.service.exceptions.ConflictException"
    )
    v2 = requests.put(
        served.url + "/wiki/api/v2/pages/7", json={"version": {"number": 2}}, timeout=5
    )
    assert v2.status_code == 409
    assert v2.json()["errors"][0]["code"] == "CONFLICT"


def test_path_method_and_count_select_requests(served: Served) -> None:
    add(served, "429:retry-after=2:path=/rest/api/content*:method=POST:count=3")
    assert requests.get(served.url + "/rest/api/content", timeout=5).status_code == 200
    assert requests.post(served.url + "/rest/api/space", json={}, timeout=5).status_code == 200
    statuses = [
        requests.post(served.url + "/rest/api/content", json={}, timeout=5).status_code
        for _ in range(4)
    ]
    assert statuses == [429, 429, 429, 200]


def test_after_lets_the_first_requests_through(served: Served) -> None:
    add(served, "503:after=2:count=1")
    statuses = [requests.get(served.url + CONTENT, timeout=5).status_code for _ in range(4)]
    assert statuses == [200, 200, 503, 200]


def _pattern(served: Served, spec: str, n: int = 40) -> list[int]:
    add(served, spec)
    return [requests.get(served.url + CONTENT, timeout=5).status_code for _ in range(n)]


def test_seeded_probability_is_repeatable(served: Served) -> None:
    first = _pattern(served, "503:p=0.3:seed=7")
    second = _pattern(served, "503:p=0.3:seed=7")
    other = _pattern(served, "503:p=0.3:seed=8")
    assert first == second
    assert 503 in first and 200 in first
    assert other != first


def test_latency_delays_requests(served: Served) -> None:
    add(served, "delay:ms=150:method=GET")
    requests.get(served.url + CONTENT, timeout=5)
    requests.put(served.url + CONTENT, json={}, timeout=5)
    get, put = served.journal.entries()
    # A lower bound only: sleeping guarantees at least this much, however busy the machine is.
    assert get["duration_ms"] >= 150
    assert get["fault"] is False  # a delay answers normally; it is not an injected error
    # The PUT is not the rule's (method=GET): it neither matched nor fired. (Counted, not
    # timed: a busy machine may make any request slow.)
    assert put["method"] == "PUT"
    rule = served.plan.snapshot()[0]
    assert (rule["matched"], rule["fired"]) == (1, 1)


def test_count_holds_under_concurrent_requests(served: Served) -> None:
    from concurrent.futures import ThreadPoolExecutor

    add(served, "503:count=5")

    def call(_: int) -> int:
        return requests.get(served.url + CONTENT, timeout=5).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(call, range(40)))
    assert statuses.count(503) == 5
    assert served.plan.rules()[0].matched == 40
    assert served.journal.counts().faults == 5
