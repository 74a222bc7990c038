"""The Data Center editor's save: TinyMCE's editor HTML converted back to storage.

Every rule below is a difference between what was stored and what the editor writes back;
each cites the real storage that shows it.

Imports: ``rules.editor.tree`` only.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from confluence_sync.localwiki.rules.editor.tree import (
    AC,
    CONTAINERS,
    Ids,
    Node,
    SaveContext,
    assemble,
    boxed,
    column_count,
    name_of,
    new,
    same_space_link,
    setdefault,
    split_nodes,
    wrap_inline_runs,
)


def dc(element: ET.Element, name: str, context: SaveContext, ids: Ids) -> None:
    if name == "ac:structured-macro":
        setdefault(element, "ac:schema-version", "1")
        setdefault(element, "ac:macro-id", ids.uuid())
    elif name == "table":
        # DC tables saved in the editor: class="wrapped" and a colgroup of <col />
        # (real storage: <table class="wrapped"><colgroup><col /><col /></colgroup>).
        classes = (element.get("class") or "").split()
        element.set("class", " ".join(dict.fromkeys(["wrapped", *classes])))
        columns = column_count(element)
        if columns and not any(name_of(c) == "colgroup" for c in element):
            group = new("colgroup")
            group.extend(new("col") for _ in range(columns))
            element.insert(0, group)
    elif name in ("td", "th"):
        _dc_cell(element, ids)
    elif name == "li":
        # TinyMCE keeps list-item text bare: a lone paragraph is unwrapped (Atlassian's
        # storage format page writes list items as <li>text</li>).
        nodes = split_nodes(element)
        kids = [n for n in nodes if not isinstance(n, str) or n.strip()]
        lone = kids[0] if len(kids) == 1 else None
        assemble(
            element,
            split_nodes(lone) if isinstance(lone, ET.Element) and name_of(lone) == "p" else nodes,
        )
    elif name == "ac:link":
        body = next((c for c in element if name_of(c) == "ac:link-body"), None)
        if body is not None and not len(body):
            # "All links received from the editor will be stored as plain text by default"
            # (Atlassian, Confluence Storage Format, "A note about link bodies").
            body.tag = AC + "plain-text-link-body"
    elif name in ("ri:page", "ri:blog-post"):
        same_space_link(element, context)
    for child in list(element):
        dc(child, name_of(child), context, ids)
    if name in CONTAINERS:
        _auto_cursor_targets(element)


def _dc_cell(cell: ET.Element, ids: Ids) -> None:
    """DC cells: an empty one holds ``<br />``; one with a macro or a date is wrapped in
    ``<div class="content-wrapper">`` with its text in paragraphs and a no-break space after
    a trailing macro or date (real storage: ``<td><div class="content-wrapper"><p><time
    datetime="2026-10-11" />&nbsp;</p></div></td>``)."""
    if not any(not isinstance(n, str) or n.strip() for n in _nodes_copy(cell)):
        assemble(cell, [new("br")])
        return
    special = [e for e in cell.iter() if name_of(e) in ("ac:structured-macro", "time")]
    if not special or any(name_of(c) == "div" for c in cell):
        return
    wrap_inline_runs(cell, lambda: new("p"))
    for paragraph in (c for c in cell if name_of(c) == "p" and len(c)):
        last = paragraph[-1]
        if name_of(last) in ("ac:structured-macro", "time") and not (last.tail or "").strip():
            last.tail = "\xa0"
    wrapper = new("div", {"class": "content-wrapper"})
    assemble(wrapper, split_nodes(cell))
    assemble(cell, [wrapper])


def _nodes_copy(element: ET.Element) -> list[Node]:
    return [element.text or "", *[n for c in element for n in (c, c.tail or "")]]


def _auto_cursor_targets(container: ET.Element) -> None:
    """TinyMCE's cursor paragraphs: ``<p class="auto-cursor-target"><br /></p>`` before a
    macro or table that opens a container, between two such blocks, and after one that
    closes it (real DC storage: ``<p class="auto-cursor-target"><br /></p><ac:structured-macro
    ac:name="content-layer" …><ac:rich-text-body><p class="auto-cursor-target"><br /></p>``)."""
    nodes = split_nodes(container)
    result: list[Node] = []
    previous: ET.Element | None = None
    for node in nodes:
        if isinstance(node, ET.Element):
            if boxed(node) and (previous is None or boxed(previous)):
                result.append(_cursor())
            previous = node
        elif node.strip():
            previous = None  # words of a container's own: the cursor has a place
        result.append(node)
    if previous is not None and boxed(previous):
        result.append(_cursor())
    assemble(container, result)


def _cursor() -> ET.Element:
    paragraph = new("p", {"class": "auto-cursor-target"})
    paragraph.append(new("br"))
    return paragraph
