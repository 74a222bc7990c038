"""The digest's formats: German or English by the network, members' words escaped for each."""

from __future__ import annotations

import datetime as dt
import json

from confluence_sync.digest.assemble import GroupPages, assemble, references, with_names
from confluence_sync.digest.model import Digest
from confluence_sync.digest.render import md, to_html, to_json, to_markdown
from confluence_sync.digest.words import Language
from confluence_sync.wiki.values import Page, PageInfo

BODY = """<table><tbody></tbody></table>
<ac:structured-macro ac:name="details"><ac:rich-text-body><table><tbody>
<tr><th>Date</th><td><time datetime="2026-03-12" /></td></tr>
<tr><th>Host</th><td>A &amp; B &lt;script&gt;</td></tr>
<tr><th>Place</th><td>–</td></tr></tbody></table></ac:rich-text-body></ac:structured-macro>
<h2>Decisions</h2><p>*bold* [x](javascript:alert(1)) &lt;img src=x&gt;</p>
<h2>Action items</h2><ac:task-list><ac:task><ac:task-id>1</ac:task-id>
<ac:task-status>incomplete</ac:task-status><ac:task-body>Do it
<ac:link><ri:user ri:account-id="acc-1" /></ac:link> <time datetime="2026-04-01" />
</ac:task-body></ac:task></ac:task-list>"""


def page(page_id: str, title: str, body: str) -> Page:
    return Page(PageInfo(page_id, title, "NETG", None, 3), body)


def digest(language: Language = "en", day: dt.date = dt.date(2026, 5, 1)) -> Digest:
    group = GroupPages(
        "G",
        "Group <one>",
        "NETG",
        {
            "group/G/meeting/2026-03": ("1", "2026-03-12"),
            "group/G/meeting/2026-09": ("2", "2026-09-10"),
            "group/G/meeting/2025-01": ("3", "2025-01-01"),  # its page is gone
            "group/G/home": ("4", ""),
        },
        {
            "1": page("1", "Spring", BODY),
            "2": page("2", "Autumn", "<p>nothing yet</p>"),
            "4": page("4", "Home", "<p/>"),
        },
    )
    return assemble(
        "Net",
        language,
        [group],
        day=day,
        link=lambda s, i: f"https://wiki.example/{s}/{i}",
    )


def test_meetings_come_from_the_index_and_fall_into_held_and_upcoming() -> None:
    made = digest()
    (group,) = made.groups
    assert [m.title for m in group.held] == ["Spring"]
    assert [m.title for m in group.upcoming] == ["Autumn"]  # the day the index recorded
    assert references(made) == ["acc-1"]
    named = with_names(made, {"acc-1": "Ann <A>"})
    assert named.groups[0].held[0].recorded.tasks[0].assignee_name == "Ann <A>"
    totals = named.totals
    assert (totals.held, totals.upcoming, totals.decisions, totals.open, totals.overdue) == (
        1,
        1,
        1,
        1,
        1,
    )


def test_markdown_escapes_members_words_and_speaks_the_network_language() -> None:
    text = to_markdown(with_names(digest("de"), {"acc-1": "Ann <A>"}))
    assert text.startswith("# Bericht: Net")
    assert "\\*bold\\* \\[x\\](javascript:alert(1)) \\<img src=x\\>" in text
    assert "Ann \\<A\\>, fällig 2026-04-01 (**überfällig**)" in text
    assert "Ort:" not in text  # the template's dash means no place given
    assert "[Seite](https://wiki.example/NETG/1)" in text
    assert "\x1b" not in md("a\x1b[2Jb") and "\\x1b" in md("a\x1b[2Jb")


def test_html_escapes_everything_from_the_wiki() -> None:
    out = to_html(with_names(digest(), {"acc-1": "Ann <A>"}))
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<img" not in out and "Ann &lt;A&gt;" in out
    assert 'href="https://wiki.example/NETG/1"' in out
    assert out.count("<html") == 1 and "Group &lt;one&gt;" in out


def test_json_keeps_the_values() -> None:
    data = json.loads(to_json(digest(day=dt.date(2026, 3, 1))))
    meetings = data["groups"][0]["meetings"]
    assert [m["status"] for m in meetings] == ["upcoming", "upcoming"]
    assert meetings[0]["tasks"][0] == {
        "text": "Do it",
        "status": "open",
        "overdue": False,
        "assignee": "acc-1",
        "assignee_name": None,
        "due": "2026-04-01",
    }
    assert data["totals"]["meetings_held"] == 0


def test_since_leaves_out_meetings_held_before_it() -> None:
    group = digest().groups[0]
    later = assemble(
        "Net",
        "en",
        [
            GroupPages(
                "G",
                "G",
                "NETG",
                {"group/G/meeting/2026-03": ("1", "")},
                {"1": page("1", "S", BODY)},
            )
        ],
        day=dt.date(2026, 5, 1),
        since=dt.date(2026, 4, 1),
    )
    assert group.held and not later.groups[0].meetings


def test_an_online_address_a_member_typed_cannot_end_its_link_in_markdown() -> None:
    # The Online cell's href is the member's: a ">" or a space in it would close the autolink
    # and let what follows be markup.
    hostile = (
        '<tr><th>Online</th><td><a href="https://meet.example/x&gt;&lt;img src=x '
        'onerror=alert(1)&gt;[k](javascript:alert(2))">Link</a></td></tr>'
    )
    group = GroupPages(
        "G",
        "G",
        "NETG",
        {"group/G/meeting/2026-03": ("1", "2026-03-12")},
        {
            "1": page(
                "1", "Spring", BODY.replace("<tr><th>Place</th>", hostile + "<tr><th>Place</th>")
            )
        },
    )
    made = assemble("Net", "en", [group], day=dt.date(2026, 5, 1), link=lambda s, i: "")
    line = next(x for x in to_markdown(made).splitlines() if "Online:" in x)
    assert line.endswith(
        "Online: <https://meet.example/x%3E%3Cimg%20src=x%20onerror=alert%281%29%3E"
        "%5Bk%5D%28javascript:alert%282%29%29>"
    )
