"""A stored page opened in the viewer's editor: its parts, and the member parts as editor HTML.

A page of confluence-sync mixes managed regions (top-level blocks between the anchor macros
``confluence-sync:begin:NAME`` and ``confluence-sync:end:NAME``) with the member's own
blocks. The editor shows a region as it renders, not editable, and keeps its storage as it
was; each run of member blocks between regions becomes one editable section. The local wiki
knows nothing of the sync: it only needs the markers intact, so a region is recognised by
its pair of markers alone, and a marker without its partner stays where it is, as an
element the member cannot edit.

Inside a member section, the elements a person types (paragraphs, headings, lists, tables,
emphasis, links, task lists, instructional placeholders) become editable HTML, much as
Confluence's editors show them (a task list as TinyMCE's ``ul.inline-task-list``). Anything
else — macros, mentions, page links, dates, images — is an *atom*: shown rendered, not
editable, and written back from its stored source by number, so a save can neither lose nor
forge one. :mod:`viewer.from_editor` turns the sections back into storage.

Pure: no I/O; the preview of an atom comes from a callable. Imports: ``rules.storage_format``.
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Final, Literal

from confluence_sync.localwiki.rules.storage_format import AC_NS, parse, serialise

Preview = Callable[[str], str]  # storage → safe HTML
Node = ET.Element | str

AC: Final = f"{{{AC_NS}}}"
_MARKER: Final = re.compile(r"^confluence-sync:(begin|end):([a-z0-9][a-z0-9-]{0,63})$")
_TASK_ID: Final = re.compile(r"<ac:task-id>\s*(\d+)\s*</ac:task-id>")
# Elements a member edits as they are (attributes listed are kept, the rest dropped).
EDITABLE: Final[dict[str, tuple[str, ...]]] = {
    **dict.fromkeys(
        "p h1 h2 h3 h4 h5 h6 strong em b i u s del sub sup blockquote ul ol li pre code "  # noqa: SIM905
        "table thead tbody tfoot tr br hr span div".split(),
        (),
    ),
    "th": ("colspan", "rowspan"),
    "td": ("colspan", "rowspan"),
    "a": ("href",),
}
# Containers whose content may be blocks: an atom there is a block, elsewhere inline.
BLOCK_HOLDERS: Final = frozenset({"li", "td", "th", "blockquote", "div"})
_BLOCKY_HTML: Final = re.compile(r"<(?:div|table|ul|ol|p|h[1-6]|pre|dl|blockquote|section)\b")


@dataclass(frozen=True)
class Part:
    """A run of top-level nodes: a managed region (kept) or the member's own (edited)."""

    kind: Literal["member", "region"]
    name: str  # the region's name; "" for a member part
    source: str  # the storage of the part as it is stored
    html: str  # editor HTML (member) or rendered HTML (region)


@dataclass
class OpenedPage:
    """What the editor shows of one version of a page, and what a save needs of it."""

    parts: list[Part]
    atoms: list[str] = field(default_factory=list)  # storage of atom N
    task_ids: set[int] = field(default_factory=set)  # every ac:task-id of the page

    @property
    def member_parts(self) -> int:
        return sum(part.kind == "member" for part in self.parts)


def _source(node: Node) -> str:
    """The storage of one node (an element without its tail, or text)."""
    holder = ET.Element("holder")
    if isinstance(node, str):
        holder.text = node
    else:
        alone = copy.copy(node)
        alone.tail = None
        holder.append(alone)
    return serialise(holder)


def _marker(element: ET.Element) -> tuple[str, str] | None:
    """("begin"|"end", name) when the element holds one of the sync's anchors."""
    for macro in element.iter(f"{AC}structured-macro"):
        if macro.get(f"{AC}name") != "anchor":
            continue
        for param in macro.iter(f"{AC}parameter"):
            found = _MARKER.match("".join(param.itertext()).strip())
            if found:
                return found.group(1), found.group(2)
    return None


def _top_nodes(root: ET.Element) -> list[Node]:
    nodes: list[Node] = [root.text] if root.text else []
    for child in root:
        nodes.append(child)
        if child.tail:
            nodes.append(child.tail)
    return nodes


def split_parts(root: ET.Element) -> list[tuple[str, str, list[Node]]]:
    """(kind, region name, nodes) runs of the top level, in order."""
    nodes = _top_nodes(root)
    markers = {i: _marker(n) for i, n in enumerate(nodes) if isinstance(n, ET.Element)}
    runs: list[tuple[str, str, list[Node]]] = []
    member: list[Node] = []
    index = 0
    while index < len(nodes):
        mark = markers.get(index)
        end = None
        if mark is not None and mark[0] == "begin":
            later = range(index + 1, len(nodes))
            end = next((j for j in later if markers.get(j) == ("end", mark[1])), None)
        if mark is None or end is None:
            member.append(nodes[index])
            index += 1
            continue
        runs.append(("member", "", member))
        runs.append(("region", mark[1], nodes[index : end + 1]))
        member = []
        index = end + 1
    runs.append(("member", "", member))
    return runs


class _ToEditor:
    def __init__(self, atoms: list[str], preview: Preview) -> None:
        self.atoms = atoms
        self.preview = preview

    def nodes(self, nodes: list[Node], block: bool) -> str:
        return "".join(
            escape(n, quote=False) if isinstance(n, str) else self.element(n, block) for n in nodes
        )

    def children(self, element: ET.Element, block: bool) -> str:
        return self.nodes(_top_nodes(element), block)

    def element(self, element: ET.Element, block: bool) -> str:
        tag = str(element.tag)
        if tag in EDITABLE and not (tag == "a" and not _safe_href(element.get("href", ""))):
            attrs = "".join(
                f' {name}="{escape(element.get(name, ""))}"'
                for name in EDITABLE[tag]
                if element.get(name) is not None
            )
            if tag in ("br", "hr"):
                return f"<{tag}{attrs}>"
            inner = self.children(element, tag in BLOCK_HOLDERS)
            return f"<{tag}{attrs}>{inner}</{tag}>"
        if tag == f"{AC}task-list":
            return self.task_list(element)
        if tag == f"{AC}placeholder":
            words = "".join(element.itertext())
            kind = element.get(f"{AC}type", "")
            return (
                f'<span class="text-placeholder" data-text="{escape(words)}" '
                f'data-type="{escape(kind)}">{escape(words, quote=False)}</span>'
            )
        return self.atom(element, block)

    def task_list(self, element: ET.Element) -> str:
        items = []
        for task in element.findall(f"{AC}task"):
            task_id = (task.findtext(f"{AC}task-id") or "").strip()
            task_uuid = (task.findtext(f"{AC}task-uuid") or "").strip()
            done = (task.findtext(f"{AC}task-status") or "").strip() == "complete"
            body = task.find(f"{AC}task-body")
            inner = self.children(body, True) if body is not None else ""
            extra = f' data-task-uuid="{escape(task_uuid)}"' if task_uuid else ""
            extra += ' class="checked"' if done else ""
            items.append(f'<li data-inline-task-id="{escape(task_id)}"{extra}>{inner}</li>')
        return f'<ul class="inline-task-list">{"".join(items)}</ul>'

    def atom(self, element: ET.Element, block: bool) -> str:
        number = len(self.atoms)
        source = _source(element)
        self.atoms.append(source)
        shown = self.preview(source)
        if not block and _BLOCKY_HTML.search(shown):
            # A block preview inside a paragraph would end the paragraph in the browser's
            # parser; an inline atom shows its name instead.
            name = element.get(f"{AC}name") or str(element.tag).rsplit("}", 1)[-1]
            shown = f'<span class="atom-name">{escape(name)}</span>'
        tag = "div" if block else "span"
        return f'<{tag} class="atom" contenteditable="false" data-atom="{number}">{shown}</{tag}>'


def _safe_href(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://", "mailto:", "/", "#"))


def open_page(body: str, preview: Preview) -> OpenedPage:
    """The parts of ``body`` for the editor (raises ``XhtmlError`` for a body that does not
    parse; the server never stores one)."""
    root = parse(body)
    opened = OpenedPage(parts=[], task_ids={int(n) for n in _TASK_ID.findall(body)})
    editor = _ToEditor(opened.atoms, preview)
    for kind, name, nodes in split_parts(root):
        source = "".join(_source(node) for node in nodes)
        if kind == "region":
            opened.parts.append(Part("region", name, source, preview(source)))
        else:
            opened.parts.append(Part("member", "", source, editor.nodes(nodes, True)))
    return opened


__all__ = ["BLOCK_HOLDERS", "EDITABLE", "OpenedPage", "Part", "Preview", "open_page"]
