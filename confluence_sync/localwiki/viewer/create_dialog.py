"""The viewer's Create dialog: a space's page templates listed as Confluence's Create dialog
lists them, and a new page started from one of them.

What Confluence does, and so this module: the dialog offers the space's templates and the
site's global templates, each by name and description ("You can create a page based on a
global template (available to all spaces) or a space template (available only to that
space)", Confluence's "Create a page from a template"). Choosing one opens a new, untitled
page holding the template's body and labels. A template that declares variables
(``<at:declarations>``) first shows a form with one field per variable — text for
``at:string``, a text area for ``at:textarea``, a choice for ``at:list`` — and each
``<at:var>`` becomes the value given ("If the template author included variables in the
template, Confluence will display a form prompting you to supply values for the variables when
you add the page", same page; the form's fields as Confluence's ``PageTemplateWizard`` page
object fills them: text, textarea, list option). The new page is not saved: the viewer only
shows what the editor would open with, rendered by ``viewer.render``.

The two views are methods of the viewer (``app.Viewer`` binds them to its routes); they use
only what ``ViewerParts`` names of it.

Imports: ``viewer.render``, ``rules.storage_format`` and the store's records.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Protocol

from werkzeug.exceptions import NotFound

from confluence_sync.localwiki.rules.storage_format import AT_NS, XhtmlError, parse, serialise
from confluence_sync.localwiki.viewer.render import render_storage_html
from confluence_sync.localwiki.viewer.wikidata import WikiData

if TYPE_CHECKING:
    from werkzeug.wrappers import Request, Response

    from confluence_sync.localwiki.store import Store
    from confluence_sync.localwiki.store.model import Space, Template

_AT = f"{{{AT_NS}}}"
FIELD_PREFIX = "var-"  # query parameters of the variables form: var-<name>=<value>


class ViewerParts(Protocol):
    """What the Create dialog needs of the viewer it is part of."""

    store: Store
    prefix: str

    def _space(self, key: str) -> Space: ...

    wiki: WikiData

    def _html(
        self,
        title: str,
        body: str,
        crumbs: Iterable[tuple[str, str]] = (),
        request: Request | None = None,
    ) -> Response: ...

    def reader_language(self, request: Request) -> str: ...


@dataclass(frozen=True)
class Variable:
    """One declared template variable and the field the form shows for it."""

    name: str
    kind: str  # "string", "textarea" or "list"
    options: tuple[str, ...] = ()


def offered_templates(store: Store, space: Space) -> list[Template]:
    """The page templates the Create dialog offers in ``space``: its own, then the global
    ones (blog post templates are offered only when creating a blog post)."""
    return [t for t in (*store.templates(space.id), *store.templates(None)) if t.type == "page"]


def declared_variables(body: str) -> list[Variable]:
    """The variables a template body declares, in order; none for a body that does not parse."""
    try:
        root = parse(body)
    except XhtmlError:
        return []
    found: list[Variable] = []
    for declarations in root.iter(f"{_AT}declarations"):
        for child in declarations:
            kind = str(child.tag).removeprefix(_AT)
            name = child.get(f"{_AT}name", "")
            if not name or kind not in ("string", "textarea", "list"):
                continue
            options = tuple(option.get(f"{_AT}value", "") for option in child.iter(f"{_AT}option"))
            found.append(Variable(name, kind, options))
    return found


def fill_template(body: str, values: Mapping[str, str]) -> str:
    """The template body as the new page starts: declarations gone, each ``<at:var>`` replaced
    by its value as text (escaped when written back; a missing value leaves it empty)."""
    try:
        root = parse(body)
    except XhtmlError:
        return body  # shown as the renderer shows any broken body
    for parent in list(root.iter()):
        for child in list(parent):
            tag = str(child.tag)
            if tag == f"{_AT}declarations":
                _replace(parent, child, "")
            elif tag == f"{_AT}var":
                _replace(parent, child, values.get(child.get(f"{_AT}name", ""), ""))
    return serialise(root)


def _replace(parent: ET.Element, child: ET.Element, text: str) -> None:
    """Put ``text`` (and the child's tail) where ``child`` was, and drop the child."""
    joined = text + (child.tail or "")
    index = list(parent).index(child)
    if index == 0:
        parent.text = (parent.text or "") + joined
    else:
        before = parent[index - 1]
        before.tail = (before.tail or "") + joined
    parent.remove(child)


def create_link(prefix: str, space_key: str) -> str:
    """The space page's "Create" entry, which opens the dialog."""
    return f'<p><a class="create" href="{prefix}/spaces/{escape(space_key)}/create">Create</a></p>'


def view_create(viewer: ViewerParts, request: Request, key: str) -> Response:
    """The Create dialog of a space: its templates by name and description."""
    space = viewer._space(key)
    base = f"{viewer.prefix}/spaces/{escape(space.key)}/create"
    rows = "".join(
        f'<li class="template"><a href="{base}/{t.id}">{escape(t.name)}</a>'
        f"{' <span class=badge>global</span>' if t.space_id is None else ''}"
        f'<div class="meta">{escape(t.description)}</div></li>'
        for t in offered_templates(viewer.store, space)
    )
    listing = (
        f'<ul class="templates">{rows}</ul>'
        if rows
        else '<p class="empty">This space has no page templates.</p>'
    )
    body = f"<h1>Create in {escape(space.name)} <small>{escape(space.key)}</small></h1>{listing}"
    return viewer._html(f"Create in {space.name}", body, _crumbs(viewer, space), request)


def view_create_from(viewer: ViewerParts, request: Request, key: str, template_id: int) -> Response:
    """A new page from a template: the variables form first when the template declares
    variables and none were given, then the page as the editor would open it."""
    space = viewer._space(key)
    template = next(
        (t for t in offered_templates(viewer.store, space) if t.id == template_id), None
    )
    if template is None:
        raise NotFound()  # not a template this space's Create dialog offers
    variables = declared_variables(template.body)
    crumbs = [*_crumbs(viewer, space), (f"{viewer.prefix}/spaces/{space.key}/create", "Create")]
    given = {
        k.removeprefix(FIELD_PREFIX): v
        for k, v in request.args.items()
        if k.startswith(FIELD_PREFIX)
    }
    if variables and not given:
        return viewer._html(template.name, _variables_form(template, variables), crumbs, request)
    filled = fill_template(template.body, given)
    # A page not saved yet: no page for ``here`` (our templates link with space keys).
    rendered = render_storage_html(
        filled, wiki=viewer.wiki, language=viewer.reader_language(request)
    )
    labels = "".join(f'<span class="label">{escape(name)}</span>' for name in template.labels)
    body = (
        '<article class="page new-page"><h1 class="page-title untitled">Untitled page</h1>'
        f'<p class="meta">New page in {escape(space.name)} from the template '
        f"“{escape(template.name)}” · not saved yet</p>"
        f'<div class="labels">{labels or "<span class=empty>no labels</span>"}</div>'
        f'<div class="wiki-body">{rendered}</div></article>'
        '<details class="page-information"><summary>Storage format</summary>'
        f'<pre class="source">{escape(filled)}</pre></details>'
    )
    return viewer._html(f"New page from {template.name}", body, crumbs, request)


def _variables_form(template: Template, variables: list[Variable]) -> str:
    fields = []
    for variable in variables:
        field = escape(FIELD_PREFIX + variable.name)
        label = f'<label for="{field}">{escape(variable.name)}</label>'
        if variable.kind == "textarea":
            control = f'<textarea id="{field}" name="{field}" rows="4"></textarea>'
        elif variable.kind == "list":
            options = "".join(
                f'<option value="{escape(o)}">{escape(o)}</option>' for o in variable.options
            )
            control = f'<select id="{field}" name="{field}">{options}</select>'
        else:
            control = f'<input type="text" id="{field}" name="{field}">'
        fields.append(f'<div class="field">{label} {control}</div>')
    return (
        f"<h1>{escape(template.name)}</h1>"
        f'<p class="meta">{escape(template.description)}</p>'
        f'<form class="template-variables" method="get">{"".join(fields)}'
        '<button type="submit">Next</button></form>'
    )


def _crumbs(viewer: ViewerParts, space: Space) -> list[tuple[str, str]]:
    return [(f"{viewer.prefix}/spaces/{space.key}", space.key)]


__all__ = [
    "Variable",
    "create_link",
    "declared_variables",
    "fill_template",
    "offered_templates",
    "view_create",
    "view_create_from",
]
