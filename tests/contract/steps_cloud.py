"""The Cloud call sequence: v2 for pages and properties, v1 where v2 has no write.

The v1 content calls at the end are the legacy path (the wiki serves them unless started with
``v1_removed``); the spec of 2021 in ``cloud-v1.json`` still documents them.
"""

from __future__ import annotations

from typing import Any

from requests import Session

from .scenario import STORAGE, Step, field_of

KEY, V1, V2 = "CV", "/wiki/rest/api", "/wiki/api/v2"


def cloud_steps() -> list[tuple[str, Step]]:
    """Steps against the site root (``base`` has no ``/wiki``)."""

    def space_create(s: Session, base: str, st: dict[str, Any]) -> None:
        s.post(f"{base}{V1}/space", json={"key": KEY, "name": "Cloud Ä&B"})
        st["space"] = field_of(
            s.get(f"{base}{V2}/spaces", params={"keys": KEY}), "results", 0, "id"
        )
        s.get(f"{base}{V2}/spaces/{st['space']}")
        s.post(f"{base}{V2}/spaces", json={"name": "Zweiter Raum", "key": "CV2"})

    def space_v1(s: Session, base: str, st: dict[str, Any]) -> None:
        s.get(f"{base}{V1}/space/{KEY}", params={"expand": "description.plain,homepage"})
        s.get(f"{base}{V1}/space/{KEY}", params={"expand": "permissions"})
        s.get(f"{base}{V1}/space", params={"spaceKey": KEY})
        s.put(f"{base}{V1}/space/{KEY}", json={"name": "Cloud Ä&B 2"})
        s.post(f"{base}{V1}/space/{KEY}/label", json=[{"prefix": "global", "name": "netz"}])
        s.get(f"{base}{V1}/space/{KEY}/label")
        s.delete(f"{base}{V1}/space/{KEY}/label", params={"name": "netz"})

    def space_property_create(s: Session, base: str, st: dict[str, Any]) -> None:
        url = f"{base}{V2}/spaces/{st['space']}/properties"
        st["space_prop"] = field_of(
            s.post(url, json={"key": "sync-lock", "value": {"ci": 1}}), "id"
        )

    def space_properties(s: Session, base: str, st: dict[str, Any]) -> None:
        url = f"{base}{V2}/spaces/{st['space']}/properties"
        prop = st["space_prop"]
        s.get(url)
        s.get(f"{url}/{prop}")
        s.put(f"{url}/{prop}", json={"key": "sync-lock", "value": {}, "version": {"number": 2}})
        s.delete(f"{url}/{prop}")

    def group_create(s: Session, base: str, st: dict[str, Any]) -> None:
        s.post(f"{base}{V1}/group", json={"name": "ak-umwelt"})

    def permissions(s: Session, base: str, st: dict[str, Any]) -> None:
        url = f"{base}{V1}/space/{KEY}/permission"
        subject = {"type": "group", "identifier": "ak-umwelt"}
        s.post(url, json={"subject": subject, "operation": {"key": "read", "target": "space"}})
        grant = {"subject": subject, "operation": {"key": "create", "target": "page"}}
        permission = field_of(s.post(url, json=grant), "id")
        s.delete(f"{url}/{permission}")
        s.get(f"{base}{V2}/spaces/{st['space']}/permissions")

    def page_create(s: Session, base: str, st: dict[str, Any]) -> None:
        body = {
            "spaceId": str(st["space"]),
            "status": "current",
            "title": "Sitzungen 2026",
            "body": {"representation": "storage", "value": STORAGE},
        }
        st["parent"] = field_of(s.post(f"{base}{V2}/pages", json=body), "id")
        child = {**body, "title": "Sitzung März", "parentId": str(st["parent"])}
        st["child"] = field_of(s.post(f"{base}{V2}/pages", json=child), "id")

    def watches_and_attachments(s: Session, base: str, st: dict[str, Any]) -> None:
        url = f"{base}{V1}/user/watch/content/{st['child']}"
        s.post(url, headers={"X-Atlassian-Token": "no-check"})
        s.get(url)
        s.delete(url, headers={"X-Atlassian-Token": "no-check"})
        files = {"file": ("objects.inv", b"inv \xc3\xa4", "application/octet-stream")}
        url = f"{base}{V1}/content/{st['child']}/child/attachment"
        nocheck = {"X-Atlassian-Token": "no-check"}
        att = field_of(
            s.post(url, files=files, data={"comment": "c"}, headers=nocheck), "results", 0, "id"
        )
        s.put(url, files={"file": ("b.txt", b"b", "text/plain")}, headers=nocheck)
        s.post(f"{url}/{att}/data", files=files, headers=nocheck)
        s.get(f"{base}{V2}/pages/{st['child']}/attachments")
        s.get(f"{base}{V2}/attachments/{att}")
        s.delete(f"{base}{V2}/attachments/{att}")
        s.get(url, params={"filename": "b.txt"})
        s.get(f"{base}{V1}/content/{st['child']}/child/comment")

    def page_find(s: Session, base: str, st: dict[str, Any]) -> None:
        s.get(f"{base}{V2}/pages", params={"space-id": st["space"], "title": "Sitzung März"})
        s.get(f"{base}{V2}/spaces/{st['space']}/pages", params={"limit": 50})
        # The digest's listing: bodies in bulk.
        s.get(
            f"{base}{V2}/spaces/{st['space']}/pages",
            params={"status": "current", "body-format": "storage", "limit": 250},
        )

    def page_get(s: Session, base: str, st: dict[str, Any]) -> None:
        s.get(f"{base}{V2}/pages/{st['child']}", params={"body-format": "storage"})
        s.get(f"{base}{V2}/pages/{st['child']}/ancestors")
        s.get(f"{base}{V2}/pages/{st['child']}/versions")
        s.get(f"{base}{V2}/tasks", params={"page-id": st["child"], "body-format": "storage"})

    def page_update(s: Session, base: str, st: dict[str, Any]) -> None:
        body = {
            "id": str(st["child"]),
            "status": "current",
            "title": "Sitzung März",
            "body": {"representation": "storage", "value": "<p>neu</p>"},
            "version": {"number": 2, "message": "sync"},
        }
        s.put(f"{base}{V2}/pages/{st['child']}", json=body)
        s.put(f"{base}{V2}/pages/{st['child']}", json=body)  # stale now: 409
        s.put(
            f"{base}{V2}/pages/{st['parent']}/title",
            json={"status": "current", "title": "Sitzungen des Jahres 2026"},
        )

    def children(s: Session, base: str, st: dict[str, Any]) -> None:
        s.get(f"{base}{V2}/pages/{st['parent']}/children")
        s.get(f"{base}{V2}/pages/{st['parent']}/direct-children")
        s.get(f"{base}{V2}/pages/{st['parent']}/descendants")

    def labels(s: Session, base: str, st: dict[str, Any]) -> None:
        page = st["child"]
        s.post(f"{base}{V1}/content/{page}/label", json=[{"prefix": "global", "name": "meeting"}])
        s.get(f"{base}{V2}/pages/{page}/labels")
        s.get(f"{base}{V2}/spaces/{st['space']}/labels")
        label = field_of(s.get(f"{base}{V2}/labels", params={"label-id": ""}), "results", 0, "id")
        if label is not None:
            s.get(f"{base}{V2}/labels/{label}/pages")

    def properties(s: Session, base: str, st: dict[str, Any]) -> None:
        url = f"{base}{V2}/pages/{st['child']}/properties"
        prop = field_of(s.post(url, json={"key": "confluence-sync", "value": {"id": "x"}}), "id")
        s.get(url, params={"key": "confluence-sync"})
        s.get(f"{url}/{prop}")
        s.put(
            f"{url}/{prop}",
            json={
                "key": "confluence-sync",
                "value": {"id": "y"},
                "version": {"number": 2, "message": ""},
            },
        )
        s.delete(f"{url}/{prop}")

    def legacy_v1(s: Session, base: str, st: dict[str, Any]) -> None:
        page = st["child"]
        s.get(f"{base}{V1}/content", params={"spaceKey": KEY, "title": "Sitzung März"})
        s.get(f"{base}{V1}/content/{page}", params={"expand": "body.storage,version"})
        s.get(f"{base}{V1}/content/{page}/history")
        s.get(f"{base}{V1}/content/{page}/label")
        s.get(f"{base}{V1}/content/{st['parent']}/child/page")
        s.put(f"{base}{V1}/content/{page}/move/append/{st['parent']}")
        s.get(f"{base}{V1}/content/search", params={"cql": f'space = "{KEY}"'})
        s.get(f"{base}{V1}/search", params={"cql": f'space = "{KEY}"'})

    def legacy_v1_writes(s: Session, base: str, st: dict[str, Any]) -> None:
        page = {
            "type": "page",
            "title": "Altweg",
            "space": {"key": KEY},
            "body": {"storage": {"value": "<p>v1</p>", "representation": "storage"}},
        }
        made = field_of(s.post(f"{base}{V1}/content", json=page), "id")
        s.put(f"{base}{V1}/content/{made}", json={**page, "version": {"number": 2}})
        url = f"{base}{V1}/content/{made}/property"
        s.post(url, json={"key": "a", "value": {"n": 1}})
        s.post(f"{url}/b", json={"key": "b", "value": {"n": 2}})
        s.get(url)
        s.get(f"{url}/a")
        s.put(f"{url}/a", json={"key": "a", "value": {"n": 3}, "version": {"number": 2}})
        s.delete(f"{url}/b")
        labels = f"{base}{V1}/content/{made}/label"
        s.post(labels, json=[{"prefix": "global", "name": "x"}, {"prefix": "global", "name": "y"}])
        s.delete(labels, params={"name": "x"})
        s.delete(f"{labels}/y")
        s.get(f"{base}{V1}/content/{st['parent']}/descendant/page")
        s.get(f"{base}{V1}/content/{made}/version")
        s.get(f"{base}{V1}/space/{KEY}/content")
        s.get(f"{base}{V1}/space/{KEY}/content/page")
        s.delete(f"{base}{V1}/content/{made}")

    def children_v1(s: Session, base: str, st: dict[str, Any]) -> None:
        s.get(f"{base}{V1}/content/{st['parent']}/child", params={"expand": "page"})

    def space_properties_v1(s: Session, base: str, st: dict[str, Any]) -> None:
        url = f"{base}{V1}/space/{KEY}/property"
        s.post(url, json={"key": "p1", "value": {"n": 1}})
        s.post(f"{url}/p2", json={"key": "p2", "value": {"n": 2}})
        s.get(url)
        s.get(f"{url}/p1")
        # Cloud v1 documents the full Version (number, minorEdit, when) for this request.
        version = {"number": 2, "minorEdit": False, "when": None}
        s.put(f"{url}/p1", json={"key": "p1", "value": {"n": 3}, "version": version})
        s.delete(f"{url}/p2")
        s.post(f"{base}{V1}/space/_private", json={"key": "CVP", "name": "Privat"})

    def templates(s: Session, base: str, st: dict[str, Any]) -> None:
        body = {"storage": {"value": "<p>Protokoll</p>", "representation": "storage"}}
        created = s.post(
            f"{base}{V1}/template",
            json={"name": "Protokoll", "templateType": "page", "body": body, "space": {"key": KEY}},
        )
        template = field_of(created, "templateId")
        s.get(f"{base}{V1}/template/page", params={"spaceKey": KEY})
        s.get(f"{base}{V1}/template/{template}")
        s.put(
            f"{base}{V1}/template",
            json={
                "templateId": str(template),
                "name": "Protokoll 2",
                "templateType": "page",
                "body": body,
            },
        )
        s.delete(f"{base}{V1}/template/{template}")

    def people(s: Session, base: str, st: dict[str, Any]) -> None:
        me = s.get(f"{base}{V1}/user/current")
        account = field_of(me, "accountId")
        s.get(f"{base}{V1}/user", params={"accountId": account})
        s.get(f"{base}{V1}/user/bulk", params={"accountId": f"{account},unknown", "limit": 200})
        s.get(f"{base}{V1}/group")
        group = field_of(s.get(f"{base}{V1}/group/by-name", params={"name": "ak-umwelt"}), "id")
        s.get(f"{base}{V1}/group/picker", params={"query": "UMWELT", "limit": 5})  # CHANGE-2520
        s.post(
            f"{base}{V1}/group/userByGroupId",
            params={"groupId": group},
            json={"accountId": account},
        )
        s.get(f"{base}{V1}/group/{group}/membersByGroupId")
        s.get(f"{base}{V1}/group/by-id", params={"id": group})
        s.get(f"{base}{V1}/group/member", params={"name": "ak-umwelt"})
        s.get(f"{base}{V1}/group/ak-umwelt/member")
        s.get(f"{base}{V1}/group/ak-umwelt")
        s.get(f"{base}{V1}/user/memberof", params={"accountId": account})
        s.delete(f"{base}{V1}/group/userByGroupId", params={"groupId": group, "accountId": account})
        s.post(f"{base}{V1}/group/user", params={"name": "ak-umwelt"}, json={"accountId": account})
        s.delete(f"{base}{V1}/group/user", params={"name": "ak-umwelt", "accountId": account})
        s.get(f"{base}{V1}/longtask")
        s.delete(f"{base}{V1}/group/by-id", params={"id": group})

    def missing(s: Session, base: str, st: dict[str, Any]) -> None:
        s.get(f"{base}{V2}/pages/999999")
        s.get(f"{base}{V2}/tasks/999999000001")

    def trash(s: Session, base: str, st: dict[str, Any]) -> None:
        s.delete(f"{base}{V2}/pages/{st['child']}")

    def space_delete(s: Session, base: str, st: dict[str, Any]) -> None:
        task = field_of(s.delete(f"{base}{V1}/space/CV2"), "id")
        if task is not None:
            s.get(f"{base}{V1}/longtask/{task}")

    return [
        ("space create", space_create), ("space v1", space_v1),
        ("space property create", space_property_create), ("space properties", space_properties),
        ("group create", group_create), ("space permissions", permissions),
        ("page create", page_create),
        ("watches and attachments", watches_and_attachments),
        ("page find by title", page_find), ("page get", page_get),
        ("page update and stale version", page_update), ("children", children),
        ("labels", labels), ("content properties", properties), ("legacy v1 content", legacy_v1),
        ("legacy v1 writes", legacy_v1_writes), ("children v1", children_v1),
        ("space properties v1", space_properties_v1),
        ("templates", templates), ("people", people), ("not found", missing),
        ("page trash", trash), ("space delete", space_delete),
    ]  # fmt: skip
