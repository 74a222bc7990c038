"""What the constructs our templates write look like in the viewer: page properties, anchors,
instructional text, dates and task lists — as Confluence shows them in view mode."""

from __future__ import annotations

import pytest

from confluence_sync.localwiki.viewer.render import render_storage_html as render
from confluence_sync.localwiki.viewer.wikidata import Person

from .fakes import FakeWiki, details, macro, task, task_list

EVIL = '<img src=x onerror="alert(1)">'
EVIL_STORED = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"  # as it sits in storage


def test_page_properties_show_their_table_and_no_macro_box() -> None:
    html = render(details({"Datum": '<time datetime="2026-03-12" />', "Ort": "Bremen"}))
    assert '<div class="page-properties">' in html
    assert "<th>Datum</th><td><time" in html and "<th>Ort</th><td>Bremen</td>" in html
    assert "macro-label" not in html and "Page properties" not in html


def test_hidden_page_properties_are_not_on_the_page() -> None:
    html = render("<p>vorher</p>" + details({"Datum": "x"}, hidden="true") + "<p>nachher</p>")
    assert html == "<p>vorher</p><p>nachher</p>"


def test_an_anchor_is_only_an_invisible_target() -> None:
    anchor = (
        '<p><ac:structured-macro ac:name="anchor" ac:schema-version="1" ac:macro-id="x">'
        '<ac:parameter ac:name="">confluence-sync:begin:facts</ac:parameter>'
        "</ac:structured-macro></p>"
    )
    html = render(anchor)
    assert html == '<p><a class="anchor" id="confluence-sync:begin:facts"></a></p>'
    assert "Macro" not in html


def test_an_anchor_name_is_attribute_escaped() -> None:
    html = render(macro("anchor", **{"": f'a"{EVIL_STORED}'}))
    assert 'id="a&quot;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"' in html
    assert "<img" not in html


@pytest.mark.parametrize(
    "body",
    [
        "<li>HANSA-FLEX AG: <ac:placeholder>Namen eintragen</ac:placeholder></li>",
        "<p><ac:placeholder>Was wurde besprochen?</ac:placeholder></p>",
        '<p><ac:placeholder ac:type="mention">Person</ac:placeholder></p>',
    ],
)
def test_instructional_text_is_not_shown_in_view_mode(body: str) -> None:
    html = render(body)
    for words in ("Namen eintragen", "Was wurde besprochen", "Person", "placeholder"):
        assert words not in html


@pytest.mark.parametrize(
    ("language", "shown"),
    [("de", "Do., 12. März 2026"), ("en", "Thu, Mar 12, 2026"), ("fr", "Thu, Mar 12, 2026")],
)
def test_a_date_lozenge_shows_the_date_in_the_readers_language(language: str, shown: str) -> None:
    html = render('<p>Datum: <time datetime="2026-03-12" /></p>', language=language)
    assert f'<time datetime="2026-03-12">{shown}</time>' in html


def test_weekday_and_month_names_in_german() -> None:
    html = render('<time datetime="2026-02-01" /><time datetime="2026-12-28" />', language="de")
    assert "So., 1. Februar 2026" in html and "Mo., 28. Dezember 2026" in html


def test_a_date_that_is_no_date_is_shown_as_written_and_escaped() -> None:
    html = render('<p><time datetime="bald &lt;b&gt;" /></p>', language="de")
    assert '<time datetime="bald &lt;b&gt;">bald &lt;b&gt;</time>' in html


def test_tasks_show_check_state_assignee_and_due_date() -> None:
    wiki = FakeWiki(people=[Person("Christian Herm", frozenset({"cherm"}))])
    body = task_list(
        task(
            'Angebot einholen <ac:link><ri:user ri:username="cherm" /></ac:link> '
            'bis <time datetime="2026-04-01" />',
            task_id="7",
        ),
        task("Raum gebucht", done=True, task_id="8"),
    )
    html = wiki.render(body)
    assert (
        '<li class="task task-incomplete" data-task-id="7"><input type="checkbox" disabled> '
        'Angebot einholen <span class="mention">@Christian Herm</span> '
        'bis <time datetime="2026-04-01">Mi., 1. April 2026</time></li>'
    ) in html
    assert 'data-task-id="8"><input type="checkbox" disabled checked> Raum gebucht' in html


def test_a_task_of_instructional_text_only_is_an_empty_open_task() -> None:
    html = render(task_list(task("<ac:placeholder>Aufgabe, @Person, bis Datum</ac:placeholder>")))
    assert html == (
        '<ul class="tasks"><li class="task task-incomplete" data-task-id="1">'
        '<input type="checkbox" disabled> </li></ul>'
    )


def test_a_task_id_is_attribute_escaped() -> None:
    html = render(task_list(task("x", task_id='1" onclick="evil()')))
    assert 'data-task-id="1&quot; onclick=&quot;evil()"' in html


def test_page_properties_cells_keep_escaping() -> None:
    html = render(details({f"Ort {EVIL_STORED}": f"Halle {EVIL_STORED}"}))
    assert "<img" not in html and "Halle &lt;img src=x" in html
