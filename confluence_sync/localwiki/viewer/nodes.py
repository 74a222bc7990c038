"""Small helpers over parsed storage XML that the renderer and the macro modules share: the
``ac:``/``ri:`` tag prefixes, a macro's parameters, the plain text of an element, and the rule
for which link targets may reach the browser.

Imports: ``rules.storage_format`` (the namespaces).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from confluence_sync.localwiki.rules.storage_format import AC_NS, RI_NS

AC = f"{{{AC_NS}}}"
RI = f"{{{RI_NS}}}"
MACRO_TAGS = frozenset({f"{AC}structured-macro", f"{AC}macro"})


def safe_href(url: str) -> str | None:
    """``url`` when it may be a link target (http(s), mailto, relative, fragment), else None."""
    lowered = url.strip().lower()
    if lowered.startswith(("http://", "https://", "mailto:", "/", "#")):
        return url.strip()
    return None  # javascript:, data: and friends never reach the browser


def params(macro: ET.Element) -> dict[str, str]:
    """A macro's parameters by name (the unnamed default parameter under ``""``)."""
    return {
        child.get(f"{AC}name", ""): "".join(child.itertext()).strip()
        for child in macro
        if child.tag == f"{AC}parameter"
    }


def macro_name(element: ET.Element) -> str | None:
    """The macro's name when ``element`` is a macro, else None."""
    return element.get(f"{AC}name", "") if element.tag in MACRO_TAGS else None


def plain_text(element: ET.Element) -> str:
    """The element's words with runs of whitespace made one space, as a reader sees them;
    macro parameters and instructional text are not words on the page."""
    parts: list[str] = []

    def walk(node: ET.Element) -> None:
        if node.tag in (f"{AC}parameter", f"{AC}placeholder"):
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(element)
    return " ".join("".join(parts).split())


def flag(value: str | None) -> bool:
    """A boolean macro parameter as Confluence reads it: ``true`` in any case."""
    return (value or "").strip().lower() == "true"


def rich_body(macro: ET.Element) -> ET.Element | None:
    """The macro's ``ac:rich-text-body``, if any."""
    return macro.find(f"{AC}rich-text-body")


__all__ = [
    "AC",
    "MACRO_TAGS",
    "RI",
    "flag",
    "macro_name",
    "params",
    "plain_text",
    "rich_body",
    "safe_href",
]
