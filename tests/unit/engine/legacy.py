"""The index as it was written before shards: one property, every record in full. Wikis
synced before still hold it; the engine must read it (and rewrite it at its next write)."""

from __future__ import annotations

from typing import Any

from confluence_sync.state.ledger import SpaceIndex


def legacy_value(index: SpaceIndex) -> dict[str, Any]:
    """``SpaceIndex.to_json()`` as it stood, format 1."""
    pages: dict[str, Any] = {}
    for identity, record in sorted(index.pages.items()):
        entry: dict[str, Any] = {
            "id": record.page_id,
            "v": record.version,
            "k": record.kind,
            "r": dict(sorted(record.regions.items())),
            "l": sorted(record.labels),
            "a": record.archived,
            "mv": record.marker_version,
            "mid": record.marker_id,
        }
        if record.outside:
            entry["o"] = record.outside
        pages[identity] = entry
    value: dict[str, Any] = {"format": 1, "pages": pages}
    if index.grants is not None:
        value["grants"] = [[g.subject_type, g.subject, g.operation] for g in sorted(index.grants)]
    value["templates"] = {n: [i, h] for n, (i, h) in sorted(index.templates.items())}
    if index.groups:
        value["groups"] = {n: sorted(m) for n, m in sorted(index.groups.items())}
    if index.lock is not None:
        value["lock"] = dict(index.lock)
    if index.spaces:
        value["spaces"] = sorted(index.spaces)
    return value
