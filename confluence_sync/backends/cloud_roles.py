"""Cloud's space roles: the tenant's role mode, its roles, and grants as role assignments.

A Cloud site manages space access in one of three modes (cloud-v2-2026-04.json ``GET
/space-role-mode``; support.atlassian.com/confluence-cloud/docs/what-to-expect-from-roles-when-
migrating-confluence-data): ``PRE_ROLES`` ("only granular permissions"), ``ROLES_TRANSITION``
("both granular permissions AND roles can be used") and ``ROLES`` ("roles are the only way to
manage access"). The sync grants with v1 permissions in the first two (they still take them)
and through role assignments in ``ROLES``. The mode is read once per run, and only when a
grant is listed or written (a no-op run pays nothing); a site that does not know the route
(404) has no roles: PRE_ROLES.

In ``ROLES`` mode a subject's grants are one role. The config's levels (``wiki.levels``:
read, write, admin) map to roles by the roles' permission ids (``operation/target``, cloud-v2
``SpaceRole.spacePermissions``), never by their names: a level's role is the role with the
fewest permissions that holds every id the level needs (``NEEDS``), so read is a Viewer-like
role, write a Collaborator-like one, admin the Admin role. Read back, a role stands for the
highest level it covers; a role that covers none is kept visible as the grant
``native:role/<id>``, so it can still be removed. An access class's assignment (all licensed
users, anonymous: the defaults of a space made by hand) is a grant of the subject type
``access_class``, so the plan reports it as not the sync's, or revokes it on request.

Writing: ``POST /spaces/{id}/role-assignments`` "sets space role assignments as specified in
the payload. For each entry, if roleId is provided the principal is assigned to that role. If
roleId is omitted, the role assignment for that principal is removed" (the spec as
sofq/confluence-cli#46 and confluence.js ``setSpaceRoleAssignments`` quote it; CONFCLOUD-83797's
workaround). So every subject whose grants change this run goes into one POST per space.
Imports: ``errors``, ``permissions``, ``transport``, ``writes`` and ``wiki`` (values, levels).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from confluence_sync.errors import NotFoundError
from confluence_sync.wiki.levels import LEVEL_OPERATIONS, LEVELS, Level, level_covering
from confluence_sync.wiki.values import Grant, SubjectType

from . import permissions
from .transport import Transport
from .writes import q

V2 = "api/v2"
MODES = ("PRE_ROLES", "ROLES_TRANSITION", "ROLES")
_NATIVE_ROLE = "native:role/"
_KINDS: Mapping[str, SubjectType] = {
    "USER": "user",
    "GROUP": "group",
    "ACCESS_CLASS": "access_class",
}
# Editing is its own permission with roles ("Edit content", "Edit blogs": the permissions
# roles added beside the legacy ones, support.atlassian.com … what-are-confluences-roles), so
# our write and blog need it beside the create of the legacy table.
_ROLE_EXTRA: Mapping[str, tuple[str, ...]] = {
    "write": ("update/page",),
    "blog": ("update/blogpost",),
}


def _ids(operation: str) -> tuple[str, ...]:
    key, target = permissions.to_cloud(operation)
    return (f"{key}/{target}", *_ROLE_EXTRA.get(operation, ()))


NEEDS: Mapping[Level, frozenset[str]] = {
    level: frozenset(i for op in LEVEL_OPERATIONS[level] for i in _ids(op)) for level in LEVELS
}


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    permissions: frozenset[str]
    system: bool = True


def role_of(item: Mapping[str, Any]) -> Role:
    return Role(
        id=str(item.get("id", "")),
        name=str(item.get("name") or item.get("displayName") or ""),
        permissions=frozenset(str(p) for p in item.get("spacePermissions") or []),
        system=item.get("type") != "CUSTOM",
    )


def role_for(level: Level, roles: Iterable[Role]) -> Role | None:
    """The least role that holds every permission the level needs (system roles first)."""
    fitting = [r for r in roles if NEEDS[level] <= r.permissions]
    return min(fitting, key=lambda r: (len(r.permissions), not r.system, r.id), default=None)


def level_of(role: Role) -> Level | None:
    """The highest level the role covers."""
    return next((lv for lv in reversed(LEVELS) if NEEDS[lv] <= role.permissions), None)


def role_grants(
    subject_type: SubjectType, subject: str, role: Role | None, role_id: str
) -> set[Grant]:
    """What one assignment means in grants (see the module's words)."""
    level = level_of(role) if role is not None else None
    if level is None:
        return {Grant(subject_type, subject, _NATIVE_ROLE + role_id)}
    return {Grant(subject_type, subject, op) for op in LEVEL_OPERATIONS[level]}


class SpaceRoles:
    """The role half of a Cloud reader: the mode, the roles and each space's assignments as
    last read or written (principal → role id), shared with the writer of the same run."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self._lock = threading.Lock()
        self._mode: str | None = None
        self._roles: tuple[Role, ...] | None = None
        # space id → {(USER|GROUP|ACCESS_CLASS, principal id): role id}
        self.assignments: dict[str, dict[tuple[str, str], str]] = {}

    def mode(self) -> str:
        """The tenant's space-role mode, read once (404: a tenant without roles)."""
        with self._lock:
            if self._mode is None:
                try:
                    data = self.transport.call(
                        "GET", f"{V2}/space-role-mode", what="space role mode"
                    )
                    found = str((data or {}).get("mode", "PRE_ROLES"))
                except NotFoundError:
                    found = "PRE_ROLES"
                self._mode = found if found in MODES else "PRE_ROLES"
            return self._mode

    def roles(self) -> tuple[Role, ...]:
        with self._lock:
            if self._roles is None:
                items = self.transport.paginate(
                    f"{V2}/space-roles", what="space roles", params={"limit": 250}
                )
                self._roles = tuple(role_of(item) for item in items)
            return self._roles

    def role(self, role_id: str) -> Role | None:
        return next((r for r in self.roles() if r.id == role_id), None)

    def read(self, space_id: str, space_key: str) -> dict[tuple[str, str], str]:
        results = self.transport.paginate(
            f"{V2}/spaces/{q(space_id)}/role-assignments",
            what=f"role assignments of {space_key}",
            params={"limit": 250},
        )
        found: dict[tuple[str, str], str] = {}
        for item in results:
            principal = item.get("principal") or {}
            kind = str(principal.get("principalType", ""))
            if kind in _KINDS and item.get("roleId"):
                found[(kind, str(principal.get("principalId", "")))] = str(item["roleId"])
        self.assignments[space_id] = found
        return found

    def grants(
        self, space_id: str, space_key: str, group_names: Callable[[], Mapping[str, str]]
    ) -> list[Grant]:
        """The space's assignments as grants (groups by name, access classes by their id)."""
        found = self.read(space_id, space_key)
        names = group_names() if any(kind == "GROUP" for kind, _ in found) else {}
        out: set[Grant] = set()
        for (kind, ident), role_id in found.items():
            subject_type = _KINDS[kind]
            subject = names.get(ident, ident) if kind == "GROUP" else ident
            out |= role_grants(subject_type, subject, self.role(role_id), role_id)
        return sorted(out)

    def payload(
        self,
        space_id: str,
        add: Sequence[Grant],
        revoke: Sequence[Grant],
        group_id: Callable[[str], str],
    ) -> tuple[list[dict[str, Any]], dict[tuple[str, str], str | None]]:
        """The one POST's entries for every subject whose grants change, and what each
        principal holds after it (None: nothing)."""
        current = self.assignments.get(space_id, {})
        subjects = dict.fromkeys((g.subject_type, g.subject) for g in (*add, *revoke))
        entries: list[dict[str, Any]] = []
        after: dict[tuple[str, str], str | None] = {}
        for subject_type, subject in subjects:
            kind = next(k for k, t in _KINDS.items() if t == subject_type)
            ident = group_id(subject) if kind == "GROUP" else subject
            held = current.get((kind, ident))
            mine = (subject_type, subject)
            ops: set[str] = set()
            if held is not None:
                ops = {g.operation for g in role_grants(*mine, self.role(held), held)}
            ops |= {g.operation for g in add if (g.subject_type, g.subject) == mine}
            ops -= {g.operation for g in revoke if (g.subject_type, g.subject) == mine}
            role_id = self._role_id(ops)
            entry: dict[str, Any] = {"principal": {"principalType": kind, "principalId": ident}}
            if role_id is not None:
                entry["roleId"] = role_id
            entries.append(entry)
            after[(kind, ident)] = role_id
        return entries, after

    def _role_id(self, operations: set[str]) -> str | None:
        """The role for a subject's operations: none for none, a role kept as it was for
        ``native:role/<id>`` alone, else the role of the least level that covers them."""
        natives = sorted(
            op[len(_NATIVE_ROLE) :] for op in operations if op.startswith(_NATIVE_ROLE)
        )
        plain = {op for op in operations if not op.startswith(_NATIVE_ROLE)}
        if not plain:
            return natives[0] if natives else None
        level = level_covering(plain) or "admin"
        role = role_for(level, self.roles())
        if role is None:
            raise NotFoundError(
                f"a role for {level} access",
                404,
                f"no space role on this site holds every permission {level} access needs "
                f"({', '.join(sorted(NEEDS[level]))})",
                "create such a custom role (Confluence settings → Space roles), then run the "
                "sync again",
            )
        return role.id

    def wrote(self, space_id: str, after: Mapping[tuple[str, str], str | None]) -> None:
        held = self.assignments.setdefault(space_id, {})
        for principal, role_id in after.items():
            if role_id is None:
                held.pop(principal, None)
            else:
                held[principal] = role_id
