"""Planning one space's pages: create, update managed regions, adopt, archive — or report.

Pure, like the planner that calls it. The rules (DOMAIN.md, "Who owns which words"):

* A page is ours if the index records it (every page the sync created: they carry no
  marker) or it carries our marker (adopted or archived pages, and every page of an older
  release). A page with a wanted title but neither is *blocked* unless ``adopt``; exceptions
  that lose no member's word (``page_changes.unrecorded_claim``): a body exactly what we would
  write (a run cut off before its index write), a page the sync account created whose
  regions all hold what the config renders (an index lost or damaged), and the untouched
  (version 1) home page of a space we created.
* Only managed regions are rewritten, spliced into the body as read; every other byte stays.
  A region whose content differs from the hash we stored was edited by a member: reported as
  a conflict and kept, unless ``overwrite_conflicts`` (then overwritten and said so).
* A page of ours that the config no longer wants is archived (moved under the space's archive
  page and labelled), never deleted.
"""

from __future__ import annotations

from dataclasses import replace

from confluence_sync.config.identities import PageIdentity
from confluence_sync.config.titles import title_key
from confluence_sync.plan.changes import Change
from confluence_sync.plan.notes import EDITOR, archived_note, edited, note, unreadable
from confluence_sync.plan.page_changes import (
    ArchivePage,
    adopt_body,
    create_change,
    fresh_update,
    present_labels,
    record_only,
    unrecorded_claim,
    update_change,
)
from confluence_sync.state.ledger import PageRecord
from confluence_sync.state.observe import ObservedSpace
from confluence_sync.wanted.model import WantedPage, WantedSpace
from confluence_sync.wiki.inline_comments import rewrite_region
from confluence_sync.wiki.outside import outside_hash, same_outside_regions
from confluence_sync.wiki.regions import (
    RegionError,
    insert_missing_region,
    region_verdict,
    scan_regions,
)
from confluence_sync.wiki.storage import StorageFormatError


def plan_pages(
    space: WantedSpace,
    observed: ObservedSpace,
    *,
    adopt: bool,
    overwrite_conflicts: bool,
    recorded: bool = False,
    me: frozenset[str] = frozenset(),
) -> list[Change]:
    """``recorded``: the space is recorded as this network's (hub index or its own index).
    Only then, or when the sync account itself (``me``: its identities, casefolded) saved
    it, may the space's untouched (version 1) home page be taken without ``--adopt``. (A
    killed run's new spaces are recorded: the lock's write lists them in the hub index.)"""
    changes: list[Change] = []
    for page in space.pages:
        depth = space.depth(page.identity)
        record = observed.records.get(page.identity)
        if page.identity in observed.archived:
            changes.append(archived_note(page, observed.archived[page.identity]))
            continue
        if record is None and (parent := _archived_ancestor(space, observed, page)):
            changes.append(
                note(
                    space.key,
                    page.identity,
                    "skipped",
                    f"not created: its parent page '{observed.archived[parent].title}' is "
                    "archived in the wiki",
                    title=page.title,
                )
            )
            continue
        try:
            if record is None:
                changes.append(
                    _new_page(page, observed, depth, adopt=adopt, recorded=recorded, me=me)
                )
            else:
                changes += _existing_page(
                    page,
                    record,
                    observed,
                    depth,
                    overwrite_conflicts=overwrite_conflicts,
                    archive_label=space.archive_label,
                )
        except (StorageFormatError, RegionError) as error:
            # One body the parser cannot read (a macro namespace it does not know) is that
            # page's problem: reported, the page left as it is, the rest planned.
            changes.append(unreadable(page, observed, record, error))
    for identity in observed.vanished:
        if (vanished := space.page(identity)) is not None:
            changes.append(
                note(
                    space.key,
                    identity,
                    "skipped",
                    "page vanished; created again",
                    title=vanished.title,
                )
            )
    archive = space.archive_page
    for identity, record in sorted(observed.records.items()):
        if space.page(identity) is not None or record.archived or identity in observed.archived:
            continue
        if space.kept_as_is(PageIdentity(identity)):
            # A generated meeting whose day has passed (or, seen from an earlier day, one
            # beyond the horizon): the config did not remove it, so its page — the minutes
            # members write there — stays where it is, untouched.
            continue
        if archive is None:
            listed = observed.listed.get(record.page_id)
            changes.append(
                note(
                    space.key,
                    identity,
                    "skipped",
                    "not in the config; no archive page",
                    title=listed.title if listed else "",
                )
            )
            continue
        info = observed.listed[record.page_id]
        changes.append(
            ArchivePage(
                space.key,
                identity=identity,
                title=info.title,
                depth=99,
                page_id=record.page_id,
                archive=archive.identity,
                label=space.archive_label,
                writers=tuple(
                    sorted(
                        e
                        for e in observed.editors.get(record.page_id, ())
                        if e.casefold() not in me
                    )
                ),
            )
        )
    return changes


def _archived_ancestor(space: WantedSpace, observed: ObservedSpace, page: WantedPage) -> str:
    """The identity of the nearest wanted ancestor someone archived in the wiki, or ""."""
    parent = page.parent
    for _ in range(64):
        if parent is None:
            return ""
        if parent in observed.archived:
            return parent
        above = space.page(parent)
        parent = above.parent if above is not None else None
    return ""


def _new_page(
    page: WantedPage,
    observed: ObservedSpace,
    depth: int,
    *,
    adopt: bool,
    recorded: bool,
    me: frozenset[str],
) -> Change:
    hashes = page.hashes
    if observed.info is None:
        return create_change(page, depth, home=page.home)
    foreign = observed.foreign.get(title_key(page.title))
    home_id = observed.homepage_id
    if foreign is None and page.home and home_id is not None and home_id in observed.listed:
        foreign = observed.listed[home_id]
    if foreign is None:
        return create_change(page, depth)
    body = observed.bodies.get(foreign.id)
    # Someone else's space keeps its home page, untouched or not, whatever it is named.
    # Only a space this network's syncs recorded (the lock's write lists the spaces a run
    # is about to create, so a killed run's are recorded too), or whose untouched home page
    # the sync account saved itself, lends its version-1 home page without --adopt.
    created_by_us = recorded or foreign.last_editor.casefold() in me
    fresh_home = (
        created_by_us and page.home and foreign.id == observed.homepage_id and foreign.version == 1
    )
    # Our own page the index lost (or never got): its body is ours, or it is the sync
    # account's with every region as the config renders it.
    unread = f"exists without marker, use --adopt (page {foreign.id} '{foreign.title}')"
    why, blocked = unrecorded_claim(page, foreign, body, me) if body is not None else ("", unread)
    if body is None or not (adopt or why or fresh_home):
        return note(page.space_key, page.identity, "blocked", blocked, title=page.title)
    ours = bool(why)
    why = why or "untouched home page of the space"
    new_body = body.body if ours else adopt_body(body.body, page)
    return update_change(
        page,
        foreign,
        body,
        depth,
        new_body,
        hashes,
        frozenset(),
        why=(why,),
        adopt=adopt and not ours,
    )


def _existing_page(
    page: WantedPage,
    record: PageRecord,
    observed: ObservedSpace,
    depth: int,
    *,
    overwrite_conflicts: bool,
    archive_label: str,
) -> list[Change]:
    info = observed.listed[record.page_id]
    body = observed.bodies.get(record.page_id)
    wanted_hashes = page.hashes
    parent_id = observed.parent_id(page)
    move = not page.home and (record.archived or parent_id is None or info.parent_id != parent_id)
    # Labels we set that the page no longer carries (removed by a member, or dropped by the
    # site) are set again; the wiki says so where its answer holds the labels.
    record = replace(record, labels=record.labels & present_labels(info, body, record))
    label_fix = page.labels != record.labels or record.archived
    if record.page_id in observed.fresh:
        return [fresh_update(page, record, info, depth, move=move, label_fix=label_fix)]
    renamed = (f"known as {record.renamed_from} until now",) if record.renamed_from else ()
    if body is None:  # observe saw nothing to read: at most labels (or the identity) differ
        if not label_fix and not move and not renamed:
            return []
        return [
            update_change(
                page,
                info,
                None,
                depth,
                None,
                dict(record.regions),
                record.labels,
                why=(*renamed, *(("labels",) if label_fix or move else ())),
                move=move,
                outside=record.outside,
            )
        ]
    notes: list[Change] = []
    new_body, written, overwritten = body.body, dict(record.regions), []
    why: list[str] = list(renamed)
    detached_refs: list[str] = []
    scanned = scan_regions(body.body)
    conflicted = False
    for name, region_of in page.regions.items():
        content = region_of.content
        region = scanned.regions.get(name)
        problem = scanned.problem(name)
        if region is None and (problem is not None or name in record.regions):
            text = problem.message if problem else f"region {name!r} was removed from the page"
            notes.append(
                note(
                    page.space_key,
                    page.identity,
                    "conflict",
                    f"{text} (version {info.version} by {EDITOR}); kept",
                    title=page.title,
                    editor=info.last_editor,
                )
            )
            conflicted = True
            continue
        try:
            if region is None:
                new_body = insert_missing_region(new_body, name, content)
                written[name] = wanted_hashes[name]
                why.append(f"new region {name}")
                continue
            verdict = region_verdict(
                region.content, wanted_hashes[name], record.regions.get(name), space=page.space_key
            )
            if verdict == "wanted":
                written[name] = wanted_hashes[name]
                continue
            # "edited" also where no hash is stored for a region on the page (the template
            # dropped it once and now brings it back; a region pasted in by hand).
            if verdict == "edited":
                if not overwrite_conflicts:
                    notes.append(
                        note(
                            page.space_key,
                            page.identity,
                            "conflict",
                            edited(name, info, record),
                            title=page.title,
                            editor=info.last_editor,
                        )
                    )
                    conflicted = True
                    continue
                overwritten.append(name)
            # Members' inline comments stay on the words that stay; the plan names the others.
            new_body, detached = rewrite_region(new_body, name, content, space=page.space_key)
            written[name] = wanted_hashes[name]
            why.append(f"region {name}")
            why.extend(comment.describe() for comment in detached)
            detached_refs.extend(comment.ref for comment in detached)
        except RegionError as error:
            notes.append(
                note(page.space_key, page.identity, "conflict", error.message, title=page.title)
            )
            conflicted = True
    if info.title != page.title:
        why.append(f"title was '{info.title}'")
    if move:
        why.append("moved back from the archive" if record.archived else "parent")
    if label_fix:
        why.append("labels")
    for name in set(written) - set(page.regions):
        written.pop(name)  # a region the template dropped: left on the page, no longer ours
    needs_write = bool(why) or new_body != body.body
    # The version moved without a region change (edits outside our regions): record it so
    # later runs need not read the body again — unless a conflict must stay visible.
    acknowledge = info.version != record.version and not conflicted
    if not needs_write and not acknowledge and written == dict(record.regions):
        return notes
    removed = frozenset({archive_label}) if record.archived else frozenset()
    # Outside the regions the page still says what the config renders (nobody added a word,
    # or the index predates outside hashes): later updates may render it whole. Never with
    # a conflict: the kept region holds a member's words our record does not describe.
    same_outside = not conflicted and not overwritten and same_outside_regions(body.body, page.body)
    change = update_change(
        page,
        info,
        body,
        depth,
        new_body,
        written,
        record.labels,
        why=tuple(why) or (record_only(info, record),),
        overwritten=tuple(overwritten),
        move=move,
        labels_remove=removed,
        outside=outside_hash(page.body) if same_outside else "",
        detached=tuple(detached_refs),
    )
    return [*notes, change]
