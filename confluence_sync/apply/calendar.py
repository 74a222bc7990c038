"""Applying the meetings calendar: the space's file uploaded to its home page, and what the
index records of it once it landed (the file's digest and attachment id, and for a group
space the records of its meetings), in the run's :class:`~confluence_sync.apply.books.Books`.

The home page is the one this run's books know (created a moment ago in the same space's
worker, or recorded before), else the space's home page. The upload itself — one request,
never a second attachment of the name — is the writer's (``backends.attachments``).

Imports: apply.books, backends.contract, errors, plan.calendar, wanted.model.
"""

from __future__ import annotations

from confluence_sync.apply.books import Books
from confluence_sync.backends.contract import WikiWriter
from confluence_sync.errors import ConfluenceSyncError
from confluence_sync.plan.calendar import AttachCalendar
from confluence_sync.wanted.model import Wanted


class CalendarWriter:
    """Uploads the calendar files of one run."""

    def __init__(self, wanted: Wanted, writer: WikiWriter, books: Books) -> None:
        self.wanted, self.writer, self.books = wanted, writer, books

    def _home(self, key: str) -> str:
        space = self.wanted.space(key)
        home = next((p for p in space.pages if p.home), None) if space else None
        record = self.books.records.get(key, {}).get(home.identity) if home else None
        page_id = record.page_id if record is not None else self.books.homes.get(key)
        if not page_id:
            raise ConfluenceSyncError(f"space {key} has no home page to attach the calendar to")
        return page_id

    def attach(self, key: str, change: AttachCalendar) -> str:
        attachment_id = self.writer.attach_file(
            self._home(key),
            change.filename,
            change.data,
            # the digest in the comment lets a retry recognise its own upload
            comment=f"confluence-sync {change.digest}",
            attachment_id=change.attachment_id,
        )
        # one space per worker: these keys are its own
        self.books.calendar_files[key] = (attachment_id, change.digest)
        if key != self.wanted.hub_key:
            self.books.calendar[key] = dict(change.records)
        return f"{len(change.data):,} bytes"
