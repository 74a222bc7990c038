"""The viewer editor's HTML back to storage format: the member sections a browser sends.

What a browser's ``contenteditable`` hands over is HTML as the member left it: ``<b>`` or
``<strong>``, ``<div>`` or ``<p>`` for a new line, a ``<br>`` that only holds an empty line
open, pasted spans and styles. Only what storage format can hold of a person's typing is
kept — paragraphs, headings, lists, tables, quotes, preformatted text, emphasis, safe links,
task lists and instructional placeholders — and every word is escaped. Anything else keeps
its text and loses its tag; scripts and styles lose both. An atom (a macro, a mention, a date:
see :mod:`viewer.to_editor`) is written back from the stored source by its number; a number
that is not one of the page's is dropped, so a browser cannot smuggle storage in.

A task keeps its ``ac:task-id``; a new task (or one the browser copied with its neighbour's
id when the member pressed Enter) gets the next free id of the page, as Confluence numbers
tasks within a page. A task left empty is dropped, as the editors drop empty task items.

Pure. Imports: nothing of the local wiki but :mod:`viewer.to_editor` (what the editor shows).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from typing import Final

from confluence_sync.localwiki.viewer.to_editor import OpenedPage

_VOID: Final = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()  # noqa: SIM905
)
_DROPPED: Final = frozenset(
    "script style template iframe object embed noscript head title svg math".split()  # noqa: SIM905
)
_HEADINGS: Final = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS: Final = _HEADINGS | {"p", "div", "ul", "ol", "table", "pre", "blockquote", "hr"}
_INLINE: Final = {
    "strong": "strong",
    "b": "strong",
    "em": "em",
    "i": "em",
    "u": "u",
    "s": "s",
    "strike": "s",
    "del": "del",
    "sub": "sub",
    "sup": "sup",
    "code": "code",
}


@dataclass
class _El:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_El | str] = field(default_factory=list)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _El("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _El(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_El(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _parse(html: str) -> _El:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.root


def _safe_href(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://", "mailto:", "/", "#"))


def _blank(nodes: list[_El | str]) -> bool:
    return all(
        (isinstance(n, str) and not n.strip()) or (isinstance(n, _El) and n.tag == "br")
        for n in nodes
    )


def _trimmed(nodes: list[_El | str]) -> list[_El | str]:
    """Without the trailing ``<br>`` (and blanks) a browser leaves at the end of a block."""
    end = len(nodes)
    while end and (
        (isinstance(nodes[end - 1], str) and not str(nodes[end - 1]).strip())
        or (isinstance(nodes[end - 1], _El) and nodes[end - 1].tag == "br")  # type: ignore[union-attr]
    ):
        end -= 1
    return nodes[:end]


class _ToStorage:
    def __init__(self, opened: OpenedPage) -> None:
        self.atoms = opened.atoms
        self.seen: set[int] = set()
        self.free = (max(opened.task_ids) if opened.task_ids else 0) + 1

    def new_task_id(self) -> int:
        while self.free in self.seen:
            self.free += 1
        self.seen.add(self.free)
        return self.free

    def atom(self, element: _El) -> str | None:
        """The stored source of an atom element; "" for a number that is not the page's."""
        if "data-atom" not in element.attrs:
            return None
        raw = element.attrs["data-atom"]
        if raw.isdigit() and int(raw) < len(self.atoms):
            return self.atoms[int(raw)]
        return ""

    # -- blocks ----------------------------------------------------------------------
    def blocks(self, nodes: list[_El | str], wrap: bool) -> str:
        """A container's content; loose inline content becomes a paragraph when ``wrap``."""
        out: list[str] = []
        run: list[_El | str] = []

        def flush() -> None:
            if run and not _blank(run):
                inline = self.inline(_trimmed(run))
                out.append(f"<p>{inline}</p>" if wrap else inline)
            run.clear()

        for node in nodes:
            if isinstance(node, _El) and node.tag in _DROPPED:
                continue
            if isinstance(node, _El) and self.is_block(node):
                flush()
                out.append(self.block(node))
            else:
                run.append(node)
        flush()
        return "".join(out)

    def is_block(self, element: _El) -> bool:
        if "data-atom" in element.attrs:
            return element.tag == "div"
        return element.tag in _BLOCKS

    def block(self, element: _El) -> str:
        source = self.atom(element)
        if source is not None:
            return source
        tag = element.tag
        if tag == "hr":
            return "<hr />"
        if tag == "div":
            if any(isinstance(c, _El) and self.is_block(c) for c in element.children):
                return self.blocks(element.children, wrap=True)
            tag = "p"  # a browser's new line
        if tag == "p" or tag in _HEADINGS:
            inline = self.inline(_trimmed(element.children))
            return f"<{tag}>{inline}</{tag}>" if inline else f"<{tag} />"
        if tag == "ul" and "inline-task-list" in element.classes():
            return self.task_list(element)
        if tag in ("ul", "ol"):
            items = "".join(
                f"<li>{self.blocks(li.children, wrap=False)}</li>" for li in self.items(element)
            )
            return f"<{tag}>{items}</{tag}>" if items else ""
        if tag == "table":
            return self.table(element)
        if tag == "pre":
            return f"<pre>{escape(self.pre_text(element), quote=False)}</pre>"
        inner = self.blocks(element.children, wrap=True)  # blockquote
        return f"<blockquote>{inner}</blockquote>" if inner else ""

    def items(self, element: _El) -> Iterator[_El]:
        for child in element.children:
            if isinstance(child, _El) and child.tag == "li":
                yield child
            elif isinstance(child, _El) or child.strip():
                yield _El("li", children=[child])  # stray content of a list: an item of its own

    def task_list(self, element: _El) -> str:
        tasks = []
        for item in self.items(element):
            body = self.blocks(item.children, wrap=False)
            if not body.strip():
                continue
            raw = item.attrs.get("data-inline-task-id", "")
            task_id = (
                int(raw) if raw.isdigit() and int(raw) not in self.seen else self.new_task_id()
            )
            self.seen.add(task_id)
            uuid = item.attrs.get("data-task-uuid", "")
            status = "complete" if "checked" in item.classes() else "incomplete"
            tasks.append(
                f"<ac:task><ac:task-id>{task_id}</ac:task-id>"
                + (f"<ac:task-uuid>{escape(uuid, quote=False)}</ac:task-uuid>" if uuid else "")
                + f"<ac:task-status>{status}</ac:task-status>"
                f"<ac:task-body>{body}</ac:task-body></ac:task>"
            )
        return f"<ac:task-list>{''.join(tasks)}</ac:task-list>" if tasks else ""

    def table(self, element: _El) -> str:
        rows: list[str] = []
        groups: list[str] = []

        def row(tr: _El) -> str:
            cells = []
            for cell in tr.children:
                if isinstance(cell, _El) and cell.tag in ("td", "th"):
                    attrs = "".join(
                        f' {name}="{escape(cell.attrs[name])}"'
                        for name in ("colspan", "rowspan")
                        if cell.attrs.get(name, "").isdigit()
                    )
                    inner = self.blocks(cell.children, wrap=False)
                    cells.append(f"<{cell.tag}{attrs}>{inner}</{cell.tag}>")
            return f"<tr>{''.join(cells)}</tr>"

        for child in element.children:
            if isinstance(child, _El) and child.tag == "tr":
                rows.append(row(child))
            elif isinstance(child, _El) and child.tag in ("thead", "tbody", "tfoot"):
                inner = "".join(
                    row(tr) for tr in child.children if isinstance(tr, _El) and tr.tag == "tr"
                )
                groups.append(f"<{child.tag}>{inner}</{child.tag}>")
        if rows:
            groups.append(f"<tbody>{''.join(rows)}</tbody>")
        return f"<table>{''.join(groups)}</table>" if groups else ""

    def pre_text(self, element: _El) -> str:
        return "".join(
            c if isinstance(c, str) else "\n" if c.tag == "br" else self.pre_text(c)
            for c in element.children
        )

    # -- inline ----------------------------------------------------------------------
    def inline(self, nodes: list[_El | str]) -> str:
        return "".join(self.inline_node(node) for node in nodes)

    def inline_node(self, node: _El | str) -> str:
        if isinstance(node, str):
            return escape(node, quote=False)
        if node.tag in _DROPPED or node.tag == "input":
            return ""
        source = self.atom(node)
        if source is not None:
            return source
        if node.tag == "br":
            return "<br />"
        if node.tag == "span" and "text-placeholder" in node.classes():
            words = node.text()
            if words != node.attrs.get("data-text") or not words:
                return escape(words, quote=False)  # the member typed over the hint
            kind = node.attrs.get("data-type", "")
            kind_attr = f' ac:type="{escape(kind)}"' if kind else ""
            return f"<ac:placeholder{kind_attr}>{escape(words, quote=False)}</ac:placeholder>"
        inner = self.inline(node.children)
        if node.tag in _INLINE and inner:
            tag = _INLINE[node.tag]
            return f"<{tag}>{inner}</{tag}>"
        if node.tag == "a" and inner and _safe_href(node.attrs.get("href", "")):
            return f'<a href="{escape(node.attrs["href"].strip())}">{inner}</a>'
        if node.tag == "ul" and "inline-task-list" in node.classes():
            return self.task_list(node)
        return inner  # a span, a font, a block pasted into a line: its words


def storage_from_editor(opened: OpenedPage, sections: list[str]) -> str:
    """The page's storage: each region as stored, each member part from its section's HTML.

    ``sections`` are the member parts' HTML in order; their number must match (ValueError).
    """
    if len(sections) != opened.member_parts:
        raise ValueError(f"expected {opened.member_parts} member section(s), got {len(sections)}")
    writer = _ToStorage(opened)  # new task ids start above every id of the page
    member_html = iter(sections)
    parsed = [(_parse(next(member_html)) if p.kind == "member" else None) for p in opened.parts]
    out = []
    for part, root in zip(opened.parts, parsed, strict=True):
        out.append(part.source if root is None else writer.blocks(root.children, wrap=True))
    return "".join(out)


__all__ = ["storage_from_editor"]
