"""The viewer's pages: a werkzeug WSGI app over a ``Store``.

Four kinds of page: the space list, a space's page tree, a page (rendered body, labels,
properties, version history) with any earlier version of it, and its raw storage source.
``server.build_wsgi_app`` mounts it at ``/viewer`` beside the REST core.

Who looks decides what is shown (``viewer.auth``): a visitor logs in as an account of the
wiki and sees the spaces and pages their REST reads would show, and nothing else. A member
with edit rights edits a page or ticks a task (``viewer.edit``); the save goes through REST.

Imports: ``viewer.render``, ``viewer.auth``, ``viewer.edit`` and the store (its records,
read directly: the viewer is no API client).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from typing import TYPE_CHECKING

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from confluence_sync.localwiki.viewer.auth import Auth
from confluence_sync.localwiki.viewer.edit import Editor, Site
from confluence_sync.localwiki.viewer.render import PageHref, render_storage_html

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from confluence_sync.localwiki.store import Store
    from confluence_sync.localwiki.store.model import Page, Space, User


def _layout(
    title: str,
    prefix: str,
    body: str,
    crumbs: Iterable[tuple[str, str]] = (),
    who: str = "",
    body_attrs: str = "",
) -> str:
    trail = " › ".join(f'<a href="{escape(href)}">{escape(text)}</a>' for href, text in crumbs)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)} · local wiki</title>"
        '<link rel="icon" href="data:,">'  # no favicon request for the REST core to log
        f'<link rel="stylesheet" href="{escape(prefix)}/static/viewer.css">'
        f'<link rel="stylesheet" href="{escape(prefix)}/static/member.css">'
        f'<script src="{escape(prefix)}/static/member.js" defer></script></head><body{body_attrs}>'
        f'<header><a class="brand" href="{escape(prefix)}/">local wiki</a>'
        f'<nav class="crumbs">{trail}</nav>{who}</header><main>{body}</main></body></html>'
    )


@dataclass
class _Visit:
    """The request being answered, for the parts of a page that depend on who asks."""

    user: User | None = None
    path: str = "/"
    endpoint: str = ""
    args: dict[str, object] = field(default_factory=dict)


_VISIT: ContextVar[_Visit] = ContextVar("localwiki_viewer_visit", default=_Visit())  # noqa: B039


def _css() -> bytes:
    return (
        resources.files("confluence_sync.localwiki.viewer") / "static" / "viewer.css"
    ).read_bytes()


class Viewer:
    """WSGI app over a store; build it with :func:`make_viewer`."""

    def __init__(
        self, store: Store, url_prefix: str, *, site: Site, anonymous_access: bool = False
    ) -> None:
        self.store = store
        self.prefix = url_prefix.rstrip("/")
        self.css = _css()
        self.auth = Auth(store, self.prefix, self._html, anonymous_access=anonymous_access)
        self.editor = Editor(store, self.prefix, self.auth, site, self._preview)
        self.extra = {**self.auth.endpoints(), **self.editor.endpoints()}
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
                *self.auth.rules(),
                *self.editor.rules(),
            ],
            strict_slashes=False,
        )

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        visit = _VISIT.set(_Visit(self.auth.user(request), request.full_path.rstrip("?")))
        try:
            endpoint, args = self.map.bind_to_environ(environ).match()
            _VISIT.get().endpoint, _VISIT.get().args = str(endpoint), dict(args)
            handler = self.extra.get(str(endpoint)) or getattr(self, f"view_{endpoint}")
            response: Response = handler(request, **args)
        except HTTPException as error:
            body = f"<h1>{escape(str(error.name))}</h1>"
            response = self._html(str(error.code), body, status=error.code or 500)
        finally:
            _VISIT.reset(visit)
        return response(environ, start_response)

    def _html(
        self,
        title: str,
        body: str,
        crumbs: Iterable[tuple[str, str]] = (),
        *,
        status: int = 200,
    ) -> Response:
        visit = _VISIT.get()
        who, attrs = self.auth.menu(visit.user, visit.path), ""
        page = (
            self.store.page(int(str(visit.args["page_id"]))) if visit.endpoint == "page" else None
        )
        if page is not None and self.editor.may_edit(visit.user, page):
            # The page view's task boxes and Edit link (static/member.js reads these).
            view = f"{self.prefix}/pages/{page.id}"
            attrs = f' data-page-id="{page.id}" data-version="{page.version}"'
            attrs += f' data-tick-url="{view}/tick"'
            who = f'<a class="edit-link" href="{view}/edit">Edit</a>{who}'
        html = _layout(title, self.prefix, body, crumbs, who, attrs)
        return Response(html, status=status, mimetype="text/html")

    def _preview(self, storage: str, space_key: str) -> str:
        """Storage rendered as the page view renders it (the editor's regions and atoms)."""
        return render_storage_html(
            storage, page_href=self._page_href(space_key), user_name=self._user_name
        )

    def _may_read(self, space_id: int) -> bool:
        return self.auth.may_read(_VISIT.get().user, space_id)

    def _space(self, key: str) -> Space:
        space = self.store.space_by_key(key)
        if space is None or space.deleting or not self._may_read(space.id):
            raise NotFound()  # as REST: what a visitor may not read does not exist for them
        return space

    def _page(self, page_id: int) -> Page:
        page = self.store.page(page_id)
        space = self.store.space_by_id(page.space_id) if page is not None else None
        if page is None or space is None or space.deleting or not self._may_read(space.id):
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
            if self._may_read(s.id)
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
            if space is None or not self._may_read(space.id):
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


def make_viewer(
    store: Store,
    *,
    url_prefix: str = "/viewer",
    site: Site | None = None,
    anonymous_access: bool = False,
) -> WSGIApplication:
    """A WSGI app that shows ``store`` to people under ``url_prefix``: to each visitor what
    their REST reads would show (``anonymous_access`` as the REST core has it), with
    editing for members who may edit; ``site`` says where the REST API is for the saves."""
    return Viewer(store, url_prefix, site=site or Site(), anonymous_access=anonymous_access)


__all__ = ["Viewer", "make_viewer"]
