"""Numbers in requests, read the way Confluence reads them: as Java ``int`` and ``long``.

Confluence's ids are Java longs and its paging parameters (``start``, ``limit``) Java ints, so a
value outside their range never reaches a lookup there; here it would reach SQLite, whose
INTEGER is a signed 64-bit number too, and fail with an OverflowError (a 500). So every number
a client sends is parsed against the Java range first, and one that does not fit is refused
like any other malformed value:

* a path id (``/content/{id}``, ``/pages/{id}``): the route tables' ``int`` converter is
  :class:`PathId`, which hands an out-of-range or (v2) non-numeric id to the dispatcher as a
  :class:`BadId`; the dispatcher answers v1/DC with 404 and v2 with 400 (see ``errors.bad_id``);
* a query parameter or body field: :func:`parse_int` / :func:`parse_long` give ``None``, and
  the caller answers 400;
* a cursor (v2, and Cloud's CQL search) is base64 of an offset, an int like ``start``;
* an attachment id reads ``att<number>`` as on Confluence, or the number alone.

Imports: nothing of the local wiki.
"""

from __future__ import annotations

import base64
from typing import Any

from werkzeug.routing import BaseConverter, Map

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1


def _parse(raw: Any, low: int, high: int) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, str):
        text = raw.strip()
        digits = text[1:] if text[:1] in "+-" else text
        # ASCII digits only: int() would also take "１２" or "1_000", Java does not.
        if not digits.isascii() or not digits.isdigit():
            return None
        number = int(text)
    else:
        return None
    return number if low <= number <= high else None


def parse_int(raw: Any) -> int | None:
    """``raw`` (a string or an int) as a Java int, or None."""
    return _parse(raw, INT_MIN, INT_MAX)


def parse_long(raw: Any) -> int | None:
    """``raw`` (a string or an int) as a Java long, or None."""
    return _parse(raw, LONG_MIN, LONG_MAX)


def encode_cursor(offset: int) -> str:
    """The opaque cursor that resumes a listing at ``offset``."""
    return base64.urlsafe_b64encode(str(offset).encode()).decode()


def decode_cursor(cursor: str) -> int | None:
    """The offset in one of our cursors, or None for anything that is not one."""
    try:
        offset = parse_int(base64.urlsafe_b64decode(cursor.encode()).decode())
    except ValueError:  # not base64, or not text (binascii.Error, UnicodeDecodeError)
        return None
    return offset if offset is not None and offset >= 0 else None


def parse_attachment_id(raw: str) -> int | None:
    """``att123`` (or ``123``) as a Java long, or None."""
    return parse_long(raw[3:] if raw.startswith("att") else raw)


class BadId(str):
    """A path id that is no Java long; the dispatcher refuses it before any handler runs."""


class PathId(BaseConverter):
    """Decimal path ids (v1/DC): other text is no match (404, as for any unknown path), a
    number beyond a Java long becomes a :class:`BadId`."""

    regex = r"\d+"
    weight = 50  # as werkzeug's own int converter, so rule ordering stays the same

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(map)

    def to_python(self, value: str) -> int | BadId:
        number = parse_long(value)
        return BadId(value) if number is None else number

    def to_url(self, value: Any) -> str:
        return str(value)


class V2PathId(PathId):
    """v2 path ids: any segment matches, and whatever is not a Java long is a :class:`BadId`
    (Cloud answers a non-numeric id with 400 INVALID_REQUEST_PARAMETER, not 404)."""

    regex = r"[^/]+"
