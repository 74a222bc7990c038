"""Reading a page's structured parts out of its parsed storage: the rows of its page-properties
(``details``) macros and its tasks — what the two reports show of other pages.

Page properties: Confluence reads the first table in a ``details`` body either *vertically*
(each row a key cell, usually ``<th>``, then a value cell) or *horizontally* (a first row of
``<th>`` keys over a second row of values) — the two layouts the Page Properties macro
documents. A report without an ``id`` reads every ``details`` macro of the page; with an ``id``
only the macros of that id (the "Page Properties ID" both macros take). ``hidden`` does not
matter here: a hidden block is still reported, it is only not shown on its own page.

Tasks: Confluence's assignee of a task is the first user mentioned in its body and its due
date the first date (``<time datetime>``) in it; the status is ``ac:task-status``.

Imports: ``viewer.nodes`` only.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from confluence_sync.localwiki.viewer.nodes import AC, RI, flag, macro_name, params, plain_text


@dataclass(frozen=True)
class Task:
    """One ``ac:task``: its id, check state, body and what the body names."""

    id: str
    complete: bool
    body: ET.Element | None
    assignee: dict[str, str] | None  # the ``ri:user`` attributes, without the prefix
    due: str | None  # the ``datetime`` of the first date in the body


def _rows(table: ET.Element) -> list[ET.Element]:
    """The table's own rows (directly or in thead/tbody/tfoot), never a nested table's."""
    rows: list[ET.Element] = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(row for row in child if row.tag == "tr")
    return rows


def _cells(row: ET.Element) -> list[ET.Element]:
    return [cell for cell in row if cell.tag in ("th", "td")]


def details_rows(macro: ET.Element) -> list[tuple[str, ET.Element]]:
    """(key, value cell) of one ``details`` macro's table, in table order."""
    body = macro.find(f"{AC}rich-text-body")
    table = next(body.iter("table"), None) if body is not None else None
    if table is None:
        return []
    rows = [_cells(row) for row in _rows(table)]
    rows = [cells for cells in rows if cells]
    if (
        len(rows) >= 2
        and len(rows[0]) > 2
        and all(cell.tag == "th" for cell in rows[0])
        and not any(cell.tag == "th" for cell in rows[1])
    ):
        return [(plain_text(key), value) for key, value in zip(rows[0], rows[1], strict=False)]
    return [(plain_text(cells[0]), cells[1]) for cells in rows if len(cells) >= 2]


def page_properties(
    root: ET.Element, report_id: str | None = None
) -> dict[str, tuple[str, ET.Element]]:
    """The page's properties: casefolded key → (key as written, value cell), first one wins,
    from every ``details`` macro — or only those whose ``id`` is ``report_id`` when given."""
    found: dict[str, tuple[str, ET.Element]] = {}
    wanted = (report_id or "").strip()
    for element in root.iter():
        if macro_name(element) != "details":
            continue
        if wanted and params(element).get("id", "").strip() != wanted:
            continue
        for key, value in details_rows(element):
            if key:
                found.setdefault(key.casefold(), (key, value))
    return found


def is_hidden(macro: ET.Element) -> bool:
    """A ``details`` macro set to "hide on current page"."""
    return flag(params(macro).get("hidden"))


def _first_user(body: ET.Element) -> dict[str, str] | None:
    for element in body.iter(f"{RI}user"):
        return {key.removeprefix(RI): value for key, value in element.attrib.items()}
    return None


def _first_date(body: ET.Element) -> str | None:
    for element in body.iter("time"):
        if element.get("datetime"):
            return element.get("datetime")
    return None


def tasks(root: ET.Element) -> list[Task]:
    """Every task of the page, in page order."""
    found: list[Task] = []
    for task in root.iter(f"{AC}task"):
        body = task.find(f"{AC}task-body")
        status = (task.findtext(f"{AC}task-status") or "incomplete").strip()
        found.append(
            Task(
                id=(task.findtext(f"{AC}task-id") or "").strip(),
                complete=status == "complete",
                body=body,
                assignee=_first_user(body) if body is not None else None,
                due=_first_date(body) if body is not None else None,
            )
        )
    return found


__all__ = ["Task", "details_rows", "is_hidden", "page_properties", "tasks"]
