"""The page-properties report (``detailssummary``) and the task report (``tasks-report-macro``)
rendered from the pages a WikiData holds, with the parameters our templates write."""

from __future__ import annotations

import re

from confluence_sync.localwiki.viewer.render import render_storage_html
from confluence_sync.localwiki.viewer.wikidata import PageInfo, Person

from .fakes import FakeWiki, details, macro, task, task_list

EVIL = '<img src=x onerror="alert(1)">'  # a title: plain text
EVIL_STORED = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"  # the same in storage

# As templates/common/macros.j2 writes the group home's meeting overview.
OVERVIEW = macro(
    "detailssummary",
    cql='label = "treffen" and space = "UPX"',
    headings="Datum,Gastgeber,Ort",
    firstcolumn="Treffen",
    sortBy="Datum",
    reverseSort="true",
    pageSize="30",
)
OPEN_TASKS = macro("tasks-report-macro", spaces="UPX", status="incomplete", pageSize="20")


def meeting(wiki: FakeWiki, day: str, host: str, place: str, **kw: str) -> PageInfo:
    facts = details(
        {"Datum": f'<time datetime="{day}" />', "Gastgeber": host, "Ort": place}, id="treffen"
    )
    return wiki.add(f"{day} Treffen bei {host}", f"<h2>Eckdaten</h2>{facts}", labels=["treffen"])


def rows(html: str) -> list[str]:
    """The rendered report's body rows, tags stripped to their words."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        " | ".join(re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td>(.*?)</td>", row))
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


def test_the_meeting_overview_lists_each_meeting_with_date_host_and_place() -> None:
    wiki = FakeWiki()
    march = meeting(wiki, "2026-03-12", "HANSA-FLEX AG", "Bremen")
    meeting(wiki, "2026-09-10", "ATLAS ELEKTRONIK GmbH", "Bremen")
    meeting(wiki, "2025-09-11", "thyssenkrupp", "Bremen")
    wiki.add("Treffen", "<p>kein Treffen</p>")  # no label, no properties: not listed
    html = wiki.render(OVERVIEW)
    assert "<thead><tr><th>Treffen</th><th>Datum</th><th>Gastgeber</th><th>Ort</th></tr>" in html
    assert rows(html) == [  # newest first: sortBy Datum, reverseSort
        "2026-09-10 Treffen bei ATLAS ELEKTRONIK GmbH | Do., 10. September 2026 | "
        "ATLAS ELEKTRONIK GmbH | Bremen",
        "2026-03-12 Treffen bei HANSA-FLEX AG | Do., 12. März 2026 | HANSA-FLEX AG | Bremen",
        "2025-09-11 Treffen bei thyssenkrupp | Do., 11. September 2025 | thyssenkrupp | Bremen",
    ]
    assert f'<a class="page-link" href="{march.href}">{march.title}</a>' in html
    assert wiki.queries == ['label = "treffen" and space = "UPX"']


def test_dates_sort_as_dates_and_pages_without_the_value_come_last() -> None:
    wiki = FakeWiki()
    wiki.add("ohne", details({"Ort": "x"}), labels=["treffen"])
    wiki.add("spät", details({"Datum": '<time datetime="2026-10-01" />'}), labels=["treffen"])
    wiki.add("früh", details({"Datum": '<time datetime="2026-02-01" />'}), labels=["treffen"])
    report = macro("detailssummary", cql='label = "treffen"', headings="Datum", sortBy="datum")
    assert [r.split(" | ")[0] for r in rows(wiki.render(report))] == ["früh", "spät", "ohne"]
    reverse = report.replace("</ac:structured-macro>", "") + (
        '<ac:parameter ac:name="reverseSort">true</ac:parameter></ac:structured-macro>'
    )
    assert [r.split(" | ")[0] for r in rows(wiki.render(reverse))] == ["spät", "früh", "ohne"]


def test_without_headings_every_key_is_a_column_and_the_title_heading_is_localised() -> None:
    wiki = FakeWiki()
    wiki.add("B", details({"Status": "offen", "Team": "Nord"}), labels=["x"])
    wiki.add("A", details({"Status": "fertig", "Budget": "5"}), labels=["x"])
    html = wiki.render(macro("detailssummary", cql="label = x"))
    assert "<th>Titel</th><th>Status</th><th>Team</th><th>Budget</th>" in html
    assert rows(html) == ["A | fertig |  | 5", "B | offen | Nord | "]  # by title by default
    assert "<th>Title</th>" in wiki.render(macro("detailssummary", cql="label = x"), language="en")


def test_the_report_id_picks_the_page_properties_of_that_id() -> None:
    wiki = FakeWiki()
    body = details({"Datum": "eins"}, id="treffen") + details({"Datum": "zwei"}, id="andere")
    wiki.add("Seite", body, labels=["x"])
    assert rows(wiki.render(macro("detailssummary", cql="label = x", id="andere"))) == [
        "Seite | zwei"
    ]
    assert rows(wiki.render(macro("detailssummary", cql="label = x"))) == ["Seite | eins"]


def test_hidden_page_properties_are_still_reported() -> None:
    wiki = FakeWiki()
    wiki.add("Seite", details({"Ort": "Bremen"}, hidden="true"), labels=["x"])
    assert rows(wiki.render(macro("detailssummary", cql="label = x"))) == ["Seite | Bremen"]


def test_a_horizontal_properties_table_is_read_by_columns() -> None:
    wiki = FakeWiki()
    table = (
        "<table><tbody><tr><th>Datum</th><th>Ort</th><th>Gastgeber</th></tr>"
        "<tr><td>heute</td><td>Bremen</td><td>HANSA</td></tr></tbody></table>"
    )
    wiki.add("Seite", macro("details", table), labels=["x"])
    html = wiki.render(macro("detailssummary", cql="label = x", headings="Ort,Gastgeber"))
    assert rows(html) == ["Seite | Bremen | HANSA"]


def test_page_size_limits_the_rows_and_says_how_many_there_are() -> None:
    wiki = FakeWiki()
    for n in range(5):
        wiki.add(f"Seite {n}", details({"Nr": str(n)}), labels=["x"])
    html = wiki.render(macro("detailssummary", cql="label = x", pageSize="2"))
    assert len(rows(html)) == 2 and "2 von 5 angezeigt." in html


def test_an_empty_or_broken_query_says_so() -> None:
    wiki = FakeWiki()
    assert "Keine Inhalte gefunden." in wiki.render(macro("detailssummary", cql="label = leer"))
    broken = wiki.render(macro("detailssummary", cql="label = = x"), language="en")
    assert "The report's query cannot be run: Could not parse cql : label = = x" in broken


def test_cells_of_other_pages_render_in_their_space_and_stay_escaped() -> None:
    wiki = FakeWiki()
    target = wiki.add("Ziel", space="OTHER")
    link = '<ac:link><ri:page ri:content-title="Ziel" /></ac:link>'
    wiki.add(
        f"Titel {EVIL}", details({"Link": link, "Ort": EVIL_STORED}), space="OTHER", labels=["x"]
    )
    html = wiki.render(macro("detailssummary", cql="label = x"), here=wiki.add("Heim"))
    assert f'<a class="page-link" href="{target.href}">Ziel</a>' in html
    assert "<img" not in html and "Titel &lt;img src=x" in html


def test_a_report_inside_a_reported_cell_is_not_rendered_again() -> None:
    wiki = FakeWiki()
    inner = macro("detailssummary", cql="label = x")
    wiki.add("A", details({"Bericht": inner}), labels=["x"])
    html = wiki.render(inner)
    assert "(ein Bericht in einem Bericht wird nicht angezeigt)" in html
    assert html.count("<table") == 1


def test_the_older_label_parameter_means_this_label_in_this_space() -> None:
    wiki = FakeWiki()
    wiki.add("Hier", details({"Ort": "a"}), labels=["x"])
    wiki.add("Dort", details({"Ort": "b"}), labels=["x"], space="OTHER")
    html = wiki.render(macro("detailssummary", label="x"), here=wiki.add("Heim"))
    assert rows(html) == ["Hier | a"]


def people() -> list[Person]:
    return [Person("Christian Herm", frozenset({"cherm", "key-cherm"}))]


def test_open_tasks_of_the_space_with_assignee_due_date_and_page() -> None:
    wiki = FakeWiki(people=people())
    mention = '<ac:link><ri:user ri:userkey="key-cherm" /></ac:link>'
    page = wiki.add(
        "2026-03-12 Treffen",
        task_list(
            task(f'Angebot {mention} bis <time datetime="2026-04-01" />'),
            task("erledigt", done=True, task_id="2"),
            task("später", task_id="3"),
        ),
    )
    wiki.add("Anderswo", task_list(task("fremd")), space="OTHER")
    html = wiki.render(OPEN_TASKS)
    assert (
        "<thead><tr><th>Beschreibung</th><th>Fälligkeitsdatum</th><th>Zugewiesen an</th>"
        "<th>Seite</th></tr></thead>"
    ) in html
    assert rows(html) == [
        " Angebot @Christian Herm bis Mi., 1. April 2026 | Mi., 1. April 2026 | Christian Herm "
        "| 2026-03-12 Treffen",
        " später |  |  | 2026-03-12 Treffen",  # undated tasks after dated ones
    ]
    assert f'<a class="page-link" href="{page.href}">2026-03-12 Treffen</a>' in html
    assert wiki.queries == ['(space in ("UPX"))']


def test_task_filters_status_assignees_labels_and_pages() -> None:
    wiki = FakeWiki(people=people())
    mention = '<ac:link><ri:user ri:username="cherm" /></ac:link>'
    first = wiki.add(
        "Eins",
        task_list(task(f"a {mention}"), task("b", done=True, task_id="2")),
        labels=["treffen"],
    )
    wiki.add("Zwei", task_list(task("c")))
    done = wiki.render(macro("tasks-report-macro", spaces="UPX", status="complete"))
    assert [r.split(" | ")[0] for r in rows(done)] == [" b"]
    mine = wiki.render(macro("tasks-report-macro", spaces="UPX", assignees="key-cherm"))
    assert [r.split(" | ")[0] for r in rows(mine)] == [" a @Christian Herm"]
    labelled = wiki.render(
        macro("tasks-report-macro", spaces="UPX", labels="treffen", status="all")
    )
    assert len(rows(labelled)) == 2
    by_page = wiki.render(macro("tasks-report-macro", pages=str(first.id)))
    assert [r.split(" | ")[0] for r in rows(by_page)] == [" a @Christian Herm"]


def test_task_columns_sorting_and_page_size() -> None:
    wiki = FakeWiki()
    wiki.add("B-Seite", task_list(task("x"), task("y", task_id="2")))
    wiki.add("A-Seite", task_list(task("z")))
    report = macro(
        "tasks-report-macro",
        spaces="UPX",
        columns="location,description",
        sortBy="location",
        pageSize="2",
    )
    html = render_storage_html(report, wiki=wiki, language="en")
    assert "<th>Task appears on</th><th>Description</th>" in html
    assert rows(html) == ["A-Seite |  z", "B-Seite |  x"]
    assert "Showing 2 of 3." in html


def test_no_tasks_says_so() -> None:
    assert "Keine Aufgaben gefunden." in FakeWiki().render(OPEN_TASKS)
