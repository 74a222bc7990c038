"""Renderers for plans and run results: a rich table for people, JSON and Markdown for CI, and
the before/after of each rewritten region (``--diff``) as a unified diff.

The values (``Plan``, ``RunResult``) know nothing about printing; these functions only read
them. The JSON report of ``sync --report`` is ``RunResult.to_json()``: a status and reason per
item plus summary counts, requests and writes. Pages are named for people by their title
(``page 'Frühjahrstreffen bei HANSA-FLEX'``, the space in its own column); JSON keeps the
identity as ``item`` and adds the ``title``. Text from the wiki or the config reaches a
terminal with its control characters escaped (``\\x1b``), and a rich table as plain text,
never as markup.

May import: errors, files, plan, apply, run.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from confluence_sync.apply.results import ItemResult
from confluence_sync.files import replacing
from confluence_sync.plan.changes import grant_item
from confluence_sync.plan.notes import fill
from confluence_sync.plan.page_changes import UpdatePage
from confluence_sync.plan.region_diff import UpdateDiff, update_diff
from confluence_sync.run import RunResult

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.measure import Measurement
    from rich.table import Table

# What must not reach a terminal as it is: C0 and C1 controls (an escape sequence in a title
# could move the cursor or retitle the window), shown as \xNN instead.
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with every control character (newlines and tabs too) escaped as ``\\xNN``."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


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
    item, reason = shown_item(first), first.reason
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
    """The values of alike notes as people list them ("PUUEUK and PUUUPX"), not as a set."""
    distinct = list(dict.fromkeys(values))
    return distinct[0] if len(distinct) == 1 else ", ".join(distinct[:-1]) + " and " + distinct[-1]


def page_name(title: str) -> str:
    """How a page is named for people: ``page 'Frühjahrstreffen bei HANSA-FLEX'``."""
    return f"page '{title}'"


def shown_item(result: ItemResult) -> str:
    """What a row names: a page by its title, anything else as its item says."""
    return page_name(result.title) if result.title else result.item


def summary_line(result: RunResult) -> str:
    """One line: counts by status, requests and writes."""
    counts = ", ".join(f"{n} {status}" for status, n in result.counts().items()) or "nothing"
    return f"{counts}; {result.requests} requests, {result.writes} writes"


class _Cell:
    """One cell of the table: its text, made a rich ``Text`` only while rich measures or
    renders it (so the same output). Held as ``Text`` objects, a 2,000-page run's 30,000
    cells took about 10 MiB, the second largest part of the sync's peak memory and growing
    with the network (bench/sync_bench.py's memory ratio). Text, not str, either way: rich
    would take "[draft]" in a title for markup and drop it."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def _rich(self) -> Any:
        from rich.text import Text

        return Text(self.text)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self._rich()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        return Measurement.get(console, options, self._rich())


def table(result: RunResult, *, title: str, all_items: bool = False) -> Table:
    """The items as a rich table (unchanged ones only with ``all_items``)."""
    from rich.table import Table
    from rich.text import Text

    # Title and summary at the left: centred, they drift far right of a wide table in a log.
    out = Table(
        title=Text(printable(title)),
        show_lines=False,
        expand=False,
        title_justify="left",
        caption_justify="left",
    )
    for column in ("status", "change", "space", "item", "why"):
        out.add_column(column, overflow="fold")
    for row in _rows(result, all_items=all_items):
        out.add_row(*(_Cell(printable(cell)) for cell in row), style=_STYLE.get(row[0]))
    out.caption = Text(summary_line(result))
    return out


def to_json(result: RunResult) -> str:
    """The whole result as JSON (the plan's changes, statuses, counts, requests)."""
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2, sort_keys=False)


def _cell(text: str) -> str:
    return printable(text.replace("\n", " ")).replace("|", "\\|")


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


def diffs(result: RunResult) -> list[UpdateDiff]:
    """The before/after of every update in the plan that rewrites what a person reads."""
    found = (update_diff(c) for c in result.plan.changes if isinstance(c, UpdatePage))
    return [d for d in found if d is not None]


def _before(diff: UpdateDiff, before: tuple[str, ...] | None) -> str:
    if not diff.read:
        return "not read (--trust-versions): as the sync last wrote it"
    existing = diff.change.existing
    where = f"page {existing.id} version {existing.version}"
    return f"as read, {where}" if before is not None else f"not on {where} yet"


def diff_lines(result: RunResult) -> list[str]:
    """Each rewritten region of the plan as a unified diff (``plan --diff``), a header per
    page; every line escaped for a terminal. Empty when no update changes what people read."""
    out: list[str] = []
    for diff in diffs(result):
        change = diff.change
        out.append(f"~ {change.space} {page_name(change.title)}: {change.reason}")
        if diff.old_title:
            out += [f"--- title '{diff.old_title}'", f"+++ title '{change.title}'"]
        for region in diff.regions:
            out += difflib.unified_diff(
                region.before or (),
                region.after,
                fromfile=f"region {region.name} ({_before(diff, region.before)})",
                tofile=f"region {region.name} (as the sync writes it)",
                lineterm="",
            )
    return [printable(line) for line in out]


def diff_json(result: RunResult) -> list[dict[str, Any]]:
    """The same as data, for ``--format json --diff``: per page its regions' lines."""
    return [
        {
            "space": d.change.space,
            "item": d.change.item,
            "title": d.change.title,
            "old_title": d.old_title or None,
            "read": d.read,
            "regions": [
                {
                    "name": r.name,
                    "before": list(r.before) if r.before is not None else None,
                    "after": list(r.after),
                }
                for r in d.regions
            ],
        }
        for d in diffs(result)
    ]


def diff_markdown(result: RunResult) -> str:
    """The diff as a fenced block for a CI comment ("" when there is none)."""
    lines = diff_lines(result)
    return "\n".join(["#### Region changes", "", "````diff", *lines, "````", ""]) if lines else ""


def write_report(result: RunResult, path: Path) -> None:
    """Write the JSON report of a run (``sync --report PATH``), whole or not at all."""
    # Streamed to the file: the whole text of a 2,000-page run's report (and the pieces
    # ``json.dumps`` joins it from) is never held at once.
    with replacing(path, "the report") as sink:
        json.dump(result.to_json(), sink, ensure_ascii=False, indent=2, sort_keys=False)
        sink.write("\n")
