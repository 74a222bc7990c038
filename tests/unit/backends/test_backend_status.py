"""The status → exception table: every error names the object, the status and a way out."""

from __future__ import annotations

import json

import pytest

from confluence_sync.backends.http_errors import error_for, message_of
from confluence_sync.errors import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    GoneError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    TitleExistsError,
    WikiError,
)


def _error(
    status: int, body: object = "", headers: dict[str, str] | None = None, **kw: str
) -> WikiError:
    text = body if isinstance(body, str) else json.dumps(body)
    return error_for(
        status,
        text,
        headers or {},
        object=kw.get("object", "page 42"),
        method=kw.get("method", "GET"),
        path=kw.get("path", "/rest/api/content/42"),
        flavour=kw.get("flavour", "datacenter"),
    )


@pytest.mark.parametrize(
    ("status", "kind", "hint_word"),
    [
        (400, BadRequestError, "accept"),
        (401, AuthenticationError, "CONFLUENCE_TOKEN"),
        (403, PermissionDeniedError, "permission"),
        (404, NotFoundError, "restriction"),
        (409, ConflictError, "re-reads"),
        (410, GoneError, "v1"),
        (413, PayloadTooLargeError, "5 MB"),
        (429, RateLimitedError, "later"),
        (500, ServerError, "again"),
        (502, ServerError, "proxy"),
        (503, ServerError, "again"),
    ],
)
def test_each_status_maps_to_its_class_with_object_status_and_hint(
    status: int, kind: type[WikiError], hint_word: str
) -> None:
    error = _error(status, {"statusCode": status, "message": "boom"})
    assert type(error) is kind
    assert error.status == status
    assert error.object == "page 42"
    assert "page 42" in str(error) and f"HTTP {status}" in str(error)
    assert hint_word in error.hint
    assert "boom" in error.message


def test_cloud_401_mentions_api_token_and_gateway() -> None:
    error = _error(401, "", flavour="cloud")
    assert "CONFLUENCE_API_TOKEN" in error.hint and "gateway" in error.hint


def test_404_on_a_lookup_by_key_does_not_blame_restrictions() -> None:
    error = _error(404, {"message": "No space"}, object="space UPX", path="/rest/api/space/UPX")
    assert "restriction" not in error.hint and "space" in error.hint


def test_title_exists_names_page_and_space() -> None:
    body = {
        "statusCode": 400,
        "message": "com.atlassian.confluence.api.service.exceptions.BadRequestException: "
        "A page with this title already exists: A page already exists with the title "
        "Treffen März & Co in the space with key UPX",
    }
    error = _error(400, body, method="POST", path="/rest/api/content")
    assert isinstance(error, TitleExistsError)
    assert error.title == "Treffen März & Co"
    assert error.space_key == "UPX"
    assert "Treffen März & Co" in str(error) and "UPX" in str(error)


def test_retry_after_is_parsed_on_429_and_503() -> None:
    limited = _error(429, "", {"Retry-After": "7"})
    assert isinstance(limited, RateLimitedError) and limited.retry_after == 7
    busy = _error(503, "", {"Retry-After": "3"})
    assert isinstance(busy, ServerError) and busy.retry_after == 3
    assert _error(500, "").retry_after is None  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '{"statusCode":404,"message":"No content found with id : 7"}',
            "No content found with id : 7",
        ),
        (
            '{"message":"com.atlassian.confluence.api.service.exceptions.GoneException: '
            'This deprecated endpoint has been removed."}',
            "This deprecated endpoint has been removed.",
        ),
        (
            '{"errors":[{"status":400,"code":"INVALID_REQUEST_PARAMETER","title":"Bad cursor",'
            '"detail":"The provided cursor was not valid"}]}',
            "Bad cursor: The provided cursor was not valid",
        ),
        ("<html><body><h1>502 Bad Gateway</h1></body></html>", "502 Bad Gateway"),
        ('{"errors":[{"title":"Same","detail":"Same"}]}', "Same"),
        ("", ""),
    ],
)
def test_message_of_reads_every_body_shape(body: str, expected: str) -> None:
    assert message_of(body) == expected


def test_long_bodies_are_cut() -> None:
    assert len(message_of("x" * 5000)) <= 300
