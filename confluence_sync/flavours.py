"""The two kinds of Confluence and how a person may name them, for every command and the
environment alike: ``cloud``, and ``datacenter`` (also ``dc``; Server is Data Center's
predecessor and speaks its API). Imports nothing, so ``--help`` stays fast.

May import: nothing of confluence_sync.
"""

from __future__ import annotations

from typing import Final, Literal

Flavour = Literal["cloud", "datacenter"]

NAMES: Final[dict[str, Flavour]] = {
    "cloud": "cloud",
    "datacenter": "datacenter",
    "dc": "datacenter",
}
SPELLED: Final = "cloud or datacenter (dc)"


def parse_flavour(value: str) -> Flavour | None:
    """The flavour ``value`` names (any case, blanks ignored); None when it names none."""
    return NAMES.get(value.strip().lower())
