"""Managed regions: the only parts of a wiki page the sync may rewrite.

A page mixes words the config owns (key facts, directories, indexes) with words members own
(minutes, decisions, anything they add). The sync owns a *region* only, and every byte outside
its regions stays exactly as the member or Confluence left it.

Delimiters — a pair of ``anchor`` macros, each alone in a paragraph, around top-level blocks::

    <p><ac:structured-macro ac:name="anchor" ac:schema-version="1">
         <ac:parameter ac:name="">confluence-sync:begin:facts</ac:parameter>
       </ac:structured-macro></p>
    ... region content (any blocks) ...
    <p><ac:structured-macro ac:name="anchor" ...>confluence-sync:end:facts ...</p>

Why anchors and not a bodied macro with an id: an anchor renders as nothing on the page, is a
real built-in macro on Cloud and Data Center (no "unknown macro" box), and its single parameter
is plain text that Confluence keeps as it is, while it adds ``ac:macro-id``, ``ac:local-id`` or
``data-layout`` around it. A bodied macro (``section``, ``panel``, ``expand``) would draw a box
or change the layout members see, and members typing into it would seem to be invited to. In
the editor an anchor shows as a small flag, so a member can still see — and delete — it; a
missing delimiter is therefore *reported* (:class:`RegionDamagedError`), never re-added at a
guessed place. The wrapping ``<p>`` is ours on purpose: the Cloud editor wraps a lone inline
macro in a paragraph anyway, so the stored form and the written form agree.

Finding regions uses :func:`confluence_sync.wiki.storage.scan`, which keeps byte offsets, so
:func:`replace_region` splices one byte range and never re-serialises the page.

Change detection lives in :mod:`confluence_sync.wiki.canonical` (re-exported here): a region's hash
is the same as the sync wrote it, as the server normalised it and as either editor re-saved
it, and differs for an edit of its words.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Final, Literal

from confluence_sync.errors import ConfluenceSyncError
from confluence_sync.wiki.canonical import (
    canonical,
    recorded_matches,
    region_hash,
    region_verdict,
)
from confluence_sync.wiki.storage import Event, check_storage, scan

__all__ = [
    "MARKER",
    "Region",
    "RegionDamagedError",
    "RegionError",
    "RegionProblem",
    "RegionScan",
    "canonical",
    "delimiter",
    "find_regions",
    "insert_missing_region",
    "recorded_matches",
    "region_hash",
    "region_verdict",
    "replace_region",
    "scan_regions",
    "wrap_region",
]

MARKER: Final = "confluence-sync"
REGION_NAME_RE: Final = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_DELIMITER_RE: Final = re.compile(rf"^{MARKER}:(begin|end):([a-z0-9][a-z0-9-]{{0,63}})$")


class RegionError(ConfluenceSyncError):
    """A managed region cannot be used as asked (missing, duplicated, or bad input)."""


class RegionDamagedError(RegionError):
    """A region's delimiters were edited away or moved; the sync must not guess."""


def delimiter(kind: Literal["begin", "end"], name: str) -> str:
    """The storage markup of one region delimiter (a plain ``str``: wrap it in ``Markup`` to
    use it in an autoescaped template; ``str + Markup`` would escape the ``str``)."""
    if not REGION_NAME_RE.match(name):
        raise RegionError(f"bad region name {name!r}", hint="use lower-case letters, digits, -")
    return (
        '<p><ac:structured-macro ac:name="anchor" ac:schema-version="1">'
        f'<ac:parameter ac:name="">{MARKER}:{kind}:{name}</ac:parameter>'
        "</ac:structured-macro></p>"
    )


def wrap_region(name: str, content: str) -> str:
    """``content`` between the begin and end delimiters of region ``name``."""
    return f"{delimiter('begin', name)}{content}{delimiter('end', name)}"


@dataclass(frozen=True)
class Region:
    """One intact region; offsets are into the page body's UTF-8 bytes.

    ``outer_start``..``outer_end`` covers both delimiters; ``content_start``..``content_end``
    is what the sync owns.
    """

    name: str
    outer_start: int
    content_start: int
    content_end: int
    outer_end: int
    content: str


@dataclass(frozen=True)
class RegionProblem:
    """A region whose delimiters are not a clean pair; ``message`` is for the report."""

    name: str
    message: str


@dataclass(frozen=True)
class RegionScan:
    """Every region of a page: the intact ones and the damaged ones."""

    regions: dict[str, Region]
    problems: tuple[RegionProblem, ...]

    def problem(self, name: str) -> RegionProblem | None:
        return next((p for p in self.problems if p.name == name), None)


@dataclass(frozen=True)
class _Delimiter:
    kind: str
    name: str
    start: int
    end: int
    container: int  # index of the enclosing element's start event; -1 at top level


def _is_filler(event: Event) -> bool:
    """Blank text or a ``<br/>``: what an editor may leave next to a lone macro."""
    if event.kind == "text":
        return not event.text.strip()
    return event.name == "br"


def _delimiters(events: list[Event]) -> list[_Delimiter]:
    found: list[_Delimiter] = []
    stack: list[int] = []  # indexes of open start events
    match_of: dict[int, int] = {}
    for index, event in enumerate(events):
        if event.kind == "start":
            stack.append(index)
        elif event.kind == "end":
            match_of[stack.pop()] = index
    stack = []
    for index, event in enumerate(events):
        if event.kind == "end":
            stack.pop()
            continue
        if event.kind != "start":
            continue
        if event.name == "ac:structured-macro" and dict(event.attrs).get("ac:name") == "anchor":
            close = match_of[index]
            text = "".join(e.text for e in events[index:close] if e.kind == "text").strip()
            hit = _DELIMITER_RE.match(text)
            if hit:
                start, end, container = event.start, events[close].end, stack[-1] if stack else -1
                # A paragraph holding nothing but the anchor (and maybe a <br/> an editor left)
                # belongs to the delimiter.
                before = [i for i in range(container + 1, index) if not _is_filler(events[i])]
                if container >= 0 and events[container].name == "p" and not before:
                    p_close = match_of[container]
                    after = [i for i in range(close + 1, p_close) if not _is_filler(events[i])]
                    if not after:
                        start, end = events[container].start, events[p_close].end
                        container = stack[-2] if len(stack) > 1 else -1
                found.append(_Delimiter(hit.group(1), hit.group(2), start, end, container))
        stack.append(index)
    return found


def scan_regions(body: str, *, what: str = "the page body") -> RegionScan:
    """Find every region of ``body``; damaged ones are listed as problems, not guessed at.

    Raises StorageFormatError (naming ``what``) when the body is not well-formed.
    """
    data = body.encode()
    by_name: dict[str, list[_Delimiter]] = {}
    for found in _delimiters(scan(body, what=what)):
        by_name.setdefault(found.name, []).append(found)
    regions: dict[str, Region] = {}
    problems: list[RegionProblem] = []
    for name, marks in by_name.items():
        begins = [m for m in marks if m.kind == "begin"]
        ends = [m for m in marks if m.kind == "end"]
        message = ""
        if not begins or not ends:
            missing = "begin" if not begins else "end"
            message = f"the {missing} delimiter of region {name!r} is missing (deleted?)"
        elif len(begins) > 1 or len(ends) > 1:
            message = f"region {name!r} has {len(begins)} begin and {len(ends)} end delimiters"
        elif ends[0].start < begins[0].end:
            message = f"the end delimiter of region {name!r} comes before its begin"
        elif begins[0].container != ends[0].container:
            message = f"the delimiters of region {name!r} are in different blocks (moved?)"
        if message:
            problems.append(RegionProblem(name, message))
            continue
        begin, end = begins[0], ends[0]
        content = data[begin.end : end.start].decode()
        regions[name] = Region(name, begin.start, begin.end, end.start, end.end, content)
    spans = sorted(regions.values(), key=lambda r: r.outer_start)
    for first, second in itertools.pairwise(spans):
        if second.outer_start < first.outer_end:
            for region in (first, second):
                regions.pop(region.name, None)
                problems.append(
                    RegionProblem(
                        region.name, f"regions {first.name!r} and {second.name!r} overlap"
                    )
                )
    return RegionScan(regions, tuple(sorted(problems, key=lambda p: p.name)))


def find_regions(body: str) -> dict[str, Region]:
    """The intact regions of ``body`` by name (see :func:`scan_regions` for damaged ones)."""
    return scan_regions(body).regions


def _intact(body: str, name: str) -> Region:
    result = scan_regions(body)
    problem = result.problem(name)
    if problem:
        raise RegionDamagedError(
            problem.message, hint="restore the delimiter from the page history, or re-run --force"
        )
    if name not in result.regions:
        raise RegionError(f"the page has no region {name!r}", hint="use insert_missing_region")
    return result.regions[name]


def _check_content(name: str, content: str) -> None:
    what = f"the content of region {name!r}"
    check_storage(content, what=what)
    # Only an anchor macro is a delimiter: the same words as text (a member quoting them in a
    # decision the digest shows, a config naming them) are words, and stay.
    if (f"{MARKER}:begin:" in content or f"{MARKER}:end:" in content) and _delimiters(
        scan(content, what=what)
    ):
        raise RegionError(f"{what} contains a region delimiter")


def replace_region(body: str, name: str, new_content: str) -> str:
    """``body`` with region ``name``'s content replaced; every other byte is kept."""
    region = _intact(body, name)
    _check_content(name, new_content)
    data = body.encode()
    return (
        data[: region.content_start] + new_content.encode() + data[region.content_end :]
    ).decode()


def insert_missing_region(
    body: str,
    name: str,
    content: str,
    *,
    after: str | None = None,
    position: Literal["start", "end"] = "end",
) -> str:
    """Add region ``name`` to a page that has never had it.

    Policy: a region that is present is an error (use :func:`replace_region`); a region with
    one delimiter left, or a duplicate, is a :class:`RegionDamagedError` — a member removed it
    or moved it and the sync does not decide where it belongs. A region that is wholly absent
    (a newer template added it) goes right after region ``after`` if that one is intact, else
    at the ``start`` or ``end`` of the page. Existing bytes are never changed, only added to.
    """
    result = scan_regions(body)
    problem = result.problem(name)
    if problem:
        raise RegionDamagedError(problem.message, hint="restore it from the page history")
    if name in result.regions:
        raise RegionError(f"the page already has region {name!r}", hint="use replace_region")
    _check_content(name, content)
    block = wrap_region(name, content).encode()
    data = body.encode()
    anchor = result.regions.get(after) if after else None
    cut = len(data) if position == "end" else 0
    if anchor is not None:
        cut = anchor.outer_end
    return (data[:cut] + block + data[cut:]).decode()
