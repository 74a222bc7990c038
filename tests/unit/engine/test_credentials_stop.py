"""A 401 in the middle of a run (a token revoked, a scoped token without the scope of a later
request): the workers stop at their next change, what is left is "not done" with the refusal's
words, the lock is released, and the run ends with the credentials' exit code (8), not 5.
A 403 (the account lacks a right in one space) stays one failed item."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from confluence_sync.errors import (
    EXIT_CREDENTIALS,
    EXIT_PARTIAL,
    AuthenticationError,
    PermissionDeniedError,
    WikiError,
)
from confluence_sync.run import RunOptions, sync_run
from confluence_sync.state.ledger import INDEX_KEY
from confluence_sync.wiki.values import PageInfo

from .conftest import HUB, network
from .fake import FakeWiki

T0 = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)
OPTIONS = RunOptions(today=T0.date(), workers=1)
SCOPE = (
    "page 'Protokolle': scope does not match (POST api/v2/pages: Unauthorized; scope does "
    "not match) (HTTP 401)"
)


@dataclass
class RefusedAt(FakeWiki):
    """The third page create is refused: with 401 so would every later one be; a 403 is that
    page's alone."""

    status: int = 401
    creates: int = 0

    def create_page(self, space_key: str, *args: Any, **kwargs: Any) -> PageInfo:
        self.creates += 1
        if self.creates >= 3 if self.status == 401 else self.creates == 3:
            error: WikiError
            if self.status == 401:
                error = AuthenticationError("page 'Protokolle'", 401, SCOPE.split(": ", 1)[1])
            else:
                error = PermissionDeniedError("page 'Protokolle'", 403, "not allowed")
            raise error
        return super().create_page(space_key, *args, **kwargs)


def released(wiki: FakeWiki) -> bool:
    value = wiki.space_props[(HUB, INDEX_KEY)].value
    lock = value.get("lock") if isinstance(value, dict) else None
    return isinstance(lock, dict) and bool(lock.get("released"))


def test_a_401_mid_run_stops_it_releases_the_lock_and_ends_with_exit_8() -> None:
    wiki = RefusedAt()
    result = sync_run(wiki.backend(), network(extra_pages=4), OPTIONS, now=lambda: T0)
    assert result.exit_code() == EXIT_CREDENTIALS
    assert result.credentials.startswith("page 'Protokolle': scope does not match")
    assert wiki.creates == 3  # the refusal was met once: nothing more was sent to meet it
    failed = [r for r in result.results if r.failed]
    assert len(failed) == 1 and "scope does not match" in failed[0].reason
    skipped = [r for r in result.results if r.status == "skipped"]
    assert skipped and all("not done: page 'Protokolle'" in r.reason for r in skipped)
    assert released(wiki)


def test_a_403_mid_run_stays_a_failed_item_and_the_run_goes_on() -> None:
    wiki = RefusedAt(status=403)
    result = sync_run(wiki.backend(), network(extra_pages=4), OPTIONS, now=lambda: T0)
    assert result.exit_code() == EXIT_PARTIAL and not result.credentials
    assert wiki.creates > 3  # later creates were still tried
    assert not [r for r in result.results if r.status == "skipped"]
    assert released(wiki)
