"""``digest --publish`` on both flavours, over HTTP: the digest becomes a page on the hub that
every later sync keeps current — when members write into a meeting page, when the sync moves a
meeting, when the day makes a meeting held — and a sync with nothing new reads and writes
nothing more for it. Members' words around its region stay; an edit inside it is a conflict,
kept. Archived by hand, it is no longer refreshed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from confluence_sync.run import RunOptions, RunResult, load_wanted, sync_run
from confluence_sync.run_digest import Published, publish_run
from confluence_sync.state import ledger_store
from confluence_sync.wiki.values import Page

from .conftest import GROUP, HUB, TODAY, Site
from .test_digest import AFTER_SPRING, MEETING, members_write

TITLE = "Bericht: Partnerschaft Umwelt Unternehmen"
DECISION = "Wir messen die Abwärme ab Mai."


def sync_on(site: Site, day: dt.date, **kw: Any) -> RunResult:
    options = RunOptions(today=day, workers=2, self_accounts=(site.wiki.admin[0],), **kw)
    return sync_run(site.backend(), load_wanted(site.path, options), options)


def publish(site: Site, day: dt.date = AFTER_SPRING, **kw: Any) -> Published:
    return publish_run(site.path, settings=site.settings(), today=day, **kw)


def digest_page(site: Site) -> Page:
    return site.page(HUB, TITLE)


def refreshed(result: RunResult) -> list[tuple[str, str]]:
    return [(r.status, r.reason) for r in result.results if r.kind == "digest"]


def ready(site: Site) -> RunResult:
    """A synced network whose members wrote into the spring meeting, synced once more as of
    the summer (the spring meeting held): what a no-op run costs before any digest."""
    site.write_config()
    site.sync()
    members_write(site)
    sync_on(site, AFTER_SPRING)
    baseline = sync_on(site, AFTER_SPRING)
    assert baseline.writes == 0
    return baseline


def test_published_page_shows_members_work_and_a_no_op_sync_costs_nothing_more(
    site: Site,
) -> None:
    baseline = ready(site)
    done = publish(site)
    assert done.result.exit_code() == 0
    assert done.outcome.startswith("refreshed: page created: 1 held, 1 upcoming, 2 decisions")
    assert done.digest is not None and done.digest.totals.open == 2

    page = digest_page(site)
    home = site.page(HUB, "Partnerschaft Umwelt Unternehmen")
    assert page.info.parent_id == home.info.id
    body = page.body
    assert DECISION in body and "Nächstes Treffen &lt;online&gt;." in body
    assert "Erika Extern" in body and "Sabine Lüdtke" in body
    assert f'ri:content-title="{MEETING}"' in body
    assert "<ac:task" not in body and "ri:user" not in body  # no task, nobody notified
    index = ledger_store.read(site.backend().reader, HUB).index
    assert index.digest is not None and index.digest.page_id == page.info.id

    # The next sync: the digest's record is in the index it reads anyway; nothing more.
    again = sync_on(site, AFTER_SPRING)
    assert again.writes == 0 and refreshed(again) == []
    assert again.requests == baseline.requests


def test_a_member_edit_refreshes_the_page_once_and_words_below_it_stay(site: Site) -> None:
    ready(site)
    publish(site)
    page = digest_page(site)
    site.member_save("netzwerkbuero", page, page.body + "<p>Notiz vom Vorstand</p>")
    spring = site.page(GROUP, MEETING)
    site.member_save("sluedtke", spring, spring.body.replace(DECISION, "Wir messen ab Juni."))

    result = sync_on(site, AFTER_SPRING)
    assert result.exit_code() == 0
    assert [s for s, _ in refreshed(result)] == ["refreshed"]
    body = digest_page(site).body
    assert "Wir messen ab Juni." in body and DECISION not in body
    assert "Notiz vom Vorstand" in body

    after = sync_on(site, AFTER_SPRING)
    assert after.writes == 0 and refreshed(after) == []


def test_the_sync_moving_a_meeting_refreshes_the_page_in_the_same_run(site: Site) -> None:
    ready(site)
    publish(site)
    site.write_config(("2026-03-19", "2026-09-10"))  # the spring meeting a week later
    result = sync_on(site, AFTER_SPRING)
    assert result.exit_code() == 0
    assert [s for s, _ in refreshed(result)] == ["refreshed"]
    assert '<time datetime="2026-03-19" />' in digest_page(site).body

    after = sync_on(site, AFTER_SPRING)
    assert after.writes == 0 and refreshed(after) == []


def test_the_day_a_meeting_is_held_refreshes_the_page(site: Site) -> None:
    site.write_config()
    site.sync()
    done = publish(site, TODAY)
    assert done.digest is not None and done.digest.totals.held == 0
    assert sync_on(site, TODAY).writes == 0  # nothing new
    result = sync_on(site, dt.date(2026, 3, 12))  # the spring meeting's day
    (status, why), *_ = refreshed(result)
    assert status == "refreshed" and "1 held" in why


def test_an_edit_inside_the_region_is_a_conflict_kept_until_overwritten(site: Site) -> None:
    ready(site)
    publish(site)
    page = digest_page(site)
    site.member_save("netzwerkbuero", page, page.body.replace(DECISION, "Von Hand geändert."))
    spring = site.page(GROUP, MEETING)
    site.member_save("sluedtke", spring, spring.body.replace(DECISION, "Wir messen ab Juni."))

    result = sync_on(site, AFTER_SPRING)
    assert [s for s, _ in refreshed(result)] == ["conflict"]
    assert "edited the digest region; kept" in refreshed(result)[0][1]
    assert "netzwerkbuero" in refreshed(result)[0][1]  # by name, on Cloud too
    assert "Von Hand geändert." in digest_page(site).body
    # Not read again on every run: the next one, with nothing new, costs nothing.
    quiet = sync_on(site, AFTER_SPRING)
    assert quiet.writes == 0 and refreshed(quiet) == []

    forced = sync_on(site, AFTER_SPRING, overwrite_conflicts=True)
    assert [s for s, _ in refreshed(forced)] == ["refreshed"]
    body = digest_page(site).body
    assert "Von Hand geändert." not in body and "Wir messen ab Juni." in body
    assert sync_on(site, AFTER_SPRING).writes == 0


def test_an_archived_page_is_no_longer_refreshed(site: Site) -> None:
    ready(site)
    publish(site)
    site.wiki.store.archive_page(int(digest_page(site).info.id))
    result = sync_on(site, AFTER_SPRING)
    assert refreshed(result) == [
        ("refreshed", "record dropped: digest --publish makes the page again")
    ]
    assert ledger_store.read(site.backend().reader, HUB).index.digest is None
    assert sync_on(site, AFTER_SPRING).writes == 0


def test_since_is_kept_for_later_syncs(site: Site) -> None:
    ready(site)
    done = publish(site, since=dt.date(2026, 4, 1))
    assert done.digest is not None and done.digest.totals.held == 0  # spring is before it
    index = ledger_store.read(site.backend().reader, HUB).index
    assert index.digest is not None and index.digest.since == "2026-04-01"
    result = sync_on(site, dt.date(2026, 9, 10))  # the autumn meeting is held
    assert [s for s, _ in refreshed(result)] == ["refreshed"]
    assert "1 held" in refreshed(result)[0][1]
