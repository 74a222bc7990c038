"""The compact JSON of the index's sharded fields: page records and group members.

Short keys, defaults left out, numeric ids as numbers, SHA-256 digests as 43 base64url
characters, each shard's label sets listed once. Lossless: digests come back as
``sha256:<hex>``, which is how the planner, apply and the markers compare them (shortening
them would need every comparison to agree, so they keep their 256 bits). An entry that cannot
be read is skipped: its page's marker answers for it.

A field kept in shards is a :class:`ShardedField` in :data:`SHARDED`: it splits into items by
key (the key picks the shard), encodes one shard's items together, and builds the field back
from every shard's items.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from confluence_sync.state.ledger import PageRecord
from confluence_sync.wanted.calendar import EventRecord
from confluence_sync.wiki.values import JSON


def _pack_digest(digest: str) -> str:
    algorithm, _, hexed = digest.partition(":")
    if algorithm == "sha256" and len(hexed) == 64:
        try:
            raw = bytes.fromhex(hexed)
        except ValueError:
            raw = b""
        if raw.hex() == hexed:  # lower-case hex only, so unpacking gives the same text
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    return "~" + digest  # anything else is kept as it is ("~" is not base64url)


def _unpack_digest(text: str) -> str:
    if text.startswith("~"):
        return text[1:]
    return "sha256:" + base64.urlsafe_b64decode(text + "=").hex()


def _pack_id(page_id: str) -> JSON:
    return (
        int(page_id) if page_id.isascii() and page_id.isdigit() and page_id[0] != "0" else page_id
    )


def _entry(record: PageRecord, label_sets: dict[tuple[str, ...], int]) -> dict[str, JSON]:
    entry: dict[str, JSON] = {"i": _pack_id(record.page_id), "v": record.version}
    if record.kind != "managed":
        entry["k"] = record.kind
    if record.regions:
        entry["r"] = {n: _pack_digest(h) for n, h in sorted(record.regions.items())}
    if record.labels:
        entry["l"] = label_sets.setdefault(tuple(sorted(record.labels)), len(label_sets))
    if record.archived:
        entry["a"] = 1
    if record.marker_version != 1:
        entry["mv"] = record.marker_version
    if record.marker_id:
        entry["mid"] = _pack_id(record.marker_id)
    if record.outside:
        entry["o"] = _pack_digest(record.outside)
    if record.day:
        entry["d"] = record.day
    return entry


def encode_pages(records: list[PageRecord]) -> JSON:
    label_sets: dict[tuple[str, ...], int] = {}
    pages: dict[str, JSON] = {r.identity: _entry(r, label_sets) for r in records}
    value: dict[str, JSON] = {"p": pages}
    if label_sets:
        value["L"] = [list(labels) for labels in label_sets]
    return value


def _decode_pages(value: JSON) -> list[PageRecord]:
    raw: Any = value if isinstance(value, dict) else {}
    pages, label_sets = raw.get("p"), raw.get("L")
    if not isinstance(pages, dict):
        return []
    records = []
    for identity, entry in pages.items():
        try:
            labels = label_sets[entry["l"]] if "l" in entry else []
            records.append(
                PageRecord(
                    identity=identity,
                    page_id=str(entry["i"]),
                    version=int(entry["v"]),
                    kind=str(entry.get("k", "managed")),
                    regions={str(n): _unpack_digest(h) for n, h in entry.get("r", {}).items()},
                    labels=frozenset(str(label) for label in labels),
                    archived=bool(entry.get("a")),
                    marker_version=int(entry.get("mv", 1)),
                    marker_id=str(entry.get("mid", "")),
                    outside=_unpack_digest(entry["o"]) if "o" in entry else "",
                    day=str(entry.get("d", "")),
                )
            )
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            continue  # an entry we cannot read: its page's marker answers instead
    return records


def _build_pages(records: list[PageRecord]) -> dict[str, PageRecord]:
    pages: dict[str, PageRecord] = {}
    for record in records:  # a record twice (a re-shard cut short): the later write wins
        known = pages.get(record.identity)
        if known is None or (record.version, record.marker_version) > (
            known.version,
            known.marker_version,
        ):
            pages[record.identity] = record
    return pages


Member = tuple[str, str]  # (group, account); account "" records a group with no members


def _members(groups: Mapping[str, frozenset[str]]) -> dict[str, Member]:
    items = {f"{g}\n{m}": (g, m) for g, members in groups.items() for m in members}
    items.update({f"{g}\n": (g, "") for g, members in groups.items() if not members})
    return items


def _encode_members(members: list[Member]) -> JSON:
    groups: dict[str, JSON] = {}
    for group, account in members:
        accounts = groups.setdefault(group, [])
        if account and isinstance(accounts, list):
            accounts.append(account)
    return {"g": groups}


def _decode_members(value: JSON) -> list[Member]:
    groups = value.get("g") if isinstance(value, dict) else None
    if not isinstance(groups, dict):
        return []
    found: list[Member] = []
    for group, accounts in groups.items():
        if isinstance(accounts, list):
            found += [(group, str(a)) for a in accounts] or [(group, "")]
    return found


def _build_members(members: list[Member]) -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for group, account in members:
        groups.setdefault(group, set()).update({account} - {""})
    return {g: frozenset(accounts) for g, accounts in groups.items()}


CalendarItem = tuple[str, EventRecord]  # (meeting identity, record)


def _encode_calendar(items: list[CalendarItem]) -> JSON:
    events: dict[str, JSON] = {}
    for identity, record in items:
        entry: dict[str, JSON] = {"s": record.sequence, "t": record.stamp, "d": record.day}
        entry["h"] = _pack_digest(record.digest)
        entry.update({k: v for k, v in (("a", record.start), ("b", record.end)) if v})
        if record.summary:
            entry["n"] = record.summary
        if record.cancelled:
            entry["x"] = 1
        events[identity] = entry
    return {"c": events}


def _decode_calendar(value: JSON) -> list[CalendarItem]:
    events: Any = value.get("c") if isinstance(value, dict) else None
    found: list[CalendarItem] = []
    for identity, entry in events.items() if isinstance(events, dict) else []:
        try:
            record = EventRecord(
                sequence=int(entry["s"]),
                stamp=str(entry["t"]),
                digest=_unpack_digest(str(entry["h"])),
                day=str(entry["d"]),
                start=str(entry.get("a", "")),
                end=str(entry.get("b", "")),
                summary=str(entry.get("n", "")),
                cancelled=bool(entry.get("x")),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            continue  # unreadable: the meeting is published as new (sequence 0) again
        found.append((identity, record))
    return found


@dataclass(frozen=True)
class ShardedField:
    """A field of :class:`SpaceIndex` kept in shards: split into items by key (the key picks
    the shard), one shard's items encoded together, every shard's items built back."""

    name: str
    letter: str
    items: Callable[[Any], dict[str, Any]]
    encode: Callable[[list[Any]], JSON]
    decode: Callable[[JSON], list[Any]]
    build: Callable[[list[Any]], Any]


SHARDED: Final = (
    ShardedField(
        "pages", "p", lambda p: dict(p.items()), encode_pages, _decode_pages, _build_pages
    ),
    ShardedField("groups", "g", _members, _encode_members, _decode_members, _build_members),
    ShardedField(
        "calendar",
        "c",
        lambda c: {k: (k, r) for k, r in c.items()},
        _encode_calendar,
        _decode_calendar,
        dict,
    ),
)
