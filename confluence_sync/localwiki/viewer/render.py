"""Storage format rendered as safe HTML, as Confluence shows a page in view mode: a pure function
of the body, the reader's language and a narrow :class:`~viewer.wikidata.WikiData` (no store).

This module walks the XML: HTML elements through an allow-list, links, mentions, images,
emoticons, task lists, dates and instructional text; every macro goes to ``viewer.macros``.
Every piece of user text and every attribute is escaped; only the allow-listed elements and
attributes pass, and link targets must be http(s), mailto or relative (``nodes.safe_href``).

* ``<time datetime>`` (the date lozenge) shows the date in the reader's language with its
  weekday (``viewer.i18n``); Confluence likewise renders it in the reader's locale.
* ``ac:placeholder`` (instructional text) renders as nothing: it is an editor aid that "clears
  as a user types" (Atlassian, "Instruction text in blueprints",
  https://developer.atlassian.com/server/confluence/instruction-text-in-blueprints/) and is
  shown only in the editor, never on the viewed page; a member who never replaced it sees an
  empty spot, as on a real site.
* Task lists show each task's check state as a (read-only) checkbox, with ``data-task-id`` so
  an editing layer can find the task; the body's mention and date render as everywhere else.

Imports: ``rules.storage_format`` and the viewer's ``nodes``, ``i18n``, ``wikidata`` and
``macros``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from html import escape

from confluence_sync.localwiki.rules.storage_format import XhtmlError, parse
from confluence_sync.localwiki.viewer import i18n
from confluence_sync.localwiki.viewer.macros import render_macro
from confluence_sync.localwiki.viewer.nodes import AC, MACRO_TAGS, RI, safe_href
from confluence_sync.localwiki.viewer.wikidata import PageInfo, Person, WikiData

PageHref = Callable[[str | None, str], str | None]  # (space key or None, title) → URL or None
UserName = Callable[[dict[str, str]], str | None]  # ri:user attributes → display name

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


class _Callbacks:
    """A :class:`WikiData` made of the two callbacks older callers hand in (links, names)."""

    def __init__(self, page_href: PageHref | None, user_name: UserName | None) -> None:
        self._href = page_href
        self._name = user_name

    def page_href(self, space_key: str, title: str) -> str | None:
        return self._href(space_key or None, title) if self._href else None

    def person(self, attrs: Mapping[str, str]) -> Person | None:
        name = self._name(dict(attrs)) if self._name else None
        return Person(name, frozenset(attrs.values())) if name else None

    def search(self, cql: str) -> Sequence[PageInfo]:
        return ()

    def children(self, page_id: int) -> Sequence[PageInfo]:
        return ()

    def page_by_title(self, space_key: str, title: str) -> PageInfo | None:
        return None

    def top_level(self, space_key: str) -> Sequence[PageInfo]:
        return ()


class Renderer:
    """One render's state; the macro modules drive it through ``macros.Walker``."""

    def __init__(self, wiki: WikiData | None, here: PageInfo | None, language: str) -> None:
        self.wiki = wiki
        self.here = here
        self.language = i18n.supported(language) or i18n.DEFAULT_LANGUAGE
        self.nesting = 0  # >0 while rendering another page's content inside a report
        self.out: list[str] = []

    def text(self, value: str | None) -> None:
        if value:
            self.out.append(escape(value, quote=False))

    def children(self, element: ET.Element) -> None:
        self.text(element.text)
        for child in element:
            self.element(child)
            self.text(child.tail)

    def fragment(self, element: ET.Element, here: PageInfo | None) -> str:
        """``element``'s content rendered on its own, as part of page ``here`` (a report shows
        a cell of another page: its links resolve in that page's space)."""
        saved = self.out, self.here
        self.out, self.here = [], here
        self.nesting += 1
        try:
            self.children(element)
            return "".join(self.out)
        finally:
            self.nesting -= 1
            self.out, self.here = saved

    def date_html(self, value: str) -> str:
        day = i18n.parse_date(value)
        shown = i18n.format_date(day, self.language) if day else value
        return f'<time datetime="{escape(value)}">{escape(shown, quote=False)}</time>'

    def element(self, element: ET.Element) -> None:
        tag = str(element.tag)
        if tag.startswith(AC):
            self.atlassian(tag[len(AC) :], element)
        elif tag.startswith(RI):
            self.resource(tag[len(RI) :], element.attrib, None)
        elif tag == "time" and not (element.text or len(element)):
            # Confluence's date lozenge is an empty <time datetime="…"/>: show the date.
            self.out.append(self.date_html(element.get("datetime", "")))
        elif tag in _ALLOWED:
            attrs = ""
            for name in _ALLOWED[tag]:
                value = element.get(name)
                if value is not None and name == "href":
                    value = safe_href(value)
                if value is not None:
                    attrs += f' {name}="{escape(value)}"'
            if tag == "table":
                attrs += ' class="wiki-table"'
            self.out.append(f"<{tag}{attrs}>")
            if tag in _VOID:
                return
            self.children(element)
            self.out.append(f"</{tag}>")
        elif tag in ("script", "style"):
            return  # never executed, never shown
        else:  # unknown or unsafe markup: keep the words, drop the tag
            self.children(element)

    def atlassian(self, local: str, element: ET.Element) -> None:
        if element.tag in MACRO_TAGS:
            render_macro(self, element)
        elif local == "task-list":
            self.task_list(element)
        elif local == "link":
            self.link(element)
        elif local == "image":
            self.image(element)
        elif local == "emoticon":
            name = element.get(f"{AC}name", "")
            self.out.append(escape(_EMOTICONS.get(name, f"({name})"), quote=False))
        elif local in ("placeholder", "parameter", "task-id", "task-uuid"):
            return  # instructional text (editor only) and bookkeeping: not on the page
        elif local in ("layout", "layout-section", "layout-cell"):
            self.out.append(f'<div class="{local}">')
            self.children(element)
            self.out.append("</div>")
        else:
            self.children(element)

    def task_list(self, element: ET.Element) -> None:
        self.out.append('<ul class="tasks">')
        for child in element:
            if child.tag == f"{AC}task-list":  # a nested list, as the editor writes it
                self.task_list(child)
                continue
            if child.tag != f"{AC}task":
                continue
            status = (child.findtext(f"{AC}task-status") or "incomplete").strip()
            done = status == "complete"
            task_id = escape((child.findtext(f"{AC}task-id") or "").strip())
            self.out.append(
                f'<li class="task task-{"complete" if done else "incomplete"}" '
                f'data-task-id="{task_id}">'
                f'<input type="checkbox" disabled{" checked" if done else ""}> '
            )
            body = child.find(f"{AC}task-body")
            if body is not None:
                self.children(body)
            self.out.append("</li>")
        self.out.append("</ul>")

    def image(self, element: ET.Element) -> None:
        for child in element:
            if child.tag == f"{RI}url" and safe_href(child.get(f"{RI}value", "")):
                src = escape(child.get(f"{RI}value", ""))
                self.out.append(f'<img src="{src}" alt="" class="wiki-image">')
                return
            if child.tag == f"{RI}attachment":
                name = child.get(f"{RI}filename", "")
                self.out.append(f'<span class="attachment">[image: {escape(name)}]</span>')
                return

    def link(self, element: ET.Element) -> None:
        body: str | None = None
        for child in element:
            if child.tag in (f"{AC}plain-text-link-body", f"{AC}link-body"):
                body = "".join(child.itertext())
        targets = [child for child in element if str(child.tag).startswith(RI)]
        if not targets:
            anchor = element.get(f"{AC}anchor", "")
            self.out.append(f'<a href="#{escape(anchor)}">{escape(body or anchor)}</a>')
            return
        target = targets[0]
        self.resource(str(target.tag)[len(RI) :], target.attrib, body)

    def resource(self, local: str, attrib: Mapping[str, str], body: str | None) -> None:
        attrs = {key.removeprefix(RI): value for key, value in attrib.items()}
        if local == "page":
            title = attrs.get("content-title", "")
            space = attrs.get("space-key") or (self.here.space_key if self.here else "")
            href = self.wiki.page_href(space, title) if self.wiki else None
            text = escape(body or title, quote=False)
            if href:
                self.out.append(f'<a class="page-link" href="{escape(href)}">{text}</a>')
            else:
                self.out.append(
                    f'<span class="page-link broken" title="no such page">{text}</span>'
                )
        elif local == "user":
            person = self.wiki.person(attrs) if self.wiki else None
            shown = (
                (person.display_name if person else None)
                or attrs.get("username")
                or attrs.get("account-id")
                or attrs.get("userkey", "unknown user")
            )
            css = "mention" if person else "mention unresolved"
            self.out.append(f'<span class="{css}">@{escape(body or shown, quote=False)}</span>')
        elif local == "attachment":
            name = attrs.get("filename", "")
            self.out.append(f'<span class="attachment">📎 {escape(body or name)}</span>')
        elif local == "url":
            href = safe_href(attrs.get("value", ""))
            text = escape(body or attrs.get("value", ""), quote=False)
            self.out.append(f'<a href="{escape(href)}">{text}</a>' if href else text)
        else:
            self.text(body or "")


def render_storage_html(
    storage: str,
    *,
    wiki: WikiData | None = None,
    here: PageInfo | None = None,
    language: str = i18n.DEFAULT_LANGUAGE,
    page_href: PageHref | None = None,
    user_name: UserName | None = None,
) -> str:
    """Render a storage-format body as safe HTML; a body that does not parse is shown as source.

    ``wiki`` answers what the macros and links need (see ``viewer.wikidata``); ``here`` is the
    page the body belongs to (its space resolves links without a space key, it is the parent
    ``children`` lists); ``language`` is the reader's. Without ``wiki``, ``page_href(space_key,
    title)`` and ``user_name(attrs)`` resolve links and mentions alone (reports then find
    nothing).
    """
    try:
        root = parse(storage)
    except XhtmlError as error:
        return (
            f'<div class="macro macro-error"><div class="macro-label">Not valid storage format: '
            f"{escape(str(error).splitlines()[0])}</div><pre>{escape(storage)}</pre></div>"
        )
    data = wiki if wiki is not None else _Callbacks(page_href, user_name)
    renderer = Renderer(data, here, language)
    renderer.children(root)
    return "".join(renderer.out)


__all__ = ["PageHref", "Renderer", "UserName", "render_storage_html"]
