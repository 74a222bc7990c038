"""Storage format rendered as safe HTML, for the viewer: a pure function with no I/O.

:func:`render_storage_html` knows the constructs confluence-sync writes (headings, tables,
info/note/warning/tip/panel macros, task lists, page-properties ``details``, the
page-properties and task reports, user mentions, page links) and shows any other macro as a
labelled box. Every piece of user text and every attribute is escaped; only a small allow-list
of HTML elements and attributes passes, and link targets must be http(s), mailto or relative.
Links and mentions are resolved through callables the caller hands in, so rendering needs no
store.

Imports: ``rules.storage_format`` only.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from html import escape

from confluence_sync.localwiki.rules.storage_format import AC_NS, RI_NS, XhtmlError, parse

PageHref = Callable[[str | None, str], str | None]  # (space key or None, title) → URL or None
UserName = Callable[[dict[str, str]], str | None]  # ri:user attributes → display name

_AC = f"{{{AC_NS}}}"
_RI = f"{{{RI_NS}}}"
_PLAIN_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 strong em u s del sub sup blockquote "  # noqa: SIM905 - a word list
    "ul ol li pre code span div thead tbody tfoot tr table".split()
)
# HTML that passes through (with only the attributes listed); anything else keeps its content.
_ALLOWED: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(_PLAIN_TAGS, ()),
    "b": (),
    "i": (),
    "br": (),
    "hr": (),
    "th": ("colspan", "rowspan"),
    "td": ("colspan", "rowspan"),
    "col": ("span",),
    "colgroup": ("span",),
    "a": ("href", "title"),
    "time": ("datetime",),
}
_VOID = frozenset({"br", "hr", "col"})
_PANELS = {"info": "Info", "note": "Note", "warning": "Warning", "tip": "Tip", "panel": ""}
_EMOTICONS = {
    "tick": "✔",
    "cross": "✘",
    "warning": "⚠",
    "information": "ℹ",
    "plus": "➕",
    "minus": "➖",
    "question": "❓",
    "smile": "🙂",
    "sad": "🙁",
    "star_yellow": "★",
}


def _safe_href(url: str) -> str | None:
    lowered = url.strip().lower()
    if lowered.startswith(("http://", "https://", "mailto:", "/", "#")):
        return url.strip()
    return None  # javascript:, data: and friends never reach the browser


def _params(macro: ET.Element) -> dict[str, str]:
    return {
        child.get(f"{_AC}name", ""): "".join(child.itertext()).strip()
        for child in macro
        if child.tag == f"{_AC}parameter"
    }


class _Renderer:
    def __init__(self, page_href: PageHref | None, user_name: UserName | None) -> None:
        self.page_href = page_href
        self.user_name = user_name
        self.out: list[str] = []

    def text(self, value: str | None) -> None:
        if value:
            self.out.append(escape(value, quote=False))

    def children(self, element: ET.Element) -> None:
        self.text(element.text)
        for child in element:
            self.element(child)
            self.text(child.tail)

    def element(self, element: ET.Element) -> None:
        tag = str(element.tag)
        if tag.startswith(_AC):
            self.atlassian(tag[len(_AC) :], element)
        elif tag.startswith(_RI):
            self.resource(tag[len(_RI) :], element.attrib, None)
        elif tag in _ALLOWED:
            attrs = ""
            for name in _ALLOWED[tag]:
                value = element.get(name)
                if value is not None and name == "href":
                    value = _safe_href(value)
                if value is not None:
                    attrs += f' {name}="{escape(value)}"'
            if tag in ("table",):
                attrs += ' class="wiki-table"'
            if tag in _VOID:
                self.out.append(f"<{tag}{attrs}>")
                return
            self.out.append(f"<{tag}{attrs}>")
            if tag == "time" and not (element.text or len(element)):
                # Confluence's date lozenge is an empty <time datetime="…"/>: show the date.
                self.text(element.get("datetime", ""))
            self.children(element)
            self.out.append(f"</{tag}>")
        elif tag in ("script", "style"):
            return  # never executed, never shown
        else:  # unknown or unsafe markup: keep the words, drop the tag
            self.children(element)

    def box(self, kind: str, label: str, body: Callable[[], None] | None = None) -> None:
        self.out.append(f'<div class="macro macro-{escape(kind)}">')
        self.out.append(f'<div class="macro-label">{escape(label)}</div>')
        if body is not None:
            body()
        self.out.append("</div>")

    def param_list(self, params: dict[str, str]) -> None:
        if params:
            self.out.append('<dl class="macro-params">')
            for key, value in params.items():
                self.out.append(f"<dt>{escape(key)}</dt><dd>{escape(value)}</dd>")
            self.out.append("</dl>")

    def rich_body(self, macro: ET.Element) -> None:
        for child in macro:
            if child.tag == f"{_AC}rich-text-body":
                self.children(child)
            elif child.tag == f"{_AC}plain-text-body":
                self.out.append(f"<pre>{escape(child.text or '', quote=False)}</pre>")

    def macro(self, macro: ET.Element) -> None:
        name = macro.get(f"{_AC}name", "")
        params = _params(macro)
        if name in _PANELS:
            label = params.get("title") or _PANELS[name]
            self.box(f"panel panel-{name}", label, lambda: self.rich_body(macro))
        elif name == "details":
            self.box("details", "Page properties", lambda: self.rich_body(macro))
        elif name == "detailsummary":
            self.box("report", "Page properties report", lambda: self.param_list(params))
        elif name in ("tasks-report-macro", "task-report"):
            self.box("report", "Task report", lambda: self.param_list(params))
        elif name == "code":
            self.rich_body(macro)
        elif name == "status":
            colour = params.get("colour", "grey").lower()
            self.out.append(
                f'<span class="status status-{escape(colour)}">'
                f"{escape(params.get('title', ''), quote=False)}</span>"
            )
        elif name in ("toc", "children", "pagetree"):
            label = {"toc": "Table of contents", "children": "Child pages"}.get(name, "Page tree")
            self.box("placeholder", label, lambda: self.param_list(params))
        else:

            def generic() -> None:
                self.param_list(params)
                self.rich_body(macro)

            self.box("generic", f"Macro: {name or '?'}", generic)

    def atlassian(self, local: str, element: ET.Element) -> None:
        if local in ("structured-macro", "macro"):
            self.macro(element)
        elif local == "task-list":
            self.out.append('<ul class="tasks">')
            for task in element.findall(f"{_AC}task"):
                status = (task.findtext(f"{_AC}task-status") or "incomplete").strip()
                done = status == "complete"
                self.out.append(
                    f'<li class="task task-{"complete" if done else "incomplete"}">'
                    f'<input type="checkbox" disabled{" checked" if done else ""}> '
                )
                body = task.find(f"{_AC}task-body")
                if body is not None:
                    self.children(body)
                self.out.append("</li>")
            self.out.append("</ul>")
        elif local == "link":
            self.link(element)
        elif local == "image":
            for child in element:
                if child.tag == f"{_RI}url" and _safe_href(child.get(f"{_RI}value", "")):
                    src = escape(child.get(f"{_RI}value", ""))
                    self.out.append(f'<img src="{src}" alt="" class="wiki-image">')
                    return
                if child.tag == f"{_RI}attachment":
                    name = child.get(f"{_RI}filename", "")
                    self.out.append(f'<span class="attachment">[image: {escape(name)}]</span>')
                    return
        elif local == "emoticon":
            name = element.get(f"{_AC}name", "")
            self.out.append(escape(_EMOTICONS.get(name, f"({name})"), quote=False))
        elif local == "placeholder":
            self.out.append('<span class="placeholder">')
            self.children(element)
            self.out.append("</span>")
        elif local in ("layout", "layout-section", "layout-cell"):
            self.out.append(f'<div class="{local}">')
            self.children(element)
            self.out.append("</div>")
        elif local in ("parameter", "task-id", "task-uuid"):
            return  # bookkeeping, not content
        else:
            self.children(element)

    def link(self, element: ET.Element) -> None:
        body: str | None = None
        for child in element:
            if child.tag in (f"{_AC}plain-text-link-body", f"{_AC}link-body"):
                body = "".join(child.itertext())
        targets = [child for child in element if str(child.tag).startswith(_RI)]
        if not targets:
            anchor = element.get(f"{_AC}anchor", "")
            self.out.append(f'<a href="#{escape(anchor)}">{escape(body or anchor)}</a>')
            return
        target = targets[0]
        self.resource(str(target.tag)[len(_RI) :], target.attrib, body)

    def resource(self, local: str, attrib: dict[str, str], body: str | None) -> None:
        attrs = {key.removeprefix(_RI): value for key, value in attrib.items()}
        if local == "page":
            title = attrs.get("content-title", "")
            href = self.page_href(attrs.get("space-key"), title) if self.page_href else None
            text = escape(body or title, quote=False)
            if href:
                self.out.append(f'<a class="page-link" href="{escape(href)}">{text}</a>')
            else:
                self.out.append(
                    f'<span class="page-link broken" title="no such page">{text}</span>'
                )
        elif local == "user":
            name = self.user_name(attrs) if self.user_name else None
            shown = (
                name
                or attrs.get("username")
                or attrs.get("account-id")
                or attrs.get("userkey", "unknown user")
            )
            css = "mention" if name else "mention unresolved"
            self.out.append(f'<span class="{css}">@{escape(body or shown, quote=False)}</span>')
        elif local == "attachment":
            name = attrs.get("filename", "")
            self.out.append(f'<span class="attachment">📎 {escape(body or name)}</span>')
        elif local == "url":
            href = _safe_href(attrs.get("value", ""))
            text = escape(body or attrs.get("value", ""), quote=False)
            self.out.append(f'<a href="{escape(href)}">{text}</a>' if href else text)
        else:
            self.text(body or "")


def render_storage_html(
    storage: str, *, page_href: PageHref | None = None, user_name: UserName | None = None
) -> str:
    """Render a storage-format body as safe HTML; a body that does not parse is shown as source.

    ``page_href(space_key, title)`` resolves page links (``None`` marks them broken);
    ``user_name(attrs)`` resolves mentions from the ``ri:user`` attributes (without prefix).
    """
    try:
        root = parse(storage)
    except XhtmlError as error:
        return (
            f'<div class="macro macro-error"><div class="macro-label">Not valid storage format: '
            f"{escape(str(error).splitlines()[0])}</div><pre>{escape(storage)}</pre></div>"
        )
    renderer = _Renderer(page_href, user_name)
    renderer.children(root)
    return "".join(renderer.out)


__all__ = ["PageHref", "UserName", "render_storage_html"]
