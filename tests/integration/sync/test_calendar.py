"""The meetings calendar on both flavours, over real HTTP: the sync attaches one iCalendar file
to the hub home and one to the group home, uploads nothing on a no-op run, re-uploads exactly
the files a changed meeting is in, keeps a moved meeting's UID with a higher SEQUENCE, cancels a
dropped one, survives an upload whose answer was lost without a second attachment, and the
viewer lists the file with a download link that serves it."""

from __future__ import annotations

from typing import Any

import icalendar

from confluence_sync.localwiki.store.model import Attachment
from tests.viewer_login import viewer_session

from .conftest import GROUP, HUB, Site

HUB_FILE, GROUP_FILE = f"{HUB}-meetings.ics", f"{GROUP}-meetings.ics"
UPLOAD = "*/child/attachment*"


def home_id(site: Site, space: str) -> int:
    info = site.backend().reader.get_space(space)
    assert info is not None and info.homepage_id
    return int(info.homepage_id)


def attached(site: Site, space: str) -> list[Attachment]:
    return site.wiki.store.attachments(home_id(site, space))


def calendar(site: Site, space: str) -> Any:
    (found,) = attached(site, space)
    data = site.wiki.store.attachment_data(found.id)
    parsed = icalendar.Calendar.from_ical(data)
    assert parsed.to_ical() == data  # the library reads back exactly what was written
    return parsed


def events(site: Site, space: str) -> dict[str, Any]:
    return {str(e["SUMMARY"]): e for e in calendar(site, space).walk("VEVENT")}


def uploads(site: Site) -> list[str]:
    return [
        e["path"]
        for e in site.journal.entries()
        if e["method"] == "POST" and "/child/attachment" in e["path"]
    ]


def test_the_first_sync_attaches_the_network_and_the_group_calendar(site: Site) -> None:
    site.write_config()
    assert site.sync().exit_code() == 0
    assert [a.title for a in attached(site, HUB)] == [HUB_FILE]
    assert [a.title for a in attached(site, GROUP)] == [GROUP_FILE]
    hub, group = events(site, HUB), events(site, GROUP)
    assert set(hub) == set(group)  # one group: the network's file holds its meetings
    spring = group["Frühjahrstreffen bei HANSA-FLEX"]
    assert str(spring["UID"]) == "group/UPX/meeting/2026-03@puu.confluence-sync.invalid"
    assert spring["SEQUENCE"] == 0 and str(spring["STATUS"]) == "CONFIRMED"
    assert spring["DTSTART"].params.get("VALUE") == "DATE"  # no start time: all day
    assert str(spring["LOCATION"]) == "Bremen"
    assert "Betriebsrundgang" in str(spring["DESCRIPTION"])
    assert spring["UID"] == hub["Frühjahrstreffen bei HANSA-FLEX"]["UID"]


def test_a_no_op_sync_uploads_and_writes_nothing(site: Site) -> None:
    site.write_config()
    assert site.sync().exit_code() == 0
    site.journal.clear()
    result = site.sync()
    assert result.exit_code() == 0
    assert uploads(site) == []
    assert site.journal.counts().writes == 0
    assert not [r for r in result.results if r.kind == "calendar"]


def test_a_moved_meeting_keeps_its_uid_with_a_higher_sequence_in_both_files(site: Site) -> None:
    site.write_config(("2026-03-12", "2026-09-10"))
    assert site.sync().exit_code() == 0
    before = events(site, GROUP)["Frühjahrstreffen bei HANSA-FLEX"]
    site.write_config(("2026-03-19", "2026-09-10"))
    site.journal.clear()
    result = site.sync()
    assert result.exit_code() == 0
    assert len(uploads(site)) == 2  # the hub's file and the group's, nothing else
    assert {r.item for r in result.results if r.kind == "calendar"} == {
        f"calendar {HUB_FILE}",
        f"calendar {GROUP_FILE}",
    }
    for space in (HUB, GROUP):
        (attachment,) = attached(site, space)
        assert attachment.version == 2  # a new version of the one attachment
        moved = events(site, space)["Frühjahrstreffen bei HANSA-FLEX"]
        assert moved["UID"] == before["UID"]
        assert moved["SEQUENCE"] == before["SEQUENCE"] + 1
        assert moved["DTSTART"].dt.isoformat() == "2026-03-19"
    other = events(site, GROUP)["Treffen bei Deutsche See GmbH"]
    assert other["SEQUENCE"] == 0  # an unchanged meeting keeps its sequence
    site.journal.clear()
    assert site.sync().exit_code() == 0
    assert uploads(site) == []  # and the file stays as it is afterwards


def test_a_dropped_meeting_is_cancelled(site: Site) -> None:
    site.write_config(("2026-03-12", "2026-09-10"))
    assert site.sync().exit_code() == 0
    site.write_config(("2026-03-12",))
    assert site.sync(allow_removals=True).exit_code() == 0
    dropped = events(site, GROUP)["Treffen bei Deutsche See GmbH"]
    assert str(dropped["STATUS"]) == "CANCELLED"
    assert dropped["SEQUENCE"] == 1
    assert dropped["UID"] == "group/UPX/meeting/2026-09@puu.confluence-sync.invalid"


def test_an_upload_whose_answer_was_lost_is_not_sent_twice(site: Site) -> None:
    site.write_config(("2026-03-12",))
    rule = site.faults.add(f"commit-500:path={UPLOAD}:method=POST:count=1")
    assert site.sync().exit_code() == 0
    assert rule.fired == 1  # the first upload landed, its answer did not
    assert len(attached(site, HUB)) == 1 and len(attached(site, GROUP)) == 1
    assert all(a.version == 1 for a in attached(site, HUB) + attached(site, GROUP))
    # A changed file whose update lost its answer: found by name with our digest, not resent.
    site.write_config(("2026-03-12", "2026-09-10"))
    rule = site.faults.add(f"commit-500:path={UPLOAD}/data:method=POST:count=1")
    assert site.sync().exit_code() == 0
    assert rule.fired == 1
    assert [a.version for a in attached(site, HUB) + attached(site, GROUP)] == [2, 2]
    assert "Treffen bei Deutsche See GmbH" in events(site, HUB)


def test_the_viewer_lists_the_calendar_and_serves_it_for_download(site: Site) -> None:
    site.write_config()
    assert site.sync().exit_code() == 0
    browser = viewer_session(site.wiki.viewer_url)
    page = home_id(site, GROUP)
    shown = browser.get(f"{site.wiki.viewer_url}/pages/{page}", timeout=10)
    assert shown.status_code == 200
    link = f"/viewer/download/attachments/{page}/{GROUP_FILE}"
    assert f'href="{link}"' in shown.text and GROUP_FILE in shown.text
    # The home page's managed region links the attachment by its file name.
    assert f'ri:filename="{GROUP_FILE}"' in site.page(GROUP, _home_title(site)).body
    body = browser.get(site.wiki.root_url + link, timeout=10)
    assert body.status_code == 200 and body.headers["Content-Type"].startswith("text/calendar")
    assert body.content.startswith(b"BEGIN:VCALENDAR")
    # Confluence's own download address serves the same file.
    site_path = "/wiki" if site.cloud else ""
    same = browser.get(f"{site.wiki.root_url}{site_path}/download/attachments/{page}/{GROUP_FILE}")
    assert same.content == body.content
    # Nobody logged in, nothing to see.
    assert requests_get(site.wiki.root_url + link) == 404


def _home_title(site: Site) -> str:
    return site.titles(GROUP)[str(home_id(site, GROUP))]


def requests_get(url: str) -> int:
    import requests

    return requests.get(url, timeout=10).status_code
