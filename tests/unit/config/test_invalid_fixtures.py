"""Every file in invalid/ is one bad-config case; its first line says where the problem is.

``# expect: LINE field.path`` - the CLI must exit 3 and report a problem at FILE:LINE with
that field path.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from confluence_sync.cli import app

INVALID = Path(__file__).parent / "invalid"
CASES = sorted(INVALID.glob("*.yaml"))
_EXPECT = re.compile(r"# expect: (\d+) (.+)$")
_PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<path>[^:]+?): (?P<msg>.+)$")


def _expectation(path: Path) -> tuple[int, str]:
    match = _EXPECT.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name} lacks its '# expect: LINE field.path' line"
    return int(match[1]), match[2]


def test_there_are_enough_distinct_cases() -> None:
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_invalid_config_is_reported_at_its_line_and_path(case: Path) -> None:
    line, field_path = _expectation(case)
    result = CliRunner().invoke(app, ["validate", str(case), "--today", "2026-01-05"])
    assert result.exit_code == 3, result.output
    problems = [m.groupdict() for m in map(_PROBLEM.match, result.stderr.splitlines()) if m]
    assert problems, result.stderr
    assert all(p["file"] == str(case) for p in problems)
    located = {(int(p["line"]), p["path"]) for p in problems}
    assert (line, field_path) in located, result.stderr
