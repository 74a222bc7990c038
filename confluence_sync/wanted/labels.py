"""Page labels: the fixed ones the sync sets, and topic names turned into valid labels.

Confluence stores labels in lower case, refuses spaces and refuses these characters::

    : ; , . ? & [ ] ( ) # ^ * @ ! ' " ` / \\ < > | = + % ~ $ { }

(the first group is Atlassian's documented list; the rest break label URLs, CQL or the
``DELETE /content/{id}/label/{name}`` path, so we avoid them too). Letters outside ASCII are
valid: ``energieeffizienz``, ``klimaschutz``, ``lärmschutz`` all work. Our rule, in order:

1. Unicode NFC (YAML written on macOS may be NFD) and lower case (``casefold`` would turn
   ``ß`` into ``ss``, so it is not used);
2. every run of whitespace or forbidden characters becomes one ``-``;
3. runs of ``-`` collapse, leading and trailing ``-`` and ``_`` go;
4. at most 255 characters.

``fold_ascii=True`` additionally writes ``ä ö ü ß`` as ``ae oe ue ss`` and drops other
accents — for sites whose CQL or URL tooling mishandles non-ASCII labels. It is off by default
because umlauts are valid labels and read better.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from confluence_sync.config.model import Language

MAX_LABEL: Final = 255
_FORBIDDEN: Final = re.compile(r"""[\s:;,.?&\[\]()#^*@!'"`/\\<>|=+%~${}]+""")
_DASHES: Final = re.compile(r"-{2,}")
_GERMAN_FOLD: Final = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})

# The fixed labels, per network language. Meeting pages carry MEETING; the meeting index
# (page properties report) and the minutes template use it, so notes members create from the
# template appear in the index too.
GROUP_LABEL: Final[dict[Language, str]] = {"de": "arbeitskreis", "en": "working-group"}
MEETING_LABEL: Final[dict[Language, str]] = {"de": "treffen", "en": "meeting"}
ARCHIVED_LABEL: Final[dict[Language, str]] = {"de": "archiviert", "en": "archived"}


def normalise_label(text: str, *, fold_ascii: bool = False) -> str:
    """``text`` as a valid Confluence label (may be ``""`` if nothing usable is left)."""
    label = unicodedata.normalize("NFC", text).lower()
    if fold_ascii:
        label = label.translate(_GERMAN_FOLD)
        decomposed = unicodedata.normalize("NFKD", label)
        label = "".join(ch for ch in decomposed if ch.isascii())
    label = _FORBIDDEN.sub("-", label)
    label = _DASHES.sub("-", label).strip("-_")
    return label[:MAX_LABEL].rstrip("-_")


def topic_labels(topics: list[str] | tuple[str, ...], *, fold_ascii: bool = False) -> list[str]:
    """Labels for a group's topics: normalised, empty ones dropped, duplicates once, in order."""
    seen: dict[str, None] = {}
    for topic in topics:
        label = normalise_label(topic, fold_ascii=fold_ascii)
        if label:
            seen.setdefault(label, None)
    return list(seen)
