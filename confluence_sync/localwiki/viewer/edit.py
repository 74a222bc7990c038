"""A member edits a page in the viewer, or ticks a task on it; the save goes through REST.

``GET /viewer/pages/<id>/edit`` opens the editor: the managed regions as they render, not
editable, and each member part as rich text (``viewer.to_editor``). Pressing Save has the
browser post the sections to ``POST /viewer/pages/<id>/editor``, which plays the editor's
half of a real save: the sections back to storage (``viewer.from_editor``), the regions as
they were, and the whole page re-serialised the way the flavour's editor writes it
(``rules.editor.save``, the emulation ``/__localwiki/editor-save`` uses). It writes nothing:
it answers with the REST call that stores the result — Data Center's
``PUT /rest/api/content/{id}``, Cloud's ``PUT /wiki/api/v2/pages/{id}`` — with the version
the member opened plus one, which the browser then sends with the member's session cookie.
So a browser save is a REST save by that member: their rights checked, their name on the
version, and a 409 when someone saved the page meanwhile, which the editor shows as such.

``POST /viewer/pages/<id>/tick`` does the same for a task ticked on the page view: only that
task's status changes (``viewer.tasks``), as in Confluence's view mode.

Both build on the version the member opened (from the page's history), so a page saved by
someone else meanwhile is refused by REST itself (409: the version is not current + 1).
They answer 401 without a session, 404 for a page the member may not read (as REST) and
403 for one they may read but not edit; they write nothing themselves.

Imports: the store, ``rules`` (the editor's save, the XSRF rule through ``viewer.auth``) and
this package's editor modules.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from importlib import resources
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import NotFound
from werkzeug.routing import Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from confluence_sync.localwiki.rules.editor.save import SaveContext, save
from confluence_sync.localwiki.rules.storage_format import XhtmlError
from confluence_sync.localwiki.rules.xsrf import XSRF_MESSAGE
from confluence_sync.localwiki.viewer.auth import Auth, same_site_post
from confluence_sync.localwiki.viewer.from_editor import storage_from_editor
from confluence_sync.localwiki.viewer.tasks import tick
from confluence_sync.localwiki.viewer.to_editor import open_page

if TYPE_CHECKING:
    from confluence_sync.localwiki.store import Store
    from confluence_sync.localwiki.store.model import Page, User

Preview = Callable[[str, "Page"], str]  # (storage, the page it is for) → safe HTML
STATIC = {"member.js": "text/javascript", "member.css": "text/css"}


@dataclass(frozen=True)
class Opened:
    """The version of a page the member opened (what their save builds on)."""

    id: int
    type: str
    title: str
    version: int
    body: str


@dataclass(frozen=True)
class Site:
    """How the wiki presents itself to the editor: its flavour and where its REST API is."""

    flavour: str = "dc"  # "dc" or "cloud"
    api_root: str = ""  # DC: the context path ("" or "/confluence"); Cloud: "/wiki"

    def update_request(self, page: Opened, body: str) -> dict[str, Any]:
        """The REST call that stores ``body`` as the version after the one opened."""
        version = {"number": page.version + 1, "message": ""}
        if self.flavour == "cloud":
            return {
                "method": "PUT",
                "url": f"{self.api_root}/api/v2/pages/{page.id}",
                "json": {
                    "id": str(page.id),
                    "status": "current",
                    "title": page.title,
                    "body": {"representation": "storage", "value": body},
                    "version": version,
                },
            }
        return {
            "method": "PUT",
            "url": f"{self.api_root}/rest/api/content/{page.id}",
            "json": {
                "id": str(page.id),
                "type": page.type,
                "title": page.title,
                "version": version,
                "body": {"storage": {"value": body, "representation": "storage"}},
            },
        }


def _json(data: dict[str, Any], status: int = 200) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json"
    )


Make = Callable[["Page", Opened, dict[str, Any]], str]  # the new body from the opened one


class _Refusal(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Editor:
    """The edit page and the two save helpers of the viewer."""

    def __init__(self, store: Store, prefix: str, auth: Auth, site: Site, preview: Preview) -> None:
        self.store = store
        self.prefix = prefix
        self.auth = auth
        self.site = site
        self.preview = preview
        self.static = {
            name: (
                resources.files("confluence_sync.localwiki.viewer") / "static" / name
            ).read_bytes()
            for name in STATIC
        }

    def rules(self) -> list[Rule]:
        pages = f"{self.prefix}/pages/<int:page_id>"
        return [
            Rule(f"{pages}/edit", endpoint="edit", methods=["GET"]),
            Rule(f"{pages}/editor", endpoint="editor", methods=["POST"]),
            Rule(f"{pages}/tick", endpoint="tick", methods=["POST"]),
            Rule(f"{self.prefix}/static/<name>", endpoint="member_static", methods=["GET"]),
        ]

    def endpoints(self) -> dict[str, Callable[..., Response]]:
        return {
            "edit": self.view_edit,
            "editor": self.view_editor,
            "tick": self.view_tick,
            "member_static": self.view_static,
        }

    def view_static(self, request: Request, name: str) -> Response:
        if name not in STATIC:
            raise NotFound()
        return Response(self.static[name], mimetype=STATIC[name])

    # -- who may edit what -------------------------------------------------------------
    def may_edit(self, user: User | None, page: Page) -> bool:
        """What the REST update checks (v1: create of the page's type; v2 asks the same)."""
        return user is not None and self.store.can(user, page.space_id, "create", page.type)

    def _page(self, user: User | None, page_id: int) -> Page:
        if user is None:
            raise _Refusal(401, "Log in to edit pages.")
        page = self.store.page(page_id)
        space = self.store.space_by_id(page.space_id) if page else None
        if page is None or space is None or space.deleting or page.status != "current":
            raise _Refusal(404, "No such page.")
        if not self.auth.may_read(user, page.space_id):
            raise _Refusal(404, "No such page.")
        if not self.may_edit(user, page):
            raise _Refusal(403, "You may read this page but not edit it.")
        return page

    def _preview(self, page: Page) -> Callable[[str], str]:
        return lambda storage: self.preview(storage, page)

    # -- the edit page -----------------------------------------------------------------
    def view_edit(self, request: Request, page_id: int) -> Response:
        user = self.auth.user(request)
        if user is None:
            return redirect(f"{self.prefix}/login?next={self.prefix}/pages/{page_id}/edit", 303)
        try:
            page = self._page(user, page_id)
        except _Refusal as refusal:
            if refusal.status == 404:
                raise NotFound() from None
            return self.auth.html("Not allowed", f"<h1>{escape(refusal.message)}</h1>", status=403)
        try:
            opened = open_page(page.body, self._preview(page))
        except XhtmlError as error:
            body = f"<h1>This page cannot be edited here</h1><p>{escape(str(error))}</p>"
            return self.auth.html(page.title, body, status=409)
        sections = []
        for part in opened.parts:
            if part.kind == "region":
                sections.append(
                    f'<section class="managed-region" data-region="{escape(part.name)}">'
                    '<div class="managed-label">Kept up to date by the network office '
                    f"({escape(part.name)}): not editable here</div>"
                    f'<div class="wiki-body">{part.html}</div></section>'
                )
            else:
                editable = '<div class="member-section wiki-body" contenteditable="true">'
                sections.append(f"{editable}{part.html}</div>")
        view = f"{self.prefix}/pages/{page.id}"
        body = (
            f'<article class="page editing"><h1 class="page-title">{escape(page.title)}</h1>'
            f'<p class="meta">Editing version {page.version}. Write in the white parts; '
            "tick a task by clicking its box.</p>"
            f'<div id="editor" data-editor-url="{view}/editor" data-view-url="{view}" '
            f'data-version="{page.version}">{"".join(sections)}</div>'
            '<div class="editor-bar"><button type="button" id="save-page">Save</button>'
            '<button type="button" id="add-task">Add task</button>'
            f'<a href="{view}">Cancel</a></div>'
            '<div id="editor-message" class="editor-message" role="alert" hidden></div></article>'
        )
        crumbs = [(f"{self.prefix}/spaces/{page.space_key}", page.space_key), (view, page.title)]
        return self.auth.html(f"Edit {page.title}", body, crumbs)

    # -- the two save helpers ----------------------------------------------------------
    def _answer(self, request: Request, page_id: int, make: Make) -> Response:
        """Run ``make`` on the version the member opened; answer with the REST call that
        stores its result as that version + 1 (REST itself answers 409 when someone saved
        the page meanwhile)."""
        try:
            if not same_site_post(request):
                raise _Refusal(403, XSRF_MESSAGE)
            page = self._page(self.auth.user(request), page_id)
            data = request.get_json(silent=True)
            if not isinstance(data, dict):
                raise _Refusal(400, "The request body must be a JSON object.")
            number = data.get("version")
            if not isinstance(number, int) or isinstance(number, bool):
                raise _Refusal(400, "version (the version you opened) is required.")
            row = next((r for r in self.store.versions(page.id) if r["number"] == number), None)
            if row is None:
                raise _Refusal(404, f"The page has no version {number}.")
            opened = Opened(page.id, page.type, str(row["title"]), number, str(row["body"]))
            body = make(page, opened, data)
            return _json({"request": self.site.update_request(opened, body)})
        except _Refusal as refusal:
            return _json({"message": refusal.message}, refusal.status)
        except (ValueError, XhtmlError) as error:  # TaskError is a ValueError
            return _json({"message": str(error)}, 400)

    def _version_of(self, space_key: str, title: str) -> int | None:
        space = self.store.space_by_key(space_key)
        found = self.store.find_pages(space_ids=[space.id], title=title, limit=1) if space else []
        return found[0].version if found else None

    def view_editor(self, request: Request, page_id: int) -> Response:
        def make(page: Page, opened: Opened, data: dict[str, Any]) -> str:
            sections = data.get("sections")
            if not isinstance(sections, list) or not all(isinstance(s, str) for s in sections):
                raise _Refusal(400, "sections (the HTML of each editable part) are required.")
            typed = storage_from_editor(open_page(opened.body, self._preview(page)), sections)
            # The flavour's editor re-serialises the whole page on Save, regions included.
            context = SaveContext(page.id, opened.version + 1, page.space_key, self._version_of)
            return save(self.site.flavour, typed, context)

        return self._answer(request, page_id, make)

    def view_tick(self, request: Request, page_id: int) -> Response:
        def make(page: Page, opened: Opened, data: dict[str, Any]) -> str:
            index, count, done = data.get("index"), data.get("count"), data.get("complete")
            if not (isinstance(index, int) and isinstance(count, int) and isinstance(done, bool)):
                raise _Refusal(400, "index, count and complete are required.")
            return tick(opened.body, index, done, expected_count=count)

        return self._answer(request, page_id, make)


__all__ = ["Editor", "Site"]
