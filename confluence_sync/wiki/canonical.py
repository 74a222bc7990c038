"""The canonical form of a storage fragment, and the region hashes made from it.

A region's hash is stored when the sync writes it and compared on every later run: a region
whose hash changed was edited by a member (a conflict, kept). So the form must be the same for
a region as the sync wrote it, as the server normalised it, and as a member's *editor* wrote
it back — both editors re-serialise the whole page on every save, our regions included — and
still differ for any edit of our words.

What it ignores, and where each comes from:

* Server normalisation: ``ac:macro-id``, ``ac:schema-version``, attribute order and quotes,
  ``<x/>`` vs ``<x></x>``, entities vs characters, ``<b>``/``<i>`` vs ``<strong>``/``<em>``,
  whitespace at block edges, reassigned task ids (Confluence storage format documentation).
* Cloud editor (the page goes through ADF and back): ``local-id``/``ac:local-id``/
  ``ri:local-id``, ``data-*`` (``data-layout``, ``data-table-width``), ``ri:version-at-save``,
  ``ac:card-appearance``, ``ac:breakout-mode``/``-width``, ``style`` (column widths), the
  ``colgroup``, ``ac:adf-mark`` — the attributes querypie/querypie-docs'
  ``reverse_sync/xhtml_normalizer.py`` has to ignore on real Cloud pages, and mozilla/markfluence
  ``docs/confluence/links-and-anchors.md`` (editor links carry ``ac:local-id`` +
  ``ac:card-appearance``); cell and list-item text wrapped in ``<p>`` (ADF requires it);
  empty ``<p />`` between blocks; macro parameters in another order (ADF keeps them as a map);
  a same-space link without ``ri:space-key``; a callout panel as ``ac:adf-extension`` with an
  ``ac:adf-fallback`` copy, and a panel's ``title`` demoted to a bold first paragraph
  (markfluence ``docs/confluence/storage-format.md``, verified 2026-09-01).
* Data Center editor (TinyMCE): ``class`` values ``wrapped``/``relative-table``/
  ``auto-cursor-target``/``content-wrapper``, ``<p class="auto-cursor-target"><br /></p>``
  around macros and tables, ``<div class="content-wrapper">`` in cells holding a macro or
  date, the ``&nbsp;`` it leaves after them, ``colspan="1"``, ``scope``, link text as
  ``ac:plain-text-link-body`` CDATA (real DC storage in the public code index; Atlassian's
  storage format page, "A note about link bodies").
* Inline comment markers: a member commenting on our words has not edited them.

What it still sees: any change of text, an element added or removed (other than an empty
paragraph), a link's target title or space (other than dropping the page's own space), a macro
or parameter, a date, a task's status, formatting (``<strong>``), a cell class such as
``highlight-red``.

Migration: hashes stored by earlier releases were made with a narrower form
(``canonical_legacy``); :func:`recorded_matches` accepts either.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Final, Literal

from confluence_sync.wiki.canonical_legacy import legacy_region_hash
from confluence_sync.wiki.storage import parse_storage, qname

_RENAMES: Final = {"b": "strong", "i": "em", "ac:plain-text-link-body": "ac:link-body"}
# Attributes the server or an editor adds or rewrites by itself; none changes what members read.
_IGNORED_ATTRS: Final = frozenset(
    """ac:macro-id ac:schema-version ac:local-id local-id ri:local-id ac:task-uuid
    ri:version-at-save ac:card-appearance ac:breakout-mode ac:breakout-width style
    scope""".split()  # noqa: SIM905
)
_DEFAULT_ONE: Final = frozenset({"colspan", "rowspan"})  # "1" is what an absent one means
# Elements that carry no words: ids the server renumbers, editor column widths, Cloud's image
# border marks, and the pre-rendered copy of an ADF extension (a cache, markfluence).
_DROPPED: Final = frozenset({"ac:task-id", "ac:task-uuid", "colgroup", "ac:adf-mark"})
_EDITOR_CLASSES: Final = frozenset(
    """wrapped relative-table fixed-table auto-cursor-target content-wrapper confluenceTable
    confluenceTh confluenceTd""".split()  # noqa: SIM905
)
_BLOCKS: Final = frozenset(
    """p h1 h2 h3 h4 h5 h6 ul ol li table thead tbody tfoot tr th td colgroup col div blockquote
    hr pre ac:structured-macro ac:parameter ac:rich-text-body ac:plain-text-body ac:task-list
    ac:task ac:task-status ac:task-body ac:layout ac:layout-section ac:layout-cell
    ac:adf-extension ac:adf-node ac:adf-attribute ac:adf-content at:declarations at:string
    at:textarea at:list at:option cs-storage-root""".split()  # noqa: SIM905
)
_VERBATIM: Final = frozenset({"pre", "ac:plain-text-body"})
_UNWRAP_FIRST_P: Final = frozenset({"li", "td", "th", "ac:task-body"})
# ADF panel types and the macro each is stored as (markfluence: "The four macros are four of
# five ADF panel types"); a purple ``note`` panel and a custom one have no macro of their own.
_PANEL_MACROS: Final = {
    "info": "info",
    "success": "tip",
    "warning": "note",
    "error": "warning",
    "custom": "panel",
}
_CALLOUTS: Final = frozenset({"info", "tip", "note", "warning", "panel"})
_EDGE: Final = " \xa0"  # at a block edge neither a space nor a no-break space renders
_SPACE_RE: Final = re.compile(r"[ \t\r\n]+")

Item = str | ET.Element


def canonical(fragment: str, *, space: str | None = None) -> str:
    """The editor- and server-proof normal form of a storage fragment.

    ``space``: the key of the page's space; a link to a page of that space means the same
    with or without ``ri:space-key`` (the editors drop it), so it is dropped here too.
    """
    return _inner(parse_storage(fragment, what="a region"), "cs-storage-root", space)


def region_hash(fragment: str, *, space: str | None = None) -> str:
    """``sha256:<hex>`` of :func:`canonical`; stable across normalisation and editor saves."""
    return "sha256:" + hashlib.sha256(canonical(fragment, space=space).encode()).hexdigest()


def recorded_matches(fragment: str, recorded: str | None, *, space: str | None = None) -> bool:
    """Whether a hash stored for a region still describes ``fragment``: in the current form,
    or in the form of earlier releases (hashes stored before the upgrade)."""
    if not recorded:
        return False
    if recorded == region_hash(fragment, space=space):
        return True
    return recorded == legacy_region_hash(fragment)


RegionVerdict = Literal["wanted", "ours", "edited"]


def region_verdict(
    fragment: str, wanted: str, recorded: str | None, *, space: str | None = None
) -> RegionVerdict:
    """What a region on a page holds, the one rule the planner and the write's re-check both
    ask: the ``wanted`` words already; words the sync wrote (``recorded`` still describes
    them: ours to replace); or a member's edit. No recorded hash means we cannot tell the
    words are ours: an edit."""
    if region_hash(fragment, space=space) == wanted:
        return "wanted"
    return "ours" if recorded_matches(fragment, recorded, space=space) else "edited"


def _name(tag: str) -> str:
    name = qname(tag)
    return _RENAMES.get(name, name)


def _element(name: str, attrs: dict[str, str], children: Iterable[Item]) -> ET.Element:
    """A synthetic element (tags in ``prefix:local`` form, which :func:`qname` keeps)."""
    element = ET.Element(name, attrs)
    last: ET.Element | None = None
    for child in children:
        if isinstance(child, str):
            if last is None:
                element.text = (element.text or "") + child
            else:
                last.tail = (last.tail or "") + child
        else:
            child = _detached(child)
            element.append(child)
            last = child
    return element


def _detached(element: ET.Element) -> ET.Element:
    """A shallow copy without tail: the same element may sit in two synthetic parents."""
    copy = ET.Element(element.tag, element.attrib)
    copy.text = element.text
    copy.extend(list(element))
    return copy


def _items(element: ET.Element) -> list[Item]:
    items: list[Item] = [element.text or ""]
    for child in element:
        items.extend(_child(child))
        items.append(child.tail or "")
    return items


def _child(child: ET.Element) -> list[Item]:
    """What one child element stands for in its parent's content."""
    name = _name(str(child.tag))
    if name in _DROPPED or name == "ac:adf-fallback":
        return []
    if name == "ac:adf-attribute" and child.get("key") == "local-id":
        return []
    if name == "ac:inline-comment-marker":
        return _items(child)  # its words stay, in place; the wrapper goes
    if name == "div" and "content-wrapper" in (child.get("class") or "").split():
        return _items(child)
    if name == "p" and _empty(child):
        return []
    if name == "ac:adf-extension":
        return [_from_adf(child)]
    if name == "ac:structured-macro" and _attr(child, "ac:name") in _CALLOUTS:
        return [_demote_title(child)]
    return [child]


def _attr(element: ET.Element, wanted: str) -> str:
    """An attribute by ``prefix:local`` name, parsed (``{uri}local``) or synthetic alike."""
    return next((v for k, v in element.attrib.items() if qname(k) == wanted), "")


def _empty(paragraph: ET.Element) -> bool:
    """An empty line: no words, at most line breaks (the editors add and drop these)."""
    if (paragraph.text or "").strip(" \t\r\n\xa0"):
        return False
    return all(
        _name(str(c.tag)) == "br" and not (c.tail or "").strip(" \t\r\n\xa0") for c in paragraph
    )


def _from_adf(extension: ET.Element) -> ET.Element:
    """An ``ac:adf-extension`` panel as the macro Confluence stores the same panel as; other
    extensions as they are (their fallback copy and local ids are dropped by :func:`_child`)."""
    node = next((c for c in extension if _name(str(c.tag)) == "ac:adf-node"), None)
    if node is None or node.get("type") != "panel":
        return extension
    attrs = {
        str(c.get("key")): "".join(c.itertext()).strip()
        for c in node
        if _name(str(c.tag)) == "ac:adf-attribute"
    }
    content = next((c for c in node if _name(str(c.tag)) == "ac:adf-content"), None)
    kind = attrs.get("panel-type", "")
    params: list[Item] = []
    if kind == "custom" and attrs.get("panel-color"):
        params.append(_element("ac:parameter", {"ac:name": "bgColor"}, [attrs["panel-color"]]))
    body = _element("ac:rich-text-body", {}, _items(content) if content is not None else [])
    macro = _PANEL_MACROS.get(kind, f"adf-panel-{kind}")
    return _demote_title(_element("ac:structured-macro", {"ac:name": macro}, [*params, body]))


def _demote_title(macro: ET.Element) -> ET.Element:
    """A callout's ``title`` parameter as the bold first paragraph of its body: ADF panels
    have no title, and a Cloud editor save turns it into exactly that (markfluence)."""
    children = list(macro)
    title = next(
        (c for c in children if _name(str(c.tag)) == "ac:parameter" and _param_name(c) == "title"),
        None,
    )
    if title is None:
        return macro
    words = "".join(title.itertext()).strip()
    bold = _element("p", {}, [_element("strong", {}, [words])]) if words else None
    rest: list[Item] = []
    has_body = False
    for child in children:
        if child is title:
            continue
        if _name(str(child.tag)) == "ac:rich-text-body":
            has_body = True
            child = _element("ac:rich-text-body", {}, [*([bold] if bold else []), *_items(child)])
        rest.append(child)
    if not has_body and bold is not None:
        rest.append(_element("ac:rich-text-body", {}, [bold]))
    return _element(str(macro.tag), dict(macro.attrib), rest)


def _param_name(parameter: ET.Element) -> str:
    return _attr(parameter, "ac:name")


def _significant(items: Iterable[Item]) -> list[Item]:
    return [i for i in items if not isinstance(i, str) or i.strip()]


def _escape(text: str, *, attr: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if attr else text


def _attributes(element: ET.Element, name: str, space: str | None) -> str:
    kept: list[tuple[str, str]] = []
    for raw, value in element.attrib.items():
        key = qname(raw)
        if key in _IGNORED_ATTRS or key.startswith("data-"):
            continue
        if key in _DEFAULT_ONE and value.strip() == "1":
            continue
        if key == "class":
            value = " ".join(sorted(set(value.split()) - _EDITOR_CLASSES))
            if not value:
                continue
        if (
            key == "ri:space-key"
            and name in ("ri:page", "ri:blog-post")
            and space is not None
            and value.casefold() == space.casefold()
        ):
            continue  # a link into the page's own space: the editors drop the key
        kept.append((key, value))
    return "".join(f' {key}="{_escape(value, attr=True)}"' for key, value in sorted(kept))


def _write(element: ET.Element, out: list[str], space: str | None) -> None:
    name = _name(str(element.tag))
    rendered = _attributes(element, name, space)
    inner = _inner(element, name, space)
    out.append(f"<{name}{rendered}>{inner}</{name}>" if inner else f"<{name}{rendered}/>")


def _content(element: ET.Element, name: str) -> list[Item]:
    items = _items(element)
    if name == "ac:structured-macro":
        # Parameters are a map to both editors: their order carries no meaning.
        elements = [i for i in items if isinstance(i, ET.Element)]
        params = [e for e in elements if _name(str(e.tag)) == "ac:parameter"]
        others = [e for e in elements if _name(str(e.tag)) != "ac:parameter"]
        return [*sorted(params, key=_param_name), *others]
    if name in _UNWRAP_FIRST_P:
        significant = _significant(items)
        if name in ("td", "th") and len(significant) == 1 and _is_break(significant[0]):
            return []  # DC writes an empty cell as <br />
        first = significant[0] if significant else None
        # Cell and list-item text in a paragraph (Cloud) or not (ours, DC): the same words.
        if (
            isinstance(first, ET.Element)
            and _name(str(first.tag)) == "p"
            and all(_is_block(i) for i in significant[1:])
        ):
            at = next(n for n, i in enumerate(items) if i is first)
            items = [*items[:at], *_items(first), *items[at + 1 :]]
    return items


def _inner(element: ET.Element, name: str, space: str | None) -> str:
    merged: list[Item] = []
    for item in _content(element, name):
        if isinstance(item, str) and merged and isinstance(merged[-1], str):
            merged[-1] += item
        else:
            merged.append(item)
    body: list[str] = []
    verbatim = name in _VERBATIM
    for index, item in enumerate(merged):
        if isinstance(item, ET.Element):
            _write(item, body, space)
            continue
        text = item if verbatim else _SPACE_RE.sub(" ", item)
        if not verbatim:
            prev = merged[index - 1] if index > 0 else None
            nxt = merged[index + 1] if index + 1 < len(merged) else None
            if (prev is None and name in _BLOCKS) or _is_block(prev):
                text = text.lstrip(_EDGE)
            if (nxt is None and name in _BLOCKS) or _is_block(nxt):
                text = text.rstrip(_EDGE)
        body.append(_escape(text))
    return "".join(body)


def _is_break(item: Item) -> bool:
    return isinstance(item, ET.Element) and _name(str(item.tag)) == "br"


def _is_block(item: Item | None) -> bool:
    return isinstance(item, ET.Element) and _name(str(item.tag)) in _BLOCKS
