"""A realistic sequence of Confluence calls per flavour, recorded exchange by exchange.

The calls are the ones a provisioning sync (and atlassian-python-api under it) makes: create a
space, find pages by title, create a page tree, read, update with the version rule (including
a stale version → 409), labels, content properties, children, CQL search, trash, and a few
lookups that must fail (404). Every request and response is recorded by a ``requests``
response hook, tagged with the step that sent it, so a contract test can validate each
exchange against the flavour's OpenAPI spec and report per step.

The steps only use documented request shapes; if a step's precondition failed (an earlier
create did not answer with an id), it is skipped and says so.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests

STORAGE = (
    "<h2>Träger &amp; Partner</h2><p>Sitzung am <strong>4. März</strong></p>"
    '<ac:structured-macro ac:name="info"><ac:rich-text-body><p>Hinweis</p>'
    "</ac:rich-text-body></ac:structured-macro>"
)


@dataclass
class Exchange:
    step: str
    method: str
    path: str
    query: dict[str, str]
    request_body: bytes | None
    request_type: str | None
    status: int
    response_body: bytes
    response_type: str | None


@dataclass
class Recorder:
    """Collects every exchange of a session; ``step`` names what is being done right now."""

    step: str = ""
    exchanges: list[Exchange] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def hook(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        request = response.request
        url = urlsplit(str(request.url))
        body = request.body
        if isinstance(body, str):
            body = body.encode()
        self.exchanges.append(
            Exchange(
                step=self.step,
                method=str(request.method),
                path=url.path,
                query=dict(parse_qsl(url.query)),
                request_body=body,
                request_type=request.headers.get("Content-Type"),
                status=response.status_code,
                response_body=response.content,
                response_type=response.headers.get("Content-Type"),
            )
        )


def _session(admin: tuple[str, str], recorder: Recorder) -> requests.Session:
    session = requests.Session()
    session.auth = admin
    session.headers["Accept"] = "application/json"
    session.hooks["response"].append(recorder.hook)
    return session


def _id(response: requests.Response, *keys: str) -> Any:
    try:
        data: Any = response.json()
        for key in keys:
            data = data[key]
        return data
    except (ValueError, KeyError, IndexError, TypeError):
        return None


Step = Callable[[requests.Session, str, dict[str, Any]], None]


def run(steps: list[tuple[str, Step]], base: str, admin: tuple[str, str]) -> Recorder:
    """Run steps in order against ``base``; a step whose inputs are missing is skipped."""
    recorder = Recorder()
    session = _session(admin, recorder)
    state: dict[str, Any] = {}
    for name, step in steps:
        recorder.step = name
        try:
            step(session, base, state)
        except KeyError as missing:
            recorder.skipped[name] = f"needs {missing} from an earlier step"
        except requests.RequestException as error:
            recorder.skipped[name] = f"request failed: {error}"
    session.close()
    return recorder


# -- Data Center (and Cloud v1, which shares the shapes) ----------------------------------------


def v1_steps(api: str) -> list[tuple[str, Step]]:
    """Steps against a v1-shaped API rooted at ``base`` + ``api`` (``/rest/api``)."""
    key = "CT"

    def space_create(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        body = {
            "key": key,
            "name": "Contract Ä&B",
            "description": {"plain": {"value": "Arbeitskreis", "representation": "plain"}},
        }
        s.post(f"{base}{api}/space", json=body)

    def space_get(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        s.get(f"{base}{api}/space/{key}", params={"expand": "description.plain,homepage"})
        s.get(f"{base}{api}/space", params={"spaceKey": key, "limit": 10})

    def page_create(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        parent = {
            "type": "page",
            "title": "Sitzungen 2026",
            "space": {"key": key},
            "body": {"storage": {"value": STORAGE, "representation": "storage"}},
        }
        st["parent"] = _id(s.post(f"{base}{api}/content", json=parent), "id")
        child = {**parent, "title": "Sitzung März", "ancestors": [{"id": st["parent"]}]}
        st["child"] = _id(s.post(f"{base}{api}/content", json=child), "id")

    def page_find(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        s.get(
            f"{base}{api}/content",
            params={"spaceKey": key, "title": "Sitzung März", "type": "page", "expand": "version"},
        )

    def page_get(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        s.get(
            f"{base}{api}/content/{st['child']}",
            params={"expand": "body.storage,version,ancestors,space"},
        )
        s.get(f"{base}{api}/content/{st['child']}/history")

    def page_update(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        body = {
            "id": str(st["child"]),
            "type": "page",
            "title": "Sitzung März",
            "version": {"number": 2, "message": "sync"},
            "body": {"storage": {"value": "<p>neu</p>", "representation": "storage"}},
        }
        s.put(f"{base}{api}/content/{st['child']}", json=body)

    def page_conflict(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        body = {
            "id": str(st["child"]),
            "type": "page",
            "title": "Sitzung März",
            "version": {"number": 2},
            "body": {"storage": {"value": "<p>alt</p>", "representation": "storage"}},
        }
        s.put(f"{base}{api}/content/{st['child']}", json=body)

    def children(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        s.get(f"{base}{api}/content/{st['parent']}/child/page", params={"limit": 50})
        s.get(f"{base}{api}/space/{key}/content/page", params={"limit": 50})

    def labels(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        page = st["child"]
        s.post(
            f"{base}{api}/content/{page}/label",
            json=[{"prefix": "global", "name": "meeting"}, {"prefix": "global", "name": "x"}],
        )
        s.get(f"{base}{api}/content/{page}/label")
        s.delete(f"{base}{api}/content/{page}/label", params={"name": "x"})

    def properties(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        page = st["child"]
        prop = {"key": "confluence-sync", "value": {"id": "group/CT/meeting/2026-03"}}
        s.post(f"{base}{api}/content/{page}/property", json=prop)
        s.get(f"{base}{api}/content/{page}/property/confluence-sync")
        s.put(
            f"{base}{api}/content/{page}/property/confluence-sync",
            json={**prop, "version": {"number": 2}},
        )
        s.get(f"{base}{api}/content/{page}/property", params={"expand": "version"})

    def search(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        s.get(
            f"{base}{api}/content/search",
            params={"cql": f'space = "{key}" and label = "meeting"', "limit": 10},
        )

    def users(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        s.get(f"{base}{api}/user/current")

    def missing(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        s.get(f"{base}{api}/content/999999")
        s.get(f"{base}{api}/space/NOPE")

    def trash(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        s.delete(f"{base}{api}/content/{st['child']}")

    def space_delete(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        task = _id(s.delete(f"{base}{api}/space/{key}"), "id")
        if task is not None:
            s.get(f"{base}{api}/longtask/{task}")

    return [
        ("space create", space_create), ("space get", space_get),
        ("page create", page_create), ("page find by title", page_find),
        ("page get", page_get), ("page update", page_update),
        ("page update stale version", page_conflict), ("children", children),
        ("labels", labels), ("content properties", properties), ("cql search", search),
        ("current user", users), ("not found", missing), ("page trash", trash),
        ("space delete", space_delete),
    ]  # fmt: skip


# -- Cloud v2 (with the v1 calls that have no v2 write) ------------------------------------------


def cloud_steps() -> list[tuple[str, Step]]:
    """The Cloud path of a sync: v1 for space and label writes, v2 for pages and properties."""
    key, v2 = "CV", "/wiki/api/v2"

    def space_create(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        s.post(f"{base}/wiki/rest/api/space", json={"key": key, "name": "Cloud Ä&B"})
        st["space"] = _id(s.get(f"{base}{v2}/spaces", params={"keys": key}), "results", 0, "id")
        s.get(f"{base}{v2}/spaces/{st['space']}")

    def page_create(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        body = {
            "spaceId": str(st["space"]),
            "status": "current",
            "title": "Sitzungen 2026",
            "body": {"representation": "storage", "value": STORAGE},
        }
        st["parent"] = _id(s.post(f"{base}{v2}/pages", json=body), "id")
        child = {**body, "title": "Sitzung März", "parentId": str(st["parent"])}
        st["child"] = _id(s.post(f"{base}{v2}/pages", json=child), "id")

    def page_find(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        s.get(f"{base}{v2}/pages", params={"space-id": st["space"], "title": "Sitzung März"})
        s.get(f"{base}{v2}/spaces/{st['space']}/pages", params={"limit": 50})

    def page_get(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        s.get(f"{base}{v2}/pages/{st['child']}", params={"body-format": "storage"})

    def page_update(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        body = {
            "id": str(st["child"]),
            "status": "current",
            "title": "Sitzung März",
            "body": {"representation": "storage", "value": "<p>neu</p>"},
            "version": {"number": 2, "message": "sync"},
        }
        s.put(f"{base}{v2}/pages/{st['child']}", json=body)
        s.put(f"{base}{v2}/pages/{st['child']}", json=body)  # stale now: 409

    def children(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        s.get(f"{base}{v2}/pages/{st['parent']}/children")

    def labels(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        page = st["child"]
        s.post(
            f"{base}/wiki/rest/api/content/{page}/label",
            json=[{"prefix": "global", "name": "meeting"}],
        )
        s.get(f"{base}{v2}/pages/{page}/labels")

    def properties(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        page = st["child"]
        created = s.post(
            f"{base}{v2}/pages/{page}/properties",
            json={"key": "confluence-sync", "value": {"id": "x"}},
        )
        prop = _id(created, "id")
        s.get(f"{base}{v2}/pages/{page}/properties", params={"key": "confluence-sync"})
        s.put(
            f"{base}{v2}/pages/{page}/properties/{prop}",
            json={
                "key": "confluence-sync",
                "value": {"id": "y"},
                "version": {"number": 2, "message": ""},
            },
        )

    def missing(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        s.get(f"{base}{v2}/pages/999999")

    def trash(s: requests.Session, base: str, st: dict[str, Any]) -> None:
        s.delete(f"{base}{v2}/pages/{st['child']}")

    return [
        ("space create", space_create), ("page create", page_create),
        ("page find by title", page_find), ("page get", page_get),
        ("page update and stale version", page_update), ("children", children),
        ("labels", labels), ("content properties", properties), ("not found", missing),
        ("page trash", trash),
    ]  # fmt: skip


def describe(exchange: Exchange) -> str:
    body = exchange.response_body[:300].decode("utf-8", "replace")
    sent = json.loads(exchange.request_body) if exchange.request_body else None
    return f"{exchange.method} {exchange.path} → {exchange.status}; sent {sent}; got {body}"
