"""Confluence Data Center adapter: everything through ``/rest/api`` below the context root.

Creates carry labels and properties inline (``metadata.labels`` / ``metadata.properties``), so
a new page costs one request. Space permissions use the DC REST grant/revoke endpoints
(``/space/{key}/permissions/{user|group}/…/grant``), which take the userKey for users.
Templates have no REST API on DC: ``supports_templates`` is False.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from confluence_sync.errors import ConflictError, NotFoundError

from . import permissions
from .base import (
    JSON,
    Capabilities,
    Grant,
    Page,
    PageInfo,
    PageUpdate,
    Property,
    Recheck,
    SpaceInfo,
    Template,
    UnsupportedOperationError,
    UserInfo,
    WikiReader,
    WikiWriter,
)
from .common import (
    V1,
    add_labels_v1,
    global_labels,
    label_payload,
    q,
    remove_label_v1,
    same_property,
    space_create_payload,
    version_of,
    write_with_recheck,
)
from .http import Transport

CAPABILITIES = Capabilities(
    flavour="datacenter",
    supports_templates=False,
    inline_labels_on_create=True,
    inline_properties_on_create=True,
)
_PAGE_EXPAND = "version,ancestors,space"
_LIST_LIMIT = 200


def page_info(data: dict[str, Any], space_key: str = "") -> PageInfo:
    """A PageInfo from a v1/DC content object (``ancestors`` root first, parent last)."""
    ancestors = data.get("ancestors") or []
    space = data.get("space") or {}
    return PageInfo(
        id=str(data["id"]),
        title=str(data.get("title", "")),
        space_key=str(space.get("key") or space_key),
        parent_id=str(ancestors[-1]["id"]) if ancestors else None,
        version=version_of(data),
        status=str(data.get("status", "current")),
    )


def property_of(data: dict[str, Any]) -> Property:
    return Property(key=str(data["key"]), value=data.get("value"), version=version_of(data))


class DataCenterReader(WikiReader):
    """Reads a Data Center site."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.capabilities = CAPABILITIES
        self.counter = transport.counter
        self._spaces: dict[str, SpaceInfo] = {}
        self._user_keys: dict[str, str] = {}

    def get_space(self, key: str, *, fresh: bool = False) -> SpaceInfo | None:
        if not fresh and key in self._spaces:
            return self._spaces[key]
        try:
            data = self.transport.call(
                "GET", f"{V1}/space/{q(key)}", what=f"space {key}", params={"expand": "homepage"}
            )
        except NotFoundError:
            return None
        homepage = data.get("homepage") or {}
        space = SpaceInfo(
            key=str(data["key"]),
            id=str(data["id"]),
            name=str(data.get("name", "")),
            homepage_id=str(homepage["id"]) if homepage.get("id") else None,
        )
        self._spaces[key] = space
        return space

    def list_pages(self, space_key: str) -> list[PageInfo]:
        params = {
            "spaceKey": space_key,
            "type": "page",
            "status": "current",
            "expand": "version,ancestors",
            "limit": _LIST_LIMIT,
        }
        results = self.transport.paginate(
            f"{V1}/content", what=f"pages of space {space_key}", params=params
        )
        return [page_info(item, space_key) for item in results]

    def get_page(self, page_id: str) -> Page:
        data = self.transport.call(
            "GET",
            f"{V1}/content/{q(page_id)}",
            what=f"page {page_id}",
            params={"expand": f"body.storage,{_PAGE_EXPAND}"},
        )
        body = ((data.get("body") or {}).get("storage") or {}).get("value", "")
        return Page(info=page_info(data), body=str(body))

    def find_page_by_title(self, space_key: str, title: str) -> PageInfo | None:
        data = self.transport.call(
            "GET",
            f"{V1}/content",
            what=f"page {title!r} in space {space_key}",
            params={
                "spaceKey": space_key,
                "title": title,
                "type": "page",
                "expand": "version,ancestors",
                "limit": 1,
            },
        )
        results = data.get("results") or []
        return page_info(results[0], space_key) if results else None

    def get_space_property(self, space_key: str, key: str) -> Property | None:
        return self._property(f"{V1}/space/{q(space_key)}/property/{q(key)}", f"space {space_key}")

    def get_page_property(self, page_id: str, key: str) -> Property | None:
        return self._property(f"{V1}/content/{q(page_id)}/property/{q(key)}", f"page {page_id}")

    def _property(self, path: str, owner: str) -> Property | None:
        try:
            data = self.transport.call(
                "GET", path, what=f"property of {owner}", params={"expand": "version"}
            )
        except NotFoundError:
            return None
        return property_of(data)

    def get_labels(self, page_id: str) -> frozenset[str]:
        results = self.transport.paginate(
            f"{V1}/content/{q(page_id)}/label",
            what=f"labels of page {page_id}",
            params={"limit": 200},
        )
        return global_labels(results)

    def list_grants(self, space_key: str) -> list[Grant]:
        data = self.transport.call(
            "GET", f"{V1}/space/{q(space_key)}/permissions", what=f"permissions of {space_key}"
        )
        grants: list[Grant] = []
        for item in data or []:
            subject = item.get("subject") or {}
            operation = item.get("operation") or {}
            kind = subject.get("type")
            if kind not in ("user", "group"):
                continue  # anonymous and unlicensed access are not managed here
            name = (
                subject.get("username") or subject.get("name") or subject.get("displayName") or ""
            )
            grants.append(
                Grant(
                    subject_type=kind,
                    subject=str(name),
                    operation=permissions.from_dc(
                        str(operation.get("operationKey", "")),
                        str(operation.get("targetType", "")),
                    ),
                )
            )
        return sorted(grants)

    def group_exists(self, name: str) -> bool:
        try:
            self.transport.call("GET", f"{V1}/group/{q(name)}", what=f"group {name}")
        except NotFoundError:
            return False
        return True

    def list_group_members(self, name: str) -> list[UserInfo]:
        results = self.transport.paginate(
            f"{V1}/group/{q(name)}/member", what=f"members of group {name}", params={"limit": 200}
        )
        return [_user(item) for item in results]

    def resolve_user(self, identifier: str) -> UserInfo | None:
        try:
            data = self.transport.call(
                "GET", f"{V1}/user", what=f"user {identifier}", params={"username": identifier}
            )
        except NotFoundError:
            return None
        user = _user(data)
        if user.key:
            self._user_keys[user.id] = user.key
        return user

    def user_key(self, username: str) -> str:
        """The userKey DC's permission endpoints want, cached per username."""
        if username not in self._user_keys:
            user = self.resolve_user(username)
            if user is None or not user.key:
                raise NotFoundError(
                    f"user {username}", 404, "no such user", "check the username in the config"
                )
        return self._user_keys[username]

    def list_templates(self, space_key: str) -> list[Template]:
        raise UnsupportedOperationError(
            "page templates cannot be read or written over REST on Confluence Data Center",
            hint="create the templates in the space's settings by hand; the plan lists them",
        )


def _user(data: dict[str, Any]) -> UserInfo:
    return UserInfo(
        id=str(data.get("username") or data.get("name") or ""),
        display_name=str(data.get("displayName", "")),
        key=str(data.get("userKey") or ""),
    )


class DataCenterWriter(WikiWriter):
    """Writes to a Data Center site; reads it needs go through its reader."""

    def __init__(self, reader: DataCenterReader) -> None:
        self.reader = reader
        self.transport = reader.transport
        self.capabilities = CAPABILITIES
        self.counter = reader.counter

    def create_space(self, key: str, name: str, description: str = "") -> SpaceInfo:
        self.transport.call(
            "POST",
            f"{V1}/space",
            what=f"space {key}",
            json=space_create_payload(key, name, description),
            find_existing=lambda: self.reader.get_space(key, fresh=True),
        )
        space = self.reader.get_space(key, fresh=True)
        if space is None:
            raise NotFoundError(f"space {key}", 404, "created but not readable", "check the logs")
        return space

    def create_page(
        self,
        space_key: str,
        title: str,
        body: str,
        *,
        parent_id: str | None = None,
        labels: Iterable[str] = (),
        properties: Mapping[str, JSON] | None = None,
        find_existing: Callable[[], PageInfo | None] | None = None,
    ) -> PageInfo:
        payload: dict[str, Any] = {
            "type": "page",
            "title": title,
            "space": {"key": space_key},
            "status": "current",
            "body": {"storage": {"value": body, "representation": "storage"}},
        }
        if parent_id:
            payload["ancestors"] = [{"id": parent_id}]
        metadata: dict[str, Any] = {}
        if label_list := label_payload(labels):
            metadata["labels"] = label_list
        if properties:
            metadata["properties"] = {k: {"key": k, "value": v} for k, v in properties.items()}
        if metadata:
            payload["metadata"] = metadata

        def created() -> PageInfo:
            data = self.transport.send_once(
                "POST", f"{V1}/content", what=f"page {title!r} in space {space_key}", json=payload
            )
            return page_info(data, space_key)

        return self.transport.retrier.run(
            "POST", f"page {title!r} in {space_key}", created, find_existing=find_existing
        )

    def _put(self, update: PageUpdate, version: int) -> PageInfo:
        payload: dict[str, Any] = {
            "id": update.page_id,
            "type": "page",
            "title": update.title,
            "status": "current",
            "version": {"number": version, "message": update.message, "minorEdit": False},
            "body": {"storage": {"value": update.body, "representation": "storage"}},
        }
        if update.parent_id:
            payload["ancestors"] = [{"id": update.parent_id}]
        data = self.transport.send_once(
            "PUT", f"{V1}/content/{q(update.page_id)}", what=f"page {update.page_id}", json=payload
        )
        return page_info(data)

    def update_page(self, update: PageUpdate, *, recheck: Recheck | None = None) -> PageInfo:
        send, resolve = write_with_recheck(
            update.page_id, update, recheck, put=self._put, reread=self.reader.get_page
        )
        return self.transport.retrier.run(
            "PUT", f"page {update.page_id}", send, resolve_conflict=resolve
        )

    def move_page(self, page_id: str, new_parent_id: str) -> PageInfo:
        def keep_content(page: Page) -> PageUpdate:
            # Moving never changes what the page says: re-send the body just read.
            return PageUpdate(
                page_id, page.info.title, page.body, page.info.version, parent_id=new_parent_id
            )

        current = self.reader.get_page(page_id)
        return self.update_page(keep_content(current), recheck=keep_content)

    def set_space_property(
        self, space_key: str, key: str, value: JSON, *, current: Property | None
    ) -> Property:
        base = f"{V1}/space/{q(space_key)}/property"
        what = f"property {key} of {space_key}"
        lookup = same_property(lambda: self.reader.get_space_property(space_key, key), value)
        return self._set_property(base, key, value, current, what, lookup)

    def set_page_property(
        self, page_id: str, key: str, value: JSON, *, current: Property | None
    ) -> Property:
        base = f"{V1}/content/{q(page_id)}/property"
        what = f"property {key} of page {page_id}"
        lookup = same_property(lambda: self.reader.get_page_property(page_id, key), value)
        return self._set_property(base, key, value, current, what, lookup)

    def _set_property(
        self,
        base: str,
        key: str,
        value: JSON,
        current: Property | None,
        what: str,
        lookup: Callable[[], Property | None],
    ) -> Property:
        if current is None:

            def create() -> Property:
                data = self.transport.send_once(
                    "POST", base, what=what, json={"key": key, "value": value}
                )
                return property_of(data)

            return self.transport.retrier.run("POST", what, create, find_existing=lookup)
        data = self.transport.call(
            "PUT",
            f"{base}/{q(key)}",
            what=what,
            json={
                "key": key,
                "value": value,
                "version": {"number": current.version + 1, "minorEdit": True},
            },
        )
        return property_of(data)

    def add_labels(self, page_id: str, labels: Iterable[str]) -> None:
        add_labels_v1(self.transport, page_id, labels, lambda: self.reader.get_labels(page_id))

    def remove_label(self, page_id: str, label: str) -> None:
        remove_label_v1(self.transport, page_id, label)

    def _permission_path(self, space_key: str, grant: Grant, action: str) -> str:
        if grant.subject_type == "group":
            subject = f"group/{q(grant.subject)}"
        else:
            subject = f"user/{q(self.reader.user_key(grant.subject))}"
        return f"{V1}/space/{q(space_key)}/permissions/{subject}/{action}"

    def grant(self, space_key: str, grant: Grant) -> None:
        key, target = permissions.to_dc(grant.operation)
        self.transport.call(
            "PUT",
            self._permission_path(space_key, grant, "grant"),
            what=f"{grant.operation} for {grant.subject_type} {grant.subject} in {space_key}",
            json=[{"targetType": target, "operationKey": key}],
        )

    def revoke(self, space_key: str, grant: Grant) -> None:
        key, target = permissions.to_dc(grant.operation)
        self.transport.call(
            "PUT",
            self._permission_path(space_key, grant, "revoke"),
            what=f"{grant.operation} for {grant.subject_type} {grant.subject} in {space_key}",
            json=[{"targetType": target, "operationKey": key}],
        )

    def ensure_group(self, name: str) -> bool:
        if self.reader.group_exists(name):
            return False
        try:
            self.transport.call(
                "POST",
                f"{V1}/admin/group",
                what=f"group {name}",
                json={"type": "group", "name": name},
                find_existing=lambda: True if self.reader.group_exists(name) else None,
            )
        except ConflictError:
            return False  # created by someone else in between: the desired state holds
        return True

    def add_group_member(self, group: str, user: str) -> None:
        self.transport.call(
            "PUT", f"{V1}/user/{q(user)}/group/{q(group)}", what=f"{user} in group {group}"
        )

    def remove_group_member(self, group: str, user: str) -> None:
        self.transport.call(
            "DELETE", f"{V1}/user/{q(user)}/group/{q(group)}", what=f"{user} in group {group}"
        )

    def save_template(self, space_key: str, template: Template) -> Template:
        raise UnsupportedOperationError(
            f"template {template.name!r} cannot be created over REST on Confluence Data Center",
            hint="create it in the space's settings by hand; the plan lists it as a manual step",
        )
