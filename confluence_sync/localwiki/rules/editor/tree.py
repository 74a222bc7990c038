"""Tree helpers the two editor emulations share (``cloud``, ``dc``).

Elements are ElementTree nodes as ``storage_format.parse`` returns them: tags and attributes
of the ``ac:``/``ri:`` prefixes as ``{uri}local``. A node list (``split_nodes``) is an
element's text and children in order with the tails as strings of their own, which makes
wrapping and unwrapping runs of content a list operation.

Imports: ``rules.storage_format`` only.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field

from confluence_sync.localwiki.rules.storage_format import AC_NS, RI_NS

AC, RI = "{" + AC_NS + "}", "{" + RI_NS + "}"
NAME = AC + "name"
_PREFIX = {AC: "ac:", RI: "ri:"}

# Elements that are blocks of their own in both editors' models (not inline content).
_BLOCK_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "div", "blockquote", "pre"}
    | {"hr", "ac:task-list", "ac:layout", "ac:adf-extension"}
)
# Macros without a body that still stand alone as a block (report and navigation macros).
_BLOCK_MACROS = frozenset(
    {"children", "toc", "detailssummary", "tasks-report-macro", "pagetree", "contentbylabel"}
    | {"recently-updated", "blog-posts"}
)
CONTAINERS = frozenset({"root", "ac:rich-text-body", "ac:layout-cell", "ac:adf-content"})
Node = str | ET.Element


@dataclass(frozen=True)
class SaveContext:
    """The page being saved: ``version`` is the version the save creates."""

    page_id: int
    version: int
    space_key: str
    version_of: Callable[[str, str], int | None] = field(default=lambda _space, _title: None)


class Ids:
    """Deterministic ids in the shapes the editors use (12 hex digits, or a UUID)."""

    def __init__(self, seed: str) -> None:
        self.seed, self.count = seed, 0

    def hex(self, length: int = 12) -> str:
        self.count += 1
        return hashlib.sha256(f"{self.seed}/{self.count}".encode()).hexdigest()[:length]

    def uuid(self) -> str:
        h = self.hex(32)
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def name_of(element: ET.Element) -> str:
    tag = str(element.tag)
    for uri, prefix in _PREFIX.items():
        if tag.startswith(uri):
            return prefix + tag[len(uri) :]
    return tag


def split_nodes(element: ET.Element) -> list[Node]:
    """Text and children in order, tails as strings of their own (detached from children)."""
    nodes: list[Node] = [element.text or ""]
    for child in element:
        nodes += [child, child.tail or ""]
        child.tail = None
    return [n for n in nodes if not isinstance(n, str) or n]


def assemble(element: ET.Element, nodes: list[Node]) -> None:
    for child in list(element):
        element.remove(child)
    element.text = None
    last: ET.Element | None = None
    for node in nodes:
        if isinstance(node, str):
            if last is None:
                element.text = (element.text or "") + node
            else:
                last.tail = (last.tail or "") + node
        else:
            element.append(node)
            last = node


def new(name: str, attrs: dict[str, str] | None = None, text: str | None = None) -> ET.Element:
    prefix, _, local = name.rpartition(":")
    tag = {"ac": AC, "ri": RI}.get(prefix, "") + local
    element = ET.Element(tag, {attr(k): v for k, v in (attrs or {}).items()})
    element.text = text
    return element


def attr(name: str) -> str:
    prefix, _, local = name.rpartition(":")
    return {"ac": AC, "ri": RI}.get(prefix, "") + local


def setdefault(element: ET.Element, name: str, value: str) -> None:
    if attr(name) not in element.attrib:
        element.set(attr(name), value)


def is_block(node: Node) -> bool:
    if isinstance(node, str):
        return False
    name = name_of(node)
    if name == "ac:structured-macro":
        bodies = {name_of(c) for c in node} & {"ac:rich-text-body", "ac:plain-text-body"}
        return bool(bodies) or node.get(NAME) in _BLOCK_MACROS
    return name in _BLOCK_TAGS


def wrap_inline_runs(element: ET.Element, make_p: Callable[[], ET.Element]) -> None:
    """Every run of inline content (text, inline elements) in ``element`` put in a paragraph."""
    result: list[Node] = []
    run: list[Node] = []
    for node in [*split_nodes(element), None]:
        if node is None or is_block(node):
            if any(not isinstance(n, str) or n.strip() for n in run):
                paragraph = make_p()
                assemble(paragraph, trimmed(run))
                result.append(paragraph)
            else:
                result += run
            run = []
            if node is not None:
                result.append(node)
        else:
            run.append(node)
    assemble(element, result)


def trimmed(run: list[Node]) -> list[Node]:
    """A run without the layout whitespace at its edges (the editors do not keep it)."""
    run = list(run)
    if run and isinstance(run[0], str):
        run[0] = run[0].lstrip()
    if run and isinstance(run[-1], str):
        run[-1] = run[-1].rstrip()
    return [n for n in run if not isinstance(n, str) or n]


def column_count(table: ET.Element) -> int:
    row = next((r for r in table.iter("tr")), None)
    if row is None:
        return 0
    return sum(int(c.get("colspan") or 1) for c in row if name_of(c) in ("td", "th"))


def same_space_link(page_ref: ET.Element, context: SaveContext) -> None:
    """Both editors write a link into the page's own space without ``ri:space-key`` (Cloud:
    real editor links, e.g. ``<ri:page ri:content-title=… ri:version-at-save="13" />`` in the
    public code index; DC: Atlassian's storage format page shows same-space links so)."""
    key = page_ref.get(RI + "space-key")
    if key is not None and key.casefold() == context.space_key.casefold():
        del page_ref.attrib[RI + "space-key"]


def boxed(node: ET.Element) -> bool:
    """A table or a block macro: a box the cursor cannot be put in front of or after."""
    name = name_of(node)
    return name in ("table", "ac:adf-extension") or (
        name == "ac:structured-macro" and is_block(node)
    )


def empty_paragraph(node: ET.Element) -> bool:
    return (
        name_of(node) == "p"
        and all(name_of(c) == "br" for c in node)
        and not (node.text or "").strip()
    )
