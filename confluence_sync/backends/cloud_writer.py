"""Confluence Cloud, the writing half: v2 page and property writes, v1 where v2 cannot write
(spaces, label adds, space permissions, groups, templates); in ROLES mode spaces and grants
through v2 (``POST /spaces``, role assignments: ``cloud_roles``). See ``cloud`` for the
reading half."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from confluence_sync.errors import (
    AlreadyExistsError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    WikiError,
)
from confluence_sync.wiki.values import (
    JSON,
    Grant,
    PageInfo,
    PageUpdate,
    Property,
    SpaceInfo,
    Template,
)

from . import permissions
from .adapter import RestWriter
from .cloud import V2, CloudReader, _space, property_of, template_of
from .writes import V1, label_payload, q, send_space_create, space_create_payload

_NO_SPACE = SpaceInfo(key="", id="", name="", homepage_id=None)


class CloudWriter(RestWriter[CloudReader]):
    """Writes to a Cloud site; reads it needs go through its reader."""

    def create_space_with_grants(
        self, key: str, name: str, description: str, grants: Sequence[Grant]
    ) -> tuple[SpaceInfo, frozenset[Grant]]:
        """v1 ``POST /space`` with ``permissions``: the space gets "only the provided set of
        permissions, not including the default space permissions" (cloud-v1.json
        ``SpaceCreate``) — private as ``/space/_private`` makes it, in one request instead of
        one per grant. The creator is not added unless listed (a create without itself left
        "no one able to access/see the created space": community.developer.atlassian.com
        /t/how-to-create-a-space-with-permissions/40395), so the sync account lists every
        right ``_private`` would have given it (``permissions.CLOUD_CREATOR_PAIRS``).

        Taken into the create: grants of users (preflight has resolved every account the
        plan names) and of groups that exist now (the reader's cache: observed, or made by
        ``ensure_group`` this run); the rest follow grant by grant. Not used, and the space
        made private as before: when the capability is off (space-role mode ``ROLES``), when
        the sync account has no accountId to list itself by, and after a 400 — an entry
        the site refuses must not cost the space. A create whose answer was lost and whose
        space a retry found reports no grant as taken: they are sent again, and Cloud's
        "already exists" is their success."""
        me = next((i for i in self.reader.self_identities() if "@" not in i), "")  # accountId
        if not self.capabilities.grants_in_space_create or not me or self._roles_only():
            return super().create_space_with_grants(key, name, description, grants)
        taken = frozenset(
            g
            for g in grants
            if g.subject_type == "user" or (g.subject_type == "group" and self._group_known(g))
        )
        body = {
            **space_create_payload(key, name, description),
            "permissions": permissions.cloud_space_create_permissions(sorted(taken), me),
        }
        try:
            space, answered = send_space_create(self.transport, self.reader, key, "space", body)
        except BadRequestError as error:
            if "exist" in error.message.lower():
                raise  # "the space already exists": the same answer without the list
            return self.create_space(key, name, description), frozenset()
        return space, taken if answered else frozenset()

    def _roles_only(self) -> bool:
        """A tenant in space-role mode ROLES: no v1 permission, in a create or on its own; the
        space is made by ``create_space`` and the grants follow as role assignments."""
        return self.reader.roles.mode() == "ROLES"

    def _group_known(self, grant: Grant) -> bool:
        """Whether the group exists, from what this run already knows (no request: observe
        looked every configured group up, ``ensure_group`` records the ones it makes)."""
        return grant.subject in self.reader._group_ids

    def _post_page(self, space_key: str, title: str, body: str, parent_id: str | None) -> PageInfo:
        payload: dict[str, Any] = {
            "spaceId": self.reader.space_id(space_key),
            "status": "current",
            "title": title,
            "body": {"representation": "storage", "value": body},
        }
        if parent_id:
            payload["parentId"] = parent_id
        data = self.transport.send_once(
            "POST", f"{V2}/pages", what=f"page {title!r} in space {space_key}", json=payload
        )
        return self.reader._page_info(data, space_key)

    def _put(self, update: PageUpdate, version: int) -> PageInfo:
        payload: dict[str, Any] = {
            "id": update.page_id,
            "status": "current",
            "title": update.title,
            "body": {"representation": "storage", "value": update.body},
            # v2's PageUpdateRequest version takes number and message only: no minorEdit, so
            # watchers are notified of every update (DC's writer sends minor edits).
            "version": {"number": version, "message": update.message},
        }
        if update.parent_id:
            payload["parentId"] = update.parent_id
        data = self.transport.send_once(
            "PUT", f"{V2}/pages/{q(update.page_id)}", what=f"page {update.page_id}", json=payload
        )
        return self.reader._page_info(data)

    def move_page(self, page_id: str, new_parent_id: str) -> PageInfo:
        """Cloud v1 ``PUT /content/{id}/move/append/{target}`` (v2 has no move; this v1 route
        is not retired): the parent changes, the body is not sent, no version is added and
        watchers get no "page updated" mail. Data Center's 10.0.3 API has no page move, so it
        keeps ``RestWriter``'s fallback (a PUT re-sending the body with the new parent)."""
        self.transport.call(
            "PUT",
            f"{V1}/content/{q(page_id)}/move/append/{q(new_parent_id)}",
            what=f"page {page_id} (move under {new_parent_id})",
        )
        # The answer is only ``{"pageId": …}``; the caller records the page's version and
        # parent, so read them (without the body).
        data = self.transport.call("GET", f"{V2}/pages/{q(page_id)}", what=f"page {page_id}")
        return self.reader._page_info(data)

    def _complete(
        self, page: PageInfo, labels: Iterable[str], properties: Mapping[str, JSON]
    ) -> None:
        """A new page's properties (the marker first), then its labels (``RestWriter``)."""
        try:
            for key, value in properties.items():
                self.set_page_property(page.id, key, value, current=None)
        except WikiError as error:
            error.message += f" (page {page.id} was created; the next sync completes it)"
            raise
        super()._complete(page, labels, {})

    def set_page_property(
        self, page_id: str, key: str, value: JSON, *, current: Property | None
    ) -> Property:
        """A page property; its create tolerates Cloud's background property writes.

        Right after a create (a page's, or a space's with its home page) Cloud may write the
        page's properties in the background (CONFCLOUD-72142; zeldigas/text2confl#334: such a
        property "is not returned in page creation response, but produces a conflict (409)
        when this property is created"; sphinx-contrib/confluencebuilder#1067 re-reads and
        updates). So a 409 (or "already exists") on the create is not the end: the property
        is read again and kept, or updated with its version, in the same run. The run lock
        keeps other sync runs off the page, so what is there is not a rival's marker. A
        duplicate key in Cloud's database (400, confluencebuilder#1094, #1098) is reported
        as such."""
        what = f"property {key} of page {page_id}"
        try:
            if current is not None:
                return super().set_page_property(page_id, key, value, current=current)
            try:
                return super().set_page_property(page_id, key, value, current=None)
            except ConflictError:
                pass  # written meanwhile (Cloud's background write): read it, then decide
            found = self.reader.get_page_property(page_id, key)
            if found is not None and found.value == value:
                return found
            return super().set_page_property(page_id, key, value, current=found)
        except BadRequestError as error:
            if "duplicate" not in error.message.lower():
                raise
            raise BadRequestError(
                what,
                error.status,
                "Confluence Cloud holds this property key twice on the page (a duplicate key)",
                f"a known Confluence Cloud fault (CONFCLOUD-72142): delete the page's extra "
                f"{key!r} property (v2 DELETE /pages/{page_id}/properties/<id>) or the page, "
                "then run the sync again",
            ) from error

    def _space_properties(self, space_key: str) -> str:
        return f"{V2}/spaces/{q(self.reader.space_id(space_key))}/properties"

    def _page_properties(self, page_id: str) -> str:
        return f"{V2}/pages/{q(page_id)}/properties"

    def _property_path(self, base: str, key: str, current: Property) -> str:
        return f"{base}/{q(current.id)}"  # v2 addresses a property by its id

    def _next_version(self, current: Property) -> dict[str, Any]:
        return {"number": current.version + 1}

    def _property_of(self, data: dict[str, Any]) -> Property:
        return property_of(data)

    def create_space(self, key: str, name: str, description: str = "") -> SpaceInfo:
        """In ROLES mode a v2 ``POST /spaces`` (the create "available on tenants with
        Role-Based Access Control", cloud-v2-2026-04.json) with ``createPrivateSpace``: only
        the creator, the sync account, holds a role (Admin), and the config's grants follow
        as one role-assignment POST. Not ``roleAssignments`` in the create: that answers 500
        on some tenants (CONFCLOUD-83797, "the same request without roleAssignments
        succeeds"). Else v1, as ``RestWriter`` sends it."""
        if not self._roles_only():
            return super().create_space(key, name, description)
        payload: dict[str, Any] = {"key": key, "name": name, "createPrivateSpace": True}
        if description:
            payload["description"] = {"value": description, "representation": "plain"}
        data = self.transport.call(
            "POST",
            f"{V2}/spaces",
            what=f"space {key}",
            json=payload,
            find_existing=lambda: self.reader.get_space(key, fresh=True),
        )
        space = _space(data) if isinstance(data, dict) and data.get("id") else None
        space = space or self.reader.get_space(key, fresh=True)
        if space is None:
            raise NotFoundError(f"space {key}", 404, "created but not readable", "check the logs")
        self.reader.remember_space(key, space)
        return space

    def set_grants(self, space_key: str, add: Sequence[Grant], revoke: Sequence[Grant]) -> None:
        """ROLES mode: every subject whose grants change in one ``POST /spaces/{id}/role-
        assignments`` (``cloud_roles``); a set is safe to send again, so it is retried like a
        read. Else per subject, one v1 request per permission."""
        if not self._roles_only():
            super().set_grants(space_key, add, revoke)
            return
        if not add and not revoke:
            return
        space_id = self.reader.space_id(space_key)
        entries, after = self.reader.roles.payload(space_id, add, revoke, self._group_id)
        subjects = ", ".join(
            f"{e['principal']['principalType'].lower()} {e['principal']['principalId']}"
            for e in entries
        )
        self.transport.call(
            "POST",
            f"{V2}/spaces/{q(space_id)}/role-assignments",
            what=f"role assignments of {subjects} in {space_key}",
            json=entries,
            find_existing=lambda: None,  # no answer: the set is sent again
        )
        self.reader.roles.wrote(space_id, after)

    def grant(self, space_key: str, grant: Grant) -> None:
        if self._roles_only():
            self.set_grants(space_key, [grant], [])
            return
        key, target = permissions.to_cloud(grant.operation)

        def already() -> bool | None:
            return True if grant in self.reader.list_grants(space_key) else None

        # Cloud answers 400 when the permission is already there; that is the goal.
        with contextlib.suppress(AlreadyExistsError):
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

    def revoke(self, space_key: str, grant: Grant) -> None:
        if self._roles_only():
            self.set_grants(space_key, [], [grant])
            return
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
                {"id": gid} if (gid := self.reader.group_id(name, fresh=True)) else None
            ),
        )
        if isinstance(data, dict) and data.get("id"):
            self.reader._group_ids[name] = str(data["id"])
            self.reader._no_groups.discard(name)
        else:
            self.reader.group_id(name, fresh=True)
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
