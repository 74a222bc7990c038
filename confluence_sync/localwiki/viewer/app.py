"""The viewer's pages: a werkzeug WSGI app over a ``Store``, read-only and without auth.

The kinds of page: the space list, a space's page tree, a page as Confluence shows it (its
rendered body and labels), its "page information" (record, content properties, history:
``viewer.info``), any earlier version of it, and its raw storage source.
``server.build_wsgi_app`` mounts it at ``/viewer`` beside the REST core.

Rendering gets the store only through ``store_data.StoreWikiData`` (the ``WikiData`` the
macros read) and the reader's language from ``i18n.choose_language``: a ``?lang=`` link (kept
in a cookie, like Confluence's login-screen language choice), the browser's
``Accept-Language``, then the viewer's default.

Imports: the viewer's ``render``, ``i18n``, ``info``, ``store_data`` and ``create_dialog`` (the
Create dialog's two pages), and the store (its
records, read directly: the viewer is no API client).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from importlib import resources
from typing import TYPE_CHECKING

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from confluence_sync.localwiki.viewer import create_dialog, i18n
from confluence_sync.localwiki.viewer.info import page_information_html
from confluence_sync.localwiki.viewer.render import render_storage_html
from confluence_sync.localwiki.viewer.store_data import StoreWikiData

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from confluence_sync.localwiki.store import Store
    from confluence_sync.localwiki.store.model import Page, Space


_CURRENT = ' class="current"'


def _layout(
    title: str,
    prefix: str,
    body: str,
    crumbs: Iterable[tuple[str, str]] = (),
    language: str = i18n.DEFAULT_LANGUAGE,
) -> str:
    trail = " › ".join(f'<a href="{escape(href)}">{escape(text)}</a>' for href, text in crumbs)
    switch = " · ".join(
        f'<a href="?lang={code}"{_CURRENT if code == language else ""}>{name}</a>'
        for code, name in (("de", "Deutsch"), ("en", "English"))
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)} · local wiki</title>"
        '<link rel="icon" href="data:,">'  # no favicon request for the REST core to log
        f'<link rel="stylesheet" href="{escape(prefix)}/static/viewer.css"></head><body>'
        f'<header><a class="brand" href="{escape(prefix)}/">local wiki</a>'
        f'<nav class="crumbs">{trail}</nav></header><main>{body}</main>'
        f'<footer class="languages">{switch}</footer></body></html>'
    )


def _css() -> bytes:
    return (
        resources.files("confluence_sync.localwiki.viewer") / "static" / "viewer.css"
    ).read_bytes()


class Viewer:
    """WSGI app over a store; build it with :func:`make_viewer`."""

    def __init__(
        self, store: Store, url_prefix: str, language: str = i18n.DEFAULT_LANGUAGE
    ) -> None:
        self.store = store
        self.prefix = url_prefix.rstrip("/")
        self.language = i18n.supported(language) or i18n.DEFAULT_LANGUAGE
        self.wiki = StoreWikiData(store, self.prefix)
        self.css = _css()
        self.map = Map(
            [
                Rule(f"{self.prefix}/", endpoint="spaces"),
                Rule(f"{self.prefix}/static/viewer.css", endpoint="css"),
                Rule(f"{self.prefix}/spaces/<key>", endpoint="space"),
                Rule(f"{self.prefix}/spaces/<key>/create", endpoint="create"),
                Rule(
                    f"{self.prefix}/spaces/<key>/create/<int:template_id>", endpoint="create_from"
                ),
                Rule(f"{self.prefix}/pages/<int:page_id>", endpoint="page"),
                Rule(f"{self.prefix}/pages/<int:page_id>/storage", endpoint="storage"),
                Rule(f"{self.prefix}/pages/<int:page_id>/info", endpoint="info"),
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
                _layout(
                    str(error.code),
                    self.prefix,
                    f"<h1>{escape(str(error.name))}</h1>",
                    language=self.reader_language(request),
                ),
                status=error.code,
                mimetype="text/html",
            )
        chosen = i18n.supported(request.args.get("lang"))
        if chosen:  # the reader picked a language: keep it, as Confluence's cookie does
            response.set_cookie(
                i18n.COOKIE, chosen, max_age=365 * 86400, path=f"{self.prefix}/", samesite="Lax"
            )
        return response(environ, start_response)

    def reader_language(self, request: Request) -> str:
        """The language this request is rendered in (see ``viewer.i18n``)."""
        picked = request.args.get("lang") or request.cookies.get(i18n.COOKIE)
        browser = [value for value, _quality in request.accept_languages]
        return i18n.choose_language(picked, browser, self.language)

    def _html(
        self,
        title: str,
        body: str,
        crumbs: Iterable[tuple[str, str]] = (),
        request: Request | None = None,
    ) -> Response:
        language = self.reader_language(request) if request is not None else self.language
        return Response(_layout(title, self.prefix, body, crumbs, language), mimetype="text/html")

    def render(self, page: Page, body: str, request: Request) -> str:
        """``body`` (the page's, or an earlier version's) as the reader sees it on ``page``."""
        return render_storage_html(
            body, wiki=self.wiki, here=self.wiki.info(page), language=self.reader_language(request)
        )

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

    # The Create dialog (its own module): a space's templates, and a new page from one.
    view_create = create_dialog.view_create
    view_create_from = create_dialog.view_create_from

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
        return self._html("Spaces", f"<h1>Spaces</h1>{table}", request=request)

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
            f"{create_dialog.create_link(self.prefix, space.key)}"
            f"<h2>Pages</h2>{tree(None, 'tree tree-root') or '<p class=empty>No pages.</p>'}"
        )
        crumbs = [(f"{self.prefix}/spaces/{space.key}", space.key)]
        return self._html(space.name, body, crumbs, request)

    def _crumbs(self, page: Page) -> list[tuple[str, str]]:
        crumbs = [(f"{self.prefix}/spaces/{page.space_key}", page.space_key)]
        crumbs += [(f"{self.prefix}/pages/{a.id}", a.title) for a in self.store.ancestors(page)]
        return crumbs

    def view_page(self, request: Request, page_id: int) -> Response:
        page = self._page(page_id)
        labels = self.store.labels("content", page.id)
        label_html = "".join(f'<span class="label">{escape(lb.name)}</span>' for lb in labels)
        status = (
            f' <span class="badge">{escape(page.status)}</span>' if page.status != "current" else ""
        )
        # As on a Confluence page: title, byline, body, labels; the internals (content
        # properties, storage, history) are one click away under "page information".
        body = (
            f'<article class="page"><h1 class="page-title">{escape(page.title)}{status}</h1>'
            f'<p class="meta">last changed {escape(page.updated_at)} by {escape(page.updater)}'
            f" · version {page.version} · "
            f'<a class="page-info-link" href="{self.prefix}/pages/{page.id}/info">'
            "page information</a></p>"
            f'<div class="wiki-body">{self.render(page, page.body, request)}</div>'
            f'<div class="labels">{label_html}</div></article>'
        )
        return self._html(page.title, body, self._crumbs(page), request)

    def view_info(self, request: Request, page_id: int) -> Response:
        page = self._page(page_id)
        body = page_information_html(
            self.prefix,
            page,
            parent=self.store.page(page.parent_id) if page.parent_id is not None else None,
            labels=self.store.labels("content", page.id),
            properties=self.store.properties("content", page.id),
            versions=self.store.versions(page.id),
        )
        crumbs = [*self._crumbs(page), (f"{self.prefix}/pages/{page.id}", page.title)]
        return self._html(f"{page.title} (page information)", body, crumbs, request)

    def view_version(self, request: Request, page_id: int, number: int) -> Response:
        page = self._page(page_id)
        found = [v for v in self.store.versions(page.id) if int(v["number"]) == number]
        if not found:
            raise NotFound()
        version = found[0]
        body = (
            f'<article class="page"><h1 class="page-title">{escape(str(version["title"]))} '
            f"<small>version {number} of {page.version}</small></h1>"
            f'<p class="meta">{escape(str(version["created_at"]))} by '
            f"{escape(str(version['author']))} · {escape(str(version['message'] or ''))} · "
            f'<a href="{self.prefix}/pages/{page.id}/info">page information</a></p>'
            f'<div class="wiki-body">{self.render(page, str(version["body"]), request)}</div>'
            "</article>"
        )
        crumbs = [*self._crumbs(page), (f"{self.prefix}/pages/{page.id}", page.title)]
        return self._html(f"{page.title} (v{number})", body, crumbs, request)

    def view_storage(self, request: Request, page_id: int) -> Response:
        page = self._page(page_id)
        body = (
            f"<h1>{escape(page.title)} <small>storage format</small></h1>"
            f'<pre class="source">{escape(page.body)}</pre>'
        )
        crumbs = [
            *self._crumbs(page),
            (f"{self.prefix}/pages/{page.id}", page.title),
            (f"{self.prefix}/pages/{page.id}/info", "page information"),
        ]
        return self._html(page.title, body, crumbs, request)


def make_viewer(
    store: Store, *, url_prefix: str = "/viewer", language: str = i18n.DEFAULT_LANGUAGE
) -> WSGIApplication:
    """A WSGI app that shows ``store`` to people under ``url_prefix`` (read-only, no auth);
    ``language`` is the site's default language, for readers whose browser names none the
    viewer knows."""
    return Viewer(store, url_prefix, language)


__all__ = ["Viewer", "make_viewer"]
