"""The access levels a network's config speaks of (read, write, admin) and the operations of
our vocabulary each one means: one table for the wanted wiki (``wanted.access`` builds the
grants from it) and for the backends (on a Cloud site that manages access with roles, a level
is what a role assignment stands for: ``backends.roles``).

"write" is what a member needs to edit pages, comment, attach and remove their own content;
deleting others' pages stays with the admins. Imports nothing of the project.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final, Literal

Level = Literal["read", "write", "admin"]
LEVELS: Final[tuple[Level, ...]] = ("read", "write", "admin")  # least access first

LEVEL_OPERATIONS: Final[Mapping[Level, tuple[str, ...]]] = {
    "read": ("read",),
    "write": ("read", "write", "comment", "attach", "blog", "delete_own"),
    "admin": (
        "read",
        "write",
        "comment",
        "attach",
        "blog",
        "delete_own",
        "delete_page",
        "export",
        "restrict",
        "admin",
    ),
}


def level_covering(operations: Iterable[str]) -> Level | None:
    """The least level that includes every operation (None: no level does)."""
    wanted = set(operations)
    return next((lv for lv in LEVELS if wanted <= set(LEVEL_OPERATIONS[lv])), None)
