"""What happened to one plan item (:class:`ItemResult`), the one shape the report, the JSON
output and the progress line read. Owns the word each kind of change gets when it is done."""

from __future__ import annotations

from dataclasses import dataclass, field

from confluence_sync.plan.changes import Change, GrantChange
from confluence_sync.plan.notes import Fills, Note
from confluence_sync.plan.page_changes import PageChange
from confluence_sync.wiki.values import Grant

DONE = {
    "create-space": "created",
    "create": "created",
    "update": "updated",
    "archive": "archived",
    "grant": "granted",
    "revoke": "revoked",
    "create-group": "created",
    "add-member": "added",
    "remove-member": "removed",
    "record-member": "recorded",
    "record-grants": "recorded",
    "template": "saved",
    "digest": "refreshed",
}


@dataclass(frozen=True)
class ItemResult:
    """What happened to one plan item. ``grant``: the permission a grant or revoke is about,
    so a report can put one subject's operations on one row without reading ``item``;
    ``wording``: a note's subject and text with their blanks, and what fills them, so notes
    that differ only there can share a row; ``title``: the title of the page the item is
    about ("" for other items), what a report names it by (``item`` keeps the identity)."""

    space: str
    item: str
    kind: str
    status: str  # created updated archived granted … | conflict blocked skipped manual | failed
    reason: str
    grant: Grant | None = field(default=None, compare=False)
    wording: tuple[str, str, Fills] | None = field(default=None, compare=False)
    title: str = field(default="", compare=False)

    @classmethod
    def of(cls, change: Change, status: str, reason: str = "") -> ItemResult:
        grant = change.grant if isinstance(change, GrantChange) else None
        kind = change.shown_kind
        wording = None
        if isinstance(change, Note) and change.fills and not reason:
            wording = (change.subject, change.text, change.fills)
        item, why = change.item, reason or change.reason
        title = change.title if isinstance(change, PageChange | Note) else ""
        return cls(change.space, item, kind, status, why, grant, wording, title)

    @classmethod
    def done(cls, change: Change, reason: str = "") -> ItemResult:
        """The result of a change that went through."""
        return cls.of(change, DONE.get(change.kind, "done"), reason)

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def to_json(self) -> dict[str, str]:
        page = {"title": self.title} if self.title else {}
        return {
            "space": self.space,
            "item": self.item,
            **page,
            "kind": self.kind,
            "status": self.status,
            "reason": self.reason,
        }
