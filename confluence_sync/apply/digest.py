"""Applying the digest's refresh: the meeting pages read as this run leaves them, the digest
assembled, and the hub's digest page written only where its region now says something else.

Runs after every other change of the run (the applier holds it back), so the pages it reads
carry this run's writes and their versions are the ones the next run lists: a no-op sync then
finds the fingerprint equal and reads nothing (``plan.digest``). The page holds one managed
region, ``digest``; what members write around it stays, byte for byte. A member's edit inside
it is a conflict, kept and reported like any managed region (``--overwrite-conflicts``
replaces it). The record (``state.ledger.DigestRecord``) goes into the hub's index, which the
engine writes when it releases the lock.

Imports: apply.books, backends.contract, digest (freshness, model, storage), errors,
plan.digest, state (digest_read, ledger, observe), wanted.model, wiki (canonical, regions,
inline_comments, values).
"""

from __future__ import annotations

import datetime as dt

from confluence_sync.apply.books import Books
from confluence_sync.backends.contract import WikiReader, WikiWriter
from confluence_sync.digest.freshness import fingerprint, stale_on
from confluence_sync.digest.model import Digest
from confluence_sync.digest.storage import REGION, page_body, page_title, to_storage
from confluence_sync.errors import ConflictError, ConfluenceSyncError
from confluence_sync.plan.digest import RefreshDigest
from confluence_sync.state.digest_read import read_digest
from confluence_sync.state.ledger import DigestRecord
from confluence_sync.state.observe import WikiState
from confluence_sync.wanted.model import Wanted
from confluence_sync.wiki.canonical import region_hash, region_verdict
from confluence_sync.wiki.inline_comments import rewrite_region
from confluence_sync.wiki.regions import scan_regions
from confluence_sync.wiki.values import Page, PageInfo, PageUpdate


class DigestWriter:
    """Refreshes the digest page of one run; ``last`` is the digest it assembled."""

    def __init__(
        self,
        wanted: Wanted,
        state: WikiState,
        reader: WikiReader,
        writer: WikiWriter,
        books: Books,
        *,
        overwrite: bool = False,
        workers: int = 4,
    ) -> None:
        self.wanted, self.state, self.reader, self.writer = wanted, state, reader, writer
        self.books, self.overwrite, self.workers = books, overwrite, workers
        self.last: Digest | None = None
        self.detached: list[str] = []  # members' inline comments the refresh unanchored

    def refresh(self, change: RefreshDigest) -> str:
        if change.drop:
            self.books.digest = None
            return "record dropped: digest --publish makes the page again"
        source = self.wanted.digest
        if source is None:
            raise ConfluenceSyncError("the config gives no digest to publish")
        digest, read = read_digest(
            self.reader,
            source,
            day=dt.date.fromisoformat(self.wanted.today),
            since=dt.date.fromisoformat(change.since) if change.since else None,
            workers=self.workers,
            records=self.books.records,  # as this run leaves them: no index read
        )
        self.last = digest
        hub = self.wanted.hub_key
        content = to_storage(digest)
        wanted = region_hash(content, space=hub)
        stale = stale_on(digest)
        record = DigestRecord(
            change.page_id,
            0,
            wanted,
            fingerprint(source.token(), change.since, read),
            stale.isoformat() if stale else "",
            change.since,
        )
        t = digest.totals
        counts = (
            f"{t.held} held, {t.upcoming} upcoming, {t.decisions} decisions, "
            f"{t.open} open ({t.overdue} overdue), {t.done} done"
        )
        if not change.page_id:
            info, how = self._create(digest)
        else:
            info, how, record = self._update(change.page_id, digest, content, record)
        self.books.digest = DigestRecord(
            info.id, info.version, record.region, record.fingerprint, record.until, change.since
        )
        return "; ".join([f"{how}: {counts}", *self.detached])

    # --- the page ------------------------------------------------------------------------

    def _create(self, digest: Digest) -> tuple[PageInfo, str]:
        """A new page under the hub's home; a page of this title that holds our region (a
        create whose record was lost) is taken over when that loses nobody's words, and any
        other refuses the title."""
        hub, title = self.wanted.hub_key, page_title(digest)
        found = self.reader.find_page_by_title(hub, title)
        if found is not None:
            page = self.reader.get_page(found.id)
            region = scan_regions(page.body).regions.get(REGION)
            if region is None:
                raise ConfluenceSyncError(
                    f"space {hub} has a page titled {title!r} that is not a digest page",
                    hint="rename or move that page, then run digest --publish again",
                )
            content = to_storage(digest)
            wanted = region_hash(content, space=hub)
            if region_verdict(region.content, wanted, None, space=hub) == "wanted":
                return page.info, "taken over"
            self._may_take_over(page)
            return self._write(page, title, content), "taken over"
        home = self.books.homes.get(hub)
        if not home:
            raise ConfluenceSyncError(f"space {hub} has no home page to put the digest under")
        info = self.writer.create_page(
            hub,
            title,
            page_body(digest),
            parent_id=home,
            find_existing=lambda: self.reader.find_page_by_title(hub, title),
        )
        return info, "page created"

    def _update(
        self, page_id: str, digest: Digest, content: str, record: DigestRecord
    ) -> tuple[PageInfo, str, DigestRecord]:
        hub, title = self.wanted.hub_key, page_title(digest)
        before = self.books.digest
        listed = self.state.spaces[hub].listed.get(page_id)
        if (
            before is not None
            and listed is not None
            and before.region == record.region
            and before.version == listed.version
            and listed.title == title
        ):
            return listed, "unchanged", record  # nothing read: our last write stands
        page = self.reader.get_page(page_id)
        found = scan_regions(page.body)
        region = found.regions.get(REGION)
        if region is None:
            problem = found.problem(REGION)
            raise ConfluenceSyncError(
                f"the digest page {page.info.title!r} lost its region"
                + (f" ({problem.message})" if problem else ""),
                hint="restore it from the page history, or archive the page and run "
                "digest --publish for a new one",
            )
        recorded = before.region if before is not None else None
        verdict = region_verdict(region.content, record.region, recorded, space=hub)
        if verdict == "wanted" and page.info.title == title:
            return page.info, "unchanged", record
        if verdict == "edited" and not self.overwrite:
            # Kept. The fingerprint is recorded (no re-read each run) but not our region's
            # hash: the conflict is reported again when the digest next changes.
            editor = self._name(page.info.last_editor)
            self.books.digest = DigestRecord(
                page_id,
                before.version if before else 0,
                recorded or "",
                record.fingerprint,
                record.until,
                record.since,
            )
            raise ConflictError(
                f"digest page {page.info.title!r}",
                None,
                f"{editor} edited the digest region; kept as it is",
                hint="move those words below the region, or run sync --overwrite-conflicts",
            )
        return self._write(page, title, content), "page updated", record

    def _may_take_over(self, page: Page) -> None:
        """Without a record, the region's words are proven ours only when nobody but the sync
        account ever saved the page (as the sync's pages without a record are, see
        ``plan.page_changes.unrecorded_claim``); else a member's edit may be in it: kept."""
        if self.overwrite:
            return
        me = {i.casefold() for i in self.reader.self_identities()}
        others = sorted(e for e in self.reader.page_editors(page.info.id) if e.casefold() not in me)
        if me and not others:
            return
        who = ", ".join(self._name(e) for e in others) if me else "someone"
        raise ConflictError(
            f"digest page {page.info.title!r}",
            None,
            f"exists without a record in the hub's index and {who} saved it; kept as it is",
            hint="run digest --publish --overwrite-conflicts to rewrite its region (words below "
            "it stay)",
        )

    def _name(self, account: str) -> str:
        """Who edited, as people read it: a Cloud accountId looked up (one request, only for
        a conflict); a Data Center username is readable as it is."""
        if not account:
            return "someone"
        if self.reader.capabilities.flavour != "cloud":
            return account
        user = self.reader.resolve_user(account)
        return user.display_name if user is not None and user.display_name else account

    def _write(self, page: Page, title: str, content: str) -> PageInfo:
        hub = self.wanted.hub_key
        body, lost = rewrite_region(page.body, REGION, content, space=hub)
        # A member's inline comment on words the refresh replaced: named, as pages.py does.
        self.detached = [c.describe() for c in lost]
        message = "; ".join(["confluence-sync: digest", *self.detached])
        update = PageUpdate(page.info.id, title, body, page.info.version, message=message)

        def again(fresh: Page) -> PageUpdate | None:
            # A 409: written again only over the words we read (nobody saved in between).
            return update if fresh.info.version == page.info.version else None

        return self.writer.update_page(update, recheck=again)
