"""The index on the wiki: a small head property and shards, each well under Confluence's limit.

Confluence documents at most 32 KB of JSON per content or space property
(developer.atlassian.com/cloud/confluence/confluence-entity-properties/: "each property can
have no more than 32KB of JSON data"; developer.atlassian.com/display/CONFDEV/Content+Properties+
in+the+REST+API: "up to 32 KB"); one property for a 300-meeting space would hold about 90 KB.
So a space's index is kept as

* the **head** ``confluence-sync.index``: ``format`` and the fields of :class:`SpaceIndex`
  other than pages and groups (``index.HEAD_FIELDS``: grants, templates, spaces, and on the hub
  the run lock, where an older sync still finds it);
* page records (``p``, ``L``) and the hub's group members (``g``, one item per group and
  member, so a big group spreads too): in the head itself while it fits :data:`BUDGET` (a
  small space keeps one property and one write per run), else in **shards**
  ``confluence-sync.index.p<n>`` / ``.g<n>``. An item lives in shard ``crc32(its key) mod N``,
  N a power of two per kind, read back from the shards that exist: the same records always
  give the same values (a no-op run writes nothing), one changed page rewrites its one shard,
  and N doubles only when a shard outgrows the budget (it never shrinks).

Observe reads all of them in one listing of the space's properties. Writes send what differs:
shards first (new ones before existing ones, so a re-shard cut short leaves a record twice,
never nowhere; reading keeps the newer copy), the head last, which on the hub releases the lock.
A head that still holds ``pages`` is the single-property form (this sync before shards, or an
older one): it is read as it is and rewritten as head and shards at the next run that writes.

What a shard holds is compact JSON (``index_codec``): about 60 % of the single-property form.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from confluence_sync.backends.contract import WikiReader, WikiWriter
from confluence_sync.errors import ConflictError, ConfluenceSyncError
from confluence_sync.state.ledger import (
    FORMAT,
    INDEX_KEY,
    SpaceIndex,
    head_fields,
    head_from_json,
    index_from_json,
    merge_index,
)
from confluence_sync.state.ledger_codec import SHARDED, ShardedField
from confluence_sync.wiki.values import JSON, Property

LIMIT: Final = 32_768  # bytes of JSON per property (the Atlassian documents cited above)
# What one shard may hold before the shards double: below the limit however a server counts.
BUDGET: Final = 30_000
MAX_SHARDS: Final = 256
_SHARD_RE: Final = re.compile(re.escape(INDEX_KEY) + r"\.([a-z])(\d{1,4})")


class IndexTooLargeError(ConfluenceSyncError):
    """A property of the index would exceed Confluence's limit even after sharding."""


def size(value: JSON) -> int:
    """Bytes of ``value`` as compact JSON with non-ASCII escaped: never less than its UTF-8
    bytes or its characters, whichever way the server counts."""
    return len(json.dumps(value, separators=(",", ":")))


def shard_key(letter: str, number: int) -> str:
    return f"{INDEX_KEY}.{letter}{number}"


# --- reading -------------------------------------------------------------------------------


@dataclass
class StoredIndex:
    """A space's index as read, with the properties it came from (their versions and ids
    are what the next write needs); writes update ``head`` and ``shards`` as they land."""

    index: SpaceIndex = field(default_factory=SpaceIndex)
    head: Property | None = None
    shards: dict[str, Property] = field(default_factory=dict)

    def copy(self) -> StoredIndex:
        """A cursor of its own: writes update the copy, never what observe read."""
        return StoredIndex(self.index, self.head, dict(self.shards))

    def numbers(self, letter: str) -> list[int]:
        found = (_SHARD_RE.fullmatch(key) for key in self.shards)
        return [int(m.group(2)) for m in found if m is not None and m.group(1) == letter]


def parse(props: Iterable[Property]) -> StoredIndex:
    """The index held by a space's properties (others are ignored)."""
    head, shards = None, {}
    for prop in props:
        if prop.key == INDEX_KEY:
            head = prop
        elif _SHARD_RE.fullmatch(prop.key):
            shards[prop.key] = prop
    value: JSON = head.value if head is not None else {"format": FORMAT}
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        return StoredIndex(SpaceIndex(), head, shards)  # a format we cannot read: start over
    if "pages" in value:  # the single-property form: its shards, if any, are stale
        return StoredIndex(index_from_json(value), head, shards)
    fields = head_from_json(value)
    for spec in SHARDED:  # items the head holds itself, then those of the field's shards
        prefix = shard_key(spec.letter, 0)[:-1]
        values = [value] + [p.value for k, p in sorted(shards.items()) if k.startswith(prefix)]
        fields[spec.name] = spec.build([item for v in values for item in spec.decode(v)])
    return StoredIndex(SpaceIndex(**fields), head, shards)


def read(reader: WikiReader, space_key: str) -> StoredIndex:
    """The space's index, in one listing of its properties."""
    return parse(reader.list_space_properties(space_key, INDEX_KEY))


# --- writing -------------------------------------------------------------------------------


def _buckets(items: Mapping[str, Any], count: int) -> list[list[Any]]:
    buckets: list[list[Any]] = [[] for _ in range(count)]
    for key in sorted(items):
        buckets[zlib.crc32(key.encode()) % count].append(items[key])
    return buckets


def _existing(spec: ShardedField, stored: StoredIndex) -> int:
    """The shard count of ``spec`` on the wiki: a power of two above every shard there."""
    numbers = stored.numbers(spec.letter)
    return 1 << max(numbers).bit_length() if numbers else 0


def _grown(spec: ShardedField, items: Mapping[str, Any], count: int) -> int:
    while count < MAX_SHARDS and any(
        size(spec.encode(bucket)) > BUDGET for bucket in _buckets(items, count)
    ):
        count *= 2
    return count


def layout(index: SpaceIndex, stored: StoredIndex) -> dict[str, JSON]:
    """Every property of ``index`` (key → value), shards first and the head last.

    A field without shards yet stays in the head while the head fits its budget (a small
    space keeps one property, one write per run); past that its items move to shards, for
    good. Shards double when one outgrows the budget; emptied shards stay (written empty)."""
    items = {spec.name: spec.items(getattr(index, spec.name)) for spec in SHARDED}
    counts = {spec.name: _existing(spec, stored) for spec in SHARDED}
    while True:
        head: dict[str, JSON] = {"format": FORMAT}
        head.update({k: v for k, v in head_fields(index).items() if v is not None})
        inline = [s for s in SHARDED if not counts[s.name] and items[s.name]]
        encoded = {s.name: _together(s, items[s.name]) for s in inline}
        for value in encoded.values():
            if isinstance(value, dict):
                head.update(value)
        if size(head) <= BUDGET or not inline:
            break
        counts[max(inline, key=lambda s: size(encoded[s.name])).name] = 1
    values: dict[str, JSON] = {}
    for spec in SHARDED:
        if counts[spec.name]:
            count = _grown(spec, items[spec.name], counts[spec.name])
            for number, bucket in enumerate(_buckets(items[spec.name], count)):
                values[shard_key(spec.letter, number)] = spec.encode(bucket)
    values[INDEX_KEY] = head
    return values


def _together(spec: ShardedField, items: Mapping[str, Any]) -> JSON:
    """Every item of a field encoded as one shard would hold them (sorted by key)."""
    return spec.encode(_buckets(items, 1)[0])


def write(writer: WikiWriter, space_key: str, index: SpaceIndex, stored: StoredIndex) -> int:
    """Write the properties of ``index`` that differ from ``stored``; return how many. A 409
    (ConflictError) is the caller's to handle; ``stored`` holds what landed before it."""
    values = layout(index, stored)
    for key, value in values.items():
        if size(value) > LIMIT:
            raise IndexTooLargeError(
                f"index property {key} of space {space_key} would hold {size(value):,} bytes "
                f"of JSON; Confluence takes at most {LIMIT:,}",
                hint="nothing of the index was written; please report this with the space's size",
            )
    shards = [key for key in values if key != INDEX_KEY]
    order = [k for k in shards if k not in stored.shards]
    order += [k for k in shards if k in stored.shards] + [INDEX_KEY]
    written = 0
    for key in order:
        current = stored.head if key == INDEX_KEY else stored.shards.get(key)
        if current is not None and current.value == values[key]:
            continue
        prop = writer.set_space_property(space_key, key, values[key], current=current)
        if key == INDEX_KEY:
            stored.head = prop
        else:
            stored.shards[key] = prop
        written += 1
    return written


def write_checked(
    reader: WikiReader,
    writer: WikiWriter,
    space_key: str,
    index: SpaceIndex,
    stored: StoredIndex,
    *,
    check: Callable[[StoredIndex], None],
) -> StoredIndex:
    """Write ``index`` over what ``stored`` holds and return the index as it then stands. On a
    409 someone wrote since: read it again, let ``check`` refuse (a run that lost its lock
    must not write over the other run's), merge their records into ours and write once more.
    ``stored`` itself is never changed."""
    cursor = stored.copy()
    try:
        write(writer, space_key, index, cursor)
    except ConflictError:
        cursor = read(reader, space_key)
        check(cursor)
        write(writer, space_key, merge_index(cursor.index, index), cursor)
    return cursor


def patched_head(head: Property | None, index: SpaceIndex, **changed: Any) -> dict[str, JSON]:
    """The head as stored with ``changed`` head fields set (the lock, the spaces), every other
    key kept: taking the lock rewrites nothing else. The single-property form's pages and
    groups stay too, unless they would push it over the limit (then the run's release writes
    them, as shards)."""
    value = head.value if head is not None else None
    patched: dict[str, JSON] = dict(value) if isinstance(value, dict) else {"format": FORMAT}
    for name, encoded in head_fields(index, **changed).items():
        if name not in changed:
            continue
        if encoded is None:
            patched.pop(name, None)
        else:
            patched[name] = encoded
    if size(patched) > BUDGET:
        patched.pop("pages", None)
        patched.pop("groups", None)
    return patched
