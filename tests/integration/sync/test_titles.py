"""Titles as Confluence compares them, and pages someone archived in the wiki."""

from __future__ import annotations

import requests

from .conftest import GROUP, Site


def failures(result: object) -> list[str]:
    return [f"{r.item}: {r.reason}" for r in result.results if r.status == "failed"]  # type: ignore[attr-defined]


def test_titles_differing_by_sharp_s_are_two_pages(site: Site) -> None:
    """'Straße' and 'STRASSE' are two titles to Confluence (it lower-cases; ß stays ß)."""
    path = site.write_config(["2026-03-12"])
    text = path.read_text(encoding="utf-8")
    text = text.replace('name: Arbeitskreis „Umweltperspektiven"', "name: 2026-03-12 Straße")
    text = text.replace("title: Frühjahrstreffen bei HANSA-FLEX", "title: STRASSE")
    path.write_text(text, encoding="utf-8")
    first = site.sync()
    assert not failures(first), failures(first)
    titles = set(site.titles(GROUP).values())
    assert {"2026-03-12 Straße", "2026-03-12 STRASSE"} <= titles
    assert site.sync().writes == 0


def archive_as(site: Site, page_id: str, username: str) -> None:
    """The UI's Archive action (Cloud also has v1 POST /content/archive; DC has no REST)."""
    answer = requests.post(
        f"{site.wiki.root_url}/__localwiki/archive",
        json={"page_id": page_id, "username": username},
        auth=site.wiki.admin,
        timeout=10,
    )
    assert answer.status_code == 204, answer.text


def test_a_page_someone_archived_is_reported_and_left_archived(site: Site) -> None:
    site.write_config()
    site.sync()
    meeting = site.page(GROUP, "2026-09-10 Treffen bei Deutsche See GmbH")
    archive_as(site, meeting.info.id, "admin")
    for _run in range(2):
        result = site.sync()
        assert not failures(result), failures(result)
        lines = [r for r in result.results if r.item == "page group/UPX/meeting/2026-09"]
        assert len(lines) == 1, lines
        assert lines[0].status == "skipped" and "archived in the wiki" in lines[0].reason
    reader = site.backend().reader
    assert reader.get_page(meeting.info.id, any_status=True).info.status == "archived"
    assert meeting.info.title not in site.titles(GROUP).values()  # not created again
