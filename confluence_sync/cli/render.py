"""Printing a run's result for ``plan`` and ``sync``: the format asked for, as loud as ``-v``/
``-q`` say, and the rich console it goes through.

Outside a terminal (a pipe, a file, a CI log) nothing wraps: rich would otherwise assume 80
columns and break ``group/UPX/meeting/slot/2026-1`` or a long title mid-word, so the console
is as wide as the widest line needs. In a terminal the table fits its width, as rich does.

Imports rich, typer, ``cli.verbosity`` and the report (this module is loaded only inside a
command, after a run).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Final

import typer
from rich.console import Console, RenderableType
from rich.segment import Segment, Segments
from rich.text import Text

from confluence_sync import report
from confluence_sync.cli.verbosity import Level

if TYPE_CHECKING:
    from confluence_sync.run import RunResult

# Wide enough for any line a report makes; rich lays a table out at its natural width within
# it, with no padding to the console's width.
_UNWRAPPED: Final = 1_000_000
_DIFF_STYLES: Final = (("+++", "bold"), ("---", "bold"), ("+", "green"), ("-", "red"))
_DIFF_STYLES_MORE: Final = (("@@", "cyan"), ("~ ", "bold yellow"))
# Lines written at a time by ``print_streamed``.
_LINES_PER_WRITE: Final = 200


class ResultFormat(StrEnum):
    """How ``plan`` and ``sync`` print their result: a table for people, json or markdown
    for CI."""

    table = "table"
    json = "json"
    markdown = "markdown"


def console(*, stderr: bool = False) -> Console:
    """The rich console for stdout (or stderr): a terminal's own width; elsewhere unwrapped."""
    out = Console(stderr=stderr)
    if not out.is_terminal:
        out = Console(stderr=stderr, width=_UNWRAPPED)
    return out


def show(result: RunResult, output: ResultFormat, *, title: str, shown: Level, diff: bool) -> None:
    """Print ``result`` on stdout as ``output`` says (with ``diff``: each rewritten region's
    before and after too); quiet: the table's place takes the summary line alone."""
    if output is ResultFormat.json:
        document = result.to_json()
        if diff:
            document["diffs"] = report.diff_json(result)
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    if output is ResultFormat.markdown:
        typer.echo(report.to_markdown(result, title=f"confluence-sync {title}"))
        if diff and (text := report.diff_markdown(result)):
            typer.echo(text)
        return
    if shown is Level.quiet:
        typer.echo(report.summary_line(result))
        return
    out = console()
    print_streamed(out, report.table(result, title=title))
    if diff:
        lines = report.diff_lines(result)
        for line in lines or ["no region changes"]:
            out.print(Text(line, style=_diff_style(line)), soft_wrap=True)
    elif report.diffs(result):
        # "region facts" alone says which region, not how: say once where the words are.
        typer.echo("hint: --diff shows each changed region's before and after", err=True)


def print_streamed(out: Console, renderable: RenderableType) -> None:
    """Print ``renderable`` a few hundred lines at a time, exactly as ``out.print`` would.

    ``Console.print`` renders every line before it writes one, and a table pads each cell to
    its column's width: a 2,000-page run's table (6,000 rows, as wide as its longest reason)
    held whole was the largest part of the sync's peak memory, and grew with the network
    (bench/sync_bench.py's memory ratio). Rich renders a table row by row, so writing as the
    lines come keeps only one batch."""
    batch: list[Segment] = []
    lines = 0
    for segment in out.render(renderable, out.options):
        batch.append(segment)
        if segment.text.endswith("\n"):
            lines += 1
            if lines >= _LINES_PER_WRITE:
                out.print(Segments(batch), end="")
                batch, lines = [], 0
    out.print(Segments(batch), end="")


def _diff_style(line: str) -> str:
    for prefix, style in (*_DIFF_STYLES_MORE, *_DIFF_STYLES):
        if line.startswith(prefix):
            return style
    return ""
