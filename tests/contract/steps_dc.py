"""The Data Center call sequence: what a sync and an administrator send to ``/rest/api``."""

from __future__ import annotations

from typing import Any

from requests import Session

from .scenario import STORAGE, Step, field_of

KEY = "CT"
GROUP = "confluence-users"


def _storage(value: str) -> dict[str, Any]:
    return {"storage": {"value": value, "representation": "storage"}}


def dc_steps(api: str = "/rest/api") -> list[tuple[str, Step]]:
    """Steps against ``base`` + ``api``; ``state`` carries ids from step to step."""

    def space_create(s: Session, base: str, st: dict[str, Any]) -> None:
        desc = {"plain": {"value": "Arbeitskreis", "representation": "plain"}}
        s.post(f"{base}{api}/space", json={"key": KEY, "name": "Contract Ä&B", "description": desc})
        s.post(f"{base}{api}/space/_private", json={"key": "CTP", "name": "Privat"})

    def space_get(s: Session, base: str, st: dict[str, Any]) -> None:
        s.get(f"{base}{api}/space/{KEY}", params={"expand": "description.plain,homepage"})
        s.get(f"{base}{api}/space", params={"spaceKey": KEY, "limit": 10})

    def space_update(s: Session, base: str, st: dict[str, Any]) -> None:
        desc = {"plain": {"value": "Neu", "representation": "plain"}}
        s.put(f"{base}{api}/space/{KEY}", json={"name": "Contract Ä&B 2", "description": desc})

    def space_properties(s: Session, base: str, st: dict[str, Any]) -> None:
        url = f"{base}{api}/space/{KEY}/property"
        s.post(url, json={"key": "sync-lock", "value": {"holder": "ci"}})
        s.post(f"{url}/sync-meta", json={"key": "sync-meta", "value": {"v": 1}})
        s.get(url)
        s.get(f"{url}/sync-lock")
        s.put(f"{url}/sync-lock", json={"key": "sync-lock", "value": {}, "version": {"number": 2}})
        s.delete(f"{url}/sync-meta")

    def space_permissions(s: Session, base: str, st: dict[str, Any]) -> None:
        url = f"{base}{api}/space/{KEY}/permissions"
        export = [{"targetType": "space", "operationKey": "export"}]
        s.put(f"{url}/group/{GROUP}/grant", json=export)
        s.get(f"{url}/group/{GROUP}")
        s.put(f"{url}/group/{GROUP}/revoke", json=export)
        s.put(f"{url}/user/admin/grant", json=export)
        s.put(f"{url}/user/admin/revoke", json=export)
        s.put(f"{url}/anonymous/grant", json=export)
        s.put(f"{url}/anonymous/revoke", json=export)
        s.get(f"{url}/user/admin")
        s.get(f"{url}/anonymous")
        s.get(url)

    def space_permissions_set(s: Session, base: str, st: dict[str, Any]) -> None:
        read = [{"targetType": "space", "operationKey": "read"}]
        s.post(
            f"{base}{api}/space/{KEY}/permissions", json=[{"groupName": GROUP, "operations": read}]
        )

    def page_create(s: Session, base: str, st: dict[str, Any]) -> None:
        parent = {
            "type": "page",
            "title": "Sitzungen 2026",
            "space": {"key": KEY},
            "body": _storage(STORAGE),
        }
        st["parent"] = field_of(s.post(f"{base}{api}/content", json=parent), "id")
        child = {**parent, "title": "Sitzung März", "ancestors": [{"id": st["parent"]}]}
        st["child"] = field_of(s.post(f"{base}{api}/content", json=child), "id")

    def page_find(s: Session, base: str, st: dict[str, Any]) -> None:
        s.get(
            f"{base}{api}/content",
            params={"spaceKey": KEY, "title": "Sitzung März", "type": "page", "expand": "version"},
        )
        # The digest's listing: bodies in bulk (cut to 50 a page).
        s.get(
            f"{base}{api}/content",
            params={"spaceKey": KEY, "type": "page", "expand": "body.storage,version,ancestors"},
        )

    def page_get(s: Session, base: str, st: dict[str, Any]) -> None:
        s.get(
            f"{base}{api}/content/{st['child']}",
            params={"expand": "body.storage,version,ancestors,space"},
        )
        s.get(f"{base}{api}/content/{st['child']}/history")

    def page_update(s: Session, base: str, st: dict[str, Any]) -> None:
        body = {
            "id": str(st["child"]),
            "type": "page",
            "title": "Sitzung März",
            "version": {"number": 2, "message": "sync"},
            "body": _storage("<p>neu</p>"),
        }
        s.put(f"{base}{api}/content/{st['child']}", json=body)

    def page_conflict(s: Session, base: str, st: dict[str, Any]) -> None:
        body = {
            "id": str(st["child"]),
            "type": "page",
            "title": "Sitzung März",
            "version": {"number": 2},
            "body": _storage("<p>alt</p>"),
        }
        s.put(f"{base}{api}/content/{st['child']}", json=body)

    def children(s: Session, base: str, st: dict[str, Any]) -> None:
        s.get(f"{base}{api}/content/{st['parent']}/child/page", params={"limit": 50})
        s.get(f"{base}{api}/content/{st['parent']}/child", params={"expand": "page"})
        s.get(f"{base}{api}/content/{st['parent']}/descendant/page")
        s.get(f"{base}{api}/space/{KEY}/content/page", params={"limit": 50})
        s.get(f"{base}{api}/space/{KEY}/content")

    def labels(s: Session, base: str, st: dict[str, Any]) -> None:
        url = f"{base}{api}/content/{st['child']}/label"
        s.post(
            url,
            json=[
                {"prefix": "global", "name": "meeting"},
                {"prefix": "global", "name": "x"},
                {"prefix": "global", "name": "y"},
            ],
        )
        s.get(url)
        s.delete(url, params={"name": "x"})
        s.delete(f"{url}/y")
        s.get(f"{base}{api}/space/{KEY}/labels")

    def properties(s: Session, base: str, st: dict[str, Any]) -> None:
        url = f"{base}{api}/content/{st['child']}/property"
        prop = {"key": "confluence-sync", "value": {"id": "group/CT/meeting/2026-03"}}
        s.post(url, json=prop)
        s.post(f"{url}/hash", json={"key": "hash", "value": "abc"})
        s.get(f"{url}/confluence-sync")
        s.put(f"{url}/confluence-sync", json={**prop, "version": {"number": 2}})
        s.get(url, params={"expand": "version"})
        s.delete(f"{url}/hash")
        # Version 1 on a missing key creates it (what the Sphinx builder relies on).
        s.put(
            f"{url}/builder", json={"key": "builder", "value": {"h": 1}, "version": {"number": 1}}
        )

    def watches(s: Session, base: str, st: dict[str, Any]) -> None:
        url = f"{base}{api}/user/watch/content/{st['child']}"
        s.post(url, headers={"X-Atlassian-Token": "no-check"})
        s.get(url)
        s.delete(url)
        # Not GET child/attachment: dc-10.0.3.json documents only 201 for it (a spec slip;
        # the server answers 200 as DC does), so no answer could pass.
        files = {"file": ("objects.inv", b"inv \xc3\xa4", "application/octet-stream")}
        att_url = f"{base}{api}/content/{st['child']}/child/attachment"
        nocheck = {"X-Atlassian-Token": "no-check"}
        att = field_of(s.post(att_url, files=files, headers=nocheck), "results", 0, "id")
        s.post(f"{att_url}/{att}/data", files=files, headers=nocheck)
        s.get(f"{base}{api}/content/{st['child']}/child/comment")

    def search(s: Session, base: str, st: dict[str, Any]) -> None:
        cql = f'space = "{KEY}" and label = "meeting"'
        s.get(f"{base}{api}/content/search", params={"cql": cql, "limit": 10})
        s.get(f"{base}{api}/search", params={"cql": cql, "limit": 10})

    def people(s: Session, base: str, st: dict[str, Any]) -> None:
        s.get(f"{base}{api}/user/current")
        s.get(f"{base}{api}/user", params={"username": "admin"})
        s.get(f"{base}{api}/user/memberof", params={"username": "admin"})
        s.get(f"{base}{api}/user/list")
        s.get(f"{base}{api}/group")
        s.get(f"{base}{api}/group/{GROUP}")
        s.get(f"{base}{api}/group/{GROUP}/member")

    def admin_group_create(s: Session, base: str, st: dict[str, Any]) -> None:
        s.post(f"{base}{api}/admin/group", json={"name": "ak-umwelt"})

    def administration(s: Session, base: str, st: dict[str, Any]) -> None:
        user = {
            "userName": "anna",
            "fullName": "Anna Ä",
            "email": "anna@example.org",
            "password": "pw",
        }
        s.post(f"{base}{api}/admin/user", json=user)
        s.put(f"{base}{api}/user/anna/group/ak-umwelt")
        s.delete(f"{base}{api}/user/anna/group/ak-umwelt")
        s.delete(f"{base}{api}/admin/group/ak-umwelt")

    def admin_user_delete(s: Session, base: str, st: dict[str, Any]) -> None:
        s.delete(f"{base}{api}/admin/user/anna")

    def missing(s: Session, base: str, st: dict[str, Any]) -> None:
        s.get(f"{base}{api}/content/999999")
        s.get(f"{base}{api}/space/NOPE")
        # An unknown permission subject is 404 on DC (400 on Cloud).
        url = f"{base}{api}/space/{KEY}/permissions"
        s.get(f"{url}/group/no-such-group")
        s.put(f"{url}/user/nobody/grant", json=[{"targetType": "space", "operationKey": "read"}])
        s.post(url, json=[{"groupName": "no-such-group", "operations": []}])

    def trash(s: Session, base: str, st: dict[str, Any]) -> None:
        s.delete(f"{base}{api}/content/{st['child']}")
        s.get(f"{base}{api}/space/{KEY}/trash")
        s.delete(f"{base}{api}/space/{KEY}/trash")

    def archive(s: Session, base: str, st: dict[str, Any]) -> None:
        s.put(f"{base}{api}/space/CTP/archive")
        s.put(f"{base}{api}/space/CTP/restore")

    def space_delete(s: Session, base: str, st: dict[str, Any]) -> None:
        task = field_of(s.delete(f"{base}{api}/space/{KEY}"), "id")
        if task is not None:
            s.get(f"{base}{api}/longtask/{task}")
        s.get(f"{base}{api}/longtask")

    return [
        ("space create", space_create), ("space get", space_get),
        ("space update", space_update), ("space properties", space_properties),
        ("space permissions", space_permissions),
        ("space permissions set", space_permissions_set),
        ("page create", page_create), ("page find by title", page_find),
        ("page get", page_get), ("page update", page_update),
        ("page update stale version", page_conflict), ("children", children),
        ("labels", labels), ("content properties", properties), ("watches", watches),
        ("cql search", search),
        ("people", people), ("admin group create", admin_group_create),
        ("administration", administration), ("admin user delete", admin_user_delete),
        ("not found", missing), ("page trash", trash), ("space archive", archive),
        ("space delete", space_delete),
    ]  # fmt: skip
