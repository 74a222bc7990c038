"""A small realistic site for the fuzz to aim at, and the spec examples that point at it.

Without real ids almost every generated path is a 404 at the first lookup and the code behind
it is never reached. So before the fuzz the wiki gets one space with a page tree, a label, a
property, an attachment, a group, a second user and a template; each spec path parameter is
then given the matching id as its ``example``. Schemathesis starts its examples and coverage
phases from those values and varies one part at a time, so most requests reach real objects
while the ids themselves still get the boundary values (2^63, negative, empty) the specs imply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from confluence_sync.localwiki.server import LocalWiki

SPACE_KEY = "FUZZ"
SPARE_KEY = "SPARE"
GROUP = "fuzz-group"
USERNAME = "fuzzer"


@dataclass(frozen=True)
class Site:
    """Ids of the seeded objects, by what a path parameter names."""

    space_key: str
    space_id: int
    page_id: int
    child_id: int
    property_id: int
    property_key: str
    attachment_id: int
    label: str
    label_id: int
    group: str
    group_id: str
    username: str
    user_key: str
    account_id: str
    template_id: int
    permission_id: int
    # Expendable objects the DELETE examples point at, so the first delete of the examples
    # phase does not take the main site away from every later request.
    spare: dict[str, Any]


def seed(wiki: LocalWiki) -> Site:
    """Create the site's objects through the store (not the API under test)."""
    store = wiki.store
    admin = store.user_by_name("admin")
    assert admin is not None
    space = store.create_space(key=SPACE_KEY, name="Fuzz", creator=admin)
    assert space.homepage_id is not None
    child = store.create_page(
        space_key=SPACE_KEY,
        title="Sitzung",
        body="<p>Protokoll</p>",
        author="admin",
        parent_id=space.homepage_id,
        labels=("meeting",),
    )
    prop = store.create_property("content", child.id, "sync", {"hash": "a"}, "admin")
    attachment = store.save_attachment(
        child.id,
        "notes.txt",
        b"notes",
        media_type="text/plain",
        comment="",
        author="admin",
        mode="create",
    )
    group = store.create_group(GROUP)
    user = store.create_user(USERNAME, "fuzzer-password", groups=(GROUP, "confluence-users"))
    template = store.save_template(
        name="Protokoll",
        body="<p>Vorlage</p>",
        description="",
        template_type="page",
        space_id=space.id,
        labels=[],
        template_id=None,
    )
    spare_space = store.create_space(key=SPARE_KEY, name="Spare", creator=admin)
    spare_group = store.create_group("spare-group")
    spare_user = store.create_user("spare-user", "spare-password")
    spare_attachment = store.save_attachment(
        child.id,
        "spare.txt",
        b"x",
        media_type="text/plain",
        comment="",
        author="admin",
        mode="create",
    )
    spare_property = store.create_property("content", child.id, "spare", 1, "admin")
    label = store.labels("content", child.id)[0]
    grant = next(p for p in store.permissions(space.id) if p.subject == "confluence-users")
    return Site(
        space_key=SPACE_KEY,
        space_id=space.id,
        page_id=space.homepage_id,
        child_id=child.id,
        property_id=prop.id,
        property_key=prop.key,
        attachment_id=attachment.id,
        label=label.name,
        label_id=label.id,
        group=group.name,
        group_id=group.id,
        username=user.username,
        user_key=user.user_key,
        account_id=user.account_id,
        template_id=template.id,
        permission_id=grant.id,
        spare={
            "spaceKey": spare_space.key,
            "space": spare_space.id,
            "content": spare_space.homepage_id,
            "groupName": spare_group.name,
            "groupId": spare_group.id,
            "username": spare_user.username,
            "attachments": spare_attachment.id,
            "property": spare_property.key,
            "property-id": spare_property.id,
        },
    )


def example_for(method: str, template: str, name: str, site: Site) -> Any:
    """The seeded id a path parameter of ``template`` names, or None to leave it to chance.

    A DELETE of the object the path ends in gets the spare one."""
    segments = template.split("/")
    where = segments.index("{" + name + "}")
    before = segments[where - 1] if where else ""
    if method == "DELETE" and where == len(segments) - 1:
        spare = site.spare.get(name) or site.spare.get(before)
        if spare is None and before == "pages":
            spare = site.spare["content"]
        if spare is not None:
            return f"att{spare}" if name == "attachmentId" else spare
    by_name: dict[str, Any] = {
        "spaceKey": site.space_key,
        "contentId": site.child_id,
        "pageId": site.child_id,
        "targetId": site.page_id,
        "page-id": site.child_id,
        "space-id": site.space_id,
        "property-id": site.property_id,
        "attachmentId": f"att{site.attachment_id}",
        "groupName": site.group,
        "groupId": site.group_id,
        "username": site.username,
        "userKey": site.user_key,
        "label": site.label,
        "contentTemplateId": str(site.template_id),
        "position": "append",
        "type": "page",
    }
    if name == "key":
        return site.space_key if before == "space" else site.property_key
    if name != "id":
        return by_name.get(name)
    by_segment: dict[str, Any] = {
        "content": site.child_id,
        "pages": site.child_id,
        "spaces": site.space_id,
        "labels": site.label_id,
        "attachments": site.attachment_id,
        "permission": site.permission_id,
        "template": site.template_id,
    }
    return by_segment.get(before)
