"""Renderers for plans and run results: a rich table for people, JSON and Markdown for CI.

The values (``Plan``, ``RunResult``) know nothing about printing; these functions only read
them. The JSON report of ``sync --report`` is ``RunResult.to_json()``: a status and reason per
item plus summary counts, requests and writes.

May import: errors, plan, apply, run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from confluence_sync.apply.results import ItemResult
from confluence_sync.plan.changes import grant_item
from confluence_sync.plan.notes import fill
from confluence_sync.run import RunResult

if TYPE_CHECKING:
    from rich.table import Table

# Statuses a reader should notice first.
_STYLE = {
    "failed": "bold red",
    "conflict": "yellow",
    "blocked": "yellow",
    "manual": "cyan",
    "planned": "green",
    "unchanged": "dim",
}


Row = tuple[str, str, str, str, str]  # status, change, space, item, why


def _rows(result: RunResult, *, all_items: bool) -> list[Row]:
    """The rows people read: one per item, except that the grants (or revokes) of one subject
    on one space share a row ("read, write for group g on S"), and so do manual steps that
    differ only in what fills their blanks (the per-group template step: the values that
    differ read {A,B}). JSON and ``--report`` keep every item."""
    shown = [r for r in result.results if all_items or r.status != "unchanged"]
    alike: dict[object, list[ItemResult]] = {}
    for number, r in enumerate(shown):
        alike.setdefault(_alike(r) or number, []).append(r)
    return [_row(group) for group in alike.values()]


def _alike(r: ItemResult) -> tuple[object, ...] | None:
    """What the items that share a row with ``r`` have in common; None: a row of its own."""
    if r.grant is not None:
        return (r.status, r.kind, r.space, r.grant.subject_type, r.grant.subject, r.reason)
    if r.status == "manual" and r.wording is not None:
        subject, text, fills = r.wording
        return (r.status, r.kind, r.space, subject, text, tuple(name for name, _ in fills))
    return None


def _row(group: list[ItemResult]) -> Row:
    first = group[0]
    item, reason = first.item, first.reason
    if first.grant is not None:
        item = grant_item([r.grant.operation for r in group if r.grant], first.grant, first.space)
    elif first.wording is not None and len(group) > 1:
        subject, text, fills = first.wording
        values = {
            name: _choices(dict(r.wording[2])[name] for r in group if r.wording)
            for name, _ in fills
        }
        item, reason = fill(subject, values), fill(text, values)
    return (first.status, first.kind, first.space, item, reason)


def _choices(values: Iterable[str]) -> str:
    distinct = list(dict.fromkeys(values))
    return distinct[0] if len(distinct) == 1 else "{" + ",".join(distinct) + "}"


def summary_line(result: RunResult) -> str:
    """One line: counts by status, requests and writes."""
    counts = ", ".join(f"{n} {status}" for status, n in result.counts().items()) or "nothing"
    return f"{counts}; {result.requests} requests, {result.writes} writes"


def table(result: RunResult, *, title: str, all_items: bool = False) -> Table:
    """The items as a rich table (unchanged ones only with ``all_items``)."""
    from rich.table import Table

    out = Table(title=title, show_lines=False, expand=False)
    for column in ("status", "change", "space", "item", "why"):
        out.add_column(column, overflow="fold")
    for status, kind, space, item, reason in _rows(result, all_items=all_items):
        out.add_row(status, kind, space, item, reason, style=_STYLE.get(status))
    out.caption = summary_line(result)
    return out


def to_json(result: RunResult) -> str:
    """The whole result as JSON (the plan's changes, statuses, counts, requests)."""
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2, sort_keys=False)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(result: RunResult, *, title: str = "confluence-sync plan") -> str:
    """A Markdown table, suitable for a CI comment."""
    lines = [f"### {title}", ""]
    if result.refused:
        lines += [f"**Refused:** {_cell(result.refused)}", ""]
    rows = _rows(result, all_items=False)
    if rows:
        lines += ["| status | change | space | item | why |", "|---|---|---|---|---|"]
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    else:
        lines.append("Nothing to change.")
    lines += ["", f"_{summary_line(result)}; checksum `{result.plan.checksum}`_", ""]
    return "\n".join(lines)


def write_report(result: RunResult, path: Path) -> None:
    """Write the JSON report of a run (``sync --report PATH``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_json(result) + "\n", encoding="utf-8")
