"""Every file in invalid/ is one bad-config case; its first line says where the problem is.

``# expect: LINE field.path`` - the CLI must exit 3 and report a problem at FILE:LINE with
that field path; an optional second line ``# message: TEXT`` - that problem's message contains
TEXT.
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
_MESSAGE = re.compile(r"# message: (.+)$")
_PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<path>[^:]+?): (?P<msg>.+)$")


def _expectation(path: Path) -> tuple[int, str, str]:
    # Bytes first: some cases hold bytes that are no valid YAML text (that is their point).
    lines = path.read_bytes().decode("utf-8", "replace").splitlines()
    match = _EXPECT.match(lines[0])
    assert match, f"{path.name} lacks its '# expect: LINE field.path' line"
    message = _MESSAGE.match(lines[1]) if len(lines) > 1 else None
    return int(match[1]), match[2], message[1] if message else ""


def test_there_are_enough_distinct_cases() -> None:
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_invalid_config_is_reported_at_its_line_and_path(case: Path) -> None:
    line, field_path, message = _expectation(case)
    result = CliRunner().invoke(app, ["validate", str(case), "--today", "2026-01-05"])
    assert result.exit_code == 3, result.output
    problems = [m.groupdict() for m in map(_PROBLEM.match, result.stderr.splitlines()) if m]
    assert problems, result.stderr
    assert all(p["file"] == str(case) for p in problems)
    located = {(int(p["line"]), p["path"]) for p in problems}
    assert (line, field_path) in located, result.stderr
    messages = [p["msg"] for p in problems if (int(p["line"]), p["path"]) == (line, field_path)]
    assert any(message in found for found in messages), result.stderr
