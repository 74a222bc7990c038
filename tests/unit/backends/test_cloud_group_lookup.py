"""The Cloud reader finds a group by its name through ``GET /group/picker`` (``by-name`` is
deprecated by CHANGE-2520): the picker matches part of a name, so the reader picks the group
out by its whole name, reads no page past the one that holds it, and caches the answer."""

from __future__ import annotations

from typing import Any

from confluence_sync.backends.cloud import CloudReader
from confluence_sync.backends.retry import RetryPolicy

from .conftest import ScriptedServer
from .test_backend_adapters import cloud

PICKER = "/wiki/rest/api/group/picker"


def _page(names: list[str], more: bool = False) -> tuple[int, Any, dict[str, str]]:
    links = {"next": "/rest/api/group/picker?query=upx&limit=2&start=2"} if more else {}
    results = [{"type": "group", "name": n, "id": f"id-{n}"} for n in names]
    return 200, {"results": results, "size": len(results), "_links": links}, {}


def _reader(wiki: ScriptedServer, policy: RetryPolicy) -> CloudReader:
    reader = cloud(wiki, policy).reader
    assert isinstance(reader, CloudReader)
    return reader


def test_the_whole_name_is_picked_out_and_later_pages_are_not_read(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    wiki.sequence(
        "GET",
        PICKER,
        [
            _page(["puu-upx-members-alt", "upx"], more=True),
            _page(["puu-upx-members", "zz-upx"], more=True),
            _page(["never-read"]),
        ],
    )
    reader = _reader(wiki, policy)
    assert reader.group_id("puu-upx-members") == "id-puu-upx-members"
    assert [s.path for s in wiki.seen] == [PICKER, PICKER]
    assert wiki.seen[0].args["query"] == ["puu-upx-members"]
    assert reader.group_exists("puu-upx-members")
    assert len(wiki.seen) == 2  # the id is cached for the run
    assert not [s for s in wiki.seen if "by-name" in s.path]


def test_a_name_that_differs_only_in_case_is_the_group(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    wiki.route("GET", PICKER, _page(["PUU-Kontakte", "puu-kontakte-alt"]))
    assert _reader(wiki, policy).group_id("puu-kontakte") == "id-PUU-Kontakte"


def test_no_whole_name_match_is_a_missing_group_remembered_for_the_run(
    wiki: ScriptedServer, policy: RetryPolicy
) -> None:
    # Two groups that differ from the name only in case cannot both be it: none is.
    wiki.route("GET", PICKER, _page(["Puu-Kontakte", "PUU-KONTAKTE", "puu-kontakte-alt"]))
    reader = _reader(wiki, policy)
    assert reader.group_id("puu-kontakte") is None
    assert not reader.group_exists("puu-kontakte")
    assert len(wiki.seen) == 1  # the missing group is cached
    assert reader.group_exists("puu-kontakte", fresh=True) is False
    assert len(wiki.seen) == 2  # ``fresh`` asks again
