"""The index's layout over space properties (``index_store``): a head and shards, every one
under Confluence's 32 KB, stable for the same records, one shard rewritten per changed page,
the old single-property form still read."""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import replace

from confluence_sync.state import ledger_store as index_store
from confluence_sync.state.ledger import INDEX_KEY, PageRecord, SpaceIndex
from confluence_sync.state.ledger_codec import encode_pages
from confluence_sync.state.ledger_store import LIMIT, StoredIndex, layout, parse, patched_head, size
from confluence_sync.wiki.values import Grant, Property

from .fake import FakeWiki
from .legacy import legacy_value

SPACE = "GAA"


def digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def meeting(n: int, version: int = 1) -> PageRecord:
    identity = f"group/{SPACE}/meeting/{2024 + n // 12}-{n % 12 + 1:02d}"
    return PageRecord(
        identity,
        str(65544 + n),
        version,
        "scaffold",
        {"facts": digest(identity + str(version))},
        frozenset({"energie-klima", "klimaschutz", "treffen"}),
        outside=digest(identity),
    )


def group_index(meetings: int) -> SpaceIndex:
    pages = {r.identity: r for r in map(meeting, range(meetings))}
    grants = frozenset({Grant("group", "bnw-gaa-members", "write"), Grant("user", "a", "admin")})
    return SpaceIndex(pages=pages, grants=grants, templates={"Protokoll": ("98", digest("t"))})


def stored(values: dict[str, object], version: int = 1) -> StoredIndex:
    return parse(Property(k, v, version, f"id-{k}") for k, v in values.items())  # type: ignore[arg-type]


def test_a_300_meeting_index_reads_back_from_shards_each_under_the_limit() -> None:
    index = group_index(300)
    values = layout(index, StoredIndex())
    assert len(values) > 2  # head and at least two page shards
    assert all(size(v) <= LIMIT for v in values.values())
    assert list(values)[-1] == INDEX_KEY  # the head is written last
    assert stored(values).index == index


def test_records_take_under_60_percent_of_the_single_property_form() -> None:
    index = group_index(100)
    new = sum(size(v) for v in layout(index, StoredIndex()).values())
    old = size(legacy_value(index))
    assert new < 0.6 * old, (new, old)


def test_a_small_index_stays_one_property() -> None:
    values = layout(group_index(20), StoredIndex())
    assert list(values) == [INDEX_KEY]


def test_the_same_records_write_nothing_and_one_changed_page_one_shard() -> None:
    wiki = FakeWiki()
    index = group_index(300)
    first = StoredIndex()
    assert index_store.write(wiki, SPACE, index, first) == len(first.shards) + 1
    again = index_store.read(wiki, SPACE)
    assert again.index == index
    assert index_store.write(wiki, SPACE, index, again) == 0
    changed = dict(index.pages)
    changed[meeting(7).identity] = meeting(7, version=2)
    before = {p.key: p.version for p in wiki.index_props(SPACE)}
    assert index_store.write(wiki, SPACE, replace(index, pages=changed), again) == 1
    after = {p.key: p.version for p in wiki.index_props(SPACE)}
    assert sum(after[k] != before[k] for k in after) == 1  # one shard; the head as it was
    assert after[INDEX_KEY] == before[INDEX_KEY]
    assert index_store.read(wiki, SPACE).index.pages == changed


def test_growth_reshards_rarely_and_never_exceeds_the_limit() -> None:
    current = StoredIndex()
    counts = []
    for meetings in range(0, 1201, 25):
        values = layout(group_index(meetings), current)
        assert all(size(v) <= LIMIT for v in values.values()), meetings
        counts.append(len(values))
        current = stored(values)
    changes = sum(1 for a, b in itertools.pairwise(counts) if a != b)
    assert counts[-1] > 4 and changes <= 4  # 1 → 1+2 → 1+4 → 1+8 …: doubling, not per page


def test_a_big_group_spreads_over_member_shards() -> None:
    members = frozenset(f"557058:{n:08d}-b67d-43c7-b30d-6b58d40bd077" for n in range(1500))
    index = SpaceIndex(groups={"bnw-contacts": members, "bnw-gaa-members": frozenset()})
    values = layout(index, StoredIndex())
    assert sum(k.startswith(f"{INDEX_KEY}.g") for k in values) > 1
    assert all(size(v) <= LIMIT for v in values.values())
    assert stored(values).index == index  # the empty group is kept as recorded too


def test_a_record_written_twice_keeps_the_later_write() -> None:
    # A re-shard cut short: a record in its new shard (written) and its old one (not yet).
    old, new = meeting(3), meeting(3, version=4)
    values = {
        f"{INDEX_KEY}.p0": encode_pages([old]),
        f"{INDEX_KEY}.p1": encode_pages([new]),
        INDEX_KEY: {"format": 1},
    }
    assert stored(values).index.pages[new.identity] == new


def test_the_single_property_form_is_read_and_rewritten_as_head_and_shards() -> None:
    index = group_index(60)
    legacy = stored({INDEX_KEY: legacy_value(index)})
    assert legacy.index == index
    values = layout(legacy.index, legacy)
    assert "pages" not in values[INDEX_KEY]  # type: ignore[operator]
    assert stored(values).index == index


def test_a_head_of_an_unknown_format_starts_over() -> None:
    values = layout(group_index(300), StoredIndex())
    values[INDEX_KEY] = {"format": 99}
    assert stored(values).index == SpaceIndex()


def test_digests_round_trip_exactly_and_other_hashes_are_kept() -> None:
    record = PageRecord("x", "0123", 2, regions={"a": digest("a"), "b": "md5:abc"}, outside="?")
    index = SpaceIndex(pages={"x": record})
    entry = json.dumps(layout(index, StoredIndex()))
    assert digest("a")[7:] not in entry  # packed, not hex
    assert stored(layout(index, StoredIndex())).index == index


def test_taking_the_lock_changes_only_the_heads_lock_and_spaces() -> None:
    values = layout(group_index(300), StoredIndex())
    values[INDEX_KEY] = {**values[INDEX_KEY], "future": [1]}  # type: ignore[dict-item]
    current = stored(values)
    lock = {"holder": "me", "started": "2026-01-15T12:00:00+00:00"}
    head = patched_head(current.head, current.index, lock=lock, spaces=("GAB",))
    assert head == {**values[INDEX_KEY], "lock": lock, "spaces": ["GAB"]}  # type: ignore[dict-item]


def test_taking_the_lock_keeps_the_single_property_form_while_it_fits() -> None:
    small = stored({INDEX_KEY: legacy_value(group_index(10))})
    head = patched_head(small.head, small.index, lock={"holder": "me"})
    assert head["pages"] == legacy_value(group_index(10))["pages"]
    big = stored({INDEX_KEY: legacy_value(group_index(120))})  # as the local wiki took it
    assert "pages" not in patched_head(big.head, big.index, lock={"holder": "me"})
