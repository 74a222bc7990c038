"""Reading a meeting page back: what the templates write, then what members add, in the forms
both editors store (Cloud's task uuids and local ids, paragraphs inside list items)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from confluence_sync.config import load_config
from confluence_sync.digest.page import parse_meeting
from confluence_sync.digest.words import LABELS
from confluence_sync.wanted.build import build_wanted
from confluence_sync.wiki.storage import StorageFormatError

ROOT = Path(__file__).resolve().parents[3]
DAY = dt.date(2026, 1, 15)


def meeting_body(language: str, folder: Path) -> str:
    text = (ROOT / "config.example.yaml").read_text(encoding="utf-8")
    path = folder / f"network-{language}.yaml"
    path.write_text(text.replace("language: de", f"language: {language}"), encoding="utf-8")
    wanted = build_wanted(load_config(path, today=DAY), today=DAY)
    page = next(p for p in wanted.pages if p.identity.endswith("meeting/id/kickoff"))
    return page.body


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_page_as_the_sync_wrote_it_records_facts_and_nothing_else(
    language: str, tmp_path: Path
) -> None:
    recorded = parse_meeting(meeting_body(language, tmp_path))
    assert recorded.day == dt.date(2026, 1, 20)
    assert recorded.host.startswith("Druckerei")
    assert recorded.online == "https://meet.example/euk-kickoff"
    # Placeholders are instructions, not words: every organisation listed, nobody named.
    assert recorded.attendance and all(not a.names for a in recorded.attendance)
    assert recorded.decisions == () and recorded.tasks == ()


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_labels_read_are_the_ones_the_templates_write(language: str) -> None:
    template = (ROOT / "templates" / language / "meeting.j2").read_text(encoding="utf-8")
    labels = LABELS["de" if language == "de" else "en"]
    for heading in (labels.attendees, labels.minutes, labels.decisions, labels.tasks):
        assert f"<h2>{heading}</h2>" in template
    for row in (labels.date, labels.time, labels.host, labels.place, labels.online):
        assert f"<th>{row}</th>" in template


CLOUD_TASKS = """<h2>Action items</h2>
<ac:task-list ac:task-list-id="a1">
<ac:task><ac:task-id>7</ac:task-id><ac:task-uuid>u-1</ac:task-uuid>
<ac:task-status>complete</ac:task-status>
<ac:task-body><span>Send the <strong>minutes</strong></span>
<ac:link><ri:user ri:account-id="557058:abc" /></ac:link></ac:task-body></ac:task>
<ac:task><ac:task-id>8</ac:task-id><ac:task-status>incomplete</ac:task-status>
<ac:task-body>Book a room <time datetime="2026-05-02" /></ac:task-body></ac:task>
<ac:task><ac:task-id>9</ac:task-id><ac:task-status>incomplete</ac:task-status>
<ac:task-body><ac:placeholder>type here</ac:placeholder></ac:task-body></ac:task>
</ac:task-list>
<h2>Attendees</h2>
<ul><li><p>ACME &amp; Sons: Ann, Bo</p></li>
<li>Other: <ac:placeholder>add names</ac:placeholder></li></ul>
<h2>Decisions</h2>
<p>We buy &lt;green&gt; power.</p>
<p><ac:placeholder>What was decided?</ac:placeholder></p>
<ol><li>Second decision</li></ol>
<h2>Something else</h2>
<p>Not a decision.</p>"""


def test_members_words_as_the_editor_stores_them() -> None:
    recorded = parse_meeting(CLOUD_TASKS)
    assert [(t.text, t.done, t.assignee, t.due) for t in recorded.tasks] == [
        ("Send the minutes", True, "557058:abc", None),
        ("Book a room", False, "", dt.date(2026, 5, 2)),
    ]  # the empty task (a placeholder only) is left out, as the editors drop it
    assert [(a.organisation, a.names) for a in recorded.attendance] == [
        ("ACME & Sons", "Ann, Bo"),
        ("Other", ""),
    ]
    assert recorded.decisions == ("We buy <green> power.", "Second decision")


def test_a_data_center_mention_is_read_by_its_user_key() -> None:
    body = (
        "<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>incomplete"
        '</ac:task-status><ac:task-body>Call <ac:link><ri:user ri:userkey="8a7f" /></ac:link>'
        ' by <time datetime="2026-02-01" /></ac:task-body></ac:task></ac:task-list>'
    )
    (task,) = parse_meeting(body).tasks
    assert (task.text, task.assignee, task.due, task.done) == (
        "Call by",
        "8a7f",
        dt.date(2026, 2, 1),
        False,
    )
    assert task.overdue(dt.date(2026, 2, 2)) and not task.overdue(dt.date(2026, 2, 1))


def test_a_body_that_is_not_storage_format_is_named() -> None:
    with pytest.raises(StorageFormatError, match="page 'X'"):
        parse_meeting("<p>open", what="page 'X'")
