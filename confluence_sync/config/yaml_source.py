"""Read a YAML config into plain Python values while keeping the position of every node.

PyYAML's ``compose`` gives a node tree whose nodes carry ``start_mark`` (0-based line and
column). We walk that tree ourselves instead of calling ``safe_load`` so that

* every value and every key keeps its place in the file (``Positions``), which lets every later
  problem - a wrong type, an unknown field, a dangling reference - name ``FILE:LINE:COL``;
* a key that appears twice in one mapping is an error instead of the last one silently winning;
* one bad scalar (``2026-02-30``) does not abort the whole load: it is kept as its text, and the
  model then reports it as a bad date together with everything else.

Paths are tuples of mapping keys and sequence indexes, the same shape as pydantic's error
``loc``, so both speak the same language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from confluence_sync.errors import Problem

Loc = tuple[str | int, ...]

ROOT_PATH = "(top level)"
SYNTAX_PATH = "(yaml)"
_MERGE_TAG = "tag:yaml.org,2002:merge"
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
            try:
                return self._scalar(node)
            except yaml.YAMLError:
                self.problems.append(self.positions.problem(loc, f"unsupported tag {node.tag}"))
                return node.value
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

    def _scalar(self, node: ScalarNode) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except ValueError:
            # e.g. ``2026-02-30`` matches the timestamp pattern but is no date: keep the text
            # and let the model report it with the field's own message.
            return node.value

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
            try:
                key = self._scalar(key_node) if isinstance(key_node, ScalarNode) else None
            except yaml.YAMLError:
                key = None
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


def parse_yaml(text: str, file: str) -> LoadedYaml:
    """Parse one YAML document from ``text``; ``file`` is the name used in problems."""
    positions = Positions(file)
    # libyaml's parser is several times faster and gives the same marks; fall back if absent.
    loader = _SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            message = (
                " ".join(part for part in (error.context, error.problem) if part)
                or "not valid YAML"
            )
            return LoadedYaml(
                None,
                positions,
                [Problem(file, line, column, SYNTAX_PATH, f"YAML syntax error: {message}")],
            )
        except yaml.YAMLError as error:
            return LoadedYaml(
                None, positions, [Problem(file, 1, 1, SYNTAX_PATH, f"YAML syntax error: {error}")]
            )
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


def read_yaml(path: Path) -> LoadedYaml:
    """Read and parse ``path``; an unreadable or non-UTF-8 file becomes a problem too."""
    file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return LoadedYaml(
            None,
            Positions(file),
            [Problem(file, 1, 1, ROOT_PATH, f"cannot read the file: {error.strerror or error}")],
        )
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
