"""The page changes — create, update, archive — and how they are built: a create, an update
(and the fresh update that needs no read), what adopting a foreign page writes, whether a page
without our record or marker is ours after all, which labels a page has. Pure;
:mod:`confluence_sync.plan.pages` decides which of them a page gets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from confluence_sync.plan.changes import PHASE_ARCHIVE, PHASE_PAGE, Change
from confluence_sync.state.ledger import PageRecord
from confluence_sync.wanted.model import WantedPage
from confluence_sync.wiki.outside import outside_hash
from confluence_sync.wiki.regions import (
    canonical,
    insert_missing_region,
    recorded_matches,
    region_verdict,
    replace_region,
    scan_regions,
)
from confluence_sync.wiki.storage import StorageFormatError
from confluence_sync.wiki.values import Page, PageInfo


@dataclass(frozen=True, repr=False)
class PageChange(Change):
    """A change to one page, known by its identity."""

    identity: str = ""
    title: str = ""
    depth: int = 0

    @property
    def item(self) -> str:
        return f"page {self.identity}"

    def sort_key(self) -> tuple[Any, ...]:
        return (self.phase, self.space, self.depth, self.identity)

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "identity": self.identity, "title": self.title}


@dataclass(frozen=True, repr=False, kw_only=True)
class _ToWanted(PageChange):
    """A change that makes a page the ``wanted`` one: where it goes, our labels after the
    change and the kind of page come from it."""

    wanted: WantedPage
    phase: ClassVar[int] = PHASE_PAGE

    @property
    def parent(self) -> str | None:
        return self.wanted.parent

    @property
    def labels(self) -> frozenset[str]:
        """Our labels after the change."""
        return self.wanted.labels

    @property
    def page_kind(self) -> str:
        return self.wanted.kind


@dataclass(frozen=True, repr=False, kw_only=True)
class CreatePage(_ToWanted):
    """Create the wanted page (or take over the home page of a space we just created)."""

    home: bool = False
    outside: str = ""  # wiki.outside.outside_hash(body), recorded so updates skip the read
    kind: ClassVar[str] = "create"

    @property
    def reason(self) -> str:
        return "home page of the new space" if self.home else "new in the config"

    @property
    def body(self) -> str:
        return self.wanted.body

    @property
    def regions(self) -> Mapping[str, str]:
        """Region → the hash we write."""
        return self.wanted.hashes


@dataclass(frozen=True, repr=False, kw_only=True)
class UpdatePage(_ToWanted):
    """Bring an ``existing`` page of ours to the ``wanted`` one: rewrite its managed regions,
    title or parent; add/remove our labels.

    ``body`` is the whole new body (regions spliced into the body we read at the existing
    version, or — ``fresh`` — the config's whole rendering, when the page is still what our
    last whole write left); None when only labels or the record change. ``regions``: each
    region's hash after the write (a region kept as a member edited it keeps its recorded
    hash).
    """

    existing: PageInfo
    body: str | None = None
    move: bool = False
    labels_add: frozenset[str] = frozenset()
    labels_remove: frozenset[str] = frozenset()
    regions: Mapping[str, str] = field(default_factory=dict)
    why: tuple[str, ...] = ()
    overwritten: tuple[str, ...] = ()  # regions a member edited, --overwrite-conflicts
    adopt: bool = False
    fresh: bool = False  # body rendered whole, without reading the page
    outside: str = ""  # what to record as the outside hash if the write lands as planned
    detached: tuple[str, ...] = ()  # refs of the inline comments ``why`` names as detached
    # The body as read at the existing version (None: not read, ``fresh`` or labels only):
    # what ``plan --diff`` shows each rewritten region's before from (plan.region_diff).
    read: str | None = field(default=None, compare=False)
    kind: ClassVar[str] = "update"

    @property
    def page_id(self) -> str:
        return self.existing.id

    @property
    def base_version(self) -> int:
        return self.existing.version

    @property
    def reason(self) -> str:
        parts = list(self.why)
        if self.overwritten:
            regions = ", ".join(self.overwritten)
            parts.append(f"--overwrite-conflicts overwrites member edits in {regions}")
        if self.adopt:
            parts.append("adopted (--adopt)")
        return "; ".join(parts)


@dataclass(frozen=True, repr=False)
class ArchivePage(PageChange):
    """Move a page we made, dropped from the config, under the archive page and label it."""

    page_id: str = ""
    archive: str = ""  # identity of the archive page
    label: str = "archiviert"
    # Who besides the sync saved versions of the page: their words move with it. Account
    # ids, or display names once ``notes.name_editors`` looked them up.
    writers: tuple[str, ...] = ()
    kind: ClassVar[str] = "archive"
    phase: ClassVar[int] = PHASE_ARCHIVE
    takes: ClassVar[str | None] = "pages"

    @property
    def reason(self) -> str:
        if not self.writers:
            return "no longer in the config; kept, moved under the archive"
        return (
            f"no longer in the config; holds text by {', '.join(self.writers)}: kept, moved "
            "under the archive (a meeting that moved? give it an id in the config)"
        )


def same_body(current: str, wanted: str, *, space: str | None = None) -> bool:
    """Whether two bodies are equal under Confluence's storage normalisation and editor
    saves (``space``: the pages' space key, see ``canonical``)."""
    try:
        return canonical(current, space=space) == canonical(wanted, space=space)
    except StorageFormatError:
        return False


def unrecorded_claim(
    page: WantedPage, found: PageInfo, body: Page, me: frozenset[str]
) -> tuple[str, str]:
    """Whether ``found`` — a page with ``page``'s title, neither in the index nor marked —
    is ours: (why it is, "") or ("", why it is blocked). A created page carries no marker
    (the index records it), so when a run was cut off before its index write, or the index
    is lost or damaged, the page itself must show it is ours without a member's word lost:

    * its body is exactly what we would write (our create, or a take-over, cut off); or
    * the sync account created it (``me``: its identities, casefolded) and every managed
      region holds what the config renders — members may have written around the regions,
      and those words stay (only regions are ever rewritten).

    Anything else — another author, or a region that differs (a member's edit, or a config
    changed since: without a record the two cannot be told apart) — is blocked until
    ``--adopt``, never taken over on a guess."""
    if same_body(body.body, page.body, space=page.space_key):
        return "our create; its marker was lost", ""
    author = (body.info.created_by or found.created_by).casefold()
    where = f"(page {found.id} '{found.title}')"
    if not author or author not in me or not page.regions:
        return "", f"exists without marker, use --adopt {where}"
    scanned = scan_regions(body.body)
    differ = [
        name
        for name, region in page.regions.items()
        if (held := scanned.regions.get(name)) is None
        or region_verdict(held.content, page.hashes[name], None, space=page.space_key) != "wanted"
    ]
    if differ:
        return "", (
            "exists without marker or index record; made by the sync account, but region(s) "
            f"{', '.join(differ)} differ from the config: use --adopt (it rewrites them) {where}"
        )
    return "made by the sync account, its regions as the config renders them (no record)", ""


def adopt_body(body: str, page: WantedPage) -> str:
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


def create_change(page: WantedPage, depth: int, *, home: bool = False) -> CreatePage:
    """Create the page; ``home``: it is the home page of a space created in this run."""
    return CreatePage(
        page.space_key,
        identity=page.identity,
        title=page.title,
        depth=depth,
        wanted=page,
        home=home,
        outside=outside_hash(page.body),
    )


def update_change(
    page: WantedPage,
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
    """Bring ``info`` (read as ``body``, if it was) to ``page``: ``new_body`` is written only
    when it changes something; ``old_labels`` are our labels on the page now."""
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
        wanted=page,
        existing=info,
        body=write_body,
        move=move,
        labels_add=page.labels - old_labels,
        labels_remove=(old_labels - page.labels) | labels_remove,
        regions=regions,
        why=why,
        overwritten=overwritten,
        adopt=adopt,
        fresh=fresh,
        outside=outside,
        detached=detached,
        read=body.body if body is not None else None,
    )


def present_labels(info: PageInfo, body: Page | None, record: PageRecord) -> frozenset[str]:
    """The labels on the page as the wiki last told (the body read if there was one, else
    the listing); the record's labels when neither answer carried them."""
    seen = body.info.labels if body is not None and body.info.labels is not None else info.labels
    return record.labels if seen is None else seen


def fresh_update(
    page: WantedPage,
    record: PageRecord,
    info: PageInfo,
    depth: int,
    *,
    move: bool,
    label_fix: bool,
) -> UpdatePage:
    """The page is exactly what our last whole write left (same version, same rendering
    outside the regions): the config's whole rendering is that page with the new regions.
    Nothing can conflict — nobody saved since — and a save in between is caught by the
    version check of the write (409 → re-read, re-check, splice)."""
    wanted_hashes = page.hashes
    why = [
        f"region {name}" if name in record.regions else f"new region {name}"
        for name, region in page.regions.items()
        if record.regions.get(name) != wanted_hashes[name]
        and not recorded_matches(region.content, record.regions.get(name), space=page.space_key)
    ]
    if info.title != page.title:
        why.append(f"title was '{info.title}'")
    if move:
        why.append("parent")
    if label_fix:
        why.append("labels")
    return update_change(
        page,
        info,
        None,
        depth,
        page.body if why else None,  # nothing to write but the hashes' current form
        wanted_hashes,
        record.labels,
        why=tuple(why) or (record_only(info, record),),
        move=move,
        fresh=bool(why),
        outside=record.outside,
    )


def record_only(info: PageInfo, record: PageRecord) -> str:
    """Why a page whose regions and title stay is updated: only its record changes."""
    if info.version != record.version:
        return f"record version {info.version} (edited outside our regions)"
    # Hashes stored by an earlier release (canonical_legacy): recorded once in today's form.
    return "record region hashes in the current canonical form"
