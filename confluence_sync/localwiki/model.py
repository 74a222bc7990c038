"""The store's records and errors under their old path, kept for code written against the
flat layout (``from confluence_sync.localwiki.model import DEFAULT_GROUP``). They live in
``store/model.py``; new code imports them from there.

Imports: ``store.model`` only.
"""

from confluence_sync.localwiki.store.model import (
    ADMIN_GROUPS,
    ALL_SPACE_OPERATIONS,
    DEFAULT_GROUP,
    DEFAULT_MEMBER_OPERATIONS,
    Conflict,
    DuplicateTitle,
    Forbidden,
    Group,
    Invalid,
    Label,
    LongTask,
    NotFound,
    Page,
    Permission,
    Property,
    Space,
    StoreError,
    Template,
    TooLarge,
    User,
)

__all__ = [
    "ADMIN_GROUPS",
    "ALL_SPACE_OPERATIONS",
    "DEFAULT_GROUP",
    "DEFAULT_MEMBER_OPERATIONS",
    "Conflict",
    "DuplicateTitle",
    "Forbidden",
    "Group",
    "Invalid",
    "Label",
    "LongTask",
    "NotFound",
    "Page",
    "Permission",
    "Property",
    "Space",
    "StoreError",
    "Template",
    "TooLarge",
    "User",
]
