"""The canonical form of releases up to the editor-tolerant one, frozen: do not change it.

Region hashes stored in existing wikis (space index, page markers) were made with this form.
``confluence_sync.wiki.canonical.recorded_matches`` accepts a stored hash when it equals either the
current form's hash or this one's, so an upgrade does not turn every region into a conflict;
every region the sync writes afterwards is recorded in the current form. Any change here would
make those stored hashes meaningless again.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Final

from confluence_sync.wiki.storage import parse_storage, qname

# Same meaning, different spelling: the editor may store a link's text either way.
_RENAMES: Final = {"b": "strong", "i": "em", "ac:plain-text-link-body": "ac:link-body"}
# Attributes Confluence adds or rewrites by itself; they carry no meaning members see.
_IGNORED_ATTRS: Final = frozenset(
    {"ac:macro-id", "ac:schema-version", "ac:local-id", "local-id", "ac:task-uuid"}
)
# Elements the server (re)numbers itself, and column widths the editors add to tables.
_IGNORED_ELEMENTS: Final = frozenset({"ac:task-id", "ac:task-uuid", "colgroup"})
# Classes the Data Center editor puts on tables it saved; they change nothing members see.
_IGNORED_CLASSES: Final = frozenset({"wrapped", "relative-table", "fixed-table"})
_BLOCKS: Final = frozenset(
    """p h1 h2 h3 h4 h5 h6 ul ol li table thead tbody tfoot tr th td colgroup col div blockquote
    hr pre ac:structured-macro ac:parameter ac:rich-text-body ac:plain-text-body ac:task-list
    ac:task ac:task-status ac:task-body ac:layout ac:layout-section ac:layout-cell
    at:declarations at:string at:textarea at:list at:option cs-storage-root""".split()  # noqa: SIM905
)
_VERBATIM: Final = frozenset({"pre", "ac:plain-text-body"})
# Wrappers that mark where something hangs off the text (an inline comment) without changing
# the words: a member commenting on a sentence in a region has not edited it.
_UNWRAPPED: Final = frozenset({"ac:inline-comment-marker"})
_UNWRAP_SINGLE_P: Final = frozenset({"li", "td", "th", "ac:task-body"})
_SPACE_RE: Final = re.compile(r"[ \t\r\n]+")


def _name(tag: str) -> str:
    name = qname(tag)
    return _RENAMES.get(name, name)


def _items(element: ET.Element) -> list[str | ET.Element]:
    items: list[str | ET.Element] = [element.text or ""]
    for child in element:
        if _name(str(child.tag)) in _UNWRAPPED:
            items.extend(_items(child))  # its words stay, in place; the wrapper goes
        else:
            items.append(child)
        items.append(child.tail or "")
    return items


def _significant(items: Iterable[str | ET.Element]) -> list[str | ET.Element]:
    return [i for i in items if not isinstance(i, str) or i.strip()]


def _escape(text: str, *, attr: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if attr else text


def _write(element: ET.Element, out: list[str]) -> None:
    name = _name(str(element.tag))
    if name in _IGNORED_ELEMENTS:
        return
    attrs = sorted(
        (qname(key), value)
        for key, value in element.attrib.items()
        if qname(key) not in _IGNORED_ATTRS and not qname(key).startswith("data-")
    )
    attrs = [
        (key, " ".join(sorted(set(value.split()) - _IGNORED_CLASSES)) if key == "class" else value)
        for key, value in attrs
    ]
    attrs = [(key, value) for key, value in attrs if key != "class" or value]
    rendered = "".join(f' {key}="{_escape(value, attr=True)}"' for key, value in attrs)
    inner = _inner(element, name)
    out.append(f"<{name}{rendered}>{inner}</{name}>" if inner else f"<{name}{rendered}/>")


def _inner(element: ET.Element, name: str) -> str:
    items = _items(element)
    significant = _significant(items)
    if (
        name in _UNWRAP_SINGLE_P
        and len(significant) == 1
        and isinstance(significant[0], ET.Element)
        and _name(str(significant[0].tag)) == "p"
    ):
        items = _items(significant[0])
    # Drop what the server renumbers, then merge the text around it.
    merged: list[str | ET.Element] = []
    for item in items:
        if isinstance(item, ET.Element) and _name(str(item.tag)) in _IGNORED_ELEMENTS:
            item = item.tail or ""
        if isinstance(item, str) and merged and isinstance(merged[-1], str):
            merged[-1] += item
        else:
            merged.append(item)
    body: list[str] = []
    verbatim = name in _VERBATIM
    for index, item in enumerate(merged):
        if isinstance(item, ET.Element):
            _write(item, body)
            continue
        text = item if verbatim else _SPACE_RE.sub(" ", item)
        if not verbatim:
            prev = merged[index - 1] if index > 0 else None
            nxt = merged[index + 1] if index + 1 < len(merged) else None
            # Whitespace next to a block edge does not render, and Confluence moves it freely.
            if (prev is None and name in _BLOCKS) or _is_block(prev):
                text = text.lstrip(" ")
            if (nxt is None and name in _BLOCKS) or _is_block(nxt):
                text = text.rstrip(" ")
        body.append(_escape(text))
    return "".join(body)


def _is_block(item: str | ET.Element | None) -> bool:
    return isinstance(item, ET.Element) and _name(str(item.tag)) in _BLOCKS


def legacy_canonical(fragment: str) -> str:
    """The earlier normal form (server normalisation only, not the editors')."""
    return _inner(parse_storage(fragment, what="a region"), "cs-storage-root")


def legacy_region_hash(fragment: str) -> str:
    """``sha256:<hex>`` of :func:`legacy_canonical`, as earlier releases stored it."""
    return "sha256:" + hashlib.sha256(legacy_canonical(fragment).encode()).hexdigest()
