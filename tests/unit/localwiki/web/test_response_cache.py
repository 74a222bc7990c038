"""PageResponseCache alone: which requests it takes, and that a generation change misses."""

from __future__ import annotations

from typing import Any

import pytest

from confluence_sync.localwiki.web.response_cache import PageResponseCache, page_path_pattern

DC_MOUNTS = [
    ("/confluence/rest/api", "v1"),
    ("/confluence/rest/experimental", "experimental"),
    ("/__localwiki", "admin"),
]
CLOUD_MOUNTS = [("/wiki/rest/api", "v1"), ("/wiki/api/v2", "v2"), ("/__localwiki", "admin")]


def _environ(path: str, method: str = "GET", **extra: Any) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "expand=version",
        "HTTP_HOST": "127.0.0.1:1",
        "wsgi.url_scheme": "http",
        "HTTP_AUTHORIZATION": "Basic eDp5",
        **extra,
    }


@pytest.mark.parametrize(
    ("mounts", "path", "cacheable"),
    [
        (DC_MOUNTS, "/confluence/rest/api/content/65537", True),
        (DC_MOUNTS, "/rest/api/content/65537", False),  # not below this site's context path
        (DC_MOUNTS, "/confluence/rest/api/content/65537/", False),
        (DC_MOUNTS, "/confluence/rest/api/content/65537/child/page", False),
        (DC_MOUNTS, "/confluence/rest/api/content", False),
        (DC_MOUNTS, "/confluence/rest/experimental/content/65537", False),
        (CLOUD_MOUNTS, "/wiki/rest/api/content/65537", True),
        (CLOUD_MOUNTS, "/wiki/api/v2/pages/65537", True),
        (CLOUD_MOUNTS, "/wiki/api/v2/pages/65537/labels", False),
        (CLOUD_MOUNTS, "/__localwiki/ping", False),
    ],
)
def test_only_single_page_reads_are_cacheable(
    mounts: list[tuple[str, str]], path: str, cacheable: bool
) -> None:
    cache = PageResponseCache(page_path_pattern(mounts))
    assert (cache.key(_environ(path)) is not None) is cacheable


@pytest.mark.parametrize(
    "extra",
    [
        {"REQUEST_METHOD": "HEAD"},
        {"REQUEST_METHOD": "PUT"},
        {"CONTENT_LENGTH": "2"},
        {"HTTP_TRANSFER_ENCODING": "chunked"},
    ],
)
def test_requests_other_than_a_plain_get_are_not_cached(extra: dict[str, str]) -> None:
    cache = PageResponseCache(page_path_pattern(CLOUD_MOUNTS))
    assert cache.key(_environ("/wiki/rest/api/content/1", **extra)) is None


def test_key_tells_credentials_query_and_host_apart() -> None:
    cache = PageResponseCache(page_path_pattern(CLOUD_MOUNTS))
    base = cache.key(_environ("/wiki/rest/api/content/1"))
    for change in (
        {"HTTP_AUTHORIZATION": "Basic eTp6"},
        {"QUERY_STRING": ""},
        {"HTTP_HOST": "localhost:1"},
        {"wsgi.url_scheme": "https"},
    ):
        assert cache.key(_environ("/wiki/rest/api/content/1", **change)) != base


def test_an_entry_is_served_only_at_its_generation() -> None:
    cache = PageResponseCache(page_path_pattern(CLOUD_MOUNTS))
    key = cache.key(_environ("/wiki/rest/api/content/1"))
    assert key is not None
    headers = [("Content-Type", "application/json")]
    cache.put(key, 4, "200 OK", headers, b"{}")
    assert cache.get(key, 4) == ("200 OK", headers, b"{}")
    assert cache.get(key, 6) is None
    assert (cache.hits, cache.misses) == (1, 1)


def test_a_full_cache_starts_over() -> None:
    cache = PageResponseCache(page_path_pattern(CLOUD_MOUNTS), max_entries=2)
    keys = [("k", n) for n in range(3)]
    for key in keys:
        cache.put(key, 0, "200 OK", [], b"")
    assert cache.get(keys[0], 0) is None and cache.get(keys[2], 0) is not None


def test_bodies_are_held_within_a_byte_budget() -> None:
    cache = PageResponseCache(page_path_pattern(CLOUD_MOUNTS), max_bytes=1600)
    cache.put(("huge",), 0, "200 OK", [], b"x" * 101)  # over a sixteenth: never kept
    assert cache.get(("huge",), 0) is None
    for n in range(17):
        cache.put(("k", n), 0, "200 OK", [], b"x" * 100)
    assert cache.get(("k", 0), 0) is None  # the 17th body started the cache over
    assert cache.get(("k", 16), 0) is not None
