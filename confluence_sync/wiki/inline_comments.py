"""Inline comments on a managed region's words survive the region's rewrite where the words do.

A member's inline comment is anchored by an ``ac:inline-comment-marker ac:ref="…"`` around
the words it is about, inside the stored body (Confluence adds no page version for it). When
the sync rewrites a region it splices in the freshly rendered content, which has no markers:
every comment thread on the region would lose its anchor. So before the splice each marker is
carried over onto the same words in the new content, where they still say the same thing:

1. in a block (paragraph, cell, list item, heading) that reads exactly as before;
2. else after the same words in a block of the same kind ("Ort: *Bremen* …" stays on
   "Bremen" when only the rest of the sentence changed);
3. else on a block of the same kind that consists of just those words (a list item that moved).

A marker around one element (a link, a date) goes onto an element that means the same
(``canonical``). A marker whose words the new content no longer has in such a place — or
whose words run across formatting, which is not matched — is returned, so the plan can name
the comment the rewrite detaches.

The new content is re-serialised only when a marker was carried over; its canonical form (and
so the region hash we record) is the same with or without markers.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Final

from confluence_sync.wiki.canonical import canonical
from confluence_sync.wiki.regions import find_regions, replace_region
from confluence_sync.wiki.storage import StorageFormatError, parse_storage, qname

MARKER: Final = "ac:inline-comment-marker"
_BLOCKS: Final = frozenset("p h1 h2 h3 h4 h5 h6 li td th pre blockquote".split())  # noqa: SIM905
# Text there is not page prose a comment can sit on (parameter values, code, link text).
_NOT_PROSE: Final = frozenset(
    {"ac:parameter", "ac:plain-text-body", "ac:plain-text-link-body", "ac:link", "at:var"}
)


@dataclass(frozen=True)
class DetachedComment:
    """An inline comment whose marked words a region rewrite removes."""

    region: str
    ref: str
    words: str

    def describe(self) -> str:
        return (
            f"inline comment {self.ref} on '{self.words}' in region {self.region} loses its "
            "words (the thread stays, without its anchor)"
        )


@dataclass(frozen=True)
class _Marker:
    ref: str
    words: str
    block: str  # tag of the enclosing block
    block_text: str
    before: str  # the block's text before the marked words
    tag: str  # the one element it wraps (a link, a date); "" when it wraps words
    form: str  # that element's canonical form


@dataclass(frozen=True)
class _Spot:
    owner: ET.Element
    child: int  # -1: the owner's text; else the tail of owner[child]
    offset: int
    block: str
    block_text: str
    before: str  # the block's text before this text (before ``offset`` once placed)


def rewrite_region(
    body: str, name: str, new_content: str, *, space: str | None = None
) -> tuple[str, tuple[DetachedComment, ...]]:
    """``replace_region``, carrying members' inline comment markers over (see module doc);
    ``space`` is the page's space key, as for ``canonical``."""
    if MARKER not in body:  # nearly every page: no second scan
        return replace_region(body, name, new_content), ()
    region = find_regions(body).get(name)
    if region is None or MARKER not in region.content:
        return replace_region(body, name, new_content), ()
    content, lost = carry_markers(region.content, new_content, space=space)
    detached = tuple(DetachedComment(name, m.ref, m.words.strip()) for m in lost)
    return replace_region(body, name, content), detached


def carry_markers(old: str, new: str, *, space: str | None = None) -> tuple[str, list[_Marker]]:
    """``new`` with the markers of ``old`` around the same words; and those it could not."""
    markers = _markers(parse_storage(old, what="a region"), space)
    if not markers:
        return new, []
    root = parse_storage(new, what="a region")
    spots = _spots(root)
    parents = {child: parent for parent in root.iter() for child in parent}
    placed: list[tuple[_Marker, _Spot]] = []
    wrapped: list[tuple[_Marker, ET.Element]] = []
    lost: list[_Marker] = []
    for marker in markers:
        if marker.tag:
            target = _same_element(marker, root, {id(e) for _, e in wrapped}, space)
            if target is None:
                lost.append(marker)
            else:
                wrapped.append((marker, target))
            continue
        spot = _best(marker, spots, placed)
        if spot is None:
            lost.append(marker)
        else:
            placed.append((marker, spot))
    if not placed and not wrapped:
        return new, lost
    # Later children first, and right to left within one text, so that the positions of the
    # others stay valid while markers are inserted.
    for marker, spot in sorted(placed, key=lambda p: (id(p[1].owner), -p[1].child, -p[1].offset)):
        _insert(marker, spot)
    for marker, target in wrapped:
        _wrap(marker, target, parents[target])
    return _serialise(root), lost


def _text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def _ref(element: ET.Element) -> str:
    return next((v for k, v in element.attrib.items() if qname(k) == "ac:ref"), "")


def _markers(root: ET.Element, space: str | None) -> list[_Marker]:
    found: list[_Marker] = []

    def walk(element: ET.Element, block: ET.Element, before: str) -> str:
        """Walks ``element``'s content; returns the block's text seen so far."""
        text = before + (element.text or "")
        for child in element:
            name = qname(str(child.tag))
            if name == MARKER:
                kids = list(child)
                lone = (
                    len(kids) == 1
                    and not (child.text or "").strip()
                    and not (kids[0].tail or "").strip()
                )
                tag = qname(str(kids[0].tag)) if lone else ""
                found.append(
                    _Marker(
                        _ref(child),
                        _text_of(child),
                        qname(str(block.tag)),
                        _text_of(block),
                        text,
                        tag,
                        _form(kids[0], space) if lone else "",
                    )
                )
            if name in _BLOCKS:
                walk(child, child, "")
                text += _text_of(child)
            else:
                text = walk(child, block, text)
            text += child.tail or ""
        return text

    walk(root, root, "")
    return [m for m in found if m.tag or m.words.strip()]


def _form(element: ET.Element, space: str | None) -> str:
    try:
        return canonical(_serialise_one(element), space=space)
    except StorageFormatError:
        return ""


def _spots(root: ET.Element) -> list[_Spot]:
    """Every text of the new content a marker could go into, with its block context."""
    spots: list[_Spot] = []

    def walk(element: ET.Element, block: ET.Element, before: str) -> str:
        text, name = before, qname(str(element.tag))
        prose = name not in _NOT_PROSE
        if element.text and prose:
            spots.append(_Spot(element, -1, 0, qname(str(block.tag)), _text_of(block), text))
        text += element.text or ""
        for index, child in enumerate(element):
            child_name = qname(str(child.tag))
            if child_name in _NOT_PROSE:
                text += _text_of(child)
            elif child_name in _BLOCKS:
                walk(child, child, "")
                text += _text_of(child)
            else:
                text = walk(child, block, text)
            if child.tail and prose:
                spots.append(_Spot(element, index, 0, qname(str(block.tag)), _text_of(block), text))
            text += child.tail or ""
        return text

    walk(root, root, "")
    return spots


def _string(spot: _Spot) -> str:
    return (spot.owner.text if spot.child < 0 else spot.owner[spot.child].tail) or ""


def _tier(marker: _Marker, spot: _Spot, before: str) -> int:
    """How surely a place holds the same words (0: not at all), as in the module doc."""
    if spot.block != marker.block:
        return 0
    if spot.block_text == marker.block_text and before == marker.before:
        return 3
    if before == marker.before:
        # … and no longer word cut: "3" of "Halle 3" is not the "3" of "Halle 30".
        after = spot.block_text[len(before) + len(marker.words) :]
        was = marker.block_text[len(marker.before) + len(marker.words) :]
        return 2 if after[:1].isalnum() == was[:1].isalnum() else 0
    return 1 if spot.block_text.strip() == marker.words.strip() else 0


def _best(marker: _Marker, spots: list[_Spot], placed: list[tuple[_Marker, _Spot]]) -> _Spot | None:
    best: tuple[int, int, _Spot] | None = None
    for order, spot in enumerate(spots):
        text = _string(spot)
        start = text.find(marker.words)
        while start >= 0:
            end = start + len(marker.words)
            taken = any(
                s.owner is spot.owner
                and s.child == spot.child
                and start < s.offset + len(m.words)
                and s.offset < end
                for m, s in placed
            )
            before = spot.before + text[:start]
            tier = 0 if taken else _tier(marker, spot, before)
            if tier and (best is None or (tier, -order) > best[:2]):
                found = _Spot(spot.owner, spot.child, start, spot.block, spot.block_text, before)
                best = (tier, -order, found)
            start = text.find(marker.words, start + 1)
    return best[2] if best else None


def _same_element(
    marker: _Marker, root: ET.Element, used: set[int], space: str | None
) -> ET.Element | None:
    """The first element of the new content that means what the marked one meant."""
    for element in root.iter():
        if element is root or id(element) in used or qname(str(element.tag)) != marker.tag:
            continue
        if _form(element, space) == marker.form:
            return element
    return None


def _insert(marker: _Marker, spot: _Spot) -> None:
    text = _string(spot)
    head, tail = text[: spot.offset], text[spot.offset + len(marker.words) :]
    element = ET.Element(MARKER, {"ac:ref": marker.ref})
    element.text, element.tail = marker.words, tail
    if spot.child < 0:
        spot.owner.text = head
        spot.owner.insert(0, element)
    else:
        spot.owner[spot.child].tail = head
        spot.owner.insert(spot.child + 1, element)


def _wrap(marker: _Marker, target: ET.Element, parent: ET.Element) -> None:
    element = ET.Element(MARKER, {"ac:ref": marker.ref})
    at = list(parent).index(target)
    element.tail, target.tail = target.tail, None
    parent.remove(target)
    element.append(target)
    parent.insert(at, element)


def _escape(text: str, *, attr: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if attr else text


def _write(element: ET.Element, out: list[str]) -> None:
    name = qname(str(element.tag))
    attrs = "".join(f' {qname(k)}="{_escape(v, attr=True)}"' for k, v in element.attrib.items())
    if not len(element) and not element.text:
        out.append(f"<{name}{attrs} />")
        return
    out.append(f"<{name}{attrs}>{_escape(element.text or '')}")
    for child in element:
        _write(child, out)
        out.append(_escape(child.tail or ""))
    out.append(f"</{name}>")


def _serialise_one(element: ET.Element) -> str:
    out: list[str] = []
    _write(element, out)
    return "".join(out)


def _serialise(root: ET.Element) -> str:
    out: list[str] = [_escape(root.text or "")]
    for child in root:
        _write(child, out)
        out.append(_escape(child.tail or ""))
    return "".join(out)
