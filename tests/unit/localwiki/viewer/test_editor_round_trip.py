"""The viewer's editor: a stored page opened as editor HTML, and what a browser sends back
written as storage — regions kept as stored, the member's words escaped, atoms by number."""

from __future__ import annotations

import re

import pytest

from confluence_sync.localwiki.rules.storage_format import normalise
from confluence_sync.localwiki.viewer.from_editor import storage_from_editor
from confluence_sync.localwiki.viewer.to_editor import OpenedPage, open_page


def anchor(kind: str, name: str) -> str:
    return (
        '<p><ac:structured-macro ac:name="anchor" ac:schema-version="1">'
        f'<ac:parameter ac:name="">confluence-sync:{kind}:{name}</ac:parameter>'
        "</ac:structured-macro></p>"
    )


FACTS = anchor("begin", "facts") + "<h2>Key facts</h2><p>Halle 3</p>" + anchor("end", "facts")
BODY = normalise(
    FACTS
    + "<h2>Minutes</h2><p><ac:placeholder>What was discussed?</ac:placeholder></p>"
    + '<p>See <ac:link><ri:user ri:username="cherm" /></ac:link> on '
    + '<time datetime="2026-03-12" /></p>'
    + "<ac:task-list><ac:task><ac:task-id>7</ac:task-id><ac:task-status>incomplete"
    "</ac:task-status><ac:task-body>Offer</ac:task-body></ac:task></ac:task-list>"
)
STORED_FACTS = BODY[: BODY.index("<h2>Minutes")]  # the region as stored (with its macro ids)


def opened(body: str = BODY) -> OpenedPage:
    return open_page(body, lambda storage: f"<em>preview of {len(storage)}</em>")


def member_html(page: OpenedPage) -> list[str]:
    return [part.html for part in page.parts if part.kind == "member"]


def test_a_region_is_kept_as_stored_and_the_member_parts_around_it_are_editable() -> None:
    page = opened()
    assert [(p.kind, p.name) for p in page.parts] == [
        ("member", ""),
        ("region", "facts"),
        ("member", ""),
    ]
    assert page.parts[1].source == STORED_FACTS
    html = member_html(page)[1]
    assert '<span class="text-placeholder" data-text="What was discussed?"' in html
    assert '<ul class="inline-task-list"><li data-inline-task-id="7">Offer</li></ul>' in html
    assert html.count('contenteditable="false"') == 2  # the mention and the date
    # Unchanged sections give back the page's words (the editor's save rewrites the rest).
    assert storage_from_editor(page, member_html(page)) == BODY


def test_typed_html_is_written_as_storage_and_escaped() -> None:
    page = opened()
    typed = (
        "<h2>Minutes</h2><p>We <b>talked</b> about &lt;script&gt; &amp; Co<br></p>"
        "<div>a new line</div><script>alert(1)</script><p><i>x</i><span style='color:red'>y</span>"
        '<a href="javascript:alert(1)">bad</a> <a href="https://example.org">good</a></p>'
    )
    body = storage_from_editor(page, ["", typed])
    assert body.startswith(STORED_FACTS)
    assert (
        "<p>We <strong>talked</strong> about &lt;script&gt; &amp; Co</p><p>a new line</p>" in body
    )
    assert "alert" not in body
    assert '<em>x</em>ybad <a href="https://example.org">good</a>' in body
    normalise(body)  # well-formed storage


def test_a_placeholder_stays_until_the_member_types_over_it() -> None:
    page = opened()
    kept = '<p><span class="text-placeholder" data-text="Hint" data-type="">Hint</span></p>'
    typed = '<p><span class="text-placeholder" data-text="Hint" data-type="">Mine</span></p>'
    assert "<p><ac:placeholder>Hint</ac:placeholder></p>" in storage_from_editor(page, ["", kept])
    assert "<p>Mine</p>" in storage_from_editor(page, ["", typed])


def test_atoms_come_back_from_the_stored_source_and_forged_ones_are_dropped() -> None:
    page = opened()
    mention = '<span class="atom" contenteditable="false" data-atom="0">@Christian</span>'
    forged = '<span class="atom" data-atom="99"><ac:structured-macro ac:name="html"/></span>'
    body = storage_from_editor(page, ["", f"<p>{mention} and {forged}</p>"])
    assert '<p><ac:link><ri:user ri:username="cherm" /></ac:link> and </p>' in body
    assert "html" not in body.split("</p>", 3)[-1]


def test_new_and_copied_tasks_get_fresh_ids_and_empty_tasks_are_dropped() -> None:
    page = opened()
    tasks = (
        '<ul class="inline-task-list"><li data-inline-task-id="7" class="checked">Offer</li>'
        '<li data-inline-task-id="7">Copied by Enter</li><li>New &amp; open</li><li><br></li></ul>'
    )
    body = storage_from_editor(page, ["", tasks])
    found = re.findall(
        r"<ac:task><ac:task-id>(\d+)</ac:task-id><ac:task-status>(\w+)</ac:task-status>"
        r"<ac:task-body>(.*?)</ac:task-body></ac:task>",
        body,
    )
    assert found == [
        ("7", "complete", "Offer"),
        ("8", "incomplete", "Copied by Enter"),
        ("9", "incomplete", "New &amp; open"),
    ]


def test_a_marker_without_its_partner_is_kept_as_a_part_of_the_member_text() -> None:
    body = normalise(anchor("begin", "lonely") + "<p>words</p>")
    page = opened(body)
    assert [p.kind for p in page.parts] == ["member"]
    assert storage_from_editor(page, member_html(page)) == body


def test_the_number_of_sections_must_match_the_page() -> None:
    with pytest.raises(ValueError, match="expected 2 member section"):
        storage_from_editor(opened(), ["<p>only one</p>"])
