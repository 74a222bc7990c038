"""A space the sync creates takes its grants along with the create: on Cloud inside it (v1
``POST /space`` with ``permissions``), on Data Center 9.1+ — whose create ignores such a
list — in one ``POST /space/{key}/permissions`` after ``/space/_private``. No grant request of
their own, each grant still reported as granted, the space's permissions exactly the
config's plus the sync account's, and a re-sync writes nothing."""

from __future__ import annotations

import re

from confluence_sync.apply.grants import TAKEN_BY_CREATE
from confluence_sync.backends.permissions import CLOUD_CREATOR_PAIRS
from confluence_sync.run import load_wanted
from confluence_sync.wiki.values import Grant

from .conftest import GROUP, HUB, Site

GRANT_PATH = re.compile(r"/space/[^/]+/permissions?(/|$)")


def _grant_requests(site: Site) -> list[str]:
    return [e["path"] for e in site.journal.entries() if GRANT_PATH.search(str(e["path"]))]


def _creates(site: Site) -> list[str]:
    return [
        str(e["path"])
        for e in site.journal.entries()
        if e["method"] == "POST" and re.search(r"/rest/api/space(/_private)?$", str(e["path"]))
    ]


def _held(site: Site, key: str) -> set[tuple[str, str, str, str]]:
    store = site.wiki.store
    space = store.space_by_key(key)
    assert space is not None
    return {(p.subject_type, p.subject, p.operation, p.target) for p in store.permissions(space.id)}


def test_first_sync_sends_a_created_space_s_grants_with_its_create(site: Site) -> None:
    site.write_config()
    site.journal.clear()
    first = site.sync()
    assert first.exit_code() == 0, [r.reason for r in first.results if r.status == "failed"]
    grants = [r for r in first.results if r.kind == "grant" and r.space == GROUP]
    assert grants and all(r.status == "granted" for r in grants)
    assert all(r.reason == TAKEN_BY_CREATE for r in grants)
    # The hub's contacts group is made after the hub: that one grant follows on its own.
    if site.cloud:
        assert _grant_requests(site) == [f"/wiki/rest/api/space/{HUB}/permission"]
        assert sorted(_creates(site)) == ["/wiki/rest/api/space"] * 2
    else:
        assert sorted(_grant_requests(site)) == [
            f"/rest/api/space/{HUB}/permissions",
            f"/rest/api/space/{HUB}/permissions/group/puu-contacts/grant",
            f"/rest/api/space/{GROUP}/permissions",
        ]
        assert sorted(_creates(site)) == ["/rest/api/space/_private"] * 2

    reader = site.backend().reader
    me = reader.self_identities()
    wanted = {g for g in site.backend().reader.list_grants(GROUP) if g.subject not in me}
    config = {
        Grant("group", "puu-upx-members", op)
        for op in ("read", "write", "comment", "attach", "blog", "delete_own")
    } | {
        Grant("user", site.accounts["netzwerkbuero"], op)
        for op in (
            "read",
            "write",
            "comment",
            "attach",
            "blog",
            "delete_own",
            "delete_page",
            "export",
            "restrict",
            "admin",
        )
    }
    assert wanted == config  # no site default, nothing the config does not give
    if site.cloud:  # the sync account lists itself with every right _private would give
        admin = site.wiki.store.user_by_name("admin")
        assert admin is not None
        mine = {
            (op, t) for s, who, op, t in _held(site, GROUP) if s == "user" and who == str(admin.id)
        }
        assert mine == set(CLOUD_CREATOR_PAIRS)

    site.journal.clear()
    again = site.sync()
    assert again.writes == 0 and site.journal.counts().writes == 0


def test_a_create_refusing_its_list_still_makes_the_space_private(site: Site) -> None:
    """A group the reader knows but the site no longer has: Cloud's create answers 400 and
    DC's set call 404; the space is private as before and no grant counts as set (each is
    then sent, and reported, on its own)."""
    site.write_config()
    site.sync()  # the groups exist now; the reader of the next run caches them
    backend = site.backend()
    reader = backend.reader
    assert reader.group_exists("puu-upx-members")
    if site.cloud:
        reader._group_ids["geloescht"] = "0"  # type: ignore[attr-defined]
    else:
        reader._groups["geloescht"] = True  # type: ignore[attr-defined]
    grants = [Grant("group", "geloescht", "read"), Grant("group", "puu-upx-members", "read")]
    site.journal.clear()
    space, taken = backend.writer().create_space_with_grants("NEU", "Neu", "", grants)
    assert space.key == "NEU" and taken == frozenset()
    posts = [e["path"] for e in site.journal.entries() if e["method"] == "POST"]
    if site.cloud:
        assert posts == ["/wiki/rest/api/space", "/wiki/rest/api/space/_private"]
    else:
        assert posts == ["/rest/api/space/_private", "/rest/api/space/NEU/permissions"]
    admin = site.wiki.store.user_by_name("admin")
    assert admin is not None
    assert {s[:2] for s in _held(site, "NEU")} == {("user", str(admin.id))}


def test_a_run_killed_after_the_create_converges(site: Site) -> None:
    """The create landed with its grants, then the run died (no index, no pages): the next
    run adopts nothing by mistake, grants what is missing and ends equal to the config."""
    site.write_config()
    wanted = next(s for s in load_wanted(site.path, site.options()).spaces if s.key == GROUP)
    backend = site.backend()
    backend.reader.self_identities()
    backend.writer().create_space_with_grants(GROUP, wanted.name, "", sorted(wanted.grants))
    result = site.sync()
    assert result.exit_code() == 0, [r.reason for r in result.results if r.status == "failed"]
    me = site.backend().reader.self_identities()
    listed = {g for g in site.backend().reader.list_grants(GROUP) if g.subject not in me}
    assert listed == wanted.grants
    site.journal.clear()
    assert site.sync().writes == 0 and site.journal.counts().writes == 0
