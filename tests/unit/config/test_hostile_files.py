"""Hostile config files end, each in its own process, with exit 3 and a located problem.

Each case runs ``python -m confluence_sync validate FILE`` as a subprocess: an alias bomb or a
deep nesting that got past the guards would take minutes and gigabytes (or kill the process),
so the generous ``timeout`` turns a regression into a failure instead of a hung suite. The
timeout is a safety net, not a speed goal: these files are refused in well under a second.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.config.conftest import EXAMPLE

_LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<path>[^:]+?): (?P<msg>.+)$")


def _bomb(levels: int) -> str:
    """The classic billion laughs: each list holds nine aliases of the one before."""
    lines = ['lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(levels):
        before, name = chr(97 + level), chr(98 + level)
        lines.append(f"l{level}: &{name} [{','.join(['*' + before] * 9)}]")
    return "\n".join(lines) + "\n"


def _example() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


CASES = {
    # 369 bytes before the guards: 22 s and 1.6 GB; one more line: MemoryError after a minute.
    "alias_bomb": (_bomb(8), 6, "would expand to more than 100,000 values"),
    "alias_bomb_one_more_line": (_bomb(9), 6, "would expand to more than 100,000 values"),
    "nested_500_deep_flow": (
        "network: " + "[" * 500 + "]" * 500 + "\n",
        1,
        "nested more than 50 levels deep",
    ),
    "nested_500_deep_block": (
        "".join("  " * depth + f"k{depth}:\n" for depth in range(500)),
        51,
        "nested more than 50 levels deep",
    ),
    "six_megabyte_purpose": (
        _example().replace(
            "purpose: Gemeinsam", "purpose: " + "Maßnahmen " * 600_000 + "Gemeinsam"
        ),
        1,
        "a config may have at most 2,097,152",
    ),
    "hex_number_of_5000_digits": (
        _example().replace("horizon: 3", "horizon: 0x" + "f" * 5000),
        146,
        "is too large (at most 64 bits)",
    ),
    "decimal_number_of_5000_digits": (
        _example().replace("horizon: 3", "horizon: " + "9" * 5000),
        146,
        "is too large (at most 64 bits)",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_file_ends_with_exit_3_at_its_place(case: str, tmp_path: Path) -> None:
    text, line, message = CASES[case]
    path = tmp_path / f"{case}.yaml"
    path.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "confluence_sync", "validate", str(path), "--today", "2026-01-05"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 3, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    problems = [m.groupdict() for m in map(_LOCATED.match, result.stderr.splitlines()) if m]
    assert any(
        p["file"] == str(path) and int(p["line"]) == line and message in p["msg"] for p in problems
    ), result.stderr[-2000:]


def test_a_file_larger_than_the_limit_is_not_read_whole(tmp_path: Path) -> None:
    """The size is checked before decoding: a 50 MB file costs no 50 MB string."""
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.write(b"network:\n  description: ")
        stream.write(b"x" * 50_000_000)
    from confluence_sync.config.yaml_source import read_yaml

    loaded = read_yaml(path)
    assert loaded.data is None
    assert [str(p) for p in loaded.problems] == [
        f"{path}:1:1: (top level): the file is 50,000,024 bytes; a config may have at most "
        "2,097,152"
    ]
