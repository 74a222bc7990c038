"""``RestReader.self_identities``: what ``GET user/current`` names the sync account by, read
once per run; an anonymous answer (an invalid DC token where anonymous access is on) names
nobody."""

from __future__ import annotations

from typing import Any, cast

import pytest

from confluence_sync.backends.cloud import CloudReader
from confluence_sync.backends.contract import RequestCounter
from confluence_sync.backends.datacenter import DataCenterReader
from confluence_sync.backends.transport import Transport


class Answering:
    """A transport stand-in that answers every call with one JSON object."""

    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer = answer
        self.counter = RequestCounter()
        self.paths: list[str] = []

    def call(self, method: str, path: str, **_: Any) -> dict[str, Any]:
        self.counter.count(method)
        self.paths.append(path)
        return self.answer


@pytest.mark.parametrize(
    ("reader_class", "answer", "expected"),
    [
        (
            CloudReader,
            {"type": "known", "accountId": "557058:abc", "email": "sync@example.invalid"},
            ("557058:abc", "sync@example.invalid"),
        ),
        (CloudReader, {"type": "known", "accountId": "557058:abc", "email": ""}, ("557058:abc",)),
        (
            DataCenterReader,
            {"type": "known", "username": "syncbot", "userKey": "8a7f80"},
            ("syncbot", "8a7f80"),
        ),
        (DataCenterReader, {"type": "anonymous", "displayName": "Anonymous"}, ()),
    ],
)
def test_identities_of_the_sync_account(
    reader_class: type[CloudReader | DataCenterReader],
    answer: dict[str, Any],
    expected: tuple[str, ...],
) -> None:
    transport = Answering(answer)
    reader = reader_class(cast(Transport, transport))
    assert reader.self_identities() == expected
    assert reader.self_identities() == expected
    assert transport.counter.requests == 1  # once per run
    assert transport.paths[0].endswith("user/current")
