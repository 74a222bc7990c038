"""One meeting page's storage format → what it records (:class:`~.model.Recorded`).

The page is parsed as XML (``wiki.storage.parse_storage``), never with patterns: the key-facts
table (our ``details`` macro: date, time, host, place, online), then the members' sections in
document order, each opened by its heading (``words.section_of``): the attendees list ("Org:
names", one item per invited organisation), the decisions (each paragraph or list item one
decision) and the action items. Instructional placeholders (``ac:placeholder``) are not
words: a section that holds only them records nothing. Tasks are read wherever they are on the
page (Confluence's own task report does the same): status, the first mentioned account
(``ri:user`` with ``ri:userkey`` on Data Center, ``ri:account-id`` on Cloud) and the first date
(``<time datetime>``) of the task body; a task with no words is left out, as the editors drop it.

A body that is not well-formed (it cannot be after Confluence stored it, but a hand-made
fixture may be) raises ``StorageFormatError``; the caller names the page.

Imports: wiki (storage), digest (model, words).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Final

from confluence_sync.digest.model import Attendance, Recorded, Task
from confluence_sync.digest.words import fact_of, section_of
from confluence_sync.wiki.storage import AC_NS, RI_NS, parse_storage

_AC: Final = f"{{{AC_NS}}}"
_RI: Final = f"{{{RI_NS}}}"
_HEADINGS: Final = frozenset(f"h{n}" for n in range(1, 7))
# Elements whose text is no member's words: instructions, macro parameters, task plumbing.
_SILENT: Final = frozenset(
    _AC + name for name in ("placeholder", "parameter", "task-id", "task-uuid", "task-status")
)
_USER_ATTRS: Final = (_RI + "userkey", _RI + "account-id", _RI + "username")


def parse_meeting(body: str, *, what: str = "the meeting page") -> Recorded:
    """What the meeting page ``body`` records."""
    root = parse_storage(body, what=what)
    facts = _facts(root)
    sections: dict[str, list[ET.Element]] = {}
    current: str | None = None
    for element in root:
        if element.tag in _HEADINGS:
            current = section_of(text_of(element))
            continue
        if current is not None:
            sections.setdefault(current, []).append(element)
    return Recorded(
        day=_date(facts.get("date")),
        time=_plain(facts.get("time")),
        host=_plain(facts.get("host")),
        place=_place(facts.get("place")),
        online=_link(facts.get("online")),
        attendance=_attendance(sections.get("attendees", [])),
        decisions=_items(sections.get("decisions", [])),
        tasks=tuple(t for t in (_task(e) for e in root.iter(_AC + "task")) if t is not None),
    )


def text_of(element: ET.Element, *, dates: bool = True, users: bool = True) -> str:
    """The words of ``element``: its text without placeholders or macro plumbing, a date as
    its ISO day, whitespace collapsed. ``users`` False: a mentioned account is left out."""
    parts: list[str] = []

    def walk(node: ET.Element) -> None:
        if node.tag in _SILENT or (node.tag == _AC + "task-list" and node is not element):
            return
        if node.tag == "time":
            if dates and node.get("datetime"):
                parts.append(str(node.get("datetime")))
        elif node.tag == _RI + "user":
            if users:
                parts.append("@" + _reference(node))
        elif node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return " ".join("".join(parts).split())


def _facts(root: ET.Element) -> dict[str, ET.Element]:
    """Row label → value cell of the first key-facts table (the ``details`` macro)."""
    for macro in root.iter(_AC + "structured-macro"):
        if macro.get(_AC + "name") != "details":
            continue
        found: dict[str, ET.Element] = {}
        for row in macro.iter("tr"):
            cells = [c for c in row if c.tag in ("th", "td")]
            if len(cells) >= 2 and (name := fact_of(text_of(cells[0]))) is not None:
                found.setdefault(name, cells[1])
        return found
    return {}


def _date(cell: ET.Element | None) -> dt.date | None:
    if cell is None:
        return None
    for node in cell.iter("time"):
        day = parse_day(node.get("datetime") or "")
        if day is not None:
            return day
    return parse_day(text_of(cell))


def parse_day(text: str) -> dt.date | None:
    """An ISO day (``2026-04-01``, also the day of a date-time), or None."""
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _plain(cell: ET.Element | None) -> str:
    return text_of(cell) if cell is not None else ""


def _place(cell: ET.Element | None) -> str:
    text = _plain(cell)
    return "" if text in ("–", "-") else text  # the template's dash for "no place given"


def _link(cell: ET.Element | None) -> str:
    if cell is None:
        return ""
    for anchor in cell.iter("a"):
        if anchor.get("href"):
            return str(anchor.get("href"))
    return text_of(cell)


def _attendance(elements: list[ET.Element]) -> tuple[Attendance, ...]:
    found: list[Attendance] = []
    for element in elements:
        for item in element.iter("li"):
            text = text_of(item)
            if not text:
                continue
            organisation, colon, names = text.partition(":")
            found.append(
                Attendance(organisation.strip(), names.strip())
                if colon
                else Attendance("", organisation.strip())
            )
    return tuple(found)


def _items(elements: list[ET.Element]) -> tuple[str, ...]:
    """Each paragraph, list item or other block of a section, as one entry of words."""
    found: list[str] = []
    for element in elements:
        if element.tag in ("ul", "ol"):
            found += [text_of(li) for li in element if li.tag == "li"]
        elif element.tag != _AC + "task-list":
            found.append(text_of(element))
    return tuple(text for text in found if text)


def _reference(user: ET.Element) -> str:
    return next((str(user.get(a)) for a in _USER_ATTRS if user.get(a)), "")


def _task(task: ET.Element) -> Task | None:
    body = task.find(_AC + "task-body")
    if body is None:
        return None
    text = text_of(body, dates=False, users=False)
    user = next(body.iter(_RI + "user"), None)
    due = next(
        (d for d in (parse_day(t.get("datetime") or "") for t in body.iter("time")) if d), None
    )
    if not text and user is None and due is None:
        return None
    status = task.find(_AC + "task-status")
    done = status is not None and (status.text or "").strip() == "complete"
    return Task(
        text=text, done=done, assignee=_reference(user) if user is not None else "", due=due
    )
