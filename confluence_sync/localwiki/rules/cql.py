"""A small CQL (Confluence Query Language) parser and evaluator; pure, no I/O.

Supported: fields ``space``, ``space.key``, ``type``, ``title``, ``label``, ``parent``,
``ancestor``, ``id``, ``content``, ``text``, ``creator``, ``created``, ``lastmodified``;
operators ``=``, ``!=``, ``~``, ``!~``, ``in (...)``, ``not in (...)`` and, for the two dates
(ISO text such as ``"2024-05-01"``), ``<``, ``<=``, ``>``, ``>=``; ``and``, ``or``, ``not``
and parentheses; a trailing ``order by`` clause is parsed (``title``, ``created``,
``lastmodified``, ``id``). Keywords are case-insensitive, values may be quoted with ``"`` or
``'`` (backslash escapes) or bare words.

Imports: nothing of the local wiki; a caller hands candidates in through ``Candidate``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

FIELDS = frozenset(
    {
        "space",
        "space.key",
        "type",
        "title",
        "label",
        "parent",
        "ancestor",
        "id",
        "content",
        "text",
        "creator",
        "space.type",
        "created",
        "lastmodified",
    }
)
_TOKEN_RE = re.compile(
    r"""\s*(?:(?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(?P<op>!=|!~|<=|>=|=|~|<|>|\(|\)|,)"""
    r"""|(?P<word>[^\s=!~<>(),"']+))"""
)


_DATES = frozenset({"created", "lastmodified"})
_ORDERED_OPS = frozenset({"<", "<=", ">", ">="})


class CqlError(ValueError):
    """The query cannot be parsed; the message follows Confluence's "Could not parse cql"."""


class Candidate(Protocol):
    """What a query is evaluated against: one piece of content."""

    @property
    def id(self) -> int: ...

    @property
    def type(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def space_key(self) -> str: ...

    @property
    def parent_id(self) -> int | None: ...

    @property
    def body(self) -> str: ...

    @property
    def creator(self) -> str: ...

    @property
    def created(self) -> str: ...

    @property
    def lastmodified(self) -> str: ...

    def labels(self) -> set[str]: ...

    def ancestor_ids(self) -> set[int]: ...


@dataclass(frozen=True)
class Clause:
    field: str
    op: str  # "=", "!=", "~", "!~", "in", "not in", "<", "<=", ">", ">="
    values: tuple[str, ...]


@dataclass(frozen=True)
class Bool:
    op: str  # "and", "or"
    left: Node
    right: Node


@dataclass(frozen=True)
class Not:
    inner: Node


Node = Clause | Bool | Not


@dataclass(frozen=True)
class Query:
    where: Node | None
    order_by: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if match is None or match.end() == pos:
            raise CqlError(f"Could not parse cql : {text}")
        pos = match.end()
        if match.group("str") is not None:
            raw = match.group("str")[1:-1]
            out.append(("str", re.sub(r"\\(.)", r"\1", raw)))
        elif match.group("op") is not None:
            out.append(("op", match.group("op")))
        elif match.group("word") is not None:
            out.append(("word", match.group("word")))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    def fail(self) -> CqlError:
        return CqlError(f"Could not parse cql : {self.text}")

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def peek_word(self) -> str:
        tok = self.peek()
        return tok[1].lower() if tok and tok[0] == "word" else ""

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise self.fail()
        self.i += 1
        return tok

    def expect_op(self, op: str) -> None:
        if self.take() != ("op", op):
            raise self.fail()

    def query(self) -> Query:
        where = None if self.peek_word() == "order" else self.or_expr()
        order: list[tuple[str, bool]] = []
        if self.peek_word() == "order":
            self.take()
            if self.peek_word() != "by":
                raise self.fail()
            self.take()
            while True:
                kind, name = self.take()
                if kind != "word":
                    raise self.fail()
                desc = False
                if self.peek_word() in ("asc", "desc"):
                    desc = self.take()[1].lower() == "desc"
                order.append((name.lower(), desc))
                if self.peek() != ("op", ","):
                    break
                self.take()
        if self.peek() is not None or (where is None and not order):
            raise self.fail()
        return Query(where, order)

    def or_expr(self) -> Node:
        node = self.and_expr()
        while self.peek_word() == "or":
            self.take()
            node = Bool("or", node, self.and_expr())
        return node

    def and_expr(self) -> Node:
        node = self.unary()
        while self.peek_word() == "and":
            self.take()
            node = Bool("and", node, self.unary())
        return node

    def unary(self) -> Node:
        if self.peek_word() == "not":
            self.take()
            return Not(self.unary())
        if self.peek() == ("op", "("):
            self.take()
            node = self.or_expr()
            self.expect_op(")")
            return node
        return self.clause()

    def clause(self) -> Clause:
        kind, name = self.take()
        name = name.lower()
        if kind != "word" or name not in FIELDS:
            raise self.fail()
        tok = self.take()
        if tok[0] == "op" and tok[1] in ("=", "!=", "~", "!~"):
            return Clause(name, tok[1], (self.value(),))
        if tok[0] == "op" and tok[1] in _ORDERED_OPS and name in _DATES:
            return Clause(name, tok[1], (self.value(),))
        op = tok[1].lower()
        if tok[0] == "word" and op == "not" and self.peek_word() == "in":
            self.take()
            op = "not in"
        elif tok[0] != "word" or op != "in":
            raise self.fail()
        self.expect_op("(")
        values = [self.value()]
        while self.peek() == ("op", ","):
            self.take()
            values.append(self.value())
        self.expect_op(")")
        return Clause(name, op, tuple(values))

    def value(self) -> str:
        kind, text = self.take()
        if kind == "op":
            raise self.fail()
        return text


def parse(text: str) -> Query:
    """Parse CQL text into a Query; raise CqlError when it is not valid CQL."""
    if not text or not text.strip():
        raise CqlError("Could not parse cql : ")
    return _Parser(text).query()


def _field_values(candidate: Candidate, name: str) -> set[str]:
    if name in ("space", "space.key"):
        return {candidate.space_key.lower()}
    if name == "type":
        return {candidate.type}
    if name == "title":
        return {candidate.title}
    if name == "label":
        return {label.lower() for label in candidate.labels()}
    if name in ("id", "content"):
        return {str(candidate.id)}
    if name == "parent":
        return {str(candidate.parent_id)} if candidate.parent_id is not None else set()
    if name == "ancestor":
        return {str(a) for a in candidate.ancestor_ids()}
    if name == "creator":
        return {candidate.creator}
    if name == "created":
        return {candidate.created}
    if name == "lastmodified":
        return {candidate.lastmodified}
    if name == "text":
        return {candidate.title, candidate.body}
    return set()


def _norm(name: str, value: str) -> str:
    return value.lower() if name in ("space", "space.key", "label") else value


def _matches(candidate: Candidate, clause: Clause) -> bool:
    have = _field_values(candidate, clause.field)
    if clause.op in _ORDERED_OPS:
        # ISO timestamps order as text; a bare date compares with the day's start.
        stamp, bound = next(iter(have)), clause.values[0]
        return {
            "<": stamp < bound,
            "<=": stamp[: len(bound)] <= bound,
            ">": stamp[: len(bound)] > bound,
            ">=": stamp >= bound,
        }[clause.op]
    wanted = [_norm(clause.field, v) for v in clause.values]
    if clause.op in ("~", "!~"):
        needle = wanted[0].strip("*").lower()
        hit = any(needle in h.lower() for h in have)
        return hit if clause.op == "~" else not hit
    hit = any(w in have for w in wanted)
    return hit if clause.op in ("=", "in") else not hit


def evaluate(node: Node | None, candidate: Candidate) -> bool:
    """True when the candidate satisfies the query's where-clause (None matches all)."""
    if node is None:
        return True
    if isinstance(node, Clause):
        return _matches(candidate, node)
    if isinstance(node, Not):
        return not evaluate(node.inner, candidate)
    if node.op == "and":
        return evaluate(node.left, candidate) and evaluate(node.right, candidate)
    return evaluate(node.left, candidate) or evaluate(node.right, candidate)


def narrowing(node: Node | None, name: str) -> Sequence[str] | None:
    """Values that a top-level ``and`` chain pins ``name`` to, so a store can pre-filter."""
    if isinstance(node, Clause) and node.field == name and node.op in ("=", "in"):
        return node.values
    if isinstance(node, Bool) and node.op == "and":
        return narrowing(node.left, name) or narrowing(node.right, name)
    return None
