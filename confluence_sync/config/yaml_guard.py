"""The guards that make reading an untrusted config file bounded in time and memory, the rule
for which characters a config text may contain, and where in the file a YAML error is.

A config file is written by people, but it may be a mutated, broken or hostile copy; reading it
must end quickly, in bounded memory, with a located problem - never a traceback. PyYAML's
``compose`` builds a node tree in which an alias is the anchored node itself (cheap), but our
walk (``yaml_source``) turns that tree into plain values, so every alias is copied: nine
aliases of nine aliases ... ("billion laughs") make a 369-byte file grow to gigabytes.

What other loaders for untrusted YAML do, and what we chose:

* SnakeYAML's ``LoaderOptions`` allows 50 aliases to collections (``maxAliasesForCollections``;
  aliases of scalars cannot grow) and 50 levels of nesting (``nestingDepthLimit``), and reads at
  most 3 MB (``codePointLimit``); eemeli/yaml (JavaScript) stops at ``maxAliasCount`` 100;
  serde-yaml caps alias expansion relative to the input (dtolnay/serde-yaml#277); rlsp-yaml caps
  the nodes produced by expansion (``max_expanded_nodes``). A count of aliases alone does not
  bound the expansion (25 levels of two aliases each expand to 2^25 nodes), so we cap both.
* Here: at most ``MAX_ALIASES`` (100) aliases to collections, at most ``MAX_ALIAS_NODES``
  (100,000) nodes produced by all aliases together, at most ``MAX_DEPTH`` (50) levels of
  nesting, at most ``MAX_FILE_BYTES`` (2 MiB) of file. A real network file nests 6 levels deep
  (working_groups → group → meetings → meeting → agenda → item), uses a handful of aliases if any
  (a shared schedule), and the 2,000-page benchmark network (bench/large_network.py, 40 groups ×
  45 meetings) is 190 KB, so the limits are far from real files and close enough to bound the
  work: the check is one pass over the parser's events, before anything is built.

The characters: Confluence's storage format is XML 1.0, whose ``Char`` production
(https://www.w3.org/TR/xml/#charsets, production [2]) allows only ``#x9 | #xA | #xD |
[#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]``: a page holding ``\\x01`` or ``\\uFFFE``
is refused with "Error parsing xhtml" (our local wiki's ``rules/storage_format.py`` parses
bodies with expat, which refuses them the same way). The same section asks authors to avoid
the C1 controls ``[#x7F-#x84] | [#x86-#x9F]`` and the Unicode non-characters
``[#xFDD0-#xFDEF]`` and ``#xFFFE``/``#xFFFF`` of every plane; we refuse those too, so a text
that validates is one Confluence keeps as written. YAML lets such characters in through
escapes (``"Netz\\x01"``, ``"\\uFFFE"``), so every string of the file is checked.

May import: nothing of confluence_sync (PyYAML only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import yaml
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    ScalarEvent,
)

MAX_FILE_BYTES: Final = 2 * 1024 * 1024
MAX_DEPTH: Final = 50
MAX_ALIASES: Final = 100
MAX_ALIAS_NODES: Final = 100_000

# XML 1.0 §2.2: outside production [2] Char, or in its list of characters to avoid.
# U+FFFE and U+FFFF of each of the 17 planes, as regex escapes.
_NON_CHARACTERS: Final = "".join(
    rf"\U{plane * 0x10000 + 0xFFFE:08X}\U{plane * 0x10000 + 0xFFFF:08X}" for plane in range(17)
)
_NOT_XML_TEXT: Final = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + _NON_CHARACTERS
    + "]"
)
REPLACEMENT: Final = "\ufffd"


@dataclass(frozen=True)
class GuardHit:
    """A limit the document exceeds: 0-based line and column of the event, and why."""

    line: int
    column: int
    message: str


def check_events(loader: yaml.SafeLoader) -> GuardHit | None:
    """Walk the parser's events of ``loader`` (consuming them) and return the first limit the
    document exceeds, or None. Syntax errors propagate as PyYAML raises them.

    Sizes are counted without expanding: each closed anchor knows how many nodes it stands for
    (its own plus those of the aliases inside it), so an alias adds that many."""
    depth = 0
    sizes: dict[str, int] = {}  # anchor → nodes it stands for, once its node is complete
    open_anchors: list[str | None] = []  # per open collection: its anchor
    open_sizes: list[int] = []  # per open collection: the nodes it holds so far
    aliases = 0
    expanded = 0
    while loader.check_event():
        event = loader.get_event()  # type: ignore[no-untyped-call]
        mark = event.start_mark
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return GuardHit(mark.line, mark.column, f"nested more than {MAX_DEPTH} levels deep")
            open_anchors.append(event.anchor)
            open_sizes.append(1)
            continue
        if isinstance(event, CollectionEndEvent):
            depth -= 1
            anchor, size = open_anchors.pop(), open_sizes.pop()
            if anchor is not None:
                sizes[anchor] = size
            if open_sizes:
                open_sizes[-1] += size
            continue
        if isinstance(event, ScalarEvent):
            if event.anchor is not None:
                sizes[event.anchor] = 1
            if open_sizes:
                open_sizes[-1] += 1
            continue
        if isinstance(event, AliasEvent):
            # An undefined alias or one into its own anchor (a loop): compose and the walk
            # report those; here it counts as one node.
            size = sizes.get(event.anchor or "", 1)
            if size > 1:
                aliases += 1
                if aliases > MAX_ALIASES:
                    return GuardHit(
                        mark.line,
                        mark.column,
                        f"more than {MAX_ALIASES} aliases ('*name') of lists or mappings",
                    )
            expanded += size
            if expanded > MAX_ALIAS_NODES:
                return GuardHit(
                    mark.line,
                    mark.column,
                    f"the aliases ('*name') would expand to more than {MAX_ALIAS_NODES:,} "
                    "values; write the values out or use fewer aliases",
                )
            if open_sizes:
                open_sizes[-1] += size
    return None


def bad_characters(text: str) -> tuple[str, int] | None:
    """The first character of ``text`` that may not stand in Confluence's storage format
    (XML 1.0, see above) and its 0-based index, or None."""
    found = _NOT_XML_TEXT.search(text)
    return (found.group(), found.start()) if found else None


def clean_text(text: str) -> str:
    """``text`` with every such character replaced by U+FFFD, so later messages and checks
    never carry it (a lone surrogate could not even be printed)."""
    return _NOT_XML_TEXT.sub(REPLACEMENT, text)


def describe_character(char: str) -> str:
    """``U+0001 (a control character)``, ``U+FFFE (a Unicode non-character)``, ..."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        kind = "a lone surrogate"
    elif code < 0x20 or 0x7F <= code <= 0x9F:
        kind = "a control character"
    else:
        kind = "a Unicode non-character"
    return f"U+{code:04X} ({kind})"


def syntax_error_at(error: yaml.YAMLError, text: str) -> tuple[int, int, str]:
    """Where in ``text`` (1-based line and column) a YAML error is, and its message."""
    if isinstance(error, yaml.reader.ReaderError):
        # The reader stops at the first character YAML does not allow. Its ``position`` is a
        # character index in the pure-Python reader but a byte offset in libyaml's, so find
        # the character itself: its first occurrence is where the reader stopped.
        char = chr(error.character) if isinstance(error.character, int) else ""
        index = text.find(char) if char else -1
        index = index if index >= 0 else min(error.position, len(text))
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        what = describe_character(char) if char else "a character"
        return (
            line,
            column,
            f"YAML syntax error: the file contains {what}, which YAML does not allow "
            "(and Confluence pages cannot hold)",
        )
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = (
            " ".join(part for part in (error.context, error.problem) if part) or "not valid YAML"
        )
        return line, column, f"YAML syntax error: {message}"
    return 1, 1, f"YAML syntax error: {error}"
