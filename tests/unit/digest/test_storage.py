"""The published digest page: storage format Confluence takes (well-formed, one managed region),
members' words escaped, meeting pages linked by title, no tasks and no mentions of its own;
and when it goes stale by itself (a meeting's day, the day after a task was due)."""

from __future__ import annotations

import datetime as dt

from confluence_sync.digest.assemble import with_names
from confluence_sync.digest.freshness import fingerprint, stale_on
from confluence_sync.digest.storage import REGION, page_body, page_title, to_storage
from confluence_sync.wiki.regions import find_regions
from confluence_sync.wiki.storage import parse_storage

from .test_render import digest


def test_the_region_is_storage_format_with_members_words_as_text() -> None:
    made = with_names(digest("en"), {"acc-1": "Ann <A> & Co"})
    content = to_storage(made)
    parse_storage(content)  # well-formed, or Confluence would refuse the page
    assert "&lt;img src=x&gt;" in content and "<img" not in content
    assert "Ann &lt;A&gt; &amp; Co" in content
    assert "Group &lt;one&gt; (NETG)" in content
    # a meeting page by space and title, never by an address that changes with the site
    assert '<ri:page ri:space-key="NETG" ri:content-title="Spring" />' in content
    assert "wiki.example" not in content
    # no task of its own (task reports would count it twice) and nobody mentioned (notified)
    assert "<ac:task" not in content and "ri:user" not in content
    assert '[overdue] Do it — Ann &lt;A&gt; &amp; Co, due <time datetime="2026-04-01" />' in content


def test_a_new_page_holds_the_region_and_a_line_for_members_below_it() -> None:
    made = digest("de")
    body = page_body(made)
    parse_storage(body)
    assert REGION in find_regions(body)
    assert body.index("Eigene Notizen bitte unter diese Zeile") > body.index(
        "confluence-sync:end:digest"
    )
    assert page_title(made) == "Bericht: Net"
    assert page_title(digest("en")) == "Digest: Net"


def test_stale_on_the_next_meeting_day_or_the_day_after_a_due_date() -> None:
    # As of 1 May: the autumn meeting (10 Sep, from the index) is the next change.
    assert stale_on(digest(day=dt.date(2026, 5, 1))) == dt.date(2026, 9, 10)
    # As of 1 March: the spring meeting's day (12 Mar) comes before its task's due date.
    assert stale_on(digest(day=dt.date(2026, 3, 1))) == dt.date(2026, 3, 12)
    # As of 1 Oct: nothing lies ahead.
    assert stale_on(digest(day=dt.date(2026, 10, 1))) is None


def test_stale_the_day_after_an_open_task_is_due() -> None:
    # On 20 March the spring meeting is held and its task (due 1 April) still open.
    made = digest(day=dt.date(2026, 3, 20))
    assert stale_on(made) == dt.date(2026, 4, 2)


def test_the_fingerprint_changes_with_any_version_the_config_or_since() -> None:
    entries = [
        ("NETG", "group/G/meeting/2026-03", "1", 3),
        ("NETG", "group/G/meeting/2026-09", "2", 1),
    ]
    base = fingerprint("net", "", entries)
    assert base == fingerprint("net", "", list(reversed(entries)))  # order does not matter
    assert base != fingerprint("net", "", [entries[0], ("NETG", "group/G/meeting/2026-09", "2", 2)])
    assert base != fingerprint("other", "", entries)
    assert base != fingerprint("net", "2026-01-01", entries)
    assert base != fingerprint("net", "", entries[:1])
