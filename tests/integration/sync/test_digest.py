"""``digest`` on both flavours, over HTTP: members write attendees, decisions and action items
into a meeting page the way the editor stores them (``/__localwiki/editor-save``), and the
digest shows them — assignee by name, due date, open or done — reading in bulk and writing
nothing (the local wiki's journal counts what reached it)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from confluence_sync.config import load_config
from confluence_sync.digest import render
from confluence_sync.digest.model import Digest, Meeting
from confluence_sync.run_digest import DigestDateError, digest_run
from confluence_sync.state.digest_read import read_digest
from confluence_sync.wanted.build import digest_source

from .conftest import GROUP, TODAY, Site

MEETING = "2026-03-12 Frühjahrstreffen bei HANSA-FLEX"
AFTER_SPRING = dt.date(2026, 6, 30)
ATTENDEES = "<li>HANSA-FLEX AG: <ac:placeholder>Namen eintragen</ac:placeholder></li>"
DECISIONS = "<p><ac:placeholder>Was wurde beschlossen?</ac:placeholder></p>"
SCAFFOLD = (
    "<p><ac:placeholder>Aufgaben: [] tippen, dann Aufgabe, @Person, //Datum</ac:placeholder></p>"
)


def mention(site: Site, name: str) -> str:
    """How each editor stores an @mention: Data Center by userKey, Cloud by accountId."""
    user = site.wiki.store.user_by_name(name)
    assert user is not None
    if site.cloud:
        return f'<ac:link><ri:user ri:account-id="{user.account_id}" /></ac:link>'
    return f'<ac:link><ri:user ri:userkey="{user.user_key}" /></ac:link>'


def task(number: int, status: str, words: str) -> str:
    return (
        f"<ac:task><ac:task-id>{number}</ac:task-id><ac:task-status>{status}</ac:task-status>"
        f"<ac:task-body>{words}</ac:task-body></ac:task>"
    )


def members_write(site: Site) -> None:
    """After the spring meeting: names, two decisions and three action items."""
    site.wiki.store.create_user("extern", "pw-extern", display_name="Erika Extern")
    page = site.page(GROUP, MEETING)
    first = f"Angebot für Abwärme &amp; Dämmung einholen {mention(site, 'sluedtke')} "
    third = f"Gutachten anfragen {mention(site, 'extern')} "
    tasks = (
        "<ac:task-list>"
        + task(1, "incomplete", first + '<time datetime="2026-04-01" />')
        + task(2, "complete", f"Protokoll verschicken {mention(site, 'cherm')}")
        + task(3, "incomplete", third + '<time datetime="2026-09-01" />')
        + "</ac:task-list>"
    )
    body = (
        page.body.replace(ATTENDEES, "<li>HANSA-FLEX AG: Christian Herm, Jana Ohm</li>")
        .replace(
            DECISIONS,
            "<ul><li>Wir messen die Abwärme ab Mai.</li>"
            "<li>Nächstes Treffen &lt;online&gt;.</li></ul>",
        )
        .replace(SCAFFOLD, tasks)
    )
    assert body != page.body
    site.member_save("sluedtke", page, body)


def spring(digest: Digest) -> Meeting:
    (group,) = digest.groups
    return next(m for m in group.meetings if m.title == MEETING)


def test_members_tasks_and_decisions_show_with_assignee_and_due_date(site: Site) -> None:
    site.write_config()
    site.sync()
    members_write(site)
    site.journal.clear()
    done = digest_run(site.path, settings=site.settings(), today=TODAY, until=AFTER_SPRING)

    meeting = spring(done.digest)
    assert meeting.held
    assert meeting.recorded.host == "HANSA-FLEX AG"
    assert [(a.organisation, a.names) for a in meeting.attended] == [
        ("HANSA-FLEX AG", "Christian Herm, Jana Ohm")
    ]
    assert meeting.recorded.decisions == (
        "Wir messen die Abwärme ab Mai.",
        "Nächstes Treffen <online>.",
    )
    shown = [(t.text, t.done, t.assignee_name, t.due) for t in meeting.recorded.tasks]
    # Contacts by the name the config gives them: on Cloud without a request (the mention is
    # the accountId the config names), on Data Center once the site said whose userKey it is.
    assert shown == [
        ("Angebot für Abwärme & Dämmung einholen", False, "Sabine Lüdtke", dt.date(2026, 4, 1)),
        ("Protokoll verschicken", True, "Christian Herm", None),
        ("Gutachten anfragen", False, "Erika Extern", dt.date(2026, 9, 1)),
    ]
    totals = done.digest.totals
    assert (totals.held, totals.upcoming, totals.decisions) == (1, 1, 2)
    assert (totals.open, totals.done, totals.overdue) == (2, 1, 1)

    # Reads only, and within the budget: 3 per space + 1 per 100 pages (2 spaces here).
    counts = site.journal.counts()
    assert counts.writes == 0 == done.writes
    assert counts.total == done.requests
    pages = sum(len(site.titles(key)) for key in ("PUU", GROUP))
    assert done.requests <= 3 * 2 + -(-pages // 100)

    text = render.to_markdown(done.digest)
    assert "Erika Extern, fällig 2026-09-01" in text
    assert "Nächstes Treffen \\<online\\>." in text  # a member's markup stays text
    assert "**überfällig**" in text
    page_html = render.to_html(done.digest)
    assert "&lt;online&gt;" in page_html and "<online>" not in page_html
    document = json.loads(render.to_json(done.digest))
    assert document["totals"]["tasks_overdue"] == 1


def test_since_and_until_choose_the_meetings(site: Site) -> None:
    site.write_config()
    site.sync()
    members_write(site)
    source = digest_source(load_config(site.path, today=TODAY))
    reader = site.backend().reader

    before, _read = read_digest(reader, source, day=TODAY)
    assert [m.held for m in before.groups[0].meetings] == [False, False]
    assert before.totals.held == 0 and before.totals.open == 0  # upcoming: not counted

    later, _read = read_digest(reader, source, day=dt.date(2026, 12, 31), since=dt.date(2026, 4, 1))
    assert [m.title for m in later.groups[0].held] == ["2026-09-10 Treffen bei Deutsche See GmbH"]
    assert later.totals.upcoming == 0 and later.totals.decisions == 0

    with pytest.raises(DigestDateError) as refused:
        digest_run(
            site.path,
            settings=site.settings(),
            today=TODAY,
            since=dt.date(2026, 7, 1),
            until=dt.date(2026, 6, 30),
        )
    assert refused.value.exit_code == 2
