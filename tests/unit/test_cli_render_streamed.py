"""A run's table is written as rich renders it, a batch of lines at a time: the same text as
one ``Console.print`` of the whole table, whatever the console (a terminal's width and colours,
or a file's unwrapped width), so a 2,000-page run does not hold its whole table at once."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.text import Text

from confluence_sync import report
from confluence_sync.apply.results import ItemResult
from confluence_sync.cli.render import print_streamed
from confluence_sync.plan.changes import Plan
from confluence_sync.run import RunResult


def _result(rows: int) -> RunResult:
    items = [
        ItemResult(
            "PUUUPX",
            f"page group/UPX/meeting/slot/2026-{n}",
            "create",
            "created" if n % 7 else "failed",
            "x" * (n % 41) + " „Grüße“ & <b>",
            title=f"Treffen Nr. {n} bei Müller & Söhne",
        )
        for n in range(700)
    ]
    return RunResult(Plan(()), items)


@pytest.mark.parametrize(("width", "terminal"), [(1_000_000, False), (100, True), (40, True)])
def test_the_streamed_table_reads_as_the_whole_one(width: int, terminal: bool) -> None:
    def console(sink: io.StringIO) -> Console:
        system = "truecolor" if terminal else None
        return Console(file=sink, width=width, force_terminal=terminal, color_system=system)

    whole, streamed = io.StringIO(), io.StringIO()
    console(whole).print(report.table(_result(700), title="sync"))
    print_streamed(console(streamed), report.table(_result(700), title="sync"))
    assert streamed.getvalue() == whole.getvalue()
    assert streamed.getvalue().count("\n") > 700  # more than one batch was written


@pytest.mark.parametrize(("width", "terminal"), [(1_000_000, False), (60, True)])
def test_cells_made_text_only_while_rendered_read_as_text_cells(
    width: int, terminal: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    def printed() -> str:
        sink = io.StringIO()
        system = "truecolor" if terminal else None
        out = Console(file=sink, width=width, force_terminal=terminal, color_system=system)
        out.print(report.table(_result(120), title="sync [draft]"))
        return sink.getvalue()

    lazy = printed()
    monkeypatch.setattr(report, "_Cell", Text)  # every cell a rich Text from the start
    assert lazy == printed()
    if not terminal:  # unwrapped: every cell whole on its line
        assert "„Grüße“ & <b>" in lazy and "Treffen Nr. 119 bei Müller & Söhne" in lazy
