"""A meeting keeps its page when it moves, in both flavours, over real HTTP: with an ``id``
across a month boundary, and a generated one when the schedule's months move; without an
``id`` the plan says whose words the page it archives holds; and a wiki made before slots
and ids (meetings known by their month) is taken over with nothing made again."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from confluence_sync.plan.page_changes import ArchivePage
from confluence_sync.run import RunResult, load_wanted, sync_run
from confluence_sync.wanted.model import Wanted, WantedSpace

from .conftest import GROUP, Site

KICKOFF = "      - date: {date}\n        host: hansa-flex\n        title: Auftakt\n{id}"
WORDS = "Protokoll: Wir haben die Druckluftleckagen besprochen."
MINUTES = f"<p>{WORDS}</p>"  # the editor gives the paragraph a local-id when it saves


def kickoff(site: Site, date: str, *, named: bool) -> None:
    site.write_config(
        raw=site.config_text(KICKOFF.format(date=date, id="        id: kickoff\n" if named else ""))
    )


def meeting_pages(site: Site) -> dict[str, str]:
    return {i: t for i, t in site.titles(GROUP).items() if t[:4].isdigit()}


def write_minutes(site: Site, title: str) -> str:
    page = site.page(GROUP, title)
    site.member_save("cherm", page, page.body + MINUTES)
    return page.info.id


def changed(result: RunResult) -> dict[str, str]:
    """What a run changed (the manual step of Data Center's missing template API aside)."""
    return {r.item: r.status for r in result.results if r.status not in ("unchanged", "manual")}


def test_a_meeting_with_an_id_moved_to_another_month_keeps_its_page_and_minutes(
    site: Site,
) -> None:
    kickoff(site, "2026-01-28", named=True)
    assert site.sync().exit_code() == 0
    page_id = write_minutes(site, "2026-01-28 Auftakt")

    kickoff(site, "2026-02-04", named=True)
    result = site.sync()
    assert result.exit_code() == 0
    assert changed(result).get("page group/UPX/meeting/id/kickoff") == "updated"
    assert not [r for r in result.results if r.status in ("created", "archived")]
    assert meeting_pages(site) == {page_id: "2026-02-04 Auftakt"}
    moved = site.page(GROUP, "2026-02-04 Auftakt")
    assert WORDS in moved.body and "2026-02-04" in moved.body


def test_without_an_id_the_plan_names_whose_words_the_archived_page_holds(site: Site) -> None:
    kickoff(site, "2026-01-28", named=False)
    assert site.sync().exit_code() == 0
    page_id = write_minutes(site, "2026-01-28 Auftakt")

    kickoff(site, "2026-02-04", named=False)
    plan = site.plan().plan
    archive = [c for c in plan.changes if isinstance(c, ArchivePage)]
    assert [c.page_id for c in archive] == [page_id]
    # The member, the sync account left out; on Cloud looked up by accountId (as conflicts
    # are named; the local wiki's users are displayed by their username).
    assert archive[0].writers == ("cherm",)
    assert "holds text by cherm" in archive[0].reason
    assert site.accounts["cherm"] == "cherm" or site.accounts["cherm"] not in archive[0].reason
    assert "give it an id" in archive[0].reason


def test_a_generated_meeting_keeps_its_page_when_the_schedule_s_months_move(site: Site) -> None:
    text = site.config_text("      []\n").replace("    meetings:\n      []\n", SCHEDULE)
    site.write_config(raw=text)
    assert site.sync().exit_code() == 0
    before = meeting_pages(site)
    assert sorted(t[:10] for t in before.values()) == ["2026-03-12", "2026-09-10"]
    page_id = next(i for i, t in before.items() if t.startswith("2026-09-10"))
    write_minutes(site, before[page_id])

    site.write_config(raw=text.replace("months: [3, 9]", "months: [3, 10]"))
    result = site.sync()
    assert result.exit_code() == 0
    assert not [r for r in result.results if r.status in ("created", "archived")]
    after = meeting_pages(site)
    assert after.keys() == before.keys()
    assert after[page_id] == "2026-10-08" + before[page_id][10:]  # 2nd Thursday of October
    assert WORDS in site.page(GROUP, after[page_id]).body


SCHEDULE = """\
    schedule:
      months: [3, 9]
      horizon: 2
"""


def as_before_slots(wanted: Wanted) -> Wanted:
    """The wanted wiki as releases before slots and ids knew it: every meeting by its month."""

    def space(s: WantedSpace) -> WantedSpace:
        pages = tuple(
            replace(p, identity=p.formerly[0], formerly=()) if p.formerly else p for p in s.pages
        )
        return replace(s, pages=pages)

    return replace(wanted, spaces=tuple(space(s) for s in wanted.spaces))


def test_a_wiki_made_before_slots_is_taken_over_with_nothing_made_again(site: Site) -> None:
    text = site.config_text(KICKOFF.format(date="2026-03-12", id="")).replace(
        "    meetings:\n", SCHEDULE + "    meetings:\n"
    )
    site.write_config(raw=text)
    options = site.options()
    old = as_before_slots(load_wanted(site.path, options))
    assert any(p.identity.endswith("meeting/2026-03") for p in old.pages)
    assert sync_run(site.backend(), old, options).exit_code() == 0
    before = meeting_pages(site)
    assert len(before) == 2

    result = site.sync()
    assert result.exit_code() == 0
    statuses = changed(result)
    assert not [item for item, status in statuses.items() if status in ("created", "archived")]
    assert statuses["page group/UPX/meeting/slot/2026-1"] == "updated"  # its record moved
    assert meeting_pages(site) == before
    again = site.sync()
    assert changed(again) == {} and again.writes == 0


def test_a_page_recorded_for_a_past_slot_is_never_rewritten_into_another_meeting(
    site: Site,
) -> None:
    text = site.config_text("      []\n").replace("    meetings:\n      []\n", SCHEDULE)
    site.write_config(raw=text)
    options = replace(site.options(), today=dt.date(2026, 3, 1))
    assert sync_run(site.backend(), load_wanted(site.path, options), options).exit_code() == 0
    march = next(i for i, t in meeting_pages(site).items() if t.startswith("2026-03-12"))
    title = meeting_pages(site)[march]
    write_minutes(site, title)

    # After the March meeting the group meets once a year, in September.
    site.write_config(raw=text.replace("months: [3, 9]", "months: [9]"))
    later = replace(options, today=dt.date(2026, 3, 20))
    result = sync_run(site.backend(), load_wanted(site.path, later), later)
    assert result.exit_code() == 0
    pages = meeting_pages(site)
    assert pages[march] == title  # archived, not rewritten into the September meeting
    assert WORDS in site.page(GROUP, pages[march]).body
    archived = [c for c in result.plan.changes if isinstance(c, ArchivePage)]
    assert [c.page_id for c in archived] == [march] and archived[0].writers
