"""Confluence Cloud, the reading half (the writer is in ``cloud_writer``).

v2 (``/wiki/api/v2``) for pages, children and properties; v1
(``/wiki/rest/api``) only where v2 has no write: spaces, templates, space permissions,
label writes and groups. v1 content endpoints answer 410 on Cloud, so none are used.

Space access: v1 permissions on a tenant before roles or in transition, role assignments in
ROLES mode (``cloud_roles``: the mode is read once, only when a grant is at stake).

Groups are found by name through ``GET /group/picker`` (``/group/by-name`` is deprecated by
CHANGE-2520 and answers 410 where removed) and then addressed by their id only.

v2 addresses spaces by id: ``get_space`` resolves key → id once and caches it. v2 takes no
labels or properties in a page create, so a new page costs 1 request + 1 for its labels +
1 per property asked for (the engine asks for none: the index records the page).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from confluence_sync.errors import NotFoundError
from confluence_sync.wiki.values import (
    Grant,
    Page,
    PageInfo,
    Property,
    SpaceInfo,
    Template,
    UserInfo,
)

from . import permissions
from .adapter import RestReader
from .answers import creator_of, editor_of, global_labels, labels_of, saved_at, version_of
from .cloud_roles import SpaceRoles
from .contract import Capabilities
from .transport import Transport
from .user_names import cloud_users
from .writes import V1, q

V2 = "api/v2"
CAPABILITIES = Capabilities(
    flavour="cloud",
    supports_templates=True,
    move_adds_version=False,
    grants_in_space_create=True,
)
_LIMIT = 250  # v2's maximum page size


def property_of(data: dict[str, Any]) -> Property:
    return Property(
        key=str(data["key"]), value=data.get("value"), version=version_of(data), id=str(data["id"])
    )


class CloudReader(RestReader):
    """Reads a Cloud site (base URL ends in ``/wiki``)."""

    def __init__(self, transport: Transport) -> None:
        self.roles = SpaceRoles(transport)
        super().__init__(transport, replace(CAPABILITIES, role_mode=self.roles.mode))
        self._space_keys: dict[str, str] = {}
        self._group_ids: dict[str, str] = {}
        self._no_groups: set[str] = set()
        self._account_names: dict[str, UserInfo | None] = {}  # mentioned accounts, as read

    def _fetch_space(self, key: str) -> SpaceInfo | None:
        data = self.transport.call(
            "GET", f"{V2}/spaces", what=f"space {key}", params={"keys": key, "limit": 1}
        )
        # Keys are matched case-insensitively (Cloud allows lower-case keys; lookups differ).
        results = [r for r in data.get("results") or [] if str(r.get("key")).upper() == key.upper()]
        return _space(results[0]) if results else None

    def _fetch_spaces(self, keys: Sequence[str]) -> list[SpaceInfo]:
        # ``keys`` takes up to 250, comma-separated (cloud-v2.json GET /spaces).
        results = self.transport.paginate(
            f"{V2}/spaces",
            what=f"spaces {', '.join(keys)}",
            params={"keys": ",".join(keys), "limit": _LIMIT},
        )
        return [_space(item) for item in results]

    def remember_space(self, key: str, space: SpaceInfo) -> None:
        super().remember_space(key, space)
        self._space_keys[space.id] = space.key

    def space_id(self, key: str) -> str:
        space = self.get_space(key)
        if space is None:
            raise NotFoundError(
                f"space {key}", 404, "no such space", "check the space key; is the space created?"
            )
        return space.id

    def _space_key(self, space_id: str) -> str:
        if space_id not in self._space_keys:
            data = self.transport.call(
                "GET", f"{V2}/spaces/{q(space_id)}", what=f"space {space_id}"
            )
            self._space_keys[space_id] = str(data["key"])
        return self._space_keys[space_id]

    def _page_info(self, data: dict[str, Any], space_key: str | None = None) -> PageInfo:
        return PageInfo(
            id=str(data["id"]),
            title=str(data.get("title", "")),
            space_key=space_key or self._space_key(str(data["spaceId"])),
            parent_id=str(data["parentId"]) if data.get("parentId") else None,
            version=version_of(data),
            status=str(data.get("status", "current")),
            last_editor=editor_of(data),
            saved_at=saved_at(data),
            labels=labels_of(data.get("labels")),
            created_by=creator_of(data),
        )

    def list_pages(self, space_key: str) -> list[PageInfo]:
        results = self.transport.paginate(
            f"{V2}/spaces/{q(self.space_id(space_key))}/pages",
            what=f"pages of space {space_key}",
            params={"status": "current", "limit": _LIMIT},
        )
        return [self._page_info(item, space_key) for item in results]

    def list_pages_with_bodies(self, space_key: str) -> list[Page]:
        # v2 lists bodies with ``body-format`` at the same page size (cloud-v2.json
        # getPagesInSpace: body-format, limit 1..250).
        results = self.transport.paginate(
            f"{V2}/spaces/{q(self.space_id(space_key))}/pages",
            what=f"pages of space {space_key} with bodies",
            params={"status": "current", "body-format": "storage", "limit": _LIMIT},
        )
        return [
            Page(self._page_info(item, space_key), str(_storage_value(item))) for item in results
        ]

    def mentioned_users(self, references: Sequence[str]) -> dict[str, UserInfo]:
        return cloud_users(self.transport, self._account_names, references)

    def get_page(self, page_id: str, *, any_status: bool = False) -> Page:
        # v2 answers for a page of any status unless told otherwise (``any_status`` is what
        # it does anyway); callers check ``info.status``.
        data = self.transport.call(
            "GET",
            f"{V2}/pages/{q(page_id)}",
            what=f"page {page_id}",
            # Its labels in the same answer (v2's listing has none): a managed label missing
            # from a page the sync reads is put back.
            params={"body-format": "storage", "include-labels": "true"},
        )
        return Page(info=self._page_info(data), body=str(_storage_value(data)))

    def find_page_by_title(self, space_key: str, title: str) -> PageInfo | None:
        data = self.transport.call(
            "GET",
            f"{V2}/spaces/{q(self.space_id(space_key))}/pages",
            what=f"page {title!r} in space {space_key}",
            params={"title": title, "status": "current", "limit": 1},
        )
        results = data.get("results") or []
        return self._page_info(results[0], space_key) if results else None

    def get_space_property(self, space_key: str, key: str) -> Property | None:
        space = self.get_space(space_key)
        if space is None:
            return None
        return self._property(f"{V2}/spaces/{q(space.id)}/properties", key, f"space {space_key}")

    def list_space_properties(self, space_key: str, prefix: str) -> list[Property]:
        # v2 ``GET /spaces/{id}/properties`` lists SpaceProperty objects with their values,
        # 25 a page by default and 250 at most; it filters by one exact key only.
        space = self.get_space(space_key)
        if space is None:
            return []
        results = self.transport.paginate(
            f"{V2}/spaces/{q(space.id)}/properties",
            what=f"properties of space {space_key}",
            params={"limit": _LIMIT},
        )
        found = [property_of(item) for item in results]
        return [p for p in found if p.key == prefix or p.key.startswith(prefix + ".")]

    def get_page_property(self, page_id: str, key: str) -> Property | None:
        return self._property(f"{V2}/pages/{q(page_id)}/properties", key, f"page {page_id}")

    def _property(self, path: str, key: str, owner: str) -> Property | None:
        data = self.transport.call(
            "GET", path, what=f"property {key} of {owner}", params={"key": key}
        )
        results = [r for r in data.get("results") or [] if r.get("key") == key]
        return property_of(results[0]) if results else None

    def page_editors(self, page_id: str) -> frozenset[str]:
        # v2 lists a page's versions with the accountId of each one's author.
        results = self.transport.paginate(
            f"{V2}/pages/{q(page_id)}/versions",
            what=f"versions of page {page_id}",
            params={"limit": _LIMIT},
        )
        return frozenset(str(v["authorId"]) for v in results if v.get("authorId"))

    def get_labels(self, page_id: str) -> frozenset[str]:
        results = self.transport.paginate(
            f"{V2}/pages/{q(page_id)}/labels",
            what=f"labels of page {page_id}",
            params={"prefix": "global", "limit": _LIMIT},
        )
        return global_labels(results)

    def _group_names(self) -> dict[str, str]:
        """group id → name; v2 permission lists name groups by id only."""
        results = self.transport.paginate(f"{V1}/group", what="groups", params={"limit": 200})
        for item in results:
            self._group_ids[str(item["name"])] = str(item["id"])
        return {gid: name for name, gid in self._group_ids.items()}

    def list_grants(self, space_key: str) -> list[Grant]:
        if self.roles.mode() == "ROLES":  # access is role assignments only (cloud_roles)
            return self.roles.grants(self.space_id(space_key), space_key, self._group_names)
        results = list(
            self.transport.paginate(
                f"{V2}/spaces/{q(self.space_id(space_key))}/permissions",
                what=f"permissions of {space_key}",
                params={"limit": _LIMIT},
            )
        )
        names = (
            self._group_names()
            if any((r.get("principal") or {}).get("type") == "group" for r in results)
            else {}
        )
        grants: list[Grant] = []
        for item in results:
            principal = item.get("principal") or {}
            operation = item.get("operation") or {}
            kind = principal.get("type")
            if kind not in ("user", "group"):
                continue  # a role's permissions (ROLES_TRANSITION): its assignments say who
            subject = str(principal.get("id", ""))
            if kind == "group":
                subject = names.get(subject, subject)
            grants.append(
                Grant(
                    subject_type=kind,
                    subject=subject,
                    operation=permissions.from_cloud(
                        str(operation.get("key", "")), str(operation.get("targetType", ""))
                    ),
                    native_id=str(item.get("id")),
                )
            )
        return sorted(grants)

    def group_id(self, name: str, *, fresh: bool = False) -> str | None:
        """Cached per run, a missing group too: observe asks first, ``ensure_group`` again."""
        if fresh or (name not in self._group_ids and name not in self._no_groups):
            found = self._find_group(name)
            if found is None:
                self._no_groups.add(name)
                self._group_ids.pop(name, None)
                return None
            self._no_groups.discard(name)
            self._group_ids[name] = found
        return self._group_ids.get(name)

    def _find_group(self, name: str) -> str | None:
        """The id of the group called ``name``, through the group picker.

        ``GET /group/by-name`` is deprecated (CHANGE-2520) and gone from the v1 spec of late
        2025; a site that has removed it answers 410. The picker (``searchGroups``, kept)
        matches part of a name, so the group is picked out of its answer by its whole name:
        exactly, or else the one that differs only in case (Cloud group names are unique
        without regard to case). The answer comes in name order, 200 a page; the pages after
        the one that holds the group are not read."""
        folded: list[str] = []
        for item in self.transport.paginate(
            f"{V1}/group/picker", what=f"group {name}", params={"query": name, "limit": 200}
        ):
            found = str(item.get("name", ""))
            if found == name and item.get("id"):
                return str(item["id"])
            if found.casefold() == name.casefold() and item.get("id"):
                folded.append(str(item["id"]))
        return folded[0] if len(folded) == 1 else None

    def group_exists(self, name: str, *, fresh: bool = False) -> bool:
        return self.group_id(name, fresh=fresh) is not None

    def list_group_members(self, name: str) -> list[UserInfo]:
        group_id = self.group_id(name)
        if group_id is None:
            raise NotFoundError(f"group {name}", 404, "no such group", "create it first")
        results = self.transport.paginate(
            f"{V1}/group/{q(group_id)}/membersByGroupId",
            what=f"members of group {name}",
            params={"limit": 200},
        )
        return [_user(item) for item in results]

    user_param = "accountId"

    def _found_user(self, data: dict[str, Any]) -> UserInfo:
        return _user(data)

    def list_templates(self, space_key: str) -> list[Template]:
        results = self.transport.paginate(
            f"{V1}/template/page",
            what=f"templates of space {space_key}",
            params={"spaceKey": space_key, "expand": "body", "limit": 100},
        )
        return [template_of(item) for item in results]


def _storage_value(data: dict[str, Any]) -> Any:
    return ((data.get("body") or {}).get("storage") or {}).get("value", "")


def _space(item: dict[str, Any]) -> SpaceInfo:
    return SpaceInfo(
        key=str(item["key"]),
        id=str(item["id"]),
        name=str(item.get("name", "")),
        homepage_id=str(item["homepageId"]) if item.get("homepageId") else None,
    )


def _user(data: dict[str, Any]) -> UserInfo:
    return UserInfo(
        id=str(data.get("accountId", "")), display_name=str(data.get("displayName", ""))
    )


def template_of(data: dict[str, Any]) -> Template:
    body = ((data.get("body") or {}).get("storage") or {}).get("value", "")
    return Template(
        name=str(data.get("name", "")),
        body=str(body),
        description=str(data.get("description") or ""),
        labels=tuple(str(label.get("name")) for label in data.get("labels") or []),
        id=str(data.get("templateId", "")),
    )
