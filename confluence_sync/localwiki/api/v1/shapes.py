"""JSON shapes of the v1 / Data Center REST API: Content, Space, labels, properties, versions,
lists and ``expand`` (users, groups and permissions are in ``people_shapes``).

Fields that were not asked for through ``expand=`` appear under ``_expandable``, as in
Confluence. ``_links.next`` is relative to ``_links.base`` (no context path in it), which is
what atlassian-python-api's pager expects.

Imports: ``web`` (ctx, errors), ``api.links``, ``api.v1.people_shapes`` and the store's
records.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from confluence_sync.localwiki.api.links import cloud_page_links, edit_draft
from confluence_sync.localwiki.api.v1.people_shapes import (
    permission_v1_json,
    space_permission_cloud,
    user_json,
)
from confluence_sync.localwiki.store.model import Label, Page, Property, Space
from confluence_sync.localwiki.web.ctx import Ctx
from confluence_sync.localwiki.web.errors import ApiError

MAX_EXPANSIONS = 8


class Expand:
    """A parsed ``expand=`` parameter: dotted paths, queried by prefix."""

    def __init__(self, raw: str | None) -> None:
        self.paths = [p.strip() for p in (raw or "").split(",") if p.strip()]
        # Confluence limits how deep one expansion may reach ("8 sub-expansions").
        if any(p.count(".") >= MAX_EXPANSIONS for p in self.paths):
            raise ApiError(400, f"Expansions are limited to {MAX_EXPANSIONS} levels")
        self._index()

    def _index(self) -> None:
        # Every dotted prefix of every path, so has() is one set lookup (it runs a dozen
        # times per page answer).
        self._prefixes = {p.rsplit(".", n)[0] for p in self.paths for n in range(p.count(".") + 1)}

    def has(self, path: str) -> bool:
        return path in self._prefixes

    def sub(self, path: str) -> Expand:
        """The expansions below ``path`` (``children.page.version`` → ``version``)."""
        inner = Expand(None)
        inner.paths = [p[len(path) + 1 :] for p in self.paths if p.startswith(path + ".")]
        inner._index()
        return inner


def list_json(
    ctx: Ctx, results: list[Any], *, start: int, limit: int, more: bool, path: str | None = None
) -> dict[str, Any]:
    """The v1 list envelope; ``next`` only when there are more results."""
    path = path if path is not None else ctx.request.path[len(ctx.context) :]
    links: dict[str, Any] = {"base": ctx.base, "context": ctx.context, "self": ctx.base + path}
    if more:
        args = [(k, v) for k, v in ctx.request.args.items(multi=True) if k not in ("start",)]
        args = [(k, v) for k, v in args if k != "limit"] + [
            ("limit", str(limit)),
            ("start", str(start + limit)),
        ]
        links["next"] = f"{path}?{urlencode(args)}"
    if start > 0:
        args = [
            (k, v) for k, v in ctx.request.args.items(multi=True) if k not in ("start", "limit")
        ]
        args += [("limit", str(limit)), ("start", str(max(start - limit, 0)))]
        links["prev"] = f"{path}?{urlencode(args)}"
    return {
        "results": results,
        "start": start,
        "limit": limit,
        "size": len(results),
        "_links": links,
    }


def embedded_list(results: list[Any], self_link: str) -> dict[str, Any]:
    """A list inside an answer (an expansion, a child map): one page of at most 200 items."""
    return {
        "results": results,
        "start": 0,
        "limit": 200,
        "size": len(results),
        "_links": {"self": self_link},
    }


def paging(ctx: Ctx, *, default: int = 25, cap: int = 200) -> tuple[int, int]:
    start = max(ctx.int_arg("start", 0), 0)
    limit = ctx.int_arg("limit", default)
    if limit < 0:
        raise ApiError(400, "limit must not be negative")
    return start, min(limit, cap)


def label_json(label: Label) -> dict[str, Any]:
    return {"prefix": label.prefix, "name": label.name, "id": str(label.id), "label": label.name}


def property_json(ctx: Ctx, prop: Property, owner_path: str) -> dict[str, Any]:
    return {
        "id": str(prop.id),
        "key": prop.key,
        "value": prop.value,
        "version": {
            "when": prop.updated_at,
            "message": "",
            "number": prop.version,
            "minorEdit": False,
            "by": user_json(ctx, None, prop.author),
        },
        "_links": {"self": f"{ctx.base}/rest/api/{owner_path}/property/{prop.key}"},
        # The owner is never expanded; Cloud's SpaceProperty requires the key.
        "_expandable": (
            {"space": f"/rest/api/{owner_path}"}
            if owner_path.startswith("space/")
            else {"content": f"/rest/api/{owner_path}"}
        ),
    }


def version_json(
    ctx: Ctx,
    page: Page,
    number: int | None = None,
    when: str | None = None,
    by: str | None = None,
    message: str | None = None,
) -> dict[str, Any]:
    return {
        "by": user_json(ctx, None, by or page.updater),
        "when": when or page.updated_at,
        "message": page.message if message is None else message,
        "number": number or page.version,
        "minorEdit": page.minor_edit,
        "_links": {
            "self": f"{ctx.base}/rest/experimental/content/{page.id}/version/"
            f"{number or page.version}"
        },
    }


def history_json(ctx: Ctx, page: Page, expand: Expand | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "latest": True,
        "createdBy": user_json(ctx, None, page.creator),
        "createdDate": page.created_at,
        "lastUpdated": version_json(ctx, page),
        "_links": {"self": f"{ctx.base}/rest/api/content/{page.id}/history"},
    }
    if expand is not None and expand.has("contributors"):
        # Data Center: ``contributors.publishers`` lists everyone who published a version;
        # the users themselves only with ``.users`` expanded, their keys always.
        authors = sorted({str(row["author"]) for row in ctx.store.versions(page.id)})
        users = [ctx.store.user_by_name(name) for name in authors]
        publishers: dict[str, Any] = {"userKeys": [u.user_key for u in users if u is not None]}
        if expand.has("contributors.publishers.users"):
            publishers["users"] = [user_json(ctx, u) for u in users if u is not None]
        out["contributors"] = {"publishers": publishers}
    return out


def page_links(ctx: Ctx, page: Page) -> dict[str, str]:
    """A content object's links, relative to ``_links.base`` (``self`` is absolute); the
    edit link is named per flavour (see ``api/links.py``)."""
    self_link = f"{ctx.base}/rest/api/content/{page.id}"
    if ctx.cloud:
        return {**cloud_page_links(page), "self": self_link}
    return {
        "webui": f"/pages/viewpage.action?pageId={page.id}",
        "edit": edit_draft(page),
        "tinyui": f"/x/{page.id}",
        "self": self_link,
    }


def entity(ctx: Ctx, body: dict[str, Any], collection: str | None = None) -> dict[str, Any]:
    """``body`` as the top-level object of an answer: Confluence adds ``base`` and ``context``
    (and for content and spaces ``collection``) to its ``_links``, which clients join the
    relative links to (``base + webui``). Objects inside lists get them on the list only.

    DC 10.0.3 lists base/context/self under ``_links`` of Content, JsonContentProperty and
    JsonSpaceProperty; the captured single-content answers above carry all three plus
    ``collection``.
    """
    links = body.setdefault("_links", {})
    links.update(base=ctx.base, context=ctx.context)
    if collection is not None:
        links["collection"] = collection
    return body


def content_json(ctx: Ctx, page: Page, expand: Expand, *, nested: bool = False) -> dict[str, Any]:
    """A Content object with the requested expansions."""
    store = ctx.store
    out: dict[str, Any] = {
        "id": str(page.id),
        "type": page.type,
        "status": page.status,
        "title": page.title,
    }
    expandable: dict[str, str] = {}
    if expand.has("space"):
        space = store.space_by_id(page.space_id)
        if space is not None:
            out["space"] = space_json(ctx, space, expand.sub("space"))
    else:
        expandable["space"] = f"/rest/api/space/{page.space_key}"
    if expand.has("history"):
        out["history"] = history_json(ctx, page)
    else:
        expandable["history"] = f"/rest/api/content/{page.id}/history"
    if expand.has("version"):
        out["version"] = version_json(ctx, page)
    else:
        expandable["version"] = ""
    if expand.has("ancestors"):
        out["ancestors"] = [
            content_json(ctx, a, Expand(None), nested=True) for a in store.ancestors(page)
        ]
    else:
        expandable["ancestors"] = ""
    if expand.has("children"):
        out["children"] = children_json(ctx, page, expand.sub("children"))
    else:
        expandable["children"] = f"/rest/api/content/{page.id}/child"
    expandable["descendants"] = f"/rest/api/content/{page.id}/descendant"
    expandable["container"] = f"/rest/api/space/{page.space_key}"
    if expand.has("body"):
        body: dict[str, Any] = {}
        for representation in ("storage", "view", "export_view", "styled_view", "editor"):
            if expand.has(f"body.{representation}"):
                body[representation] = {
                    "value": page.body,
                    "representation": representation,
                    "_expandable": {"content": f"/rest/api/content/{page.id}"},
                }
        out["body"] = body
    else:
        expandable["body"] = ""
    if expand.has("metadata"):
        out["metadata"] = metadata_json(ctx, page, expand.sub("metadata"))
    else:
        expandable["metadata"] = ""
    out["extensions"] = {"position": page.position}
    out["_links"] = page_links(ctx, page)
    out["_expandable"] = expandable
    return out


def metadata_json(ctx: Ctx, page: Page, expand: Expand) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if expand.has("labels"):
        labels = [label_json(label) for label in ctx.store.labels("content", page.id)]
        meta["labels"] = embedded_list(labels, f"{ctx.base}/rest/api/content/{page.id}/label")
    if expand.has("properties"):
        wanted = {p.split(".", 1)[1] for p in expand.paths if p.startswith("properties.")}
        props: dict[str, Any] = {}
        for prop in ctx.store.properties("content", page.id):
            if not wanted or prop.key in wanted:
                props[prop.key] = property_json(ctx, prop, f"content/{page.id}")
        meta["properties"] = props
    meta["_expandable"] = {k: "" for k in ("labels", "properties", "currentuser") if k not in meta}
    return meta


def children_json(ctx: Ctx, page: Page, expand: Expand) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if expand.has("page"):
        kids = ctx.store.children(page.id)
        results = [content_json(ctx, k, expand.sub("page"), nested=True) for k in kids[:200]]
        out["page"] = embedded_list(results, f"{ctx.base}/rest/api/content/{page.id}/child/page")
    out["_expandable"] = {
        "attachment": f"/rest/api/content/{page.id}/child/attachment",
        "comment": f"/rest/api/content/{page.id}/child/comment",
    }
    if "page" not in out:
        out["_expandable"]["page"] = f"/rest/api/content/{page.id}/child/page"
    return out


def space_json(ctx: Ctx, space: Space, expand: Expand) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": space.id,
        "key": space.key,
        "name": space.name,
        "type": space.type,
        "status": space.status,
    }
    expandable: dict[str, str] = {}
    if expand.has("description"):
        desc: dict[str, Any] = {}
        for kind in ("plain", "view"):
            if expand.has(f"description.{kind}") or expand.paths.count("description"):
                desc[kind] = {
                    "value": space.description,
                    "representation": kind,
                    "embeddedContent": [],
                }
        out["description"] = desc
    else:
        expandable["description"] = ""
    if expand.has("homepage") and space.homepage_id is not None:
        home = ctx.store.page(space.homepage_id)
        if home is not None:
            out["homepage"] = content_json(ctx, home, expand.sub("homepage"), nested=True)
    elif space.homepage_id is not None:
        expandable["homepage"] = f"/rest/api/content/{space.homepage_id}"
    if expand.has("metadata"):
        labels = [label_json(x) for x in ctx.store.labels("space", space.id)]
        out["metadata"] = {
            "labels": embedded_list(labels, f"{ctx.base}/rest/api/space/{space.key}/label")
        }
    if expand.has("permissions"):
        shape = space_permission_cloud if ctx.cloud else permission_v1_json
        out["permissions"] = [shape(ctx, p) for p in ctx.store.permissions(space.id)]
    expandable.update(
        {
            "settings": f"/rest/api/space/{space.key}/settings",
            "metadata": "",
            "operations": "",
            "lookAndFeel": "",
            "permissions": "",
            "icon": "",
            "theme": "",
        }
    )
    for done in ("metadata", "permissions"):
        if done in out:
            expandable.pop(done, None)
    out["_links"] = {
        "webui": f"/spaces/{space.key}" if ctx.cloud else f"/display/{space.key}",
        "self": f"{ctx.base}/rest/api/space/{space.key}",
    }
    out["_expandable"] = expandable
    return out
