"""The Cloud editor's save: the page goes through ADF and comes back as storage.

Every rule below is a difference between what was stored and what the editor writes back;
each cites the real storage that shows it.

Imports: ``rules.editor.tree`` only.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

from confluence_sync.localwiki.rules.editor.tree import (
    CONTAINERS,
    NAME,
    RI,
    Ids,
    Node,
    SaveContext,
    assemble,
    boxed,
    column_count,
    empty_paragraph,
    name_of,
    new,
    same_space_link,
    setdefault,
    split_nodes,
    wrap_inline_runs,
)

_CALLOUTS = frozenset({"info", "tip", "note", "warning"})


def cloud(element: ET.Element, name: str, context: SaveContext, ids: Ids) -> None:
    if name == "p":
        # markfluence test fixtures and real tables: <p local-id="9638bc40c192">; the empty
        # cursor paragraph stays a bare <p /> in the same real storage.
        if not empty_paragraph(element):
            setdefault(element, "local-id", ids.hex())
    elif name in ("td", "th", "li"):
        # ADF table cells and list items hold blocks only: text comes back in a paragraph
        # (real Cloud storage: <th><p>Column</p></th>, <li><p>…</p></li>).
        wrap_inline_runs(element, lambda: new("p"))
    elif name == "table":
        # Real Cloud tables: data-table-width="760" data-layout="default" ac:local-id=…,
        # and a colgroup of pixel widths.
        setdefault(element, "data-table-width", "760")
        setdefault(element, "data-layout", "default")
        setdefault(element, "ac:local-id", ids.uuid())
        columns = column_count(element)
        if columns and not any(name_of(c) == "colgroup" for c in element):
            group = new("colgroup")
            for _ in range(columns):
                group.append(new("col", {"style": f"width: {760 / columns:.1f}px;"}))
            element.insert(0, group)
    elif name == "ac:link":
        # mozilla/markfluence links-and-anchors.md: editor links carry ac:local-id and
        # ac:card-appearance (143 of the surveyed page links).
        if any(name_of(c) in ("ri:page", "ri:blog-post", "ri:attachment") for c in element):
            setdefault(element, "ac:card-appearance", "inline")
        setdefault(element, "ac:local-id", ids.hex())
    elif name in ("ri:page", "ri:blog-post"):
        same_space_link(element, context)
        # ri:version-at-save: the target's version when the member saved (querypie's
        # normaliser ignores it; real samples: ri:version-at-save="13").
        title = element.get(RI + "content-title") or ""
        space = element.get(RI + "space-key") or context.space_key
        setdefault(element, "ri:version-at-save", str(context.version_of(space, title) or 1))
    elif name == "ri:attachment":
        setdefault(element, "ri:version-at-save", "1")
    elif name == "ri:user":
        setdefault(element, "ri:local-id", ids.uuid())
    elif name == "ac:layout-section":
        setdefault(element, "ac:breakout-mode", "default")
        setdefault(element, "ac:breakout-width", "760")
    for index, child in enumerate(list(element)):
        replacement = (
            _cloud_macro(child, name, ids) if name_of(child) == "ac:structured-macro" else child
        )
        if replacement is not child:
            replacement.tail, child.tail = child.tail, None
            element.remove(child)
            element.insert(index, replacement)
        cloud(replacement, name_of(replacement), context, ids)


def _cloud_macro(macro: ET.Element, parent: str, ids: Ids) -> ET.Element:
    setdefault(macro, "ac:local-id", ids.uuid())
    setdefault(macro, "ac:macro-id", ids.uuid())
    if parent in CONTAINERS | {"td", "th", "li", "blockquote", "div"}:
        setdefault(macro, "data-layout", "default")  # a block extension in ADF
    if macro.get(NAME) in ("code", "expand"):
        # Code blocks and expands carry a breakout (real storage: ac:breakout-width="760").
        setdefault(macro, "ac:breakout-mode", "default")
        setdefault(macro, "ac:breakout-width", "760")
    if macro.get(NAME) in _CALLOUTS | {"panel"}:
        _demote_title(macro)
    # ADF keeps macro parameters as a map: they come back in key order.
    params = [c for c in macro if name_of(c) == "ac:parameter"]
    for param in params:
        macro.remove(param)
    for index, param in enumerate(sorted(params, key=lambda p: p.get(NAME) or "")):
        macro.insert(index, param)
    if macro.get(NAME) == "panel":
        return _panel_extension(macro, ids)
    return macro


def _param(macro: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in macro if name_of(c) == "ac:parameter" and c.get(NAME) == name), None)


def _demote_title(macro: ET.Element) -> None:
    """ADF panels have no title: after an editor save the title is a bold first paragraph of
    the body and the parameter is gone (mozilla/markfluence storage-format.md, verified)."""
    title = next(
        (c for c in macro if name_of(c) == "ac:parameter" and c.get(NAME) == "title"), None
    )
    body = next((c for c in macro if name_of(c) == "ac:rich-text-body"), None)
    if title is None or body is None:
        return
    macro.remove(title)
    words = "".join(title.itertext()).strip()
    if words:
        bold = new("p")
        bold.append(new("strong", text=words))
        bold.tail, body.text = body.text, None
        body.insert(0, bold)


def _panel_extension(macro: ET.Element, ids: Ids) -> ET.Element:
    """A ``panel`` macro is an ADF custom panel, which has no macro: it comes back as an
    ``ac:adf-extension`` with a fallback copy (shape: markfluence's verified purple panel and
    querypie's ``panel-type`` custom fixture). Panels with more than a colour stay macros."""
    params = {c.get(NAME): "".join(c.itertext()) for c in macro if name_of(c) == "ac:parameter"}
    body = next((c for c in macro if name_of(c) == "ac:rich-text-body"), None)
    if body is None or set(params) - {"bgColor"}:
        return macro
    node = new("ac:adf-node", {"type": "panel"})
    node.append(new("ac:adf-attribute", {"key": "panel-type"}, "custom"))
    if params.get("bgColor"):
        node.append(new("ac:adf-attribute", {"key": "panel-color"}, params["bgColor"]))
    node.append(new("ac:adf-attribute", {"key": "local-id"}, ids.hex()))
    content = new("ac:adf-content")
    assemble(content, split_nodes(copy.deepcopy(body)))
    node.append(content)
    inner = new("div", {"class": "panelContent"})
    assemble(inner, split_nodes(copy.deepcopy(body)))
    outer = new("div", {"class": "panel"})
    outer.append(inner)
    fallback = new("ac:adf-fallback")
    fallback.append(outer)
    extension = new("ac:adf-extension")
    extension.extend([node, fallback])
    return extension


def cursor_paragraphs(root: ET.Element) -> None:
    """The empty paragraph the Cloud editor keeps after a table or a bodied block at the top
    level and at the end of the page (E3; real storage: ``</ol>\n<p />\n<p>``)."""
    nodes = split_nodes(root)
    elements = [n for n in nodes if isinstance(n, ET.Element)]
    result: list[Node] = []
    for node in nodes:
        result.append(node)
        if not isinstance(node, ET.Element) or not boxed(node):
            continue
        after = elements[elements.index(node) + 1 :]
        if not (after and empty_paragraph(after[0])):
            result.append(new("p"))
    if elements and name_of(elements[-1]) != "p":
        result.append(new("p"))
    assemble(root, result)
