"""Small pure rules of page planning: how a note reads, how a conflict names who edited,
whether a body is exactly ours, and what adopting a foreign page writes."""

from __future__ import annotations

from confluence_sync.backends.base import PageInfo
from confluence_sync.index import PageRecord
from confluence_sync.plan import Note
from confluence_sync.regions import (
    canonical,
    insert_missing_region,
    replace_region,
    scan_regions,
)
from confluence_sync.storage import StorageFormatError
from confluence_sync.wanted import WantedPage


def note(space: str, identity: str, status: str, text: str) -> Note:
    """A reported, never applied item about one page (conflict, blocked, skipped)."""
    return Note(space, subject=f"page {identity}", status=status, text=text)


def editor(info: PageInfo) -> str:
    """Who saved the page version we found (a member, as far as we can tell)."""
    return info.last_editor or "someone (the wiki did not say who)"


def edited(name: str, info: PageInfo, record: PageRecord) -> str:
    """The conflict text for a region a member changed: who, which version, what we wrote."""
    if record.from_marker:
        # No index entry: the marker knows only the write that set it, maybe not our last.
        return (
            f"region {name!r} differs from what the page's marker recorded (version "
            f"{record.version}) and the space index has no newer entry; last saved by "
            f"{editor(info)} (page version {info.version}); kept, --force overwrites"
        )
    return (
        f"region {name!r} edited by {editor(info)} (page version {info.version}, we wrote "
        f"{record.version}); kept, --force overwrites"
    )


def same_body(current: str, wanted: str) -> bool:
    """Whether two bodies are equal under Confluence's storage normalisation."""
    try:
        return canonical(current) == canonical(wanted)
    except StorageFormatError:
        return False


def adopt_body(body: str, page: WantedPage) -> str:
    """A foreign page gets our regions added; its own words stay (the home page of a space
    we just created holds Confluence's default text only: replaced)."""
    scanned = scan_regions(body)
    if not scanned.regions and not scanned.problems and not body.strip():
        return page.body
    new_body = body
    for name, content in page.regions.items():
        if name in scanned.regions:
            new_body = replace_region(new_body, name, content)
        else:
            new_body = insert_missing_region(new_body, name, content)
    return new_body
