"""The Children Display macro (``children``): a page's child pages as a list of links.

Parameters as Confluence documents them (Children Display Macro,
https://confluence.atlassian.com/conf59/children-display-macro-792499081.html):

* ``page`` — whose children: the current page (default), ``/`` (the space's top-level pages),
  ``SPACEKEY:`` (that space's top level), ``title`` or ``SPACEKEY:title``;
* ``all`` — "the complete tree of pages underneath the parent page, regardless of" ``depth``;
* ``depth`` — how many levels (default one);
* ``first`` — at most this many pages at the top level;
* ``sort`` — ``creation``, ``title`` or ``modified``; without it the manual order. (Confluence
  falls back to alphabetical for pages nobody ordered by hand; the local wiki's store keeps an
  order for every page — the order they were added — and the viewer's page tree shows that
  same order, so the two agree here.)
* ``reverse`` — descending instead of ascending.

A page with no children shows nothing. Only pages the reader may see are listed (the
``WikiData`` answers only those).

Imports: the viewer's ``nodes``, ``walker`` and ``wikidata``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from confluence_sync.localwiki.viewer.nodes import flag
from confluence_sync.localwiki.viewer.walker import Walker
from confluence_sync.localwiki.viewer.wikidata import PageInfo, WikiData

_MAX_DEPTH = 50  # a guard: the store refuses cycles, but a list must end anyway
_SORTS: dict[str, Callable[[PageInfo], tuple[str, int]]] = {
    "title": lambda p: (p.title.casefold(), p.id),
    "creation": lambda p: (p.created, p.id),
    "modified": lambda p: (p.modified, p.id),
}


def _number(value: str | None) -> int | None:
    try:
        number = int((value or "").strip())
    except ValueError:
        return None
    return number if number > 0 else None


def _roots(wiki: WikiData, here: PageInfo | None, page: str) -> Sequence[PageInfo] | None:
    """The pages to list at the top level, or None when the ``page`` parameter names none."""
    page = page.strip()
    current = here.space_key if here else ""
    if not page:
        return wiki.children(here.id) if here else None
    if page == "/":
        return wiki.top_level(current) if current else None
    prefix, colon, rest = page.partition(":")
    if colon and prefix.isalnum():  # a space key is letters and digits only
        if not rest.strip():
            return wiki.top_level(prefix)
        parent = wiki.page_by_title(prefix, rest.strip())
        if parent is not None:
            return wiki.children(parent.id)
    # A title of the current space (titles may hold a colon: "Vorlage: Protokoll").
    parent = wiki.page_by_title(current, page) if current else None
    return wiki.children(parent.id) if parent else None


def render_children(w: Walker, values: dict[str, str]) -> None:
    """Render the macro with parameters ``values`` into ``w.out``."""
    if w.wiki is None:
        return
    wiki = w.wiki
    roots = _roots(wiki, w.here, values.get("page", ""))
    if not roots:
        return
    depth = _MAX_DEPTH if flag(values.get("all")) else min(_number(values.get("depth")) or 1, 50)
    key = _SORTS.get(values.get("sort", "").strip().lower())
    reverse = flag(values.get("reverse"))
    first = _number(values.get("first"))
    seen: set[int] = set()

    def ordered(pages: Sequence[PageInfo]) -> list[PageInfo]:
        if key is None:
            listed = list(pages)  # the manual order the data hands in
            return listed[::-1] if reverse else listed
        return sorted(pages, key=key, reverse=reverse)

    def tree(pages: Sequence[PageInfo], level: int, limit: int | None) -> str:
        items = []
        for page in ordered(pages)[:limit]:
            if page.id in seen:
                continue
            seen.add(page.id)
            below = tree(wiki.children(page.id), level + 1, None) if level < depth else ""
            items.append(
                f'<li><a class="page-link" href="{escape(page.href)}">'
                f"{escape(page.title, quote=False)}</a>{below}</li>"
            )
        return f'<ul class="childpages">{"".join(items)}</ul>' if items else ""

    w.out.append(tree(roots, 1, first))


__all__ = ["render_children"]
