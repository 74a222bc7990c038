"""Confluence Data Center, the reading half (the writer is in ``datacenter_writer``).

Everything goes through ``/rest/api`` below the context root.

Data Center ignores labels and properties in a create, so a new page costs the create and
(if it has any) one label request (``RestWriter.create_page``; the engine sends no property:
the index records the page). The page
listing expands each page's labels, so a label missing from a page is seen without a read
per page. Space permissions use the DC REST grant/revoke endpoints
(``/space/{key}/permissions/{user|group}/…/grant``), which take the userKey for users and
every operation of one subject in one request (``batch_grants``).
Templates have no REST API on DC: ``supports_templates`` is False. The REST space permissions
came with DC 9.1 and group admin with 8.2: the capabilities read the site's release from
``server-information`` once, when a change of either is at stake (``server_version``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from confluence_sync.errors import (
    NotFoundError,
    RateLimitedError,
    ServerError,
    SiteError,
    TransportError,
    WikiError,
)
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
from .contract import Capabilities, UnsupportedOperationError
from .transport import Transport
from .user_names import dc_users
from .writes import V1, q

CAPABILITIES = Capabilities(
    flavour="datacenter",
    supports_templates=False,
    batch_grants=True,
    grants_in_space_create=True,  # 9.1+: set right after the create (datacenter_writer)
)
# ``history``: its ``createdBy`` says whether the sync account made a page it has no index
# record of (plan.pages, recovery without a marker); same request, no extra read.
_PAGE_EXPAND = "version,ancestors,space,metadata.labels,history"
_LIST_LIMIT = 200
_BODY_LIMIT = 50  # a listing that expands bodies (see ``list_pages_with_bodies``)


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
        last_editor=editor_of(data),
        saved_at=saved_at(data),
        labels=labels_of((data.get("metadata") or {}).get("labels")),
        created_by=creator_of(data),
    )


def property_of(data: dict[str, Any]) -> Property:
    return Property(key=str(data["key"]), value=data.get("value"), version=version_of(data))


class DataCenterReader(RestReader):
    """Reads a Data Center site."""

    def __init__(self, transport: Transport) -> None:
        super().__init__(transport, replace(CAPABILITIES, site_version=self.server_version))
        self._version: str | None = None
        self._version_read = False
        self._version_lock = threading.Lock()
        self._user_keys: dict[str, str] = {}
        self._groups: dict[str, bool] = {}
        self._key_names: dict[str, UserInfo | None] = {}  # mentioned accounts, as read
        # Space workers grant to the same admin at once: one lookup, the others wait for it.
        self._user_lock = threading.Lock()

    def _fetch_space(self, key: str) -> SpaceInfo | None:
        try:
            data = self.transport.call(
                "GET", f"{V1}/space/{q(key)}", what=f"space {key}", params={"expand": "homepage"}
            )
        except NotFoundError:
            return None
        return _space(data)

    def _fetch_spaces(self, keys: Sequence[str]) -> list[SpaceInfo]:
        # ``spaceKey`` repeats (dc-10.0.3.json GET /rest/api/space: an array of keys).
        results = self.transport.paginate(
            f"{V1}/space",
            what=f"spaces {', '.join(keys)}",
            params={"spaceKey": list(keys), "expand": "homepage", "limit": _LIST_LIMIT},
        )
        return [_space(item) for item in results]

    def list_pages(self, space_key: str) -> list[PageInfo]:
        params = {
            "spaceKey": space_key,
            "type": "page",
            "status": "current",
            # Labels in the same answer: a managed label a member removed (or the site
            # dropped) is noticed with no request per page.
            "expand": "version,ancestors,metadata.labels",
            "limit": _LIST_LIMIT,
        }
        results = self.transport.paginate(
            f"{V1}/content", what=f"pages of space {space_key}", params=params
        )
        return [page_info(item, space_key) for item in results]

    def list_pages_with_bodies(self, space_key: str) -> list[Page]:
        # Confluence hardcodes lower page sizes for listings that expand a body: 50, where
        # 200 is the cap with other expansions (confluence.atlassian.com/confkb/searching-
        # for-content-with-the-rest-api-and-cql-always-limits-results-to-50-1032258424.html);
        # asking for 50 costs no extra request where the site would cut to it anyway.
        params = {
            "spaceKey": space_key,
            "type": "page",
            "status": "current",
            "expand": "body.storage,version,ancestors",
            "limit": _BODY_LIMIT,
        }
        results = self.transport.paginate(
            f"{V1}/content", what=f"pages of space {space_key} with bodies", params=params
        )
        return [Page(page_info(item, space_key), str(_storage_value(item))) for item in results]

    def mentioned_users(self, references: Sequence[str]) -> dict[str, UserInfo]:
        return dc_users(self.transport, self._key_names, references)

    def get_page(self, page_id: str, *, any_status: bool = False) -> Page:
        params = {"expand": f"body.storage,{_PAGE_EXPAND}"}
        if any_status:
            params["status"] = "any"  # v1 finds only current content unless asked
        data = self.transport.call(
            "GET", f"{V1}/content/{q(page_id)}", what=f"page {page_id}", params=params
        )
        return Page(info=page_info(data), body=str(_storage_value(data)))

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

    def list_space_properties(self, space_key: str, prefix: str) -> list[Property]:
        # DC 10 ``GET /space/{key}/property`` lists values with the version expanded, 10 a page
        # by default: ask for the list cap, so one request holds the index and its shards.
        try:
            results = self.transport.paginate(
                f"{V1}/space/{q(space_key)}/property",
                what=f"properties of space {space_key}",
                params={"expand": "version", "limit": _LIST_LIMIT},
            )
            found = [property_of(item) for item in results]
        except NotFoundError:
            return []
        return [p for p in found if p.key == prefix or p.key.startswith(prefix + ".")]

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

    def page_editors(self, page_id: str) -> frozenset[str]:
        # Data Center has no version list outside /rest/experimental; the history's
        # contributors.publishers names everyone who published a version.
        data = self.transport.call(
            "GET",
            f"{V1}/content/{q(page_id)}/history",
            what=f"history of page {page_id}",
            params={"expand": "contributors.publishers.users"},
        )
        publishers = ((data or {}).get("contributors") or {}).get("publishers") or {}
        names = {
            str(u.get("username") or u.get("userKey") or "") for u in publishers.get("users") or []
        }
        names |= {str(key) for key in publishers.get("userKeys") or []} if not names else set()
        return frozenset(name for name in names if name)

    def get_labels(self, page_id: str) -> frozenset[str]:
        results = self.transport.paginate(
            f"{V1}/content/{q(page_id)}/label",
            what=f"labels of page {page_id}",
            params={"limit": 200},
        )
        return global_labels(results)

    def server_version(self) -> str | None:
        """The site's release from ``GET /rest/api/server-information`` (DC 10.0.3
        ``ServerInformation.version``), read once per run; None when the site will not say
        (an old release, a proxy): then the newest REST API is assumed."""
        with self._version_lock:
            if not self._version_read:
                try:
                    data = self.transport.call(
                        "GET", f"{V1}/server-information", what="the server information"
                    )
                    found = data.get("version") if isinstance(data, dict) else None
                    self._version = str(found) if found else None
                except NotFoundError:
                    # Every Data Center has answered this since 5.x; a site that does not
                    # may be Cloud, whose v1 space listing answered the run's first request
                    # as Data Center's would (a Cloud site on its own domain, flavour guessed).
                    self._refuse_cloud()
                    self._version = None
                except WikiError:
                    self._version = None
                self._version_read = True
            return self._version

    def _refuse_cloud(self) -> None:
        """Raise ``SiteError("wrong-flavour")`` when the site says it is Cloud (its
        ``settings/systemInfo`` has a ``cloudId``); one request, only after the 404 above."""
        try:
            info = self.transport.call(
                "GET", f"{V1}/settings/systemInfo", what="the site's identity"
            )
        except WikiError:
            return
        if isinstance(info, dict) and isinstance(info.get("cloudId"), str):
            url = self.transport.base_url
            raise SiteError(
                "wrong-flavour",
                f"{url} is not Confluence Data Center: it answers as Confluence Cloud",
                hint="set CONFLUENCE_FLAVOUR=cloud (or --flavour cloud) and run again",
                url=url,
            )

    def list_grants(self, space_key: str) -> list[Grant]:
        path, what = f"{V1}/space/{q(space_key)}/permissions", f"permissions of {space_key}"
        try:
            data = self.transport.send_once("GET", path, what=what)
        except ServerError as error:
            if error.status == 500:
                # DC 9.1+ answers a caller without space admin 500, every time
                # (CONFSERVER-99908): retrying cannot help, observe says what to do.
                raise
            data = self.transport.call("GET", path, what=what)
        except (RateLimitedError, TransportError):  # what the retry is for: under its policy
            data = self.transport.call("GET", path, what=what)
        grants: list[Grant] = []
        for item in data or []:
            subject = item.get("subject") or {}
            operation = item.get("operation") or {}
            kind = subject.get("type")
            if kind not in ("user", "group"):
                continue  # anonymous and unlicensed access are not managed here
            # DC names a user subject by userKey (+ displayName), but the config and our grants
            # speak usernames: map the key back, or a user grant could never be matched.
            name = subject.get("username") or subject.get("name") or ""
            if not name and kind == "user" and subject.get("userKey"):
                name = self.username_for_key(str(subject["userKey"]))
            name = name or subject.get("groupName") or subject.get("displayName") or ""
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

    def group_exists(self, name: str, *, fresh: bool = False) -> bool:
        """Cached per run: observe asks first, the writer's ``ensure_group`` asks again."""
        if fresh or name not in self._groups:
            try:
                self.transport.call("GET", f"{V1}/group/{q(name)}", what=f"group {name}")
            except NotFoundError:
                self._groups[name] = False
            else:
                self._groups[name] = True
        return self._groups[name]

    def list_group_members(self, name: str) -> list[UserInfo]:
        results = self.transport.paginate(
            f"{V1}/group/{q(name)}/member", what=f"members of group {name}", params={"limit": 200}
        )
        return [_user(item) for item in results]

    user_param = "username"

    def _found_user(self, data: dict[str, Any]) -> UserInfo:
        user = _user(data)
        if user.key:
            self._user_keys[user.id] = user.key
        return user

    def user_key(self, username: str) -> str:
        """The userKey DC's permission endpoints want, cached per username."""
        with self._user_lock:
            if username not in self._user_keys:
                user = self.resolve_user(username)
                if user is None or not user.key:
                    raise NotFoundError(
                        f"user {username}", 404, "no such user", "check the username in the config"
                    )
            return self._user_keys[username]

    def username_for_key(self, user_key: str) -> str:
        """The username behind a userKey (cached both ways; one read per unknown key)."""
        with self._user_lock:
            for username, key in self._user_keys.items():
                if key == user_key:
                    return username
        try:
            data = self.transport.call(
                "GET", f"{V1}/user", what=f"user with key {user_key}", params={"key": user_key}
            )
        except NotFoundError:
            return ""
        return self._found_user(data).id if isinstance(data, dict) else ""

    def list_templates(self, space_key: str) -> list[Template]:
        raise UnsupportedOperationError(
            "page templates cannot be read or written over REST on Confluence Data Center",
            hint="create the templates in the space's settings by hand; the plan lists them",
        )


def _storage_value(data: dict[str, Any]) -> Any:
    return ((data.get("body") or {}).get("storage") or {}).get("value", "")


def _space(data: dict[str, Any]) -> SpaceInfo:
    homepage = data.get("homepage") or {}
    return SpaceInfo(
        key=str(data["key"]),
        id=str(data["id"]),
        name=str(data.get("name", "")),
        homepage_id=str(homepage["id"]) if homepage.get("id") else None,
    )


def _user(data: dict[str, Any]) -> UserInfo:
    return UserInfo(
        id=str(data.get("username") or data.get("name") or ""),
        display_name=str(data.get("displayName", "")),
        key=str(data.get("userKey") or ""),
    )
