"""Applying page changes: create (or take over a new space's home page), update managed
regions, archive, and write the marker property where one proves ownership.

Owns the page writes of a run; the applier hands it the changes one by one and the shared
:class:`~confluence_sync.apply.books.Books`, where it keeps each page's record (the index
written at the end of the space records it). A created page gets no marker: the index records
it, and until the index is written a page cut off there is recognised by its body or its
author (``plan.pages``). A marker is written where the sync's authorship cannot vouch for the
page: adoption, archiving, un-archiving, and a rename of a page that has one. Every write here
is safe to repeat on the next run: a create whose answer was lost is recognised by the
backend (this title, version 1, our parent, saved by the sync account) before it is sent
again, an update after a 409 is re-checked against what members changed meanwhile, and a
marker whose remembered version is stale is re-read. May import wiki/, state/, wanted/, plan/
and the backend contract; nothing above apply/.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from confluence_sync.apply.books import Books
from confluence_sync.backends.contract import WikiReader, WikiWriter
from confluence_sync.errors import ConflictError, ConfluenceSyncError
from confluence_sync.plan.notes import UNKNOWN_EDITOR, edited, fill
from confluence_sync.plan.page_changes import ArchivePage, CreatePage, UpdatePage
from confluence_sync.state.ledger import MARKER_KEY, PageRecord
from confluence_sync.wiki.inline_comments import rewrite_region
from confluence_sync.wiki.regions import region_verdict, scan_regions
from confluence_sync.wiki.values import Page, PageInfo, PageUpdate, Property


class SkipError(ConfluenceSyncError):
    """A change that cannot run because one it depends on failed."""


class PageWriter:
    """The page operations of one run. Each returns the reason to report (None: the plan's)."""

    def __init__(self, reader: WikiReader, writer: WikiWriter, books: Books):
        self.reader, self.writer = reader, writer
        self.records = books.records  # per space: identity → record, as this run leaves it
        self.homes = books.homes

    def _home_id(self, key: str) -> str:
        home = self.homes.get(key)
        if home is None:
            raise SkipError(f"space {key} has no home page to put the page under")
        return home

    def _parent_id(self, key: str, parent: str | None) -> str:
        if parent is None:
            return self._home_id(key)
        record = self.records[key].get(parent)
        if record is None:
            raise SkipError(f"parent page {parent} does not exist (failed or blocked)")
        return record.page_id

    @staticmethod
    def _no_complete_page() -> PageInfo | None:
        """Asked before a create is sent again: is there a complete page of ours already?
        Never, without a marker to show it — the backend then recognises a create that
        landed unanswered by what was sent (``RestWriter._fresh_orphan``) and completes it
        (its labels); with no such lookup at all the create would not be retried."""
        return None

    def create(self, key: str, change: CreatePage) -> str | None:
        # No marker (marker_version 0): the index written at the end of the space records the
        # page; a run cut off before that finds it by its body or its author (plan.pages).
        record = PageRecord(
            change.identity,
            "",
            1,
            change.page_kind,
            change.regions,
            change.labels,
            marker_version=0,
            outside=change.outside,
            day=change.wanted.day,
        )
        if change.home:
            home = self.reader.get_page(self._home_id(key))
            update = PageUpdate(
                home.info.id,
                change.title,
                change.body,
                home.info.version,
                message="confluence-sync: home page",
            )
            base = home.info.version

            def unchanged(fresh: Page) -> PageUpdate | None:
                # A 409 although nobody saved since we read: write again at the same base.
                return update if fresh.info.version == base else None

            info = self.writer.update_page(update, recheck=unchanged)
            record = replace(record, page_id=info.id, version=info.version)
            if info.version != base + 1:
                record = replace(record, outside="")
            if change.labels:
                self.writer.add_labels(info.id, sorted(change.labels))
        else:
            parent_id = self._parent_id(key, change.parent)
            info = self.writer.create_page(
                key,
                change.title,
                change.body,
                parent_id=parent_id,
                labels=sorted(change.labels),
                find_existing=self._no_complete_page,
            )
            record = replace(record, page_id=info.id, version=info.version)
        self.records[key][change.identity] = record
        return None

    def _recheck(
        self, change: UpdatePage, record: PageRecord | None
    ) -> Callable[[Page], PageUpdate | None]:
        """After a 409: write again only if nobody touched our regions in between."""
        page = change.wanted

        def recheck(fresh: Page) -> PageUpdate | None:
            if record is None:
                return None
            body, detached = fresh.body, []
            found = scan_regions(body).regions
            for name, wanted_hash in change.regions.items():
                region = found.get(name)
                if region is None or name not in page.regions:
                    return None
                recorded = record.regions.get(name)
                verdict = region_verdict(region.content, wanted_hash, recorded, space=change.space)
                if verdict == "wanted":
                    continue
                if verdict == "edited" and name not in change.overwritten:
                    # A member edited it while this run worked: kept, worded as the plan words it.
                    editor = fresh.info.last_editor or UNKNOWN_EDITOR
                    text = fill(edited(name, fresh.info, record), {"editor": editor})
                    raise ConflictError(
                        f"page {change.identity}",
                        409,
                        f"{text} (saved while this run wrote)",
                        hint="reported until resolved; --overwrite-conflicts overwrites it",
                    )
                wanted = page.regions[name].content
                body, lost = rewrite_region(body, name, wanted, space=change.space)
                detached += [c.describe() for c in lost if c.ref not in change.detached]
            return PageUpdate(
                fresh.info.id,
                change.title,
                body,
                fresh.info.version,
                parent_id=None,
                # A comment anchored since the plan was made is named where it can be: here.
                message="confluence-sync: " + "; ".join([change.reason, *detached]),
            )

        return recheck

    def update(self, key: str, change: UpdatePage) -> str | None:
        old = self.records[key].get(change.identity)
        parent_id = self._parent_id(key, change.parent) if change.move else None
        version = change.base_version
        expected = change.base_version  # the version if nobody saves in between
        if change.body is not None:
            update = PageUpdate(
                change.page_id,
                change.title,
                change.body,
                change.base_version,
                parent_id=parent_id,
                message="confluence-sync: " + change.reason,
            )
            version = self.writer.update_page(update, recheck=self._recheck(change, old)).version
            expected += 1
        elif change.move and parent_id is not None:
            version = self.writer.move_page(change.page_id, parent_id).version
            expected += self._move_bump()
        if change.labels_add:
            self.writer.add_labels(change.page_id, sorted(change.labels_add))
        for label in sorted(change.labels_remove):
            self.writer.remove_label(change.page_id, label)
        record = PageRecord(
            change.identity,
            change.page_id,
            version,
            change.page_kind,
            change.regions,
            change.labels,
            # A 409 re-check spliced around someone's words: the page is no longer our
            # whole rendering, so the next update reads it first.
            outside=change.outside if version == expected else "",
            day=change.wanted.day,
        )
        same_page = old is not None and old.page_id == change.page_id
        marked = old is not None and same_page and old.marked
        if change.adopt or (marked and old is not None and (old.archived or old.renamed_from)):
            # The marker proves ownership where the sync's authorship cannot: an adopted page
            # (someone else made it), and a marker that would now be wrong — it says
            # "archived", or names the identity the page had. A page we made and recovered
            # (plan.pages) stays unmarked; a plain update only changes the index (see
            # ``index``): one request per changed page saved.
            self._write_marker(key, record, old)
        else:
            kept = old if marked and old is not None else None
            record = replace(
                record,
                marker_version=kept.marker_version if kept else 0,
                marker_id=kept.marker_id if kept else "",
            )
            self.records[key][record.identity] = record
        return None

    def _move_bump(self) -> int:
        return 1 if self.writer.capabilities.move_adds_version else 0

    def archive(self, key: str, change: ArchivePage) -> str | None:
        old = self.records[key][change.identity]
        archive_id = self._parent_id(key, change.archive)
        info = self.writer.move_page(change.page_id, archive_id)
        self.writer.add_labels(change.page_id, [change.label])
        record = replace(
            old,
            version=info.version,
            archived=True,
            labels=old.labels | {change.label},
            # Any other version means someone saved in between: read the page next time.
            outside=old.outside if info.version == old.version + self._move_bump() else "",
        )
        self._write_marker(key, record, old)
        return None

    def _write_marker(self, key: str, record: PageRecord, old: PageRecord | None) -> None:
        current: Property | None = None
        known = old is not None and old.page_id == record.page_id
        if known and old is not None and old.marked:
            current = old.marker_property()
        # Read first unless the record knows: a marked page whose Cloud property id it lacks,
        # or a page it knows nothing of. A page the index records unmarked gets its first
        # marker without a read (one there after all: the create meets 409, read below).
        if (current is None and not known) or (
            current is not None and not current.id and self.reader.capabilities.flavour == "cloud"
        ):
            current = self.reader.get_page_property(record.page_id, MARKER_KEY)
        try:
            prop = self.writer.set_page_property(
                record.page_id, MARKER_KEY, record.marker_value(), current=current
            )
        except ConflictError:
            # Our remembered marker version is stale (a lost write); read it and write once more.
            current = self.reader.get_page_property(record.page_id, MARKER_KEY)
            prop = self.writer.set_page_property(
                record.page_id, MARKER_KEY, record.marker_value(), current=current
            )
        record = replace(record, marker_version=prop.version, marker_id=prop.id)
        self.records[key][record.identity] = record
