"""The digest as Markdown, JSON or HTML, in the network's language (``words.WORDING``).

Every text from the wiki is escaped for the format it lands in: Markdown's punctuation and
HTML's ``<&>"'`` (``html.escape``), control characters shown as ``\\xNN`` in both, so a
member's words can neither inject markup nor move a terminal's cursor. Links are written only
when they are http(s) addresses.

Imports: digest (model, words).
"""

from __future__ import annotations

import html
import json
import re
from typing import Final

from confluence_sync.digest.model import Digest, Group, Meeting, Task
from confluence_sync.digest.words import WORDING, Wording

_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# What can make markup in running text (no user text starts a line here, so list and
# heading markers cannot): emphasis, code, links and images, raw HTML, table cells.
_MARKDOWN: Final = re.compile(r"([\\`*_\[\]<>|~])")
_URL_UNSAFE: Final = re.compile(r"[\s<>\"'()\[\]\\`]")  # ends <…> or (…), or starts markup


def printable(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def md(text: str) -> str:
    """``text`` safe inside Markdown: punctuation backslash-escaped, controls shown."""
    return _MARKDOWN.sub(r"\\\1", printable(text))


def _web(url: str) -> bool:
    return url.startswith(("https://", "http://")) and not _CONTROL.search(url)


def md_url(url: str) -> str:
    """A web address inside ``<…>`` or ``(…)`` in Markdown: what could end it or start markup
    (a member may have typed ``>`` or a space into the Online cell) percent-encoded, as a
    browser would send it anyway."""
    return _URL_UNSAFE.sub(lambda m: f"%{ord(m[0]):02X}", url)


def to_json(digest: Digest) -> str:
    return json.dumps(digest.to_json(), ensure_ascii=False, indent=2)


# --- Markdown --------------------------------------------------------------------------------


def to_markdown(digest: Digest) -> str:
    w = WORDING[digest.language]
    lines = [f"# {md(w.title.format(network=digest.network))}", "", _subtitle(digest, w), ""]
    for group in digest.groups:
        lines += _md_group(group, digest, w)
    t = digest.totals
    lines += [
        f"## {w.totals}",
        "",
        f"| {w.meetings_held} | {w.meetings_upcoming} | {w.decisions} "
        f"| {w.tasks} {w.open} | {w.tasks} {w.done} | {w.tasks} {w.overdue} |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {t.held} | {t.upcoming} | {t.decisions} | {t.open} | {t.done} | {t.overdue} |",
        "",
    ]
    return "\n".join(lines)


def _subtitle(digest: Digest, w: Wording) -> str:
    day = digest.day.isoformat()
    if digest.since is None:
        return w.as_of.format(day=day)
    return w.period.format(since=digest.since.isoformat(), until=day)


def _facts(meeting: Meeting, w: Wording, *, link: str) -> str:
    r = meeting.recorded
    parts = [f"{w.host}: {md(r.host)}" if r.host else ""]
    parts.append(f"{w.place}: {md(r.place)}" if r.place else "")
    parts.append(f"{w.online}: <{md_url(r.online)}>" if r.online and _web(r.online) else "")
    parts.append(link)
    return " · ".join(p for p in parts if p)


def heading(meeting: Meeting) -> str:
    """A meeting as people name it: its title, led by its day unless the title is (the
    meeting pages' titles begin with their date)."""
    day = meeting.day.isoformat()
    return meeting.title if meeting.title.startswith(day) else f"{day} · {meeting.title}"


def _md_link(meeting: Meeting, w: Wording) -> str:
    return f"[{w.link}]({md_url(meeting.link)})" if _web(meeting.link) else ""


def _md_group(group: Group, digest: Digest, w: Wording) -> list[str]:
    lines = [f"## {md(group.name)} ({md(group.space_key)})", "", f"### {w.held}", ""]
    if not group.held:
        lines += [f"_{w.none}_", ""]
    for meeting in group.held:
        lines += [f"#### {md(heading(meeting))}", ""]
        facts = _facts(meeting, w, link=_md_link(meeting, w))
        lines += [f"- {facts}"] if facts else []
        attended = "; ".join(
            f"{md(a.organisation)}: {md(a.names)}" if a.organisation else md(a.names)
            for a in meeting.attended
        )
        lines.append(f"- {w.attendance}: {attended or '_' + w.no_attendance + '_'}")
        decisions = meeting.recorded.decisions
        lines.append(f"- {w.decisions}:" + ("" if decisions else f" _{w.none}_"))
        lines += [f"  - {md(d)}" for d in decisions]
        tasks = meeting.recorded.tasks
        lines.append(f"- {w.tasks}:" + ("" if tasks else f" _{w.none}_"))
        lines += [f"  - {_md_task(t, digest, w)}" for t in tasks]
        lines.append("")
    lines += [f"### {w.upcoming}", ""]
    if not group.upcoming:
        lines += [f"_{w.none}_", ""]
    for meeting in group.upcoming:
        facts = _facts(meeting, w, link=_md_link(meeting, w))
        lines.append(
            f"- {meeting.day.isoformat()} · {md(meeting.title)}" + (f" · {facts}" if facts else "")
        )
    if group.upcoming:
        lines.append("")
    return lines


def _who(task: Task, w: Wording) -> str:
    if not task.assignee:
        return w.unassigned
    return task.assignee_name or f"{w.unknown_user} {task.assignee}"


def _md_task(task: Task, digest: Digest, w: Wording) -> str:
    box = "[x]" if task.done else "[ ]"
    tail = md(_who(task, w))
    if task.due is not None:
        tail += f", {w.due} {task.due.isoformat()}"
    if task.overdue(digest.day):
        tail += f" (**{w.overdue}**)"
    return f"{box} {md(task.text) or '–'} — {tail}"


# --- HTML ------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """``text`` made safe for HTML and Confluence storage format alike."""
    return html.escape(printable(text), quote=True)


_h = escape


def totals_table(digest: Digest, w: Wording) -> str:
    """The network's totals as a heading and a one-row table (HTML and storage format)."""
    t = digest.totals
    heads = (w.meetings_held, w.meetings_upcoming, w.decisions, w.open, w.done, w.overdue)
    cells = (t.held, t.upcoming, t.decisions, t.open, t.done, t.overdue)
    return "".join(
        [
            f"<h2>{_h(w.totals)}</h2><table><tbody><tr>",
            *(f"<th>{_h(head)}</th>" for head in heads),
            "</tr><tr>",
            *(f"<td>{n}</td>" for n in cells),
            "</tr></tbody></table>",
        ]
    )


def _a(url: str, text: str) -> str:
    return f'<a href="{_h(url)}">{_h(text)}</a>' if _web(url) else ""


def to_html(digest: Digest) -> str:
    w = WORDING[digest.language]
    title = _h(w.title.format(network=digest.network))
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{digest.language}"><head><meta charset="utf-8"><title>{title}</title></head>',
        f"<body><h1>{title}</h1><p>{_h(_subtitle(digest, w))}</p>",
    ]
    for group in digest.groups:
        out.append(f"<h2>{_h(group.name)} ({_h(group.space_key)})</h2><h3>{_h(w.held)}</h3>")
        out += [_html_meeting(m, digest, w) for m in group.held] or [f"<p>{_h(w.none)}</p>"]
        out.append(f"<h3>{_h(w.upcoming)}</h3><ul>")
        for m in group.upcoming:
            out.append(f"<li>{_h(heading(m))} {_html_facts(m, w)}</li>")
        out.append("</ul>" if group.upcoming else f"</ul><p>{_h(w.none)}</p>")
    out.append(totals_table(digest, w) + "</body></html>")
    return "\n".join(out) + "\n"


def _html_facts(m: Meeting, w: Wording) -> str:
    r = m.recorded
    parts = [f"{_h(w.host)}: {_h(r.host)}" if r.host else ""]
    parts.append(f"{_h(w.place)}: {_h(r.place)}" if r.place else "")
    parts.append(f"{_h(w.online)}: {_a(r.online, r.online)}" if _web(r.online) else "")
    parts.append(_a(m.link, w.link))
    return " · ".join(p for p in parts if p)


def _html_meeting(m: Meeting, digest: Digest, w: Wording) -> str:
    rows = [f"<h4>{_h(heading(m))}</h4><p>{_html_facts(m, w)}</p>"]
    attended = "; ".join(
        _h(f"{a.organisation}: {a.names}" if a.organisation else a.names) for a in m.attended
    )
    rows.append(f"<p>{_h(w.attendance)}: {attended or _h(w.no_attendance)}</p>")
    rows.append(f"<p>{_h(w.decisions)}:</p><ul>")
    rows += [f"<li>{_h(d)}</li>" for d in m.recorded.decisions] or [f"<li>{_h(w.none)}</li>"]
    rows.append(f"</ul><p>{_h(w.tasks)}:</p><ul>")
    for task in m.recorded.tasks:
        state = w.done if task.done else (w.overdue if task.overdue(digest.day) else w.open)
        due = f", {_h(w.due)} {task.due.isoformat()}" if task.due else ""
        rows.append(f"<li>[{_h(state)}] {_h(task.text or '–')} — {_h(_who(task, w))}{due}</li>")
    rows.append("</ul>" if m.recorded.tasks else f"<li>{_h(w.none)}</li></ul>")
    return "".join(rows)
