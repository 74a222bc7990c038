"""Confluence Cloud adapter: v2 (``/wiki/api/v2``) for pages, children and properties; v1
(``/wiki/rest/api``) only where v2 has no write: spaces, templates, space permissions,
label writes and groups. v1 content endpoints answer 410 on Cloud, so none are used.

v2 addresses spaces by id: ``get_space`` resolves key → id once and caches it. v2 takes no
labels or properties in a page create, so a new page costs 1 request + 1 for its labels +
1 per property (the marker is written first, so an interrupted create is still ours).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from confluence_sync.errors import BadRequestError, NotFoundError, WikiError

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

V2 = "api/v2"
CAPABILITIES = Capabilities(
    flavour="cloud",
    supports_templates=True,
    inline_labels_on_create=False,
    inline_properties_on_create=False,
)
_LIMIT = 250  # v2's maximum page size
_NO_SPACE = SpaceInfo(key="", id="", name="", homepage_id=None)


def property_of(data: dict[str, Any]) -> Property:
    return Property(
        key=str(data["key"]), value=data.get("value"), version=version_of(data), id=str(data["id"])
    )


class CloudReader(WikiReader):
    """Reads a Cloud site (base URL ends in ``/wiki``)."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.capabilities = CAPABILITIES
        self.counter = transport.counter
        self._spaces: dict[str, SpaceInfo] = {}
        self._space_keys: dict[str, str] = {}
        self._group_ids: dict[str, str] = {}

    def get_space(self, key: str, *, fresh: bool = False) -> SpaceInfo | None:
        if not fresh and key in self._spaces:
            return self._spaces[key]
        data = self.transport.call(
            "GET", f"{V2}/spaces", what=f"space {key}", params={"keys": key, "limit": 1}
        )
        results = [r for r in data.get("results") or [] if str(r.get("key")) == key]
        if not results:
            return None
        item = results[0]
        space = SpaceInfo(
            key=str(item["key"]),
            id=str(item["id"]),
            name=str(item.get("name", "")),
            homepage_id=str(item["homepageId"]) if item.get("homepageId") else None,
        )
        self._spaces[key] = space
        self._space_keys[space.id] = space.key
        return space

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
        )

    def list_pages(self, space_key: str) -> list[PageInfo]:
        results = self.transport.paginate(
            f"{V2}/spaces/{q(self.space_id(space_key))}/pages",
            what=f"pages of space {space_key}",
            params={"status": "current", "limit": _LIMIT},
        )
        return [self._page_info(item, space_key) for item in results]

    def get_page(self, page_id: str) -> Page:
        data = self.transport.call(
            "GET",
            f"{V2}/pages/{q(page_id)}",
            what=f"page {page_id}",
            params={"body-format": "storage"},
        )
        body = ((data.get("body") or {}).get("storage") or {}).get("value", "")
        return Page(info=self._page_info(data), body=str(body))

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

    def get_page_property(self, page_id: str, key: str) -> Property | None:
        return self._property(f"{V2}/pages/{q(page_id)}/properties", key, f"page {page_id}")

    def _property(self, path: str, key: str, owner: str) -> Property | None:
        data = self.transport.call(
            "GET", path, what=f"property {key} of {owner}", params={"key": key}
        )
        results = [r for r in data.get("results") or [] if r.get("key") == key]
        return property_of(results[0]) if results else None

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
                continue  # roles are not managed here
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

    def group_id(self, name: str) -> str | None:
        if name not in self._group_ids:
            try:
                data = self.transport.call(
                    "GET", f"{V1}/group/by-name", what=f"group {name}", params={"name": name}
                )
            except NotFoundError:
                return None
            self._group_ids[name] = str(data["id"])
        return self._group_ids[name]

    def group_exists(self, name: str) -> bool:
        return self.group_id(name) is not None

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

    def resolve_user(self, identifier: str) -> UserInfo | None:
        try:
            data = self.transport.call(
                "GET", f"{V1}/user", what=f"user {identifier}", params={"accountId": identifier}
            )
        except NotFoundError:
            return None
        return _user(data)

    def list_templates(self, space_key: str) -> list[Template]:
        results = self.transport.paginate(
            f"{V1}/template/page",
            what=f"templates of space {space_key}",
            params={"spaceKey": space_key, "expand": "body", "limit": 100},
        )
        return [template_of(item) for item in results]


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


class CloudWriter(WikiWriter):
    """Writes to a Cloud site; reads it needs go through its reader."""

    def __init__(self, reader: CloudReader) -> None:
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
            "spaceId": self.reader.space_id(space_key),
            "status": "current",
            "title": title,
            "body": {"representation": "storage", "value": body},
        }
        if parent_id:
            payload["parentId"] = parent_id

        def created() -> tuple[PageInfo, bool]:
            data = self.transport.send_once(
                "POST", f"{V2}/pages", what=f"page {title!r} in space {space_key}", json=payload
            )
            return self.reader._page_info(data, space_key), True

        lookup = None
        if find_existing is not None:
            caller_lookup = find_existing

            def lookup() -> tuple[PageInfo, bool] | None:
                found = caller_lookup()
                if found is not None:
                    return found, False  # complete already: it carries our marker
                # v2 cannot take the marker inline, so a create that committed before the
                # failure left a page without it; recognise that one by what we just sent.
                orphan = self._fresh_orphan(space_key, title, parent_id)
                return (orphan, True) if orphan is not None else None

        page, needs_extras = self.transport.retrier.run(
            "POST", f"page {title!r} in {space_key}", created, find_existing=lookup
        )
        if needs_extras:
            self._complete(page, labels, properties or {})
        return page

    def _fresh_orphan(self, space_key: str, title: str, parent_id: str | None) -> PageInfo | None:
        """The page our failed attempt created: this title, version 1, the parent we asked
        for, written by the sync account, and no properties yet."""
        page = self.reader.find_page_by_title(space_key, title)
        if page is None or page.version != 1:
            return None
        expected_parent = parent_id or (self.reader.get_space(space_key) or _NO_SPACE).homepage_id
        if page.parent_id != expected_parent:
            return None
        data = self.transport.call("GET", f"{V2}/pages/{q(page.id)}", what=f"page {page.id}")
        me = self.transport.call("GET", f"{V1}/user/current", what="the sync account")
        if str(data.get("authorId", "")) != str(me.get("accountId", "")):
            return None
        existing = self.transport.call(
            "GET", f"{V2}/pages/{q(page.id)}/properties", what=f"properties of page {page.id}"
        )
        return None if existing.get("results") else page

    def _complete(
        self, page: PageInfo, labels: Iterable[str], properties: Mapping[str, JSON]
    ) -> None:
        """v2 takes neither labels nor properties in a create: add them; the marker first, so
        an interrupted create is still recognisably ours."""
        try:
            for key, value in properties.items():
                self.transport.call(
                    "POST",
                    f"{V2}/pages/{q(page.id)}/properties",
                    what=f"property {key} of page {page.id}",
                    json={"key": key, "value": value},
                )
            if label_payload(labels):
                add_labels_v1(
                    self.transport, page.id, labels, lambda: self.reader.get_labels(page.id)
                )
        except WikiError as error:
            error.message += f" (page {page.id} was created; the next sync completes it)"
            raise

    def _put(self, update: PageUpdate, version: int) -> PageInfo:
        payload: dict[str, Any] = {
            "id": update.page_id,
            "status": "current",
            "title": update.title,
            "body": {"representation": "storage", "value": update.body},
            "version": {"number": version, "message": update.message},
        }
        if update.parent_id:
            payload["parentId"] = update.parent_id
        data = self.transport.send_once(
            "PUT", f"{V2}/pages/{q(update.page_id)}", what=f"page {update.page_id}", json=payload
        )
        return self.reader._page_info(data)

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

        return self.update_page(keep_content(self.reader.get_page(page_id)), recheck=keep_content)

    def set_space_property(
        self, space_key: str, key: str, value: JSON, *, current: Property | None
    ) -> Property:
        base = f"{V2}/spaces/{q(self.reader.space_id(space_key))}/properties"
        what = f"property {key} of {space_key}"
        lookup = same_property(lambda: self.reader.get_space_property(space_key, key), value)
        return self._set_property(base, key, value, current, what, lookup)

    def set_page_property(
        self, page_id: str, key: str, value: JSON, *, current: Property | None
    ) -> Property:
        base = f"{V2}/pages/{q(page_id)}/properties"
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
            f"{base}/{q(current.id)}",
            what=what,
            json={"key": key, "value": value, "version": {"number": current.version + 1}},
        )
        return property_of(data)

    def add_labels(self, page_id: str, labels: Iterable[str]) -> None:
        add_labels_v1(self.transport, page_id, labels, lambda: self.reader.get_labels(page_id))

    def remove_label(self, page_id: str, label: str) -> None:
        remove_label_v1(self.transport, page_id, label)

    def grant(self, space_key: str, grant: Grant) -> None:
        key, target = permissions.to_cloud(grant.operation)

        def already() -> bool | None:
            return True if grant in self.reader.list_grants(space_key) else None

        try:
            self.transport.call(
                "POST",
                f"{V1}/space/{q(space_key)}/permission",
                what=f"{grant.operation} for {grant.subject_type} {grant.subject} in {space_key}",
                json={
                    "subject": {"type": grant.subject_type, "identifier": grant.subject},
                    "operation": {"key": key, "target": target},
                },
                find_existing=already,
            )
        except BadRequestError as error:
            # Cloud answers 400 when the permission is already there; that is the goal.
            if "already" not in error.message.lower():
                raise

    def revoke(self, space_key: str, grant: Grant) -> None:
        native_id = grant.native_id
        if native_id is None:
            matches = [g for g in self.reader.list_grants(space_key) if g == grant]
            if not matches:
                return  # not granted: nothing to revoke
            native_id = matches[0].native_id
        try:
            self.transport.call(
                "DELETE",
                f"{V1}/space/{q(space_key)}/permission/{q(str(native_id))}",
                what=f"{grant.operation} for {grant.subject_type} {grant.subject} in {space_key}",
            )
        except NotFoundError:
            return  # already revoked

    def ensure_group(self, name: str) -> bool:
        if self.reader.group_exists(name):
            return False
        data = self.transport.call(
            "POST",
            f"{V1}/group",
            what=f"group {name}",
            json={"name": name},
            find_existing=lambda: (
                {"id": self.reader.group_id(name)} if self.reader.group_exists(name) else None
            ),
        )
        if isinstance(data, dict) and data.get("id"):
            self.reader._group_ids[name] = str(data["id"])
        return True

    def _group_id(self, group: str) -> str:
        group_id = self.reader.group_id(group)
        if group_id is None:
            raise NotFoundError(f"group {group}", 404, "no such group", "create it first")
        return group_id

    def add_group_member(self, group: str, user: str) -> None:
        self.transport.call(
            "POST",
            f"{V1}/group/userByGroupId",
            what=f"{user} in group {group}",
            params={"groupId": self._group_id(group)},
            json={"accountId": user},
        )

    def remove_group_member(self, group: str, user: str) -> None:
        self.transport.call(
            "DELETE",
            f"{V1}/group/userByGroupId",
            what=f"{user} in group {group}",
            params={"groupId": self._group_id(group), "accountId": user},
        )

    def save_template(self, space_key: str, template: Template) -> Template:
        payload: dict[str, Any] = {
            "name": template.name,
            "templateType": "page",
            "body": {"storage": {"value": template.body, "representation": "storage"}},
            "description": template.description,
            # The v1 schema reuses its response Label here: "label" is documented, an "id"
            # cannot exist yet for a label being attached.
            "labels": [{**item, "label": item["name"]} for item in label_payload(template.labels)],
            "space": {"key": space_key},
        }
        if template.id:
            payload["templateId"] = template.id
        data = self.transport.call(
            "PUT" if template.id else "POST",
            f"{V1}/template",
            what=f"template {template.name!r} in {space_key}",
            json=payload,
        )
        saved = template_of(data)
        # Some answers omit the body; the caller's copy is what was written.
        return Template(
            name=saved.name or template.name,
            body=saved.body or template.body,
            description=saved.description,
            labels=saved.labels or template.labels,
            id=saved.id,
        )
