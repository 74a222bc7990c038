"""The viewer's pages: a werkzeug WSGI app over a ``Store``.

The kinds of page: the space list, a space's page tree, a page as Confluence shows it (its
rendered body and labels), its "page information" (record, content properties, history:
``viewer.info``), any earlier version of it, and its raw storage source.
``server.build_wsgi_app`` mounts it at ``/viewer`` beside the REST core.

Rendering gets the store only through ``store_data.StoreWikiData`` (the ``WikiData`` the
macros read) and the reader's language from ``i18n.choose_language``: a ``?lang=`` link (kept
in a cookie, like Confluence's login-screen language choice), the browser's
``Accept-Language``, then the viewer's default.

Who looks decides what is shown (``viewer.auth``): a visitor logs in as an account of the
wiki and sees the spaces and pages their REST reads would show, and nothing else — the reports
too, through ``StoreWikiData``'s ``visible`` hook. A member with edit rights edits a page or
ticks a task (``viewer.edit``); the save goes through REST.

Imports: the viewer's ``render``, ``i18n``, ``info``, ``store_data``, ``create_dialog`` (the
Create dialog's two pages), ``auth`` and ``edit``, and the store (its
records, read directly: the viewer is no API client).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from typing import TYPE_CHECKING

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from confluence_sync.localwiki.viewer import create_dialog, i18n
from confluence_sync.localwiki.viewer.attachments import attachments_html, download
from confluence_sync.localwiki.viewer.auth import Auth
from confluence_sync.localwiki.viewer.edit import Editor, Site
from confluence_sync.localwiki.viewer.info import page_information_html
from confluence_sync.localwiki.viewer.render import render_storage_html
from confluence_sync.localwiki.viewer.store_data import StoreWikiData

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from confluence_sync.localwiki.store import Store
    from confluence_sync.localwiki.store.model import Page, Space, User


_CURRENT = ' class="current"'


def _layout(
    title: str,
    prefix: str,
    body: str,
    crumbs: Iterable[tuple[str, str]] = (),
    language: str = i18n.DEFAULT_LANGUAGE,
    who: str = "",
    body_attrs: str = "",
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
        f'<link rel="stylesheet" href="{escape(prefix)}/static/viewer.css">'
        f'<link rel="stylesheet" href="{escape(prefix)}/static/member.css">'
        f'<script src="{escape(prefix)}/static/member.js" defer></script></head><body{body_attrs}>'
        f'<header><a class="brand" href="{escape(prefix)}/">local wiki</a>'
        f'<nav class="crumbs">{trail}</nav>{who}</header><main>{body}</main>'
        f'<footer class="languages">{switch}</footer></body></html>'
    )


@dataclass
class _Visit:
    """The request being answered, for the parts of a page that depend on who asks."""

    user: User | None = None
    path: str = "/"
    language: str = i18n.DEFAULT_LANGUAGE
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
        self,
        store: Store,
        url_prefix: str,
        language: str = i18n.DEFAULT_LANGUAGE,
        *,
        site: Site,
        anonymous_access: bool = False,
    ) -> None:
        self.store = store
        self.prefix = url_prefix.rstrip("/")
        self.language = i18n.supported(language) or i18n.DEFAULT_LANGUAGE
        self.wiki = StoreWikiData(
            store, self.prefix, visible=lambda space: self._may_read(space.id)
        )
        self.css = _css()
        self.auth = Auth(store, self.prefix, self._html, anonymous_access=anonymous_access)
        self.editor = Editor(store, self.prefix, self.auth, site, self._preview)
        self.extra = {**self.auth.endpoints(), **self.editor.endpoints()}
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
                    f"{self.prefix}/download/attachments/<int:page_id>/<path:filename>",
                    endpoint="download",
                ),
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
        here = _Visit(
            self.auth.user(request), request.full_path.rstrip("?"), self.reader_language(request)
        )
        visit = _VISIT.set(here)
        try:
            endpoint, args = self.map.bind_to_environ(environ).match()
            here.endpoint, here.args = str(endpoint), dict(args)
            handler = self.extra.get(str(endpoint)) or getattr(self, f"view_{endpoint}")
            response: Response = handler(request, **args)
        except HTTPException as error:
            body = f"<h1>{escape(str(error.name))}</h1>"
            response = self._html(str(error.code), body, status=error.code or 500)
        finally:
            _VISIT.reset(visit)
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
        *,
        status: int = 200,
    ) -> Response:
        visit = _VISIT.get()
        language = self.reader_language(request) if request is not None else visit.language
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
        html = _layout(title, self.prefix, body, crumbs, language, who, attrs)
        return Response(html, status=status, mimetype="text/html")

    def _preview(self, storage: str, page: Page) -> str:
        """Storage rendered as the page view renders it (the editor's regions and atoms)."""
        return render_storage_html(
            storage, wiki=self.wiki, here=self.wiki.info(page), language=_VISIT.get().language
        )

    def _may_read(self, space_id: int) -> bool:
        return self.auth.may_read(_VISIT.get().user, space_id)

    def render(self, page: Page, body: str, request: Request) -> str:
        """``body`` (the page's, or an earlier version's) as the reader sees it on ``page``."""
        return render_storage_html(
            body, wiki=self.wiki, here=self.wiki.info(page), language=self.reader_language(request)
        )

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

    # The Create dialog (its own module): a space's templates, and a new page from one.
    view_create = create_dialog.view_create
    view_create_from = create_dialog.view_create_from

    def view_download(self, request: Request, page_id: int, filename: str) -> Response:
        """An attachment's file at Confluence's download address (``viewer.attachments``)."""
        return download(self.store, self._page, page_id, filename)

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
            f'<p class="meta">{self._byline(page, request)} · '
            f'<a class="page-info-link" href="{self.prefix}/pages/{page.id}/info">'
            f"{escape(i18n.word(self.reader_language(request), 'page-info'))}</a></p>"
            f'<div class="wiki-body">{self.render(page, page.body, request)}</div>'
            f'<div class="labels">{label_html}</div>'
            + attachments_html(
                self.store,
                self.prefix,
                page,
                i18n.word(self.reader_language(request), "attachments"),
            )
            + "</article>"
        )
        return self._html(page.title, body, self._crumbs(page), request)

    def _byline(self, page: Page, request: Request) -> str:
        """Who made and last changed the page, and when, as the page's byline says it."""
        language = self.reader_language(request)
        day = i18n.parse_date(page.updated_at)
        words = i18n.word(
            language,
            "byline",
            creator=self._display_name(page.creator),
            updater=self._display_name(page.updater),
            day=i18n.format_date(day, language) if day else page.updated_at,
        )
        version = i18n.word(language, "version", number=page.version)
        return f"{escape(words)} · {escape(version)}"

    def _display_name(self, username: str) -> str:
        user = self.store.user_by_name(username)
        return user.display_name if user is not None else username

    def view_info(self, request: Request, page_id: int) -> Response:
        page = self._page(page_id)
        body = page_information_html(
            self.prefix,
            page,
            parent=self.store.page(page.parent_id) if page.parent_id is not None else None,
            labels=self.store.labels("content", page.id),
            properties=self.store.properties("content", page.id),
            versions=self.store.versions(page.id),
            flavour=self.editor.site.flavour,
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
    store: Store,
    *,
    url_prefix: str = "/viewer",
    language: str = i18n.DEFAULT_LANGUAGE,
    site: Site | None = None,
    anonymous_access: bool = False,
) -> WSGIApplication:
    """A WSGI app that shows ``store`` to people under ``url_prefix``: to each visitor what
    their REST reads would show (``anonymous_access`` as the REST core has it), with
    editing for members who may edit; ``site`` says where the REST API is for the saves;
    ``language`` is the site's default language, for readers whose browser names none the
    viewer knows."""
    return Viewer(
        store, url_prefix, language, site=site or Site(), anonymous_access=anonymous_access
    )


__all__ = ["Viewer", "make_viewer"]
