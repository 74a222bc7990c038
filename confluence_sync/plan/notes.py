"""Notes: plan items that change nothing but must be reported (a conflict, a page blocked for
lack of our marker, a manual step, grants kept). A note's words keep their variable parts
apart as data: ``{name}`` blanks in the subject and text, and what fills them (who saved a
page at :data:`EDITOR`), so a report can name the editor or set alike notes on one row
without reading text back. Also the notes page planning writes (an archived page, a region
a member edited, a page that cannot be read) and ``name_editors``, which puts the editor's
display name in as data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Final

from confluence_sync.errors import WikiError
from confluence_sync.plan.changes import Change, Plan
from confluence_sync.plan.page_changes import ArchivePage
from confluence_sync.state.ledger import PageRecord
from confluence_sync.state.observe import ObservedSpace
from confluence_sync.wanted.model import WantedPage
from confluence_sync.wiki.regions import RegionError
from confluence_sync.wiki.storage import StorageFormatError
from confluence_sync.wiki.values import Grant, PageInfo, UserInfo

EDITOR: Final = "{editor}"  # where a note's text names who saved the page
UNKNOWN_EDITOR: Final = "someone (the wiki did not say who)"
_BLANK: Final = re.compile(r"\{([a-z_]+)\}")

Fills = tuple[tuple[str, str], ...]  # a note's blanks and what fills them, in order


def fill(text: str, fills: Mapping[str, str]) -> str:
    """``text`` with each ``{name}`` blank that ``fills`` names filled in, in one pass (so a
    value that itself holds braces stays as it is); other braces stay too."""
    return _BLANK.sub(lambda blank: fills.get(blank[1], blank[0]), text)


@dataclass(frozen=True, repr=False)
class Note(Change):
    """Reported, never applied: a conflict, a blocked page, a manual step, a kept edit.

    ``identity``: the page the note is about, if any. ``editor``: the account that saved the
    page version the note speaks of; the text names them at :data:`EDITOR`, by
    ``editor_name`` once someone looked the person up (Cloud's accountIds mean nothing to
    an admin), else by the account. ``fills``: the values of the other blanks of ``subject``
    and ``text`` (``{space}`` …), kept apart so a report can set notes that differ only in
    them on one row. ``title``: the title of the page the note is about (what a person
    reads for it; ``identity`` stays the key)."""

    subject: str = ""
    status: str = "skipped"  # conflict | blocked | skipped | manual
    text: str = ""
    identity: str = ""
    title: str = ""
    editor: str = ""
    editor_name: str = ""
    fills: Fills = ()
    kind: ClassVar[str] = "note"
    writes: ClassVar[bool] = False

    @property
    def item(self) -> str:
        return fill(self.subject, dict(self.fills))

    @property
    def reason(self) -> str:
        editor = self.editor_name or self.editor or UNKNOWN_EDITOR
        return fill(self.text, {**dict(self.fills), "editor": editor})

    @property
    def shown_kind(self) -> str:
        return self.status

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "kind": self.status}

    def __repr__(self) -> str:
        return f"{self.status} {self.item} ({self.reason})"


@dataclass(frozen=True, repr=False)
class KeptGrants(Note):
    """Grants of one subject on a space that existed before the sync (adopted): neither made
    by the sync nor named by the config. Reported and kept; ``--revoke-extra-grants`` revokes
    them."""

    grants: tuple[Grant, ...] = ()


def note(
    space: str, identity: str, status: str, text: str, *, title: str, editor: str = ""
) -> Note:
    """A reported, never applied item about one page (conflict, blocked, skipped), known by
    its ``identity`` and shown by its ``title``; ``text`` names ``editor`` (who saved the
    page) at ``EDITOR``."""
    return Note(
        space,
        subject=f"page {identity}",
        status=status,
        text=text,
        identity=identity,
        title=title,
        editor=editor,
    )


def archived_note(page: WantedPage, info: PageInfo) -> Note:
    """One line for a page of ours that someone archived in the wiki: left archived."""
    when = f" on {info.saved_at[:10]}" if info.saved_at else ""
    return note(
        page.space_key,
        page.identity,
        "skipped",
        f"page {info.id} '{info.title}' is archived in the wiki (last saved by {EDITOR}"
        f"{when}, version {info.version}); left archived — restore it in Confluence for the "
        "sync to keep it up to date",
        title=page.title,
        editor=info.last_editor,
    )


def edited(name: str, info: PageInfo, record: PageRecord) -> str:
    """The conflict text for a region a member changed: who (at ``EDITOR``), which version,
    what we wrote."""
    if record.from_marker:
        # No index entry: the marker knows only the write that set it, maybe not our last.
        return (
            f"region {name!r} differs from what the page's marker recorded (version "
            f"{record.version}) and the space index has no newer entry; last saved by "
            f"{EDITOR} (page version {info.version}); kept, --overwrite-conflicts overwrites"
        )
    return (
        f"region {name!r} edited by {EDITOR} (page version {info.version}, we wrote "
        f"{record.version}); kept, --overwrite-conflicts overwrites"
    )


def unreadable(
    page: WantedPage,
    observed: ObservedSpace,
    record: PageRecord | None,
    error: StorageFormatError | RegionError,
) -> Change:
    page_id = record.page_id if record else ""
    info = observed.listed.get(page_id) if page_id else None
    where = f"page {page_id} '{info.title}'" if info else f"'{page.title}'"
    return note(
        page.space_key,
        page.identity,
        "conflict" if record else "blocked",
        f"{where} cannot be read ({error.message}); left as it is",
        title=page.title,
    )


def name_editors(plan: Plan, resolve: Callable[[str], UserInfo | None]) -> Plan:
    """The plan with each conflict naming the person who saved the page, not their account
    id (Cloud's accountIds mean nothing to an admin). ``resolve`` is asked once per account;
    when it finds nobody or fails, the id stays. Nothing is asked for a plan without
    conflicts."""
    names: dict[str, str] = {}

    def name(account: str) -> str:
        if account not in names:
            try:
                user = resolve(account)
            except WikiError:  # a name is a courtesy: never fail a run over it
                user = None
            names[account] = user.display_name if user and user.display_name else account
        return names[account]

    def named(change: Change) -> Change:
        if isinstance(change, ArchivePage) and change.writers:
            return replace(change, writers=tuple(name(w) for w in change.writers))
        if not (isinstance(change, Note) and change.editor and change.status == "conflict"):
            return change
        return replace(change, editor_name=name(change.editor))

    changes = tuple(named(c) for c in plan.changes)
    return plan if changes == plan.changes else replace(plan, changes=changes)
