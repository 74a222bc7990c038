"""Our space-permission vocabulary and its translation to both wire vocabularies.

Cloud v1 writes ``operation: {key, target}`` (v2 reads ``{key, targetType}``); Data Center
uses ``{operationKey, targetType}``. The names differ in places (Cloud ``restrict_content`` vs
DC ``restrict``, Cloud ``delete``+``space`` vs DC ``delete_own``), so the engine speaks only
ours. A native pair we do not know stays visible as ``native:<key>/<target>``, so the engine
can still list or revoke it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from confluence_sync.wiki.values import Grant

# ours → (Cloud key, Cloud target), (DC operationKey, DC targetType)
_TABLE: Final[dict[str, tuple[tuple[str, str], tuple[str, str] | None]]] = {
    "read": (("read", "space"), ("read", "space")),
    # "write" in a network's words = create pages and edit them; Confluence models edit as
    # the create-page permission.
    "write": (("create", "page"), ("create", "page")),
    "blog": (("create", "blogpost"), ("create", "blogpost")),
    "comment": (("create", "comment"), ("create", "comment")),
    "attach": (("create", "attachment"), ("create", "attachment")),
    "delete_page": (("delete", "page"), ("delete", "page")),
    "delete_own": (("delete", "space"), ("delete_own", "space")),
    "export": (("export", "space"), ("export", "space")),
    "restrict": (("restrict_content", "space"), ("restrict", "space")),
    "admin": (("administer", "space"), ("administer", "space")),
    "archive": (("archive", "page"), None),
}
OPERATIONS: Final = tuple(_TABLE)
_NATIVE = "native:"

_FROM_CLOUD = {cloud: ours for ours, (cloud, _dc) in _TABLE.items()}
_FROM_DC = {dc: ours for ours, (_cloud, dc) in _TABLE.items() if dc is not None}


def from_cloud(key: str, target: str) -> str:
    """Our name for a Cloud operation pair."""
    return _FROM_CLOUD.get((key, target), f"{_NATIVE}{key}/{target}")


def from_dc(operation_key: str, target_type: str) -> str:
    """Our name for a Data Center operation pair."""
    return _FROM_DC.get((operation_key, target_type), f"{_NATIVE}{operation_key}/{target_type}")


def _native(operation: str) -> tuple[str, str] | None:
    if operation.startswith(_NATIVE):
        key, _, target = operation[len(_NATIVE) :].partition("/")
        return key, target
    return None


def to_cloud(operation: str) -> tuple[str, str]:
    """The Cloud ``(key, target)`` for one of our operations."""
    native = _native(operation)
    if native is not None:
        return native
    if operation not in _TABLE:
        raise ValueError(f"unknown space operation {operation!r}; known: {', '.join(OPERATIONS)}")
    return _TABLE[operation][0]


def to_dc(operation: str) -> tuple[str, str]:
    """The Data Center ``(operationKey, targetType)`` for one of our operations."""
    native = _native(operation)
    if native is not None:
        return native
    if operation not in _TABLE:
        raise ValueError(f"unknown space operation {operation!r}; known: {', '.join(OPERATIONS)}")
    pair = _TABLE[operation][1]
    if pair is None:
        raise ValueError(f"space operation {operation!r} does not exist on Data Center")
    return pair


# What the sync account holds in a space it creates with its grants (Cloud v1 ``POST /space``
# with ``permissions``): every combination the v1 docs call valid for a space permission
# ("'create': 'page', 'blogpost', 'comment', 'attachment' · 'read': 'space' · 'delete':
# 'page', 'blogpost', 'comment', 'attachment', 'space' · 'export' · 'administer' · 'archive':
# 'page' · 'restrict_content': 'space'", developer.atlassian.com v1 "Add new permission to
# space"), i.e. what ``/space/_private`` gives its creator ("permissions set to the current
# user only"). A create with a list gives the creator nothing unless listed (cloud-v1.json
# ``SpaceCreate``: "only the provided set"), so the sync lists itself and keeps control.
CLOUD_CREATOR_PAIRS: Final[tuple[tuple[str, str], ...]] = (
    ("read", "space"),
    ("create", "page"),
    ("create", "blogpost"),
    ("create", "comment"),
    ("create", "attachment"),
    ("delete", "page"),
    ("delete", "blogpost"),
    ("delete", "comment"),
    ("delete", "attachment"),
    ("delete", "space"),
    ("export", "space"),
    ("administer", "space"),
    ("restrict_content", "space"),
    ("archive", "page"),
)


def cloud_space_create_permissions(grants: Iterable[Grant], creator: str) -> list[dict[str, Any]]:
    """Cloud v1 ``SpaceCreate.permissions`` for ``grants`` plus every right of ``creator``
    (an accountId): one ``SpacePermissionCreate`` per operation pair, naming its users by
    accountId and its groups by name (cloud-v1.json ``SpacePermissionCreate``, ``User``,
    ``GroupCreate``)."""
    by_pair: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for pair in CLOUD_CREATOR_PAIRS:
        by_pair.setdefault(pair, (set(), set()))[0].add(creator)
    for grant in grants:
        users, groups = by_pair.setdefault(to_cloud(grant.operation), (set(), set()))
        (users if grant.subject_type == "user" else groups).add(grant.subject)
    items = []
    for (key, target), (users, groups) in by_pair.items():
        subjects: dict[str, Any] = {}
        if users:
            results = [{"type": "known", "accountId": u} for u in sorted(users)]
            subjects["user"] = {"results": results, "size": len(results)}
        if groups:
            named = [{"type": "group", "name": g} for g in sorted(groups)]
            subjects["group"] = {"results": named, "size": len(named)}
        items.append(
            {
                "operation": {"operation": key, "targetType": target},
                "subjects": subjects,
                "anonymousAccess": False,
                "unlicensedAccess": False,
            }
        )
    return items
