"""The renderer as the macro modules see it: a small protocol, so ``macros``, ``children`` and
``reports`` drive ``render.Renderer`` without importing it (and without an import cycle).

Imports: ``viewer.wikidata`` only.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Protocol

from confluence_sync.localwiki.viewer.wikidata import PageInfo, WikiData


class Walker(Protocol):
    """One render in progress: its output, its data and where it is."""

    out: list[str]
    wiki: WikiData | None
    here: PageInfo | None  # the page whose body (or cell) is being rendered
    language: str  # the reader's, one of ``i18n.LANGUAGES``
    nesting: int  # >0 inside a report's rendering of another page

    def text(self, value: str | None) -> None:
        """Append escaped text."""
        ...

    def children(self, element: ET.Element) -> None:
        """Append ``element``'s content, rendered."""
        ...

    def fragment(self, element: ET.Element, here: PageInfo | None) -> str:
        """``element``'s content rendered apart, as part of page ``here``."""
        ...

    def date_html(self, value: str) -> str:
        """A ``datetime`` value as the reader's localised date lozenge."""
        ...


__all__ = ["Walker"]
