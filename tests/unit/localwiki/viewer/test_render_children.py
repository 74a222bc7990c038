"""The Children Display macro (``children``) over a WikiData: which pages, how deep, in which
order — with the parameters our meetings and archive pages write."""

from __future__ import annotations

import re

from confluence_sync.localwiki.viewer.wikidata import PageInfo

from .fakes import FakeWiki, macro

EVIL = '<img src=x onerror="alert(1)">'


def titles(html: str) -> list[str]:
    return re.findall(r'<a class="page-link" href="[^"]*">([^<]*)</a>', html)


def meetings_page() -> tuple[FakeWiki, PageInfo]:
    wiki = FakeWiki()
    home = wiki.add("Heim")
    meetings = wiki.add("Treffen", parent=home)
    march = wiki.add("2026-03-12 Frühjahr", parent=meetings, created="2", modified="9")
    wiki.add("2025-09-11 Auftakt", parent=meetings, created="3", modified="1")
    wiki.add("Protokoll März", parent=march, created="4", modified="4")
    wiki.add("2026-09-10 Herbst", parent=meetings, created="1", modified="5")
    return wiki, meetings


def test_our_meetings_page_lists_all_meetings_newest_first_with_their_subpages() -> None:
    wiki, meetings = meetings_page()
    html = wiki.render(macro("children", all="true", sort="title", reverse="true"), here=meetings)
    assert titles(html) == [
        "2026-09-10 Herbst",
        "2026-03-12 Frühjahr",
        "Protokoll März",
        "2025-09-11 Auftakt",
    ]
    assert '<li><a class="page-link" href="/viewer/pages/102">2026-03-12 Frühjahr</a>' in html
    assert '<ul class="childpages"><li><a class="page-link" href="/viewer/pages/104">' in html


def test_one_level_in_manual_order_by_default() -> None:
    wiki, meetings = meetings_page()
    html = wiki.render(macro("children"), here=meetings)
    assert titles(html) == ["2026-03-12 Frühjahr", "2025-09-11 Auftakt", "2026-09-10 Herbst"]


def test_depth_first_and_the_date_sorts() -> None:
    wiki, meetings = meetings_page()
    two = wiki.render(macro("children", depth="2", sort="creation"), here=meetings)
    assert titles(two) == [
        "2026-09-10 Herbst",
        "2026-03-12 Frühjahr",
        "Protokoll März",
        "2025-09-11 Auftakt",
    ]
    first = wiki.render(
        macro("children", sort="modified", reverse="true", first="2"), here=meetings
    )
    assert titles(first) == ["2026-03-12 Frühjahr", "2026-09-10 Herbst"]


def test_the_page_parameter_names_another_parent_or_the_top_level() -> None:
    wiki, meetings = meetings_page()
    other = wiki.add("Anderswo", space="OTHER")
    wiki.add("Kind: mit Doppelpunkt", space="OTHER", parent=other)
    assert titles(wiki.render(macro("children", page="/"), here=meetings)) == ["Heim"]
    assert titles(wiki.render(macro("children", page="Treffen", first="1"), here=other)) == []
    named = wiki.render(macro("children", page="UPX:Treffen", first="1"), here=other)
    assert titles(named) == ["2026-03-12 Frühjahr"]
    assert titles(wiki.render(macro("children", page="OTHER:"), here=meetings)) == ["Anderswo"]
    colon = wiki.render(macro("children", page="Anderswo"), here=other)
    assert titles(colon) == ["Kind: mit Doppelpunkt"]


def test_no_children_shows_nothing() -> None:
    wiki = FakeWiki()
    archive = wiki.add("Archiv")
    assert wiki.render("<p>Archiv</p>" + macro("children", all="true"), here=archive) == (
        "<p>Archiv</p>"
    )


def test_child_titles_are_escaped() -> None:
    wiki = FakeWiki()
    parent = wiki.add("Eltern")
    wiki.add(f"Kind {EVIL}", parent=parent)
    html = wiki.render(macro("children"), here=parent)
    assert "<img" not in html and "Kind &lt;img src=x" in html
