"""Which recorded page is which meeting, when a meeting's identity is not the one its page
was recorded under: a slot whose meeting took place, a page recorded by its month before
slots and ids, a meeting that kept its day but changed identity. Observe calls
:func:`take_over_former` on the records it read, before anyone plans with them.

Imports: config (identities), wiki (values), state (ledger), wanted (model).
"""

from __future__ import annotations

from dataclasses import replace

from confluence_sync.config.identities import PageIdentity
from confluence_sync.state.ledger import PageRecord
from confluence_sync.wanted.model import WantedSpace
from confluence_sync.wiki.values import PageInfo


def take_over_former(
    space: WantedSpace, records: dict[str, PageRecord], archived: dict[str, PageInfo], today: str
) -> None:
    """Match recorded meeting pages to the meetings the config names now, moving records
    between identities (the new one says ``renamed_from``; its marker is rewritten):

    * a slot whose recorded meeting took place (its day is before ``today``) and is not the
      meeting the slot holds now (the schedule's months changed) keeps its page under the
      month identity of that day: the minutes of a past meeting never become another's page;
    * a wanted page with no record takes over one recorded under an identity it had before
      (``formerly``: a meeting's month, from the days before slots and ids), or one recorded
      for the same day in the same space that the config does not name any more.
    """
    for page in space.pages:
        record = records.get(page.identity)
        if page.identity.meeting_slot is None or record is None:
            continue  # an id is the admin's word: that page moves with its meeting
        if not page.day or not record.day or record.day == page.day:
            continue
        if record.day < today and (group := page.identity.group_key) is not None:
            year, month, _ = record.day.split("-")
            month_identity = PageIdentity.meeting(group, int(year), int(month))
            if month_identity not in records and space.page(month_identity) is None:
                _move(records, archived, page.identity, month_identity)
    for page in space.pages:
        if page.identity in records:
            continue
        same_day = [
            identity
            for identity, record in sorted(records.items())
            if page.day and record.day == page.day and space.page(identity) is None
        ]
        for old in (*page.formerly, *same_day):
            if old in records and space.page(old) is None:
                _move(records, archived, old, page.identity)
                break


def _move(
    records: dict[str, PageRecord], archived: dict[str, PageInfo], old: str, new: str
) -> None:
    records[new] = replace(records.pop(old), identity=new, renamed_from=old)
    if old in archived:
        archived[new] = archived.pop(old)
