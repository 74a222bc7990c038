"""Config levels ↔ Cloud roles, by the roles' permission ids (``backends.cloud_roles``)."""

from __future__ import annotations

from confluence_sync.backends.cloud_roles import NEEDS, Role, SpaceRoles, level_of, role_for
from confluence_sync.wiki.values import Grant

READ = frozenset({"read/space", "create/comment"})
WRITE = READ | {
    "create/page",
    "update/page",
    "create/blogpost",
    "update/blogpost",
    "create/attachment",
    "delete/space",
}
ADMIN = WRITE | {"delete/page", "export/space", "restrict_content/space", "administer/space"}
# Names that say the opposite of what the roles hold: the mapping must not read them.
ROLES = (
    Role("1", "Admin", READ),
    Role("2", "Viewer", ADMIN),
    Role("3", "Editor", WRITE | {"archive/page"}),
    Role("4", "Writer", WRITE),
    Role("5", "Big", ADMIN | {"manage_users/space"}, system=False),
)


def test_a_level_maps_to_the_least_role_holding_its_permission_ids() -> None:
    assert role_for("read", ROLES) == ROLES[0]
    assert role_for("write", ROLES) == ROLES[3]  # fewer permissions than "Editor"
    assert role_for("admin", ROLES) == ROLES[1]
    assert role_for("admin", ROLES[:1]) is None
    assert "update/page" in NEEDS["write"] and "administer/space" in NEEDS["admin"]


def test_a_role_reads_back_as_the_highest_level_it_covers() -> None:
    assert [level_of(r) for r in ROLES] == ["read", "admin", "write", "write", "admin"]
    assert level_of(Role("9", "Nothing", frozenset({"create/comment"}))) is None


class _Roles(SpaceRoles):
    def __init__(self) -> None:  # no transport: the roles and assignments are given
        super().__init__(transport=None)  # type: ignore[arg-type]
        self._roles = ROLES
        self._mode = "ROLES"


def test_one_payload_sets_every_changed_subject_and_removes_an_emptied_one() -> None:
    roles = _Roles()
    roles.assignments["7"] = {("GROUP", "g-old"): "1", ("USER", "acc-1"): "4"}
    add = [Grant("group", "new", op) for op in ("read", "write", "comment", "attach")]
    revoke = [Grant("group", "old", "read")]
    entries, after = roles.payload("7", add, revoke, {"new": "g-new", "old": "g-old"}.__getitem__)
    assert entries == [
        {"principal": {"principalType": "GROUP", "principalId": "g-new"}, "roleId": "4"},
        {"principal": {"principalType": "GROUP", "principalId": "g-old"}},
    ]
    roles.wrote("7", after)
    assert roles.assignments["7"] == {("USER", "acc-1"): "4", ("GROUP", "g-new"): "4"}
    # Raising a subject to admin replaces its role; what it held counts.
    entries, _ = roles.payload("7", [Grant("user", "acc-1", "admin")], [], str)
    assert entries[0]["roleId"] == "2"
