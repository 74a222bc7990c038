"""The macros of a page, rendered as Confluence shows them in view mode.

``render_macro`` dispatches by name: panels (info, note, warning, tip, panel) as boxes, ``code``
and ``status``, ``details`` (page properties), ``anchor``, ``children`` (``viewer.children``),
the page-properties and task reports (``viewer.reports``); a macro we do not know stays a
labelled box with its parameters, as a real site shows an unknown macro as an error box rather
than dropping it.

* ``details`` shows its body — the table — as it is, as Confluence's Page Properties macro
  does; with ``hidden=true`` ("hide on current page") nothing shows on the page while the
  reports still read it.
* ``anchor`` renders only an empty ``<a id>`` the page's ``#`` links can jump to: the macro is
  invisible in view mode, which is why the sync delimits its regions with anchors.

The macro modules drive the renderer through ``walker.Walker``, so they need not import it.

Imports: the viewer's ``nodes``, ``walker``, ``children`` and ``reports``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from html import escape

from confluence_sync.localwiki.viewer import children, reports
from confluence_sync.localwiki.viewer.nodes import AC, flag, macro_name, params, rich_body
from confluence_sync.localwiki.viewer.walker import Walker

_PANELS = {"info": "Info", "note": "Note", "warning": "Warning", "tip": "Tip", "panel": ""}
_REPORTS = frozenset({"detailssummary", "tasks-report-macro"})


def _box(w: Walker, kind: str, label: str, body: Callable[[], None] | None = None) -> None:
    w.out.append(f'<div class="macro macro-{escape(kind)}">')
    w.out.append(f'<div class="macro-label">{escape(label)}</div>')
    if body is not None:
        body()
    w.out.append("</div>")


def _param_list(w: Walker, values: dict[str, str]) -> None:
    if values:
        w.out.append('<dl class="macro-params">')
        for key, value in values.items():
            w.out.append(f"<dt>{escape(key)}</dt><dd>{escape(value)}</dd>")
        w.out.append("</dl>")


def _body(w: Walker, macro: ET.Element) -> None:
    for child in macro:
        if child.tag == f"{AC}rich-text-body":
            w.children(child)
        elif child.tag == f"{AC}plain-text-body":
            w.out.append(f"<pre>{escape(child.text or '', quote=False)}</pre>")


def _details(w: Walker, macro: ET.Element, values: dict[str, str]) -> None:
    if flag(values.get("hidden")):
        return  # "Hide on current page": only the reports show it
    body = rich_body(macro)
    w.out.append('<div class="page-properties">')
    if body is not None:
        w.children(body)
    w.out.append("</div>")


def _anchor(w: Walker, values: dict[str, str]) -> None:
    name = values.get("", values.get("anchor", "")).strip()
    if name:
        w.out.append(f'<a class="anchor" id="{escape(name)}"></a>')


def render_macro(w: Walker, macro: ET.Element) -> None:
    """Render one ``ac:structured-macro`` (or legacy ``ac:macro``) into ``w.out``."""
    name = macro_name(macro) or ""
    values = params(macro)
    if name in _PANELS:
        label = values.get("title") or _PANELS[name]
        _box(w, f"panel panel-{name}", label, lambda: _body(w, macro))
    elif name == "details":
        _details(w, macro, values)
    elif name in _REPORTS and w.nesting:
        w.out.append(f'<p class="empty">{escape(reports.nested_note(w.language))}</p>')
    elif name == "detailssummary":
        reports.properties_report(w, values)
    elif name == "tasks-report-macro":
        reports.task_report(w, values)
    elif name == "children":
        children.render_children(w, values)
    elif name == "anchor":
        _anchor(w, values)
    elif name == "code":
        _body(w, macro)
    elif name == "status":
        colour = values.get("colour", "grey").lower()
        w.out.append(
            f'<span class="status status-{escape(colour)}">'
            f"{escape(values.get('title', ''), quote=False)}</span>"
        )
    elif name in ("toc", "pagetree"):
        label = "Table of contents" if name == "toc" else "Page tree"
        _box(w, "placeholder", label, lambda: _param_list(w, values))
    else:

        def generic() -> None:
            _param_list(w, values)
            _body(w, macro)

        _box(w, "generic", f"Macro: {name or '?'}", generic)


__all__ = ["render_macro"]
