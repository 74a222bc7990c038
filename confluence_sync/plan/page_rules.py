"""Small pure rules of page planning: how a note reads, how a conflict names who edited,
whether a body is exactly ours, what adopting a foreign page writes, and how the create and
update changes are built."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from confluence_sync.errors import WikiError
from confluence_sync.plan.changes import EDITOR, Change, CreatePage, Note, Plan, UpdatePage
from confluence_sync.state.ledger import PageRecord
from confluence_sync.state.observe import ObservedSpace
from confluence_sync.target.model import TargetPage
from confluence_sync.wiki.outside import outside_hash
from confluence_sync.wiki.regions import (
    RegionError,
    canonical,
    insert_missing_region,
    replace_region,
    scan_regions,
)
from confluence_sync.wiki.storage import StorageFormatError
from confluence_sync.wiki.values import Page, PageInfo, UserInfo


def note(space: str, identity: str, status: str, text: str, *, editor: str = "") -> Note:
    """A reported, never applied item about one page (conflict, blocked, skipped); ``text``
    names ``editor`` (who saved the page) at ``EDITOR``."""
    subject = f"page {identity}"
    return Note(space, subject=subject, status=status, text=text, identity=identity, editor=editor)


def archived_note(page: TargetPage, info: PageInfo) -> Note:
    """One line for a page of ours that someone archived in the wiki: left archived."""
    when = f" on {info.saved_at[:10]}" if info.saved_at else ""
    return note(
        page.space_key,
        page.identity,
        "skipped",
        f"page {info.id} '{info.title}' is archived in the wiki (last saved by {EDITOR}"
        f"{when}, version {info.version}); left archived — restore it in Confluence for the "
        "sync to keep it up to date",
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
        if not (isinstance(change, Note) and change.editor and change.status == "conflict"):
            return change
        return replace(change, editor_name=name(change.editor))

    changes = tuple(named(c) for c in plan.changes)
    return plan if changes == plan.changes else replace(plan, changes=changes)


def same_body(current: str, wanted: str, *, space: str | None = None) -> bool:
    """Whether two bodies are equal under Confluence's storage normalisation and editor
    saves (``space``: the pages' space key, see ``canonical``)."""
    try:
        return canonical(current, space=space) == canonical(wanted, space=space)
    except StorageFormatError:
        return False


def adopt_body(body: str, page: TargetPage) -> str:
    """A foreign page gets our regions added; its own words stay (the home page of a space
    we just created holds Confluence's default text only: replaced)."""
    scanned = scan_regions(body)
    if not scanned.regions and not scanned.problems and not body.strip():
        return page.body
    new_body = body
    for name, region_of in page.regions.items():
        content = region_of.content
        if name in scanned.regions:
            new_body = replace_region(new_body, name, content)
        else:
            new_body = insert_missing_region(new_body, name, content)
    return new_body


def unreadable(
    page: TargetPage,
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
    )


def create_change(
    page: TargetPage, depth: int, hashes: Mapping[str, str], *, home: bool = False
) -> CreatePage:
    """Create the page; ``home``: it is the home page of a space created in this run."""
    return CreatePage(
        page.space_key,
        identity=page.identity,
        title=page.title,
        depth=depth,
        body=page.body,
        parent=page.parent,
        labels=page.labels,
        regions=hashes,
        page_kind=page.kind,
        home=home,
        outside=outside_hash(page.body),
    )


def update_change(
    page: TargetPage,
    info: PageInfo,
    body: Page | None,
    depth: int,
    new_body: str | None,
    regions: dict[str, str],
    old_labels: frozenset[str],
    *,
    why: tuple[str, ...],
    adopt: bool = False,
    overwritten: tuple[str, ...] = (),
    move: bool = False,
    labels_remove: frozenset[str] = frozenset(),
    fresh: bool = False,
    outside: str = "",
    detached: tuple[str, ...] = (),
) -> UpdatePage:
    if fresh:
        write_body: str | None = new_body
    elif body is not None and (new_body != body.body or info.title != page.title or move):
        write_body = new_body
    else:
        write_body = None
    return UpdatePage(
        page.space_key,
        identity=page.identity,
        title=page.title,
        depth=depth,
        page_id=info.id,
        base_version=info.version,
        body=write_body,
        parent=page.parent,
        move=move,
        labels_add=page.labels - old_labels,
        labels_remove=(old_labels - page.labels) | labels_remove,
        regions=regions,
        labels=page.labels,
        page_kind=page.kind,
        why=why,
        overwritten=overwritten,
        adopt=adopt,
        fresh=fresh,
        outside=outside,
        detached=detached,
    )
