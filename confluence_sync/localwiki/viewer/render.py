"""A read-only HTML viewer of the local wiki, for people: spaces, page trees and pages.

Two halves. :func:`render_storage_html` turns a storage-format body into safe HTML: a pure
function with no I/O. It knows the constructs confluence-sync writes (headings, tables,
info/note/warning/tip/panel macros, task lists, page-properties ``details``, the
page-properties and task reports, user mentions, page links) and shows any other macro as a
labelled box. Every piece of user text and every attribute is escaped; only a small allow-list
of HTML elements and attributes passes, and link targets must be http(s), mailto or relative.

:func:`make_viewer` wraps a ``Store`` in a werkzeug WSGI app with four kinds of page: the
space list, a space's page tree, a page (rendered body, labels, properties, version history),
any earlier version of it, and its raw storage source.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from html import escape
from importlib import resources
from typing import TYPE_CHECKING

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from confluence_sync.localwiki.rules.storage_format import AC_NS, RI_NS, StorageFormatError, parse

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from confluence_sync.localwiki.store import Store
    from confluence_sync.localwiki.store.model import Page, Space

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
    except StorageFormatError as error:
        return (
            f'<div class="macro macro-error"><div class="macro-label">Not valid storage format: '
            f"{escape(str(error).splitlines()[0])}</div><pre>{escape(storage)}</pre></div>"
        )
    renderer = _Renderer(page_href, user_name)
    renderer.children(root)
    return "".join(renderer.out)


# -- the WSGI app ------------------------------------------------------------------------------


def _layout(title: str, prefix: str, body: str, crumbs: Iterable[tuple[str, str]] = ()) -> str:
    trail = " › ".join(f'<a href="{escape(href)}">{escape(text)}</a>' for href, text in crumbs)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)} · local wiki</title>"
        '<link rel="icon" href="data:,">'  # no favicon request for the REST core to log
        f'<link rel="stylesheet" href="{escape(prefix)}/static/viewer.css"></head><body>'
        f'<header><a class="brand" href="{escape(prefix)}/">local wiki</a>'
        f'<nav class="crumbs">{trail}</nav></header><main>{body}</main></body></html>'
    )


def _css() -> bytes:
    return (
        resources.files("confluence_sync.localwiki.viewer") / "static" / "viewer.css"
    ).read_bytes()


class Viewer:
    """WSGI app over a store; build it with :func:`make_viewer`."""

    def __init__(self, store: Store, url_prefix: str) -> None:
        self.store = store
        self.prefix = url_prefix.rstrip("/")
        self.css = _css()
        self.map = Map(
            [
                Rule(f"{self.prefix}/", endpoint="spaces"),
                Rule(f"{self.prefix}/static/viewer.css", endpoint="css"),
                Rule(f"{self.prefix}/spaces/<key>", endpoint="space"),
                Rule(f"{self.prefix}/pages/<int:page_id>", endpoint="page"),
                Rule(f"{self.prefix}/pages/<int:page_id>/storage", endpoint="storage"),
                Rule(
                    f"{self.prefix}/pages/<int:page_id>/versions/<int:number>", endpoint="version"
                ),
            ],
            strict_slashes=False,
        )

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            endpoint, args = self.map.bind_to_environ(environ).match()
            response: Response = getattr(self, f"view_{endpoint}")(request, **args)
        except HTTPException as error:
            response = Response(
                _layout(str(error.code), self.prefix, f"<h1>{escape(str(error.name))}</h1>"),
                status=error.code,
                mimetype="text/html",
            )
        return response(environ, start_response)

    def _html(self, title: str, body: str, crumbs: Iterable[tuple[str, str]] = ()) -> Response:
        return Response(_layout(title, self.prefix, body, crumbs), mimetype="text/html")

    def _space(self, key: str) -> Space:
        space = self.store.space_by_key(key)
        if space is None or space.deleting:
            raise NotFound()
        return space

    def _page(self, page_id: int) -> Page:
        page = self.store.page(page_id)
        if page is None:
            raise NotFound()
        return page

    def view_css(self, request: Request) -> Response:
        return Response(self.css, mimetype="text/css")

    def view_spaces(self, request: Request) -> Response:
        rows = "".join(
            f'<tr><td><a href="{self.prefix}/spaces/{escape(s.key)}">{escape(s.key)}</a></td>'
            f"<td>{escape(s.name)}</td><td>{escape(s.type)}</td><td>{escape(s.status)}</td>"
            f"<td>{self.store.count_pages(space_ids=[s.id])}</td></tr>"
            for s in self.store.spaces()
        )
        table = (
            '<table class="list"><thead><tr><th>Key</th><th>Name</th><th>Type</th>'
            f"<th>Status</th><th>Pages</th></tr></thead><tbody>{rows}</tbody></table>"
            if rows
            else '<p class="empty">No spaces yet.</p>'
        )
        return self._html("Spaces", f"<h1>Spaces</h1>{table}")

    def view_space(self, request: Request, key: str) -> Response:
        space = self._space(key)
        pages = self.store.find_pages(space_ids=[space.id], limit=1_000_000, order="position")
        by_parent: dict[int | None, list[Page]] = {}
        ids = {page.id for page in pages}
        for page in pages:
            parent = page.parent_id if page.parent_id in ids else None
            by_parent.setdefault(parent, []).append(page)

        def tree(parent: int | None, css: str = "tree") -> str:
            items = []
            for page in by_parent.get(parent, []):
                home = ' <span class="badge">home</span>' if page.id == space.homepage_id else ""
                items.append(
                    f'<li><a href="{self.prefix}/pages/{page.id}">{escape(page.title)}</a>'
                    f"{home}{tree(page.id)}</li>"
                )
            return f'<ul class="{css}">{"".join(items)}</ul>' if items else ""

        description = f"<p>{escape(space.description)}</p>" if space.description else ""
        body = (
            f"<h1>{escape(space.name)} <small>{escape(space.key)}</small></h1>{description}"
            f"<h2>Pages</h2>{tree(None, 'tree tree-root') or '<p class=empty>No pages.</p>'}"
        )
        return self._html(space.name, body, [(f"{self.prefix}/spaces/{space.key}", space.key)])

    def _page_href(self, default_space: str) -> PageHref:
        def href(space_key: str | None, title: str) -> str | None:
            space = self.store.space_by_key(space_key or default_space)
            if space is None:
                return None
            found = self.store.find_pages(space_ids=[space.id], title=title, limit=1)
            return f"{self.prefix}/pages/{found[0].id}" if found else None

        return href

    def _user_name(self, attrs: dict[str, str]) -> str | None:
        user = None
        if "account-id" in attrs:
            user = self.store.user_by_account_id(attrs["account-id"])
        elif "userkey" in attrs:
            user = self.store.user_by_key(attrs["userkey"])
        elif "username" in attrs:
            user = self.store.user_by_name(attrs["username"])
        return user.display_name if user else None

    def _crumbs(self, page: Page) -> list[tuple[str, str]]:
        crumbs = [(f"{self.prefix}/spaces/{page.space_key}", page.space_key)]
        crumbs += [(f"{self.prefix}/pages/{a.id}", a.title) for a in self.store.ancestors(page)]
        return crumbs

    def view_page(self, request: Request, page_id: int) -> Response:
        page = self._page(page_id)
        rendered = render_storage_html(
            page.body, page_href=self._page_href(page.space_key), user_name=self._user_name
        )
        labels = self.store.labels("content", page.id)
        label_html = "".join(f'<span class="label">{escape(lb.name)}</span>' for lb in labels)
        props = "".join(
            f"<tr><td><code>{escape(p.key)}</code></td><td>{p.version}</td>"
            f"<td><pre>{escape(json.dumps(p.value, indent=2, ensure_ascii=False))}</pre></td></tr>"
            for p in self.store.properties("content", page.id)
        )
        versions = "".join(
            f'<tr><td><a href="{self.prefix}/pages/{page.id}/versions/{int(v["number"])}">'
            f"{int(v['number'])}</a></td><td>{escape(str(v['created_at']))}</td>"
            f"<td>{escape(str(v['author']))}</td><td>{escape(str(v['message'] or ''))}</td></tr>"
            for v in self.store.versions(page.id)
        )
        status = (
            f' <span class="badge">{escape(page.status)}</span>' if page.status != "current" else ""
        )
        body = (
            f'<article class="page"><h1 class="page-title">{escape(page.title)}{status}</h1>'
            f'<p class="meta">{escape(page.type)} {page.id} · version {page.version} · '
            f"last changed {escape(page.updated_at)} by {escape(page.updater)} · "
            f'<a href="{self.prefix}/pages/{page.id}/storage">storage source</a></p>'
            f'<div class="labels">{label_html or "<span class=empty>no labels</span>"}</div>'
            f'<div class="wiki-body">{rendered}</div></article>'
            "<section><h2>Properties</h2>"
            + (
                f'<table class="list"><thead><tr><th>Key</th><th>Version</th><th>Value</th></tr>'
                f"</thead><tbody>{props}</tbody></table>"
                if props
                else '<p class="empty">No properties.</p>'
            )
            + '</section><section><h2>History</h2><table class="list"><thead><tr><th>Version</th>'
            f"<th>When</th><th>By</th><th>Message</th></tr></thead><tbody>{versions}</tbody>"
            "</table></section>"
        )
        return self._html(page.title, body, self._crumbs(page))

    def view_version(self, request: Request, page_id: int, number: int) -> Response:
        page = self._page(page_id)
        found = [v for v in self.store.versions(page.id) if int(v["number"]) == number]
        if not found:
            raise NotFound()
        version = found[0]
        rendered = render_storage_html(
            str(version["body"]),
            page_href=self._page_href(page.space_key),
            user_name=self._user_name,
        )
        body = (
            f'<article class="page"><h1 class="page-title">{escape(str(version["title"]))} '
            f"<small>version {number} of {page.version}</small></h1>"
            f'<p class="meta">{escape(str(version["created_at"]))} by '
            f"{escape(str(version['author']))} · {escape(str(version['message'] or ''))}</p>"
            f'<div class="wiki-body">{rendered}</div></article>'
        )
        crumbs = [*self._crumbs(page), (f"{self.prefix}/pages/{page.id}", page.title)]
        return self._html(f"{page.title} (v{number})", body, crumbs)

    def view_storage(self, request: Request, page_id: int) -> Response:
        page = self._page(page_id)
        body = (
            f"<h1>{escape(page.title)} <small>storage format</small></h1>"
            f'<pre class="source">{escape(page.body)}</pre>'
        )
        return self._html(
            page.title, body, [*self._crumbs(page), (f"{self.prefix}/pages/{page.id}", page.title)]
        )


def make_viewer(store: Store, *, url_prefix: str = "/viewer") -> WSGIApplication:
    """A WSGI app that shows ``store`` to people under ``url_prefix`` (read-only, no auth)."""
    return Viewer(store, url_prefix)


__all__ = ["Viewer", "make_viewer", "render_storage_html"]
