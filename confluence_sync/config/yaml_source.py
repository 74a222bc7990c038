"""Read a YAML config into plain Python values while keeping the position of every node.

PyYAML's ``compose`` gives a node tree whose nodes carry ``start_mark`` (0-based line and
column). We walk that tree ourselves instead of calling ``safe_load`` so that

* every value and every key keeps its place in the file (``Positions``), which lets every later
  problem - a wrong type, an unknown field, a dangling reference - name ``FILE:LINE:COL``;
* a key that appears twice in one mapping is an error instead of the last one silently winning;
* one bad scalar (``2026-02-30``) does not abort the whole load: it is kept as its text, and the
  model then reports it as a bad date together with everything else;
* a hostile file ends quickly with a located problem: the size, nesting and alias limits of
  ``yaml_guard`` are checked on the parser's events before anything is built, an explicit tag
  with a value it cannot take (``!!bool maybe``), a number beyond 64 bits and a character
  Confluence's storage format refuses (``"\\x01"``) are problems at their place, never a
  traceback.

Paths are tuples of mapping keys and sequence indexes, the same shape as pydantic's error
``loc``, so both speak the same language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from confluence_sync.config.yaml_guard import (
    MAX_FILE_BYTES,
    bad_characters,
    check_events,
    clean_text,
    describe_character,
    syntax_error_at,
)
from confluence_sync.errors import Problem

Loc = tuple[str | int, ...]

ROOT_PATH = "(top level)"
SYNTAX_PATH = "(yaml)"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_INT_TAG = "tag:yaml.org,2002:int"
_TAG_PREFIX = "tag:yaml.org,2002:"
# Wider integers are no value of any field; they also cannot be printed past Python's
# 4,300-digit int-to-text limit.
_MAX_INT_BITS = 64
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def format_path(loc: Loc) -> str:
    """``('working_groups', 0, 'host')`` -> ``working_groups[0].host``; ``()`` -> (top level)."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or ROOT_PATH


@dataclass
class Positions:
    """1-based (line, column) of every value node and of every mapping key, by path."""

    file: str
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def of_value(self, loc: Loc) -> tuple[int, int]:
        """Where the value at ``loc`` starts; for a path that does not exist (a missing field),
        the nearest enclosing node that does - the mapping that lacks the field."""
        for end in range(len(loc), -1, -1):
            found = self.values.get(loc[:end])
            if found is not None:
                return found
        return (1, 1)

    def of_key(self, loc: Loc) -> tuple[int, int]:
        """Where the key of ``loc`` is written (for unknown fields); falls back to the value."""
        return self.keys.get(loc) or self.of_value(loc)

    def problem(self, loc: Loc, message: str, *, at_key: bool = False) -> Problem:
        """A Problem located at ``loc`` in this file."""
        line, column = self.of_key(loc) if at_key else self.of_value(loc)
        return Problem(self.file, line, column, format_path(loc), message)


@dataclass
class LoadedYaml:
    """The document as plain values (``None`` if it could not be read) plus positions and the
    problems found while reading (syntax errors, duplicate keys, unsupported YAML)."""

    data: Any
    positions: Positions
    problems: list[Problem]


def _mark(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Walker:
    """Turns a composed node tree into plain values, recording positions and problems."""

    def __init__(self, loader: yaml.SafeLoader, positions: Positions) -> None:
        self.loader = loader
        self.positions = positions
        self.problems: list[Problem] = []
        self._active: set[int] = set()  # ids of collections being walked: catches alias loops

    def value(self, node: Node, loc: Loc) -> Any:
        self.positions.values.setdefault(loc, _mark(node))
        if isinstance(node, ScalarNode):
            return self._scalar(node, loc)
        if id(node) in self._active:
            self.problems.append(self.positions.problem(loc, "recursive alias"))
            return None
        self._active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [self.value(item, (*loc, index)) for index, item in enumerate(node.value)]
            if isinstance(node, MappingNode):
                return self._mapping(node, loc)
        finally:
            self._active.discard(id(node))
        return None  # pragma: no cover - compose yields only the three node kinds

    def _report(self, node: Node, loc: Loc, message: str) -> None:
        line, column = _mark(node)
        self.problems.append(Problem(self.positions.file, line, column, format_path(loc), message))

    def _scalar(self, node: ScalarNode, loc: Loc) -> Any:
        """The scalar's value; a problem (and a harmless stand-in) where it has none we take."""
        implicit = self.loader.resolve(ScalarNode, node.value, (True, False))  # type: ignore[no-untyped-call]
        explicit = node.tag != implicit
        tag = node.tag.removeprefix(_TAG_PREFIX)
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError:
            self._report(node, loc, f"unsupported tag {node.tag}")
            return self._text(node, loc)
        except (ValueError, ArithmeticError, LookupError, AttributeError, TypeError):
            # PyYAML's constructors fail with plain exceptions on values their tag cannot
            # take: ``!!bool maybe`` (KeyError), ``!!timestamp nope`` (AttributeError),
            # ``!!int ""`` (IndexError), ``!!float x`` (ValueError).
            if explicit:
                self._report(node, loc, f"{_shown(node.value)} is no valid !!{tag} value")
            elif node.tag == _INT_TAG:  # Python's 4,300-digit limit of int(text)
                self._report(node, loc, _too_large(node.value))
            # Else e.g. ``2026-02-30``: it matches the timestamp pattern but is no date: keep
            # the text and let the model report it with the field's own message.
            return self._text(node, loc)
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int) and value.bit_length() > _MAX_INT_BITS:
            self._report(node, loc, _too_large(node.value))
            return None
        if isinstance(value, bytes | bytearray):
            self._report(node, loc, f"binary values (!!{tag}) are not supported; write text")
            return None
        if isinstance(value, str):
            return self._checked(node, loc, value)
        if isinstance(value, int | float | dt.date):
            return value
        self._report(node, loc, f"unsupported value of tag {node.tag}")
        return None

    def _text(self, node: ScalarNode, loc: Loc) -> str:
        return self._checked(node, loc, node.value)

    def _checked(self, node: Node, loc: Loc, text: str) -> str:
        """``text`` if Confluence's storage format can hold it; else a problem, and the text
        with the refused characters replaced (so no later message carries them)."""
        found = bad_characters(text)
        if found is None:
            return text
        char, index = found
        self._report(
            node,
            loc,
            f"the text contains {describe_character(char)} at character {index + 1}; "
            "Confluence pages are XML 1.0, which does not allow it",
        )
        return clean_text(text)

    def _mapping(self, node: MappingNode, loc: Loc) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                self.problems.append(
                    self.positions.problem(
                        loc, "merge keys ('<<') are not supported; write the fields out"
                    )
                )
                continue
            key = self._scalar(key_node, loc) if isinstance(key_node, ScalarNode) else None
            if key is None or isinstance(key, list | dict):
                line, column = _mark(key_node)
                self.problems.append(
                    Problem(
                        self.positions.file,
                        line,
                        column,
                        format_path(loc),
                        "a key must be a plain word",
                    )
                )
                continue
            if not isinstance(key, str):
                key = str(key)
            child = (*loc, key)
            if key in result:
                first_line = self.positions.keys[child][0]
                line, column = _mark(key_node)
                self.problems.append(
                    Problem(
                        self.positions.file,
                        line,
                        column,
                        format_path(child),
                        f"duplicate key '{key}' (first given on line {first_line})",
                    )
                )
                continue
            self.positions.keys[child] = _mark(key_node)
            result[key] = self.value(value_node, child)
        return result


def _syntax_problem(error: yaml.YAMLError, text: str, file: str) -> Problem:
    """A YAML error as a problem at its place in ``text``."""
    line, column, message = syntax_error_at(error, text)
    return Problem(file, line, column, SYNTAX_PATH, message)


def _too_large_file(file: str, size: int) -> LoadedYaml:
    return LoadedYaml(
        None,
        Positions(file),
        [
            Problem(
                file,
                1,
                1,
                ROOT_PATH,
                f"the file is {size:,} bytes; a config may have at most {MAX_FILE_BYTES:,}",
            )
        ],
    )


def parse_yaml(text: str, file: str) -> LoadedYaml:
    """Parse one YAML document from ``text``; ``file`` is the name used in problems."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        return _too_large_file(file, size)
    positions = Positions(file)
    # libyaml's parser is several times faster and gives the same marks; fall back if absent.
    guard = _SafeLoader(text)
    try:
        hit = check_events(guard)
    except yaml.YAMLError as error:
        return LoadedYaml(None, positions, [_syntax_problem(error, text, file)])
    finally:
        guard.dispose()
    if hit is not None:
        problem = Problem(file, hit.line + 1, hit.column + 1, SYNTAX_PATH, hit.message)
        return LoadedYaml(None, positions, [problem])
    loader = _SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as error:
            return LoadedYaml(None, positions, [_syntax_problem(error, text, file)])
        if node is None:
            return LoadedYaml(
                None,
                positions,
                [
                    Problem(
                        file,
                        1,
                        1,
                        ROOT_PATH,
                        "the file is empty; expected a mapping with network, organisations "
                        "and working_groups",
                    )
                ],
            )
        walker = _Walker(loader, positions)
        data = walker.value(node, ())
        return LoadedYaml(data, positions, walker.problems)
    finally:
        loader.dispose()


def _shown(text: str) -> str:
    """``text`` quoted for a message, cut to 40 characters."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _too_large(text: str) -> str:
    return (
        f"the number {_shown(text)} ({len(text)} characters) is too large (at most "
        f"{_MAX_INT_BITS} bits); write it in quotes if it is text"
    )


def read_yaml(path: Path) -> LoadedYaml:
    """Read and parse ``path``; an unreadable or non-UTF-8 file becomes a problem too."""
    file = str(path)
    try:
        with path.open("rb") as stream:  # never more than the limit into memory
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return LoadedYaml(
            None,
            Positions(file),
            [Problem(file, 1, 1, ROOT_PATH, f"cannot read the file: {error.strerror or error}")],
        )
    if len(raw) > MAX_FILE_BYTES:
        try:
            size = path.stat().st_size
        except OSError:
            size = len(raw)
        return _too_large_file(file, size)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return LoadedYaml(
            None,
            Positions(file),
            [Problem(file, line, 1, SYNTAX_PATH, "the file is not UTF-8 text")],
        )
    return parse_yaml(text, file)
