"""The before and after of what an update rewrites, for ``plan --diff``: each managed region
whose content changes, as read and as the update writes it, and a changed title. Pure; the
report words it as a unified diff.

Both sides are in the canonical storage form (``wiki.canonical``), so what Confluence
reformats by itself (attribute order, entities, macro ids, whitespace) is no difference,
and are broken into one line per block element, so a diff points at the paragraph, list
item or table row that changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from confluence_sync.plan.page_changes import UpdatePage
from confluence_sync.wiki.canonical import canonical
from confluence_sync.wiki.regions import RegionError, scan_regions
from confluence_sync.wiki.storage import StorageFormatError

# Where a new line starts: before a block element opens, and before a container closes.
_LINE_START: Final = re.compile(
    r"(?=<(?:p|h[1-6]|li|tr|th|td|ul|ol|table|blockquote|pre|hr|ac:structured-macro|"
    r"ac:parameter|ac:rich-text-body|ac:plain-text-body|ac:task-list|ac:task|ac:layout|"
    r"ac:layout-section|ac:layout-cell)[\s/>])|(?=</(?:ul|ol|table|ac:structured-macro|"
    r"ac:rich-text-body|ac:task-list|ac:layout|ac:layout-section|ac:layout-cell)>)"
)


@dataclass(frozen=True)
class RegionChange:
    """One region an update rewrites. ``before``: its lines as read; None when the page
    holds no such region yet, or was not read (``UpdatePage.read`` is None)."""

    name: str
    before: tuple[str, ...] | None
    after: tuple[str, ...]


@dataclass(frozen=True)
class UpdateDiff:
    """What one update changes that a person reads: the regions, and the title."""

    change: UpdatePage
    regions: tuple[RegionChange, ...]
    old_title: str  # "" when the title stays

    @property
    def read(self) -> bool:
        """Whether the page was read, so every ``before`` is known."""
        return self.change.read is not None


def lines(content: str, *, space: str) -> tuple[str, ...]:
    """A region's content as diff lines: canonical form, one block element a line (the
    content as it is where the canonical form cannot read it)."""
    try:
        text = canonical(content, space=space)
    except StorageFormatError:
        text = content
    return tuple(line for line in _LINE_START.split(text) if line.strip())


def update_diff(change: UpdatePage) -> UpdateDiff | None:
    """The diff of one update; None when it writes no body, or nothing a person reads
    changes (only labels, the parent or the record)."""
    old_title = change.existing.title if change.existing.title != change.title else ""
    if change.body is None:
        return UpdateDiff(change, (), old_title) if old_title else None
    space = change.space
    try:
        after = scan_regions(change.body).regions
        before = scan_regions(change.read).regions if change.read is not None else {}
    except (StorageFormatError, RegionError):  # planning read them; never fail a report
        return UpdateDiff(change, (), old_title) if old_title else None
    regions = []
    for name, region in after.items():
        new = lines(region.content, space=space)
        old = lines(before[name].content, space=space) if name in before else None
        if change.read is None:
            if not _named(change, name):
                continue  # not read: only the regions the plan says it rewrites
        elif old == new:
            continue
        regions.append(RegionChange(name, old, new))
    if not regions and not old_title:
        return None
    return UpdateDiff(change, tuple(regions), old_title)


def _named(change: UpdatePage, name: str) -> bool:
    """Whether the plan's reasons name ``name`` as a region it rewrites (a page not read)."""
    return f"region {name}" in change.why or f"new region {name}" in change.why
