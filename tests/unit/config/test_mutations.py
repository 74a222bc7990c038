"""Property: whatever a mutated copy of config.example.yaml holds, ``validate`` ends with exit 0
or exit 3 and every problem at FILE:LINE:COL, and what it accepts, ``plan`` can render.

The mutations are those that broke the tool before: flipped bytes, duplicated and deleted
lines, hostile snippets (an alias bomb, deep nesting, huge numbers, core tags with values
they cannot take, control characters), random Unicode in strings and huge values. A file that
validates is then built into the wanted wiki the way ``plan`` builds it (every page rendered,
no network), and every page must fit Confluence's 5 MB body limit as the backends send it.

Reproducible and bounded: ``derandomize`` makes CI draw the same files each run; the deadline
bounds each example (a guard that stopped working would blow it).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from confluence_sync.cli import app
from confluence_sync.config import load_config
from confluence_sync.config.page_sizes import MAX_BODY
from confluence_sync.wanted.build import build_wanted
from tests.unit.config.conftest import EXAMPLE, TODAY

_LINES = EXAMPLE.read_bytes().split(b"\n")
_LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<path>[^:]+?): (?P<msg>.+)$")
_FIELD = re.compile(rb"^(\s*(?:- )?[a-z_]+: )(.+)$")
_KEY = re.compile(rb"^( *)[a-z_]+:")
_BOMB = b"\n".join(
    [b'lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [b"l%d: &%c [%s]" % (i, 98 + i, b",".join([b"*%c" % (97 + i)] * 9)) for i in range(8)]
)
SNIPPETS = [
    _BOMB,
    b"deep: " + b"[" * 500 + b"]" * 500,
    b"deep: " + b"{a: " * 200 + b"}" * 200,
    b"horizon: 0x" + b"f" * 5000,
    b"horizon: " + b"9" * 5000,
    b"rotate_hosts: !!bool maybe",
    b"start: !!timestamp nope",
    b'horizon: !!int ""',
    b"week: !!float x",
    b"city: !!binary aGFsbG8=",
    b"name: !!python/object:os.system x",
    b"city: Bre\x01men",
    b'name: "Netz\\x01"',
    b'name: "\\uFFFE"',
    b'name: "\\ud800"',
    b"name: *nowhere",
    b"x: &loop [*loop]",
    b"? [a, b]\n: c",
    b"--- a\n--- b",
    b"week: 1e400",
    b"horizon: .nan",
]
HOSTILE_CHARACTERS = [
    "\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9f", "\u2028", "\ufdd0", "\ufffe", "\uffff",
    "\U0001fffe", "\ud800", "🌱", "\u202e", "]]>", "<", "&", "{{", "{%", "\t", "'", '"', "ß",
]  # fmt: skip


# Snippets and Unicode weigh most: they are what broke the tool; flips mostly break the syntax.
_KINDS = ["flip", "dup", "del", "snippet", "snippet", "snippet", "unicode", "unicode", "huge"]


def _field(lines: list[bytes], index: int) -> re.Match[bytes] | None:
    return _FIELD.match(lines[index % len(lines)]) if lines else None


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """config.example.yaml with one to three mutations."""
    lines = list(_LINES)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(_KINDS))
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        if kind == "flip":
            data = bytearray(b"\n".join(lines))
            data[at * len(data) // max(len(lines), 1)] = draw(st.integers(0, 255))
            lines = bytes(data).split(b"\n")
        elif kind == "dup" and lines:
            lines.insert(at, lines[at])
        elif kind == "del" and lines:
            del lines[at]
        elif kind == "snippet":
            # Before a line that starts a mapping key, with its indentation: the snippet
            # becomes one more entry of that mapping, so it reaches the loader's later stages.
            keys = [i for i, line in enumerate(lines) if _KEY.match(line)] or [0]
            where = keys[at % len(keys)]
            indent = _KEY.match(lines[where]) if lines else None
            prefix = indent[1] if indent else b""
            snippet = draw(st.sampled_from(SNIPPETS))
            lines[where:where] = [prefix + line for line in snippet.split(b"\n")]
        elif (found := _field(lines, at)) is not None:
            if kind == "unicode":
                extra = "".join(
                    draw(
                        st.lists(st.sampled_from(HOSTILE_CHARACTERS) | st.characters(), min_size=1)
                    )
                )
                value = found[2].decode("utf-8", "replace") + extra
                quoted = draw(st.booleans())
                text = json.dumps(value) if quoted else value
                lines[at % len(lines)] = found[1] + text.encode("utf-8", "surrogatepass")
            else:
                size = draw(st.sampled_from([256, 2_001, 40_000, 600_000, 3_000_000]))
                unit = draw(st.sampled_from([b"x", "ä".encode(), b"<&", "🌱".encode()]))
                lines[at % len(lines)] = found[1] + unit * (size // len(unit))
    return b"\n".join(lines)


@contextmanager
def _default_recursion_limit() -> Iterator[None]:
    """Python's default limit, the one ``python -m confluence_sync`` runs under: Hypothesis
    raises the limit while it runs a test, which would hide a RecursionError."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


_TEXT_FIELD = re.compile(
    rb"^(\s*(?:- )?(?:name|city|role|title|place|sector|address|phone|description|purpose): )(.+)$"
)
_TEXT_LINES = [i for i, line in enumerate(_LINES) if _TEXT_FIELD.match(line)]


@st.composite
def unicode_in_a_text(draw: st.DrawFn) -> bytes:
    """config.example.yaml with random Unicode (any code point, surrogates too) added to one
    text field, written as a double-quoted YAML string so that the file stays valid YAML."""
    lines = list(_LINES)
    at = draw(st.sampled_from(_TEXT_LINES))
    found = _TEXT_FIELD.match(lines[at])
    assert found is not None
    characters = st.sampled_from(HOSTILE_CHARACTERS) | st.characters(exclude_categories=())
    extra = "".join(draw(st.lists(characters, min_size=1, max_size=8)))
    value = found[2].decode("utf-8").strip("'\"")
    lines[at] = found[1] + json.dumps(value + extra).encode()
    return b"\n".join(lines)


_SETTINGS = settings(
    database=None,  # derandomized: nothing to remember between runs
    deadline=dt.timedelta(seconds=10),
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@settings(_SETTINGS, max_examples=400)
@given(mutated())
def test_every_mutated_file_validates_or_is_refused_at_its_place(data: bytes) -> None:
    _holds_the_rule(data)


@settings(_SETTINGS, max_examples=200)
@given(unicode_in_a_text())
def test_any_unicode_in_a_text_validates_or_is_refused_at_its_place(data: bytes) -> None:
    _holds_the_rule(data)


def _holds_the_rule(data: bytes) -> None:
    """Exit 0 or 3; every problem at FILE:LINE:COL; accepted means plan can render it."""
    with tempfile.TemporaryDirectory() as folder, _default_recursion_limit():
        path = Path(folder) / "network.yaml"
        path.write_bytes(data)
        result = CliRunner().invoke(app, ["validate", str(path), "--today", TODAY.isoformat()])
        if result.exception is not None:
            assert isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 3), result.output
        event(f"exit {result.exit_code}")
        if result.exit_code == 3:
            problems = [_LOCATED.match(line) for line in result.stderr.splitlines()]
            located = [p for p in problems if p is not None]
            assert located, result.stderr
            assert all(p["file"] == str(path) for p in located)
            return
        # Accepted: what plan does next (build the wanted wiki, render every page) succeeds.
        wanted = build_wanted(load_config(path, today=TODAY), today=TODAY)
        for space in wanted.spaces:
            for page in space.pages:
                assert len(json.dumps(page.body)) < MAX_BODY, page.identity
