"""The two report macros, rendered from the wiki's own pages: the Page Properties Report
(``detailssummary``) and the Task Report (``tasks-report-macro``).

Page Properties Report: the pages its ``cql`` finds (the local wiki's CQL over labels, spaces,
titles…; the older ``label`` parameter means "this label, in the current space") that carry
page properties (``details``; only those of the report's ``id`` when it has one), one row each:
the first column (heading ``firstcolumn``, by default "Title") links the page, then one column
per name in ``headings`` (all keys, in order of appearance, when it is empty) with the page's
value cell rendered as on the page. ``sortBy`` names a column (or the title; by default the
title [unverified default]), dates (``<time datetime>``) sort as dates, pages without the
value last; ``reverseSort`` descends; ``pageSize`` (default 30) limits the rows. The
parameters are those of real storage: see ``shared/reference/real-confluence.md`` ("Macro
parameters in the templates match real usage") and ``confluence-api.md`` (``detailsummary``).

Task Report: the tasks of the pages in ``spaces`` and/or ``pages`` (ids or titles; the current
space when both are empty), narrowed by ``labels`` (of the page), ``status`` (``incomplete`` by
default, ``complete``, or ``all``) and ``assignees`` (any identifier of the assignee), sorted
by ``sortBy`` (``duedate`` by default, ``assignee``, ``location``/``page``, ``description``)
and ``reverseSort``, at most ``pageSize`` (default 20). Columns (``columns``, by default
``description,duedate,assignee,location``): the task with its check state, its due date, its
assignee's name and a link to its page.

A report never renders another report found in the cells it shows (the walker's ``nesting``),
so two pages reporting on each other cannot loop.

Imports: ``rules`` (cql's error, storage_format's parser) and the viewer's ``extract``,
``i18n``, ``nodes``, ``walker`` and ``wikidata``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from html import escape

from confluence_sync.localwiki.rules.cql import CqlError
from confluence_sync.localwiki.rules.storage_format import XhtmlError, parse
from confluence_sync.localwiki.viewer import i18n
from confluence_sync.localwiki.viewer.extract import Task, page_properties, tasks
from confluence_sync.localwiki.viewer.nodes import flag, plain_text
from confluence_sync.localwiki.viewer.walker import Walker
from confluence_sync.localwiki.viewer.wikidata import PageInfo

_TASK_COLUMNS = ("description", "duedate", "assignee", "location")
Row = tuple[PageInfo, dict[str, tuple[str, ET.Element]]]


def nested_note(language: str) -> str:
    return i18n.word(language, "nested")


def _quoted(value: str) -> str:
    """A CQL string literal (the local wiki's CQL reads backslash escapes)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _size(value: str | None, default: int) -> int:
    try:
        size = int((value or "").strip())
    except ValueError:
        return default
    return size if size > 0 else default


def _search(w: Walker, cql: str) -> Sequence[PageInfo] | None:
    """The CQL's pages, or None after writing the reason into the report."""
    assert w.wiki is not None
    try:
        return w.wiki.search(cql)
    except CqlError as error:
        message = i18n.word(w.language, "bad-cql", error=str(error))
        w.out.append(f'<p class="report-error">{escape(message, quote=False)}</p>')
        return None


def _parsed(page: PageInfo) -> ET.Element | None:
    try:
        return parse(page.body)
    except XhtmlError:
        return None  # Confluence skips a page it cannot read; so does the report


def _table(w: Walker, css: str, headings: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    head = "".join(f"<th>{escape(h, quote=False)}</th>" for h in headings)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    w.out.append(
        f'<table class="wiki-table {css}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _shown(w: Walker, shown: int, total: int) -> None:
    if shown < total:
        note = i18n.word(w.language, "shown", shown=shown, total=total)
        w.out.append(f'<p class="report-more">{escape(note)}</p>')


def _title_link(page: PageInfo) -> str:
    return f'<a class="page-link" href="{escape(page.href)}">{escape(page.title, quote=False)}</a>'


def _sort_key(cell: ET.Element | None) -> tuple[int, str]:
    """Dates first by their day, then words; a page without the value sorts last."""
    if cell is None:
        return (2, "")
    for element in cell.iter("time"):
        if element.get("datetime"):
            return (0, element.get("datetime", ""))
    return (1, plain_text(cell).casefold())


def _sorted_rows(rows: list[Row], sort_by: str, title_heading: str, reverse: bool) -> list[Row]:
    wanted = sort_by.strip().casefold()
    if not wanted or wanted in ("title", title_heading.casefold()):
        return sorted(rows, key=lambda row: row[0].title.casefold(), reverse=reverse)
    present = [row for row in rows if wanted in row[1]]
    missing = [row for row in rows if wanted not in row[1]]
    present.sort(key=lambda row: _sort_key(row[1][wanted][1]), reverse=reverse)
    return present + missing


def properties_report(w: Walker, values: dict[str, str]) -> None:
    """Render a ``detailssummary`` macro with parameters ``values`` into ``w.out``."""
    if w.wiki is None:
        return
    cql = values.get("cql", "").strip()
    if not cql and values.get("label", "").strip() and w.here is not None:
        cql = f"label = {_quoted(values['label'].strip())} and space = {_quoted(w.here.space_key)}"
    pages = _search(w, cql)
    if pages is None:
        return
    rows: list[Row] = []
    for page in pages:
        root = _parsed(page)
        found = page_properties(root, values.get("id")) if root is not None else {}
        if found:  # only pages that have page properties are listed
            rows.append((page, found))
    if not rows:
        w.out.append(f'<p class="empty">{escape(i18n.word(w.language, "no-content"))}</p>')
        return
    headings = _list(values.get("headings"))
    if not headings:
        headings = list({k: key for _, found in rows for k, (key, _) in found.items()}.values())
    first = values.get("firstcolumn", "").strip() or i18n.word(w.language, "title")
    ordered = _sorted_rows(rows, values.get("sortBy", ""), first, flag(values.get("reverseSort")))
    size = _size(values.get("pageSize"), 30)
    cells = []
    for page, found in ordered[:size]:
        row = [_title_link(page)]
        for heading in headings:
            cell = found.get(heading.casefold())
            row.append(w.fragment(cell[1], page) if cell is not None else "")
        cells.append(row)
    _table(w, "properties-report", [first, *headings], cells)
    _shown(w, len(cells), len(ordered))


def _task_cql(w: Walker, values: dict[str, str]) -> str:
    spaces = _list(values.get("spaces"))
    pages = _list(values.get("pages"))
    if not spaces and not pages and w.here is not None:
        spaces = [w.here.space_key]
    scope = []
    if spaces:
        scope.append(f"space in ({', '.join(map(_quoted, spaces))})")
    ids = [p for p in pages if p.isdigit()]
    titles = [p for p in pages if not p.isdigit()]
    if ids:
        scope.append(f"id in ({', '.join(ids)})")
    if titles:
        scope.append(f"title in ({', '.join(map(_quoted, titles))})")
    parts = ["(" + " or ".join(scope) + ")"] if scope else []
    labels = _list(values.get("labels"))
    if labels:
        parts.append(f"label in ({', '.join(map(_quoted, labels))})")
    return " and ".join(parts)


def _assignee(w: Walker, task: Task) -> tuple[str, frozenset[str]]:
    """The assignee's shown name and identifiers ("" and none for an unassigned task)."""
    if task.assignee is None:
        return "", frozenset()
    person = w.wiki.person(task.assignee) if w.wiki else None
    if person is not None:
        return person.display_name, frozenset(i.casefold() for i in person.ids)
    ids = frozenset(v.casefold() for v in task.assignee.values())
    return next(iter(task.assignee.values()), ""), ids


def _sorted_tasks(
    found: list[tuple[PageInfo, Task, str]], values: dict[str, str]
) -> list[tuple[PageInfo, Task, str]]:
    """Sorted by ``sortBy`` (due date by default); tasks without the value stay last."""
    sort_by = values.get("sortBy", "").strip().lower().replace(" ", "")
    reverse = flag(values.get("reverseSort"))

    def key(item: tuple[PageInfo, Task, str]) -> str | None:
        page, task, name = item
        if sort_by == "assignee":
            return name.casefold() or None
        if sort_by in ("location", "page", "pagetitle"):
            return page.title.casefold()
        if sort_by == "description":
            return plain_text(task.body).casefold() if task.body is not None else None
        return task.due  # due date, the default

    keyed = [(key(item), item) for item in found]
    present = [(k, i) for k, i in keyed if k is not None]
    present.sort(key=lambda pair: pair[0] or "", reverse=reverse)  # stable: page order on ties
    return [i for _, i in present] + [i for k, i in keyed if k is None]


def task_report(w: Walker, values: dict[str, str]) -> None:
    """Render a ``tasks-report-macro`` with parameters ``values`` into ``w.out``."""
    if w.wiki is None:
        return
    cql = _task_cql(w, values)
    pages = _search(w, cql) if cql else ()
    if pages is None:
        return
    status = values.get("status", "incomplete").strip().lower() or "incomplete"
    wanted = {a.casefold() for a in _list(values.get("assignees"))}
    found: list[tuple[PageInfo, Task, str]] = []
    for page in pages:
        root = _parsed(page)
        for task in tasks(root) if root is not None else ():
            if status in ("complete", "incomplete") and task.complete != (status == "complete"):
                continue
            name, ids = _assignee(w, task)
            if wanted and not wanted & ids:
                continue
            found.append((page, task, name))
    if not found:
        w.out.append(f'<p class="empty">{escape(i18n.word(w.language, "no-tasks"))}</p>')
        return
    found = _sorted_tasks(found, values)
    columns = [c.lower() for c in _list(values.get("columns")) if c.lower() in _TASK_COLUMNS]
    columns = columns or list(_TASK_COLUMNS)
    size = _size(values.get("pageSize"), 20)
    rows = []
    for page, task, name in found[:size]:
        cells = {
            "description": (
                f'<input type="checkbox" disabled{" checked" if task.complete else ""}> '
                + (w.fragment(task.body, page) if task.body is not None else "")
            ),
            "duedate": w.date_html(task.due) if task.due else "",
            "assignee": escape(name, quote=False),
            "location": _title_link(page),
        }
        rows.append([cells[c] for c in columns])
    _table(w, "tasks-report", [i18n.word(w.language, c) for c in columns], rows)
    _shown(w, len(rows), len(found))


__all__ = ["nested_note", "properties_report", "task_report"]
