"""Confluence Data Center, the writing half: everything through ``/rest/api``; labels and
properties ride inline in a page create. See ``datacenter`` for the reading half."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from confluence_sync.errors import ConflictError, NotFoundError

from . import permissions
from .base import (
    JSON,
    Grant,
    Page,
    PageInfo,
    PageUpdate,
    Property,
    Recheck,
    SpaceInfo,
    Template,
    UnsupportedOperationError,
    WikiWriter,
    single_subject,
)
from .common import (
    V1,
    add_labels_v1,
    create_property,
    label_payload,
    q,
    remove_label_v1,
    same_property,
    space_create_payload,
    space_from_create,
    write_with_recheck,
)
from .datacenter import CAPABILITIES, DataCenterReader, page_info, property_of


class DataCenterWriter(WikiWriter):
    """Writes to a Data Center site; reads it needs go through its reader."""

    def __init__(self, reader: DataCenterReader) -> None:
        self.reader = reader
        self.transport = reader.transport
        self.capabilities = CAPABILITIES
        self.counter = reader.counter

    def create_space(self, key: str, name: str, description: str = "") -> SpaceInfo:
        data = self.transport.call(
            "POST",
            f"{V1}/space",
            what=f"space {key}",
            json=space_create_payload(key, name, description),
            find_existing=lambda: self.reader.get_space(key, fresh=True),
        )
        space = space_from_create(data, key)
        if space is not None:
            self.reader._spaces[key] = space
        else:
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

            return create_property(self.transport, what, create, lookup)
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
        self.grant_many(space_key, [grant])

    def revoke(self, space_key: str, grant: Grant) -> None:
        self.revoke_many(space_key, [grant])

    def grant_many(self, space_key: str, grants: Sequence[Grant]) -> None:
        self._permissions(space_key, grants, "grant")

    def revoke_many(self, space_key: str, grants: Sequence[Grant]) -> None:
        self._permissions(space_key, grants, "revoke")

    def _permissions(self, space_key: str, grants: Sequence[Grant], action: str) -> None:
        """One ``PUT …/{grant|revoke}`` with every operation of one subject (DC 9.1+).
        Additive, unlike ``POST /space/{key}/permissions``, which would replace the subject's
        whole set and so drop permissions someone granted by hand."""
        if not grants:
            return
        first = single_subject(grants)
        ordered = sorted(grants, key=lambda g: (g.operation != "read", g))
        operations = ", ".join(g.operation for g in ordered)
        self.transport.call(
            "PUT",
            self._permission_path(space_key, first, action),
            what=f"{operations} for {first.subject_type} {first.subject} in {space_key}",
            json=[
                {"targetType": target, "operationKey": key}
                for key, target in (permissions.to_dc(g.operation) for g in ordered)
            ],
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
                find_existing=lambda: True if self.reader.group_exists(name, fresh=True) else None,
            )
        except ConflictError:
            self.reader._groups[name] = True
            return False  # created by someone else in between: the desired state holds
        self.reader._groups[name] = True
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
