"""The body outside the managed regions: what members own on a page, compared without the
regions' contents (their delimiters kept, so the cut blocks cannot run together).

Imports: wiki (regions, canonical, storage).
"""

from __future__ import annotations

import hashlib

from confluence_sync.wiki.regions import canonical, scan_regions
from confluence_sync.wiki.storage import StorageFormatError


def _outside(body: str) -> list[bytes] | None:
    """``body`` split at its regions' contents (delimiters kept); None if damaged."""
    try:
        scanned = scan_regions(body)
    except StorageFormatError:
        return None
    if scanned.problems:
        return None
    data = body.encode()
    parts, last = [], 0
    for region in sorted(scanned.regions.values(), key=lambda r: r.content_start):
        parts.append(data[last : region.content_start])
        last = region.content_end
    parts.append(data[last:])
    return parts


def same_outside_regions(read: str, rendered: str) -> bool:
    """Whether a body as read and our rendering say the same outside the regions, under
    Confluence's storage normalisation (``canonical``)."""
    mine, theirs = _outside(rendered), _outside(read)
    if mine is None or theirs is None:
        return False
    try:
        return canonical(b"".join(theirs).decode()) == canonical(b"".join(mine).decode())
    except StorageFormatError:
        return False


def outside_hash(body: str) -> str:
    """Hash of ``body`` outside its managed regions (region contents cut, delimiters kept).

    Compares two bodies *we rendered* (the one we last wrote whole, the one the config renders
    now): when they agree outside the regions and nobody saved the page since our write, the
    fresh rendering is exactly the page with new regions, so it can be written without a read.
    Raw bytes on purpose: a body the wiki normalised or a member touched never matches a fresh
    rendering, which sends such pages down the read-and-splice path. "" when the body has
    damaged regions (never matches).
    """
    parts = _outside(body)
    if parts is None:
        return ""
    return "sha256:" + hashlib.sha256(b"\0".join(parts)).hexdigest()
