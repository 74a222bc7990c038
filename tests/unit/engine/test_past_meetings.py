"""A generated meeting whose day has passed keeps its page: the config did not remove it.

Before, a past slot dropped out of the wanted set the day after the meeting, and its minutes
page was archived as "no longer in the config"; runs either side of midnight flipped it."""

from __future__ import annotations

import datetime as dt

from confluence_sync.config import load_config_text
from confluence_sync.config.identities import PageIdentity
from confluence_sync.plan.page_changes import ArchivePage
from confluence_sync.wanted.build import build_wanted
from confluence_sync.wanted.model import Wanted
from tests.unit.config.conftest import NETWORK_HEAD

from .conftest import sync
from .fake import FakeWiki

CONFIG = (
    NETWORK_HEAD
    + """\
working_groups:
  - key: UPX
    name: Arbeitskreis Umweltperspektiven
    lead: christian.herm@hansa-flex.example
    members: [hansa-flex, deutsche-see]
    schedule:
      months: [3, 9]
      horizon: 2
"""
)
MEETING_DAY = dt.date(2026, 3, 12)  # the second Thursday of March 2026
MARCH = "group/UPX/meeting/slot/2026-1"  # the first listed month of 2026


def wanted_on(today: dt.date, text: str = CONFIG) -> Wanted:
    config = load_config_text(text, today=today)
    return build_wanted(config, today=today).without_template_api()


def test_the_schedule_s_slots_are_the_listed_months_from_its_first_slot_on() -> None:
    space = wanted_on(MEETING_DAY).spaces[1]
    assert space.slots is not None and space.slots.first == (2000, 3)  # no start: March 2000
    for month, kept in ((3, True), (9, True), (4, False)):
        assert space.kept_as_is(PageIdentity.meeting("UPX", 2027, month)) is kept
    for year, number, kept in (
        (2027, 1, True),
        (2027, 2, True),
        (2027, 3, False),
        (1999, 1, False),
    ):
        assert space.kept_as_is(PageIdentity.slot_meeting("UPX", year, number)) is kept
    assert not space.kept_as_is(PageIdentity.group("UPX", "members"))


def test_the_minutes_page_stays_across_midnight_after_the_meeting() -> None:
    wiki = FakeWiki()
    before = wanted_on(MEETING_DAY)
    assert any(p.identity == MARCH for s in before.spaces for p in s.pages)
    sync(wiki, before)
    group_key = before.spaces[1].key
    minutes = next(p for p in wiki.list_pages(group_key) if p.title.startswith("2026-03-12"))
    parent = minutes.parent_id
    for day in (MEETING_DAY + dt.timedelta(days=1), MEETING_DAY, MEETING_DAY + dt.timedelta(2)):
        after = wanted_on(day)
        plan, results = sync(wiki, after)
        assert not [c for c in plan.changes if isinstance(c, ArchivePage)], day
        page = next(p for p in wiki.list_pages(group_key) if p.id == minutes.id)
        assert page.parent_id == parent
        assert not [r for r in results if r.item == f"page {MARCH}" and r.status != "unchanged"]


def test_a_meeting_the_config_really_removed_is_archived() -> None:
    wiki = FakeWiki()
    sync(wiki, wanted_on(MEETING_DAY))
    # The schedule no longer lists March: the past March page is no slot any more.
    moved = CONFIG.replace("months: [3, 9]", "months: [9]")
    plan, _ = sync(wiki, wanted_on(MEETING_DAY + dt.timedelta(days=1), moved))
    # The past March page keeps its page under its month (no slot holds it now) and is
    # archived; the September page is the meeting of the same day: the only slot of 2026 now.
    archived = [c.identity for c in plan.changes if isinstance(c, ArchivePage)]
    assert archived == ["group/UPX/meeting/2026-03"]
    group = wanted_on(MEETING_DAY).spaces[1].key
    september = [p for p in wiki.list_pages(group) if p.title.startswith("2026-09-10")]
    assert len(september) == 1
