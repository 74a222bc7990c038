"""Cloud's space roles in the local wiki's store: the system roles, the role assignments of a
space (one role per principal, set and removed as Cloud's ``POST /spaces/{id}/role-assignments``
does) and what an assignment lets its holders do. ``operations`` answers from both the legacy
permissions and the roles, so every read and write check of the routes honours a role.

Roles are Cloud's RBAC (support.atlassian.com/confluence-cloud/docs/what-are-confluences-roles:
"four default roles ... Admin, Manager, Collaborator, Viewer", each "a different set of
individual permissions"). A role's permissions are space-permission ids ``operation/target``
(cloud-v2-2026-04.json ``SpaceRole.spacePermissions``: 'Sample value "read/space"'), the same
pairs as the legacy permissions, so a role's ids are what its holder may do. The exact sets of
the default roles sit behind a link the stored pages do not show; the sets below follow the
roles' one-line descriptions (Viewer "views and comments", Collaborator "adds and edits
content", Manager "manages people and content but not settings", Admin "manages everything").

Principals (cloud-v2-2026-04.json ``PrincipalType``): ``USER`` (stored by user id), ``GROUP``
(by group name, as the legacy table stores groups) and ``ACCESS_CLASS`` (``ACCESS_CLASSES``).

Imports: ``store.permissions`` and ``store.model``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from confluence_sync.localwiki.store.model import ALL_SPACE_OPERATIONS, Invalid, User
from confluence_sync.localwiki.store.permissions import PermissionStore


@dataclass(frozen=True)
class SpaceRole:
    id: str
    name: str
    description: str
    permissions: tuple[str, ...]  # space-permission ids, "operation/target"


@dataclass(frozen=True)
class RoleAssignment:
    space_id: int
    principal_type: str  # USER, GROUP or ACCESS_CLASS
    principal: str  # user id, group name or access-class id
    role_id: str


def _ids(*pairs: tuple[str, str]) -> tuple[str, ...]:
    return tuple(f"{op}/{target}" for op, target in pairs)


_VIEWER = _ids(("read", "space"), ("create", "comment"))
_COLLABORATOR = _VIEWER + _ids(
    ("create", "page"),
    ("update", "page"),
    ("create", "blogpost"),
    ("update", "blogpost"),
    ("create", "attachment"),
    ("delete", "space"),  # "Delete own content" (the legacy All → Delete own)
)
_MANAGER = _COLLABORATOR + _ids(
    ("delete", "page"),
    ("delete", "blogpost"),
    ("delete", "comment"),
    ("delete", "attachment"),
    ("archive", "page"),
    ("restrict_content", "space"),
    ("export", "space"),
    ("manage_users", "space"),
)
_ADMIN = tuple(dict.fromkeys(_MANAGER + _ids(*ALL_SPACE_OPERATIONS)))
# Stable ids: numeric, as ``GET /space-roles/{id}`` types its id an integer.
SYSTEM_ROLES: tuple[SpaceRole, ...] = (
    SpaceRole("327681", "Admin", "Manages everything in the space.", _ADMIN),
    SpaceRole("327682", "Manager", "Manages people and content but not settings.", _MANAGER),
    SpaceRole("327683", "Collaborator", "Adds and edits content in the space.", _COLLABORATOR),
    SpaceRole("327684", "Viewer", "Views and comments on content in the space.", _VIEWER),
)
ADMIN_ROLE, COLLABORATOR_ROLE = SYSTEM_ROLES[0].id, SYSTEM_ROLES[2].id
# cloud-v2-2026-04.json, ``principal-id`` of GET /space-roles: "Paired with a principal-type
# of ACCESS_CLASS, valid values include [anonymous-users, jsm-project-admins,
# authenticated-users, all-licensed-users, all-product-admins]".
ACCESS_CLASSES = (
    "anonymous-users",
    "jsm-project-admins",
    "authenticated-users",
    "all-licensed-users",
    "all-product-admins",
)
PRINCIPAL_TYPES = ("USER", "GROUP", "ACCESS_CLASS")


def default_assignments(creator: User, *, private: bool) -> list[tuple[str, str, str]]:
    """A new space's roles when the create names none: "If none are provided, the Default
    Space Roles are applied" (cloud-v2-2026-04.json ``SpaceCreateRequest.roleAssignments``),
    here the creator as Admin and all licensed users as Collaborator (the legacy default,
    confluence-users may view and add, as roles; real-confluence.md risk 5: "on RBAC tenants
    the defaults arrive as access-class role assignments"). Private: the creator alone ("A
    private space is created if only the creator is assigned to a role and it's the Admin
    role")."""
    mine = ("USER", str(creator.id), ADMIN_ROLE)
    return [mine] if private else [mine, ("ACCESS_CLASS", "all-licensed-users", COLLABORATOR_ROLE)]


def role_by_id(role_id: str) -> SpaceRole | None:
    return next((r for r in SYSTEM_ROLES if r.id == role_id), None)


def role_pairs(role: SpaceRole) -> frozenset[tuple[str, str]]:
    """The role's permission ids as (operation, target) pairs."""
    return frozenset((p.partition("/")[0], p.partition("/")[2]) for p in role.permissions)


def _marks(values: Sequence[str]) -> str:
    return ",".join("?" * len(values))


class RoleStore(PermissionStore):
    """The ``role_assignments`` table and the access it gives."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        # (user id or None, space id) → the pairs of the user's roles there; emptied with the
        # permission cache (``_changed``): the table is one of ``db.PEOPLE_TABLES``.
        self._role_cache: dict[tuple[int | None, int], frozenset[tuple[str, str]]] = {}
        super().__init__(path)

    def _changed(self) -> None:
        super()._changed()
        self._role_cache.clear()

    def role_assignments(self, space_id: int) -> list[RoleAssignment]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT * FROM role_assignments WHERE space_id = ? ORDER BY rowid", (space_id,)
            ).fetchall()
        return [
            RoleAssignment(r["space_id"], r["principal_type"], r["principal"], r["role_id"])
            for r in rows
        ]

    def set_role_assignments(
        self, space_id: int, changes: Sequence[tuple[str, str, str | None]]
    ) -> None:
        """Each (principal type, principal, role id or None): the principal now holds that
        role in the space, or none (None removes its assignment, if any). All or nothing."""
        for _type, _principal, role_id in changes:
            if role_id is not None and role_by_id(role_id) is None:
                raise Invalid(f"No space role with id {role_id}")
        with self._tx() as conn:
            for principal_type, principal, role_id in changes:
                conn.execute(
                    "DELETE FROM role_assignments WHERE space_id = ? AND principal_type = ? "
                    "AND principal = ?",
                    (space_id, principal_type, principal),
                )
                if role_id is not None:
                    conn.execute(
                        "INSERT INTO role_assignments(space_id, principal_type, principal, "
                        "role_id) VALUES(?,?,?,?)",
                        (space_id, principal_type, principal, role_id),
                    )
        self._changed()

    def operations(self, user: User | None, space_id: int) -> frozenset[tuple[str, str]]:
        """The legacy permissions' pairs and those of every role the user holds: directly,
        through a group, or as a member of an access class."""
        legacy = super().operations(user, space_id)
        cache_key = (user.id if user else None, space_id)
        cached = self._role_cache.get(cache_key)
        if cached is not None:
            return legacy | cached
        generation = self._generation
        classes = ["anonymous-users"]
        if user is not None:  # every account of the local wiki is a licensed user
            classes += ["authenticated-users", "all-licensed-users"]
            if self.is_admin(user):
                classes.append("all-product-admins")
        sql = "SELECT role_id FROM role_assignments WHERE space_id = ? AND ("
        sql += f"(principal_type = 'ACCESS_CLASS' AND principal IN ({_marks(classes)}))"
        args: list[object] = [space_id, *classes]
        if user is not None:
            sql += " OR (principal_type = 'USER' AND principal = ?)"
            args.append(str(user.id))
            groups = self.groups_of(user.id)
            if groups:
                sql += f" OR (principal_type = 'GROUP' AND principal IN ({_marks(groups)}))"
                args += groups
        with self._read() as conn:
            role_ids = {r[0] for r in conn.execute(sql + ")", args)}
        pairs: frozenset[tuple[str, str]] = frozenset()
        for role_id in role_ids:
            role = role_by_id(role_id)
            if role is not None:
                pairs |= role_pairs(role)
        if generation == self._generation:
            self._role_cache[cache_key] = pairs
        return legacy | pairs
