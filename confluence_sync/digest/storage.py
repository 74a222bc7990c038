"""The digest as Confluence storage format: the region ``digest`` of the page ``digest
--publish`` keeps on the hub, and the page around it.

Every text from the wiki or the config is escaped (``html.escape``, control characters shown
as ``\\xNN``), so a member's words cannot add markup to the page. Meeting pages are linked by
space key and title (``ri:page``: Confluence follows a rename), never by an address. Two
things a report page must not do: hold ``ac:task`` elements (they would be tasks of their own,
counted twice in every task report) or mention accounts (``ri:user`` notifies the person on
every save): an action item is a list item with its state in words and its assignee's name.

Imports: digest (model, words, render), wiki (regions).
"""

from __future__ import annotations

from typing import Final

from confluence_sync.digest.model import Digest, Group, Meeting, Task
from confluence_sync.digest.render import escape, heading, printable, totals_table
from confluence_sync.digest.words import WORDING, Wording
from confluence_sync.wiki.regions import wrap_region

REGION: Final = "digest"


_h = escape


def _web(url: str) -> str:
    if url.startswith(("https://", "http://")) and printable(url) == url:
        return f'<a href="{_h(url)}">{_h(url)}</a>'
    return _h(url)


def _page(meeting: Meeting, space: str, text: str) -> str:
    return (
        f'<ac:link><ri:page ri:space-key="{_h(space)}" ri:content-title="{_h(meeting.title)}" />'
        f"<ac:link-body>{_h(text)}</ac:link-body></ac:link>"
    )


def _day(meeting: Meeting) -> str:
    return f'<time datetime="{meeting.day.isoformat()}" />'


def page_title(digest: Digest) -> str:
    """The digest page's title: the digest's own ("Bericht: …" / "Digest: …")."""
    return WORDING[digest.language].title.format(network=digest.network)


def page_body(digest: Digest) -> str:
    """A new digest page: the region, then a paragraph that is the members' (below it they
    write what stays)."""
    note = WORDING[digest.language].refreshed
    return wrap_region(REGION, to_storage(digest)) + f"<p><em>{_h(note)}</em></p>"


def to_storage(digest: Digest) -> str:
    """The region's content: a subtitle, the totals, per group its held and upcoming meetings."""
    w = WORDING[digest.language]
    day = digest.day.isoformat()
    when = (
        w.as_of.format(day=day)
        if digest.since is None
        else w.period.format(since=digest.since.isoformat(), until=day)
    )
    out = [f"<p>{_h(when)}</p>", totals_table(digest, w)]
    for group in digest.groups:
        out += _group(group, digest, w)
    return "".join(out)


def _group(group: Group, digest: Digest, w: Wording) -> list[str]:
    out = [f"<h2>{_h(group.name)} ({_h(group.space_key)})</h2><h3>{_h(w.held)}</h3>"]
    out += [_held(m, group.space_key, digest, w) for m in group.held] or [f"<p>{_h(w.none)}</p>"]
    out.append(f"<h3>{_h(w.upcoming)}</h3>")
    if not group.upcoming:
        return [*out, f"<p>{_h(w.none)}</p>"]
    out.append("<ul>")
    for meeting in group.upcoming:
        facts = _facts(meeting, w)
        link = _page(meeting, group.space_key, heading(meeting))
        out.append(f"<li>{_day(meeting)} {link}{' · ' + facts if facts else ''}</li>")
    return [*out, "</ul>"]


def _facts(meeting: Meeting, w: Wording) -> str:
    r = meeting.recorded
    parts = [f"{_h(w.host)}: {_h(r.host)}" if r.host else ""]
    parts.append(f"{_h(w.place)}: {_h(r.place)}" if r.place else "")
    parts.append(f"{_h(w.online)}: {_web(r.online)}" if r.online else "")
    return " · ".join(p for p in parts if p)


def _held(meeting: Meeting, space: str, digest: Digest, w: Wording) -> str:
    facts = _facts(meeting, w)
    out = [f"<h4>{_page(meeting, space, heading(meeting))}</h4>"]
    out.append(f"<p>{_day(meeting)}{' · ' + facts if facts else ''}</p>")
    attended = "; ".join(
        _h(f"{a.organisation}: {a.names}" if a.organisation else a.names) for a in meeting.attended
    )
    out.append(f"<p><strong>{_h(w.attendance)}:</strong> {attended or _h(w.no_attendance)}</p>")
    decisions = meeting.recorded.decisions
    out.append(f"<p><strong>{_h(w.decisions)}:</strong>{'' if decisions else ' ' + _h(w.none)}</p>")
    if decisions:
        out.append("<ul>" + "".join(f"<li>{_h(d)}</li>" for d in decisions) + "</ul>")
    tasks = meeting.recorded.tasks
    out.append(f"<p><strong>{_h(w.tasks)}:</strong>{'' if tasks else ' ' + _h(w.none)}</p>")
    if tasks:
        out.append("<ul>" + "".join(_task(t, digest, w) for t in tasks) + "</ul>")
    return "".join(out)


def _task(task: Task, digest: Digest, w: Wording) -> str:
    state = w.done if task.done else (w.overdue if task.overdue(digest.day) else w.open)
    who = (
        w.unassigned
        if not task.assignee
        else (task.assignee_name or f"{w.unknown_user} {task.assignee}")
    )
    due = f', {_h(w.due)} <time datetime="{task.due.isoformat()}" />' if task.due else ""
    return f"<li>[{_h(state)}] {_h(task.text or '–')} — {_h(who)}{due}</li>"
