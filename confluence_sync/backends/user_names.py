"""The accounts a page body mentions (``ri:user``), read in bulk where the flavour has a bulk
read, for ``WikiReader.mentioned_users``; each reader keeps the cache.

Data Center has no bulk read by userKey (dc-10.0.3.json: ``GET /user?key=`` reads one; ``GET
/user/list`` pages through every account of the site). For a few keys one read each; for more,
the site's list first — a network's site holds a few hundred accounts, 200 a page — stopping
once every key is found, and after half as many pages as keys at most, so even a very large
site never costs more than 1.5 reads per key. Cloud reads up to 200 accounts at once with v1
``GET /user/bulk`` (cloud-v1.json getBulkUserLookup; a GET, where v2's ``/users-bulk`` is a
POST): ``accountId`` one comma-separated string, the answer never paged ("if more than 200 ids
are passed first 200 will be returned").

Imports: errors, wiki (values), ``backends.transport`` and ``backends.writes`` (paths).
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from typing import Any, Final

from confluence_sync.errors import NotFoundError
from confluence_sync.wiki.values import UserInfo

from .transport import Transport
from .writes import V1

ONE_BY_ONE: Final = 3  # this many unknown userKeys are read one by one, more via the list
LIST_LIMIT: Final = 200
BULK_LIMIT: Final = 200


Cache = MutableMapping[str, UserInfo | None]  # reference → account (None: not on the site)


def _dc_user(data: dict[str, Any]) -> UserInfo:
    username = str(data.get("username") or "")
    return UserInfo(username, str(data.get("displayName") or username), str(data.get("userKey")))


def dc_users(transport: Transport, cache: Cache, references: Sequence[str]) -> dict[str, UserInfo]:
    """userKey → account for ``references`` (None cached for a key the site lacks)."""
    wanted = [k for k in dict.fromkeys(references) if k not in cache]
    if len(wanted) > ONE_BY_ONE:
        _list_users(transport, cache, set(wanted), pages=max(1, len(wanted) // 2))
    for key in wanted:
        if key not in cache:
            try:
                data = transport.call(
                    "GET", f"{V1}/user", what=f"user with key {key}", params={"key": key}
                )
            except NotFoundError:
                data = None
            cache[key] = _dc_user(data) if isinstance(data, dict) else None
    return _known(cache, references)


def _known(cache: Cache, references: Sequence[str]) -> dict[str, UserInfo]:
    return {ref: user for ref in references if (user := cache.get(ref)) is not None}


def _list_users(transport: Transport, cache: Cache, keys: set[str], *, pages: int) -> None:
    start = 0
    for _ in range(pages):
        data = transport.call(
            "GET",
            f"{V1}/user/list",
            what="the site's accounts",
            params={"start": start, "limit": LIST_LIMIT},
        )
        results = (data.get("results") or []) if isinstance(data, dict) else []
        for item in results:
            if item.get("userKey"):
                cache[str(item["userKey"])] = _dc_user(item)
        start += len(results)
        more = isinstance(data, dict) and (data.get("_links") or {}).get("next")
        if not results or not more or keys <= cache.keys():
            return


def cloud_users(
    transport: Transport, cache: Cache, references: Sequence[str]
) -> dict[str, UserInfo]:
    """accountId → account for ``references``, 200 accounts a request."""
    unknown = [a for a in dict.fromkeys(references) if a not in cache]
    for start in range(0, len(unknown), BULK_LIMIT):
        chunk = unknown[start : start + BULK_LIMIT]
        for account in chunk:
            cache.setdefault(account, None)
        data = transport.call(
            "GET",
            f"{V1}/user/bulk",
            what=f"{len(chunk)} accounts",
            params={"accountId": ",".join(chunk), "limit": BULK_LIMIT},
        )
        for item in (data.get("results") or []) if isinstance(data, dict) else []:
            if item.get("accountId"):
                account = str(item["accountId"])
                cache[account] = UserInfo(account, str(item.get("displayName") or ""))
    return _known(cache, references)
