"""Why a request got no answer (``failures.classify``), and what the run's first request means
(``first_request``): a refused login, a wrong URL or flavour, a site that is not there — each
named once, never retried request after request."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import requests
from werkzeug.wrappers import Request

from confluence_sync.backends.contract import RequestCounter
from confluence_sync.backends.failures import classify
from confluence_sync.backends.retry import Retrier, RetryPolicy
from confluence_sync.backends.transport import Transport
from confluence_sync.errors import (
    AuthenticationError,
    CredentialsError,
    SiteError,
    TransportError,
)
from confluence_sync.settings import BasicAuth

from .conftest import ScriptedServer

SECRET = "api-t0ken-n0t-for-eyes"


def transport(
    url: str, policy: RetryPolicy, *, flavour: str = "datacenter", timeouts=(1.0, 1.0)
) -> Transport:
    auth = BasicAuth(username="sync@example.org", secret=SECRET)  # type: ignore[arg-type]
    return Transport(
        url,
        auth,
        flavour=flavour,
        counter=RequestCounter(),
        retrier=Retrier(policy),
        timeouts=timeouts,
    )


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def hanging() -> Iterator[str]:
    """Accepts connections, reads, and never answers; or, for ``/close``, hangs up."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            if b"/close" in conn.recv(65536):
                conn.close()
            else:
                held.append(conn)

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()
    for conn in held:
        conn.close()


def failure_of(url: str) -> BaseException:
    try:
        requests.get(url, timeout=(1.0, 0.3))
    except requests.RequestException as error:
        return error
    raise AssertionError(f"{url} answered")


def test_classify_names_each_cause(wiki: ScriptedServer, hanging: str) -> None:
    assert classify(failure_of(f"http://127.0.0.1:{closed_port()}/")) == "refused"
    assert classify(failure_of("http://wiki.confluence-sync.invalid/")) == "dns"
    assert classify(failure_of(wiki.url.replace("http:", "https:") + "/x")) == "tls"
    assert classify(failure_of(hanging + "/slow")) == "read-timeout"
    assert classify(failure_of(hanging + "/close")) == "reset"
    assert classify(requests.exceptions.ConnectTimeout()) == "connect-timeout"
    assert classify(failure_of("http://127.0.0.1:99999/")) == "bad-url"
    with pytest.raises(ValueError) as unparsable:  # urllib3's own, not wrapped by requests
        requests.get("http://wiki..example.org/", timeout=1)
    assert classify(unparsable.value) == "bad-url"
    # Our own errors carry their cause as data; the doctor can ask either kind.
    assert classify(SiteError("dns", "gone")) == "dns"
    assert classify(TransportError("page 1", "slow", cause="read-timeout")) == "read-timeout"
    assert classify(CredentialsError(401, "no")) == "credentials"


def test_a_refused_host_is_tried_once_and_then_not_again(policy: RetryPolicy) -> None:
    dead = transport(f"http://127.0.0.1:{closed_port()}", policy)
    with pytest.raises(SiteError) as caught:
        dead.call("GET", "rest/api/space", what="spaces")
    assert caught.value.cause == "refused" and caught.value.exit_code == 7
    with pytest.raises(SiteError):  # the run's later requests: nothing is sent
        dead.call("POST", "rest/api/content", what="page", json={})
    assert dead.counter.requests == 1
    assert SECRET not in str(caught.value) + repr(caught.value.__cause__)


def test_a_first_request_that_times_out_is_not_retried(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    def slow(_request: Request) -> tuple[int, object, dict[str, str]]:
        time.sleep(0.5)
        return 200, {"results": []}, {}

    wiki.route("GET", "/rest/api/space", slow)
    with pytest.raises(SiteError) as caught:
        transport(wiki.url, policy, timeouts=(1.0, 0.2)).call("GET", "rest/api/space", what="s")
    assert caught.value.cause == "read-timeout" and "no answer within 0.2 s" in str(caught.value)
    assert len(wiki.seen) == 1


def test_the_first_401_is_a_credentials_error_later_ones_stay_per_object(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    wiki.sequence("GET", "/rest/api/user/current", [(401, "", {}), (200, {"username": "sync"}, {})])
    wiki.route("GET", "/rest/api/content/1", (401, "", {}))
    dc = transport(wiki.url, policy)
    with pytest.raises(CredentialsError) as caught:
        dc.call("GET", "rest/api/user/current", what="me")
    assert caught.value.status == 401 and caught.value.exit_code == 8
    assert "refused the credentials of sync@example.org" in str(caught.value)
    assert "not deactivated" in caught.value.hint and SECRET not in str(caught.value)
    assert dc.call("GET", "rest/api/user/current", what="me") == {"username": "sync"}
    with pytest.raises(AuthenticationError):  # settled: a later 401 is about the object
        dc.call("GET", "rest/api/content/1", what="page 1")


def test_cloud_says_what_to_check_and_names_a_missing_scope(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    # real-confluence.md item 14: a scoped token without the scope answers 401 with
    # X-Failure-Category: FAILURE_CLIENT_SCOPE_CHECK.
    scoped = {"X-Failure-Category": "FAILURE_CLIENT_SCOPE_CHECK"}
    wiki.sequence(
        "GET",
        "/wiki/api/v2/spaces",
        [(401, "Unauthorized; scope does not match", scoped), (401, "", {}), (403, "", {})],
    )
    cloud = transport(wiki.url + "/wiki", policy, flavour="cloud")
    errors = []
    for _ in range(3):
        with pytest.raises(CredentialsError) as caught:
            cloud.call("GET", "api/v2/spaces", what="spaces")
        errors.append(caught.value)
    scope, token, access = errors
    assert scope.failure_category == "FAILURE_CLIENT_SCOPE_CHECK" and "scope" in scope.hint
    assert "e-mail address" in token.hint and "expired" in token.hint
    assert access.status == 403 and "product access" in access.hint


def test_a_first_404_finds_the_context_path(wiki: ScriptedServer, policy: RetryPolicy) -> None:
    wiki.route("GET", "/rest/api/space", (404, "<html>Not Found</html>", {}))
    wiki.route("GET", "/confluence/rest/api/space", (200, {"results": []}, {}))
    with pytest.raises(SiteError) as caught:
        transport(wiki.url, policy).call("GET", "rest/api/space", what="spaces")
    assert caught.value.cause == "wrong-path"
    assert caught.value.suggestion == wiki.url + "/confluence"
    assert f"set CONFLUENCE_URL={wiki.url}/confluence" in caught.value.hint


def test_a_page_address_from_the_browser_is_cut_back_to_the_site(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    # Data Center: the context path is the address's first segment.
    wiki.route("GET", "/confluence/display/UPX/Agenda/rest/api/space", (404, "<html/>", {}))
    wiki.route("GET", "/confluence/rest/api/space", (200, {"results": []}, {}))
    dc = transport(wiki.url + "/confluence/display/UPX/Agenda", policy)
    with pytest.raises(SiteError) as caught:
        dc.call("GET", "rest/api/space", what="spaces")
    assert caught.value.suggestion == wiki.url + "/confluence"
    # Cloud: the site is the origin, whatever page of it was pasted.
    wiki.route("GET", "/wiki/spaces/UPX/wiki/api/v2/spaces", (404, "<html/>", {}))
    wiki.route("GET", "/wiki/api/v2/spaces", (200, {"results": []}, {}))
    cloud = transport(wiki.url + "/wiki/spaces/UPX/wiki", policy, flavour="cloud")
    with pytest.raises(SiteError) as caught:
        cloud.call("GET", "api/v2/spaces", what="spaces")
    assert caught.value.cause == "wrong-path" and caught.value.suggestion == wiki.url
    assert f"set CONFLUENCE_URL={wiki.url}" in caught.value.hint


def test_a_web_page_is_not_confluence_and_ends_the_run(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    login = (200, "<html><form>Sign in</form></html>", {})
    for path in ("/rest/api/space", "/confluence/rest/api/space", "/wiki/api/v2/spaces"):
        wiki.route("GET", path, login)
    site = transport(wiki.url, policy)
    with pytest.raises(SiteError) as caught:
        site.call("GET", "rest/api/space", what="spaces")
    assert caught.value.cause == "not-confluence" and "text/html" in str(caught.value)
    assert "right URL and flavour" in caught.value.hint
    seen = len(wiki.seen)
    with pytest.raises(SiteError):
        site.call("GET", "rest/api/space", what="spaces")
    assert len(wiki.seen) == seen  # nothing more was sent


def test_a_request_that_never_left_is_retried_even_as_a_blind_post(policy: RetryPolicy) -> None:
    attempts: list[int] = []
    looked: list[int] = []

    def send() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise TransportError("page 'Agenda'", "no connection", cause="connect-timeout")
        return "created"

    retrier = Retrier(policy)
    assert retrier.run("POST", "page 'Agenda'", send) == "created"
    attempts.clear()
    assert (
        retrier.run("POST", "page 'Agenda'", send, find_existing=lambda: looked.append(1))
        == "created"
    )
    assert not looked  # nothing can have been written, so nothing is looked up
    assert not TransportError("p", "x", cause="connect-timeout").maybe_committed
    assert TransportError("p", "x", cause="read-timeout").maybe_committed
