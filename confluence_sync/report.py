"""Renderers for plans and run results: a rich table for people, JSON and Markdown for CI.

The values (``Plan``, ``RunResult``) know nothing about printing; these functions only read
them. The JSON report of ``sync --report`` is ``RunResult.to_json()``: a status and reason per
item plus summary counts, requests and writes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from confluence_sync.apply.results import ItemResult
from confluence_sync.plan.changes import grant_item
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
    on one space share a row, and notes that differ only in a group's name or space key (the
    per-group manual template step) share one. JSON and ``--report`` keep every item."""
    shown = [r for r in result.results if all_items or r.status != "unchanged"]
    return _merge_alike(_merge_grants(shown))


def _merge_grants(results: list[ItemResult]) -> list[Row]:
    """One row per subject's grants (or revokes) on a space: "read, write for group g on S"."""
    rows: dict[object, tuple[ItemResult, list[str]]] = {}
    for number, r in enumerate(results):
        if r.grant is None:
            rows[number] = (r, [])
            continue
        key = (r.status, r.kind, r.space, r.grant.subject_type, r.grant.subject, r.reason)
        rows.setdefault(key, (r, []))[1].append(r.grant.operation)
    return [
        (
            r.status,
            r.kind,
            r.space,
            grant_item(ops, r.grant, r.space) if r.grant else r.item,
            r.reason,
        )
        for r, ops in rows.values()
    ]


_WORD = re.compile(r"(\w+)")


def _merge_alike(rows: list[Row]) -> list[Row]:
    """Manual notes whose item and reason differ only in a few words (a group's name, its
    space key) become one row listing those words as {A,B}."""
    groups: list[list[list[str]]] = []  # per merged row: its tokens, each a list of variants
    out: list[Row | int] = []
    for row in rows:
        status, kind, space, item, reason = row
        if status != "manual":
            out.append(row)
            continue
        tokens = _WORD.split("\0".join((status, kind, space, item, reason)))
        for group in groups:
            if len(group) == len(tokens) and _few_differ(group, tokens):
                for variants, token in zip(group, tokens, strict=True):
                    if token not in variants:
                        variants.append(token)
                break
        else:
            groups.append([[token] for token in tokens])
            out.append(len(groups) - 1)
    result: list[Row] = []
    for entry in out:
        if isinstance(entry, int):
            text = "".join(v[0] if len(v) == 1 else "{" + ",".join(v) + "}" for v in groups[entry])
            status, kind, space, item, reason = text.split("\0")
            result.append((status, kind, space, item, reason))
        else:
            result.append(entry)
    return result


def _few_differ(group: list[list[str]], tokens: list[str], most: int = 3) -> bool:
    return sum(t not in v for v, t in zip(group, tokens, strict=True)) <= most


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
