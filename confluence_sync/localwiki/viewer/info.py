"""The "page information" view: a page's internals, one click away from the page itself.

Confluence keeps these off the page: its "Page Information" (under the page's ``…`` menu)
lists the page's details, labels and recent changes, and "View Source" shows the storage
format. Here the same belongs together on one page: the record (id, type, status, space,
parent, version, who created and last changed it), its labels, its content properties (the
sync's marker with its hashes, for instance — internal data no member needs on the page), the
version history with a link to each earlier version, and a link to the storage source.

Pure HTML building over the store's records; every value is escaped.

Imports: the store's records (types only).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from confluence_sync.localwiki.store.model import Label, Page, Property


def editor_of(flavour: str) -> str:
    """Which editor a page opens in. Cloud has only the cloud editor since April 2026, for
    pages made through v1 or v2 alike, storage format or not, whatever an ``editor`` property
    says ("As of April 2026, Confluence notes that Cloud no longer supports the legacy editor
    and all pages are converted": sphinx-contrib/confluencebuilder 8c07227; "Confluence Data
    Center utilizes only v1/original editor and Confluence Cloud only supports v2/fabric
    editor": 884807e). Neither flavour writes an ``editor`` property of its own: the page's
    properties show one only if a client stored it (docs/how-the-sync-works.md, "Editor")."""
    return (
        "cloud editor (the only one since April 2026)"
        if flavour == "cloud"
        else ("the Data Center editor (the only one)")
    )


def _rows(pairs: Sequence[tuple[str, str]]) -> str:
    return "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in pairs)


def page_information_html(
    prefix: str,
    page: Page,
    *,
    parent: Page | None,
    labels: Sequence[Label],
    properties: Sequence[Property],
    versions: Sequence[dict[str, Any]],
    flavour: str = "dc",
) -> str:
    """The body of a page's information view (``prefix`` is the viewer's URL prefix)."""
    page_url = f"{prefix}/pages/{page.id}"
    parent_html = (
        f'<a href="{prefix}/pages/{parent.id}">{escape(parent.title)}</a>' if parent else "–"
    )
    details = _rows(
        [
            ("ID", str(page.id)),
            ("Type", escape(page.type)),
            ("Status", escape(page.status)),
            (
                "Space",
                f'<a href="{prefix}/spaces/{escape(page.space_key)}">{escape(page.space_key)}</a>',
            ),
            ("Parent", parent_html),
            ("Version", str(page.version)),
            ("Created", f"{escape(page.created_at)} by {escape(page.creator)}"),
            ("Last changed", f"{escape(page.updated_at)} by {escape(page.updater)}"),
            ("Editor", escape(editor_of(flavour))),
        ]
    )
    label_html = "".join(f'<span class="label">{escape(lb.name)}</span>' for lb in labels)
    props = "".join(
        f"<tr><td><code>{escape(p.key)}</code></td><td>{p.version}</td>"
        f"<td><pre>{escape(json.dumps(p.value, indent=2, ensure_ascii=False))}</pre></td></tr>"
        for p in properties
    )
    history = "".join(
        f'<tr><td><a href="{page_url}/versions/{int(v["number"])}">{int(v["number"])}</a></td>'
        f"<td>{escape(str(v['created_at']))}</td><td>{escape(str(v['author']))}</td>"
        f"<td>{escape(str(v['message'] or ''))}</td></tr>"
        for v in versions
    )
    return (
        f"<h1>{escape(page.title)} <small>page information</small></h1>"
        f'<p class="meta"><a href="{page_url}">back to the page</a> · '
        f'<a href="{page_url}/storage">storage source</a></p>'
        f'<section class="page-info"><h2>Details</h2><table class="list"><tbody>{details}'
        "</tbody></table></section>"
        f'<section><h2>Labels</h2><div class="labels">'
        f"{label_html or '<span class=empty>no labels</span>'}</div></section>"
        "<section><h2>Content properties</h2>"
        + (
            '<table class="list"><thead><tr><th>Key</th><th>Version</th><th>Value</th></tr>'
            f"</thead><tbody>{props}</tbody></table>"
            if props
            else '<p class="empty">No properties.</p>'
        )
        + '</section><section><h2>History</h2><table class="list"><thead><tr><th>Version</th>'
        f"<th>When</th><th>By</th><th>Message</th></tr></thead><tbody>{history}</tbody>"
        "</table></section>"
    )


__all__ = ["page_information_html"]
