"""Confluence storage format (XHTML-based XML): strict parse, then normalise like Confluence.

Confluence rejects bodies that are not well-formed XML with a 400 "Error parsing xhtml: ..."
and rewrites what it stores, so no client can rely on byte-equal round trips. This module is
pure (no I/O) and reproduces both halves:

* parsing wraps the fragment in a root that declares the ``ac:``/``ri:``/``at:`` namespaces (storage
  bodies never declare them) and maps HTML named entities such as ``&nbsp;`` to numeric
  references first, because an XML parser only knows the five XML entities;
* normalising renames ``<b>``/``<i>`` to ``<strong>``/``<em>``, writes empty elements as
  ``<br />``, quotes every attribute with ``"``, gives each macro an ``ac:macro-id`` and
  re-emits ``ac:plain-text-body`` text as CDATA.

Imports: nothing of the local wiki.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.entities import name2codepoint

AC_NS = "http://atlassian.com/content"
RI_NS = "http://atlassian.com/resource/identifier"
AT_NS = "http://atlassian.com/template"  # page template variables: <at:var at:name="..."/>
_PREFIXES = {AC_NS: "ac", RI_NS: "ri", AT_NS: "at"}
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_ENTITY_RE = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_RENAMES = {"b": "strong", "i": "em"}
_MACROS = frozenset({"structured-macro", "macro"})
_CDATA_BODIES = frozenset({"plain-text-body", "plain-text-link-body"})


class XhtmlError(ValueError):
    """The body is not well-formed storage XML (Confluence's XhtmlException: "Error parsing
    xhtml"); the message is Confluence's wording. Named apart from the client's own
    ``wiki.storage.StorageFormatError``, which checks what the sync is about to send."""


def _entity_to_numeric(match: re.Match[str]) -> str:
    name = match.group(1)
    if name in _XML_ENTITIES:
        return match.group(0)
    code = name2codepoint.get(name)
    # An unknown entity is left alone so the XML parser reports it, as Confluence does.
    return f"&#{code};" if code is not None else match.group(0)


def parse(body: str) -> ET.Element:
    """Parse a storage fragment; raise XhtmlError with a Confluence-like message."""
    if "]]>" in _strip_cdata(body):
        raise XhtmlError(
            "Error parsing xhtml: String ']]>' not allowed in textual content, "
            "except as the end marker of CDATA section"
        )
    text = _ENTITY_RE.sub(_entity_to_numeric, body)
    wrapped = (
        f'<localwiki-root xmlns:ac="{AC_NS}" xmlns:ri="{RI_NS}" xmlns:at="{AT_NS}">'
        f"{text}</localwiki-root>"
    )
    try:
        return ET.fromstring(wrapped)
    except ET.ParseError as error:
        line, column = error.position
        raise XhtmlError(
            f"Error parsing xhtml: {_reason(error)}\n at [row,col {{unknown-source}}]: "
            f"[{line},{column}]"
        ) from None


def _reason(error: ET.ParseError) -> str:
    return str(error).split(":", 1)[0]


def _strip_cdata(body: str) -> str:
    return re.sub(r"<!\[CDATA\[.*?\]\]>", "", body, flags=re.DOTALL)


def validate(body: str) -> None:
    """Raise XhtmlError when Confluence would reject the body."""
    parse(body)


def normalise(body: str, *, new_id: Callable[[], str] | None = None) -> str:
    """Return the body as Confluence would store it (parse first; raises on bad XML)."""
    return serialise(parse(body), new_id=new_id)


def serialise(root: ET.Element, *, new_id: Callable[[], str] | None = None) -> str:
    """The children of a parsed (and maybe rewritten) root, written as Confluence stores them."""
    make_id = new_id or (lambda: str(uuid.uuid4()))
    out: list[str] = [_escape_text(root.text or "")]
    for child in root:
        _write(child, out, make_id)
        out.append(_escape_text(child.tail or ""))
    return "".join(out)


def _qname(tag: str) -> tuple[str, str]:
    """Map ``{uri}local`` to (``prefix:local``, local)."""
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        prefix = _PREFIXES.get(uri)
        return (f"{prefix}:{local}" if prefix else local), local
    return _RENAMES.get(tag, tag), tag


def _write(element: ET.Element, out: list[str], make_id: Callable[[], str]) -> None:
    name, local = _qname(str(element.tag))
    attrs = {
        _qname(key)[0] if key.startswith("{") else key: value
        for key, value in element.attrib.items()
    }
    if name.startswith("ac:") and local in _MACROS and "ac:macro-id" not in attrs:
        attrs["ac:macro-id"] = make_id()
    rendered = "".join(f' {key}="{_escape_attr(value)}"' for key, value in attrs.items())
    children = list(element)
    text = element.text or ""
    if not children and not text:
        out.append(f"<{name}{rendered} />")
        return
    out.append(f"<{name}{rendered}>")
    if name.startswith("ac:") and local in _CDATA_BODIES and not children:
        # Confluence keeps plain bodies as CDATA; a literal "]]>" has to be split in two.
        out.append("<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>")
    else:
        out.append(_escape_text(text))
        for child in children:
            _write(child, out, make_id)
            out.append(_escape_text(child.tail or ""))
    out.append(f"</{name}>")


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attr(text: str) -> str:
    return _escape_text(text).replace('"', "&quot;")


def plain_text(body: str) -> str:
    """Text content of a (valid) storage body, for CQL ``text ~`` and excerpts."""
    try:
        root = parse(body)
    except XhtmlError:
        return body
    return " ".join("".join(root.itertext()).split())
