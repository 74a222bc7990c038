"""CQL parsing and evaluation against simple candidates."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from confluence_sync.localwiki.rules import cql


@dataclass
class Doc:
    id: int = 1
    type: str = "page"
    title: str = "Meeting 2024"
    space_key: str = "NET"
    parent_id: int | None = 10
    body: str = "minutes of the meeting"
    creator: str = "admin"
    created: str = "2024-05-01T10:00:00.000Z"
    lastmodified: str = "2024-06-02T08:30:00.000Z"
    tags: set[str] = field(default_factory=lambda: {"meeting"})
    chain: set[int] = field(default_factory=lambda: {5, 10})

    def labels(self) -> set[str]:
        return self.tags

    def ancestor_ids(self) -> set[int]:
        return self.chain


def matches(text: str, doc: Doc | None = None) -> bool:
    return cql.evaluate(cql.parse(text).where, doc or Doc())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('space = "NET" and type = page', True),
        ("space = net", True),  # space keys match case-insensitively
        ('title = "Meeting 2024"', True),
        ('title = "meeting 2024"', False),  # titles are exact
        ("label = meeting", True),
        ("label != meeting", False),
        ("parent = 10", True),
        ("ancestor = 5", True),
        ("ancestor = 7", False),
        ("label in (a, meeting)", True),
        ("label not in (a, meeting)", False),
        ('title ~ "meet"', True),
        ('text ~ "minutes"', True),
        ("space = OTHER or label = meeting", True),
        ("(space = OTHER or label = x) and type = page", False),
        ("not space = OTHER", True),
        ("type = page order by title desc", True),
        ("TYPE = page AND SPACE = NET", True),
        ('created >= "2024-05-01"', True),
        ('created > "2024-05-01"', False),
        ('created < "2024-05-02"', True),
        ('lastmodified <= "2024-06-02" and lastmodified>"2024-06-01"', True),
        ('lastmodified < "2024-06-02"', False),
    ],
)
def test_evaluate(text: str, expected: bool) -> None:
    assert matches(text) is expected


def test_order_by_is_parsed() -> None:
    query = cql.parse("type = page order by lastmodified desc, title")
    assert query.order_by == [("lastmodified", True), ("title", False)]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "space =",
        "title > x",
        "space = NET and",
        "bogus = x",
        "(space = NET",
        "space NET",
        "label in (a,",
        "title = 'unterminated",
    ],
)
def test_invalid_cql_raises(text: str) -> None:
    with pytest.raises(cql.CqlError, match="Could not parse cql"):
        cql.parse(text)


def test_escaped_quotes_in_values() -> None:
    query = cql.parse(r'title = "Say \"hi\""')
    assert matches(r'title = "Say \"hi\""', Doc(title='Say "hi"'))
    assert query.where is not None


def test_narrowing_finds_pinned_values() -> None:
    query = cql.parse("space = A and type = page and label in (x, y)")
    assert cql.narrowing(query.where, "space") == ("A",)
    assert cql.narrowing(query.where, "label") == ("x", "y")
    assert cql.narrowing(cql.parse("space = A or label = x").where, "space") is None
