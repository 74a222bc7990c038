"""Confluence storage format: strict well-formedness checks and a position-keeping scanner.

A storage body is an XML *fragment*: it never declares the ``ac:`` (Atlassian constructs),
``ri:`` (resource identifiers) or ``at:`` (template variables) prefixes, and it may use HTML
named entities such as ``&nbsp;`` or ``&auml;`` that plain XML does not know. Confluence
rejects anything that is not well-formed with a 400 "Error parsing xhtml", so every body we
render is checked here before it can reach a plan.

How the fragment is made parseable: it is put, byte for byte, after a one-line prefix made of a
``<!DOCTYPE>`` whose internal subset declares exactly the named entities the body uses, and a
root element that declares the three namespaces. Declaring the entities (instead of rewriting
``&nbsp;`` to ``&#160;`` first) keeps every byte offset of the body intact, which is what the
managed-region code needs to splice a page without re-serialising it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import xml.parsers.expat as expat
from dataclasses import dataclass
from html.entities import html5, name2codepoint
from typing import Final, Literal

from confluence_sync.errors import ConfluenceSyncError

AC_NS: Final = "http://atlassian.com/content"
RI_NS: Final = "http://atlassian.com/resource/identifier"
AT_NS: Final = "http://atlassian.com/template"
NAMESPACES: Final = {"ac": AC_NS, "ri": RI_NS, "at": AT_NS}
_PREFIX_OF: Final = {uri: prefix for prefix, uri in NAMESPACES.items()}

_ROOT: Final = "cs-storage-root"
_XML_ENTITIES: Final = frozenset({"amp", "lt", "gt", "quot", "apos"})
_ENTITY_RE: Final = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")


class StorageFormatError(ConfluenceSyncError):
    """A body is not well-formed storage XHTML; Confluence would answer 400."""

    def __init__(self, reason: str, *, line: int, column: int, excerpt: str, what: str) -> None:
        super().__init__(
            f"{what} is not well-formed storage format: {reason} at line {line}, "
            f"column {column}: {excerpt!r}",
            hint="close every element, quote attributes, escape & < > in text; "
            "in a custom template, use {{ value }} (auto-escaped) rather than |safe",
        )
        self.reason = reason
        self.line = line
        self.column = column


def _entity_text(name: str) -> str | None:
    """Replacement text of an HTML named entity, or None when HTML does not define it."""
    code = name2codepoint.get(name)
    if code is not None:
        return chr(code)
    return html5.get(name + ";")


def _prefix(body: str) -> str:
    """DOCTYPE + root start tag for ``body``; one line, so body line numbers stay right."""
    declared = []
    for name in sorted({m.group(1) for m in _ENTITY_RE.finditer(body)} - _XML_ENTITIES):
        text = _entity_text(name)
        if text is not None:  # unknown names stay undeclared so expat names them
            refs = "".join(f"&#{ord(ch)};" for ch in text)
            declared.append(f'<!ENTITY {name} "{refs}">')
    xmlns = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
    doctype = f"<!DOCTYPE {_ROOT} [{''.join(declared)}]>" if declared else ""
    return f"{doctype}<{_ROOT} {xmlns}>"


def _error(
    body: str, prefix: str, err: expat.ExpatError | ET.ParseError, what: str
) -> StorageFormatError:
    if isinstance(err, ET.ParseError):
        line, column = err.position
        reason = str(err).split(":", 1)[0]
    else:
        line, column = err.lineno, err.offset
        reason = expat.ErrorString(err.code) or "not well-formed"
    if line == 1:
        column -= len(prefix)
    column = max(column, 0)
    lines = body.splitlines() or [""]
    source_line = lines[min(line, len(lines)) - 1]
    if line >= len(lines) and column >= len(source_line):
        # The parser only noticed at our closing root tag, after the body.
        reason, column = "the body ends while an element is still open", len(source_line)
    if "]]>" in source_line[max(column - 3, 0) : column + 1]:
        reason = "']]>' is not allowed in text (it ends CDATA sections); write ']]&gt;'"
    if reason.startswith("undefined entity"):
        match = _ENTITY_RE.match(source_line, column)
        if match:
            reason = f"unknown entity &{match.group(1)}; (HTML defines no such name)"
    excerpt = source_line[max(column - 30, 0) : column + 30]
    # ``line``/``column`` are 1-based / 0-based as expat reports them; we show 1-based columns.
    return StorageFormatError(reason, line=line, column=column + 1, excerpt=excerpt, what=what)


def parse_storage(body: str, *, what: str = "the page body") -> ET.Element:
    """Parse a storage fragment into a tree under a synthetic root; raise StorageFormatError.

    Tags and attributes of the ``ac:``/``ri:``/``at:`` prefixes come back as ``{uri}local``;
    use :func:`qname` to turn them back into ``prefix:local``.
    """
    prefix = _prefix(body)
    parser = ET.XMLParser()
    try:
        parser.feed(prefix + body + f"</{_ROOT}>")
        return parser.close()
    except ET.ParseError as err:
        raise _error(body, prefix, err, what) from None


def check_storage(body: str, *, what: str = "the page body") -> None:
    """Raise StorageFormatError unless ``body`` is well-formed storage format."""
    parse_storage(body, what=what)


def qname(name: str) -> str:
    """``{uri}local`` → ``prefix:local`` for our three namespaces; other names unchanged."""
    if name.startswith("{"):
        uri, local = name[1:].split("}", 1)
        prefix = _PREFIX_OF.get(uri)
        return f"{prefix}:{local}" if prefix else local
    return name


@dataclass(frozen=True)
class Event:
    """One element boundary of a body, located in the body's UTF-8 bytes.

    ``start``..``end`` is the byte span of the start tag (kind ``start``) or of the end tag
    (kind ``end``; for an empty element ``<x/>`` it is the empty span right after the tag).
    ``depth`` is 1 for top-level elements of the body; text has the depth of its parent.
    """

    kind: Literal["start", "end", "text"]
    name: str
    attrs: tuple[tuple[str, str], ...]
    text: str
    start: int
    end: int
    depth: int


_TAG_END: Final = re.compile(rb"""(?:[^>"']|"[^"]*"|'[^']*')*>""")


def _tag_end(data: bytes, index: int) -> int:
    """Offset just past the ``>`` that closes the tag starting at ``index`` (quotes honoured)."""
    match = _TAG_END.match(data, index)
    return match.end() if match else len(data)


def scan(body: str, *, what: str = "the page body") -> list[Event]:
    """Element and text events of ``body`` with byte offsets into ``body.encode()``.

    Entities are expanded in ``text``; whitespace-only text is not reported. Offsets always
    refer to the original bytes, so a caller can cut the body between two events and keep
    everything else as it was.
    """
    prefix = _prefix(body)
    head = prefix.encode()
    data = head + body.encode() + f"</{_ROOT}>".encode()
    offset = len(head)
    events: list[Event] = []
    open_tags: list[bool] = []  # per open element: was its start tag ``<x .../>``?
    depth = 0
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = False

    names: dict[str, str] = {}

    def name_of(raw: str) -> str:
        name = names.get(raw)
        if name is None:
            name = names[raw] = qname("{" + raw) if "}" in raw else raw
        return name

    def on_start(raw: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth == 1:
            return
        index = parser.CurrentByteIndex
        end = _tag_end(data, index)
        open_tags.append(data[end - 2 : end] == b"/>")
        pairs = tuple((name_of(k), v) for k, v in attrs.items())
        events.append(
            Event("start", name_of(raw), pairs, "", index - offset, end - offset, depth - 1)
        )

    def on_end(raw: str) -> None:
        nonlocal depth
        depth -= 1
        if depth == 0:
            return
        index = parser.CurrentByteIndex
        if open_tags.pop():  # empty element: its end is the point right after ``<x .../>``
            end_of_start = events[-1].end + offset
            span = (end_of_start - offset, end_of_start - offset)
        else:
            span = (index - offset, _tag_end(data, index) - offset)
        events.append(Event("end", name_of(raw), (), "", span[0], span[1], depth))

    def on_text(text: str) -> None:
        if text.isspace():  # layout whitespace; no caller needs it, and it is most events
            return
        index = parser.CurrentByteIndex
        events.append(Event("text", "", (), text, index - offset, index - offset, depth - 1))

    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.CharacterDataHandler = on_text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as err:
        raise _error(body, prefix, err, what) from None
    return events
