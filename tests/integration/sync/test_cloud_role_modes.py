"""The core scenarios on Cloud in each space-role mode (the CI matrix): a first sync, a no-op
re-sync (0 writes, within TARGETS.md's budget), a member's words kept, a removal — with v1
permissions before roles and in transition, and with role assignments in ROLES mode, where v1
permission writes are refused. Plus a chaos run in ROLES mode: its end equals a fault-free one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.localwiki.store.roles import SYSTEM_ROLES, default_assignments
from confluence_sync.run import RunResult
from tests.chaos.test_sync_chaos import scenario

from .conftest import ACCOUNTS, GROUP, HUB, Site

MODES = ["PRE_ROLES", "ROLES_TRANSITION", "ROLES"]
MEETING = "2026-03-12 Frühjahrstreffen bei HANSA-FLEX"
ROLE_NAMES = {role.id: role.name for role in SYSTEM_ROLES}


def _site(mode: str, tmp_path: Path) -> Iterator[Site]:
    with LocalWiki(flavour="cloud", v1_removed=True, space_role_mode=mode) as wiki:
        accounts = {n: wiki.store.create_user(n, "pw-" + n).account_id for n in ACCOUNTS}
        current = Site(wiki, "cloud", tmp_path / "network.yaml", accounts)
        try:
            yield current
        finally:
            for backend in current.backends:
                backend.close()


@pytest.fixture(params=MODES)
def cloud(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    yield from _site(request.param, tmp_path)


def _mode(site: Site) -> str:
    return site.wiki.options.space_role_mode


def _failures(result: RunResult) -> list[str]:
    return [f"{r.item}: {r.reason}" for r in result.results if r.status == "failed"]


def _roles(site: Site, key: str) -> dict[str, str]:
    """Principal (a group's name, a user's username) → role name, as the wiki holds them."""
    store = site.wiki.store
    space = store.space_by_key(key)
    assert space is not None
    out = {}
    for item in store.role_assignments(space.id):
        who = item.principal
        if item.principal_type == "USER":
            user = store.user_by_id(int(who))
            who = user.username if user else who
        out[who] = ROLE_NAMES[item.role_id]
    return out


def _legacy(site: Site, key: str) -> set[tuple[str, str]]:
    space = site.wiki.store.space_by_key(key)
    assert space is not None
    return {(p.subject, p.operation) for p in site.wiki.store.permissions(space.id)}


def _visible_to_all(site: Site) -> None:
    """The working group's space is readable by every network contact from now on."""
    text = site.path.read_text(encoding="utf-8")
    site.path.write_text(text.replace("    topics:", "    visibility: network\n    topics:"))


def test_first_sync_then_a_no_op_in_every_mode(cloud: Site) -> None:
    cloud.write_config()
    cloud.journal.clear()
    first = cloud.sync()
    assert not _failures(first), _failures(first)
    assert first.exit_code() == 0
    assert MEETING in cloud.titles(GROUP).values()
    entries = cloud.journal.entries()
    role_posts = [e for e in entries if e["path"].endswith("/role-assignments")]
    v1_grants = [e for e in entries if e["path"].endswith(f"/space/{GROUP}/permission")]
    modes = [e for e in entries if e["path"].endswith("/space-role-mode")]
    assert len(modes) == 1  # read once per run
    if _mode(cloud) == "ROLES":
        # One set per space: the members' group Collaborator, the admins Admin; nothing legacy.
        assert len(role_posts) == 2 and not v1_grants
        assert _roles(cloud, GROUP) == {
            "admin": "Admin",
            "netzwerkbuero": "Admin",
            "puu-upx-members": "Collaborator",
        }
        assert _roles(cloud, HUB)["puu-contacts"] == "Viewer"
        assert not _legacy(cloud, GROUP)
    else:
        # v1: the grants go inside the create (POST /space with permissions), or one by one
        creates = [
            e for e in entries if (e["method"], e["path"]) == ("POST", "/wiki/rest/api/space")
        ]
        assert not role_posts and (v1_grants or creates)
        assert ("puu-upx-members", "read") in _legacy(cloud, GROUP)
        assert not _roles(cloud, GROUP)
    # A member holds access through the group: they read and write the group's space.
    member = cloud.member_backend("cherm").reader
    assert MEETING in {p.title for p in member.list_pages(GROUP)}

    cloud.journal.clear()
    second = cloud.sync()
    counts = cloud.journal.counts()
    assert counts.writes == 0 and second.writes == 0
    managed = sum(1 for r in second.results if r.status == "unchanged")
    assert counts.total <= 2 * 2 + -(-managed // 250), counts  # TARGETS.md's budget
    assert not [e for e in cloud.journal.entries() if "role" in e["path"]]  # the index says


def test_member_words_survive_and_removals_apply_in_every_mode(cloud: Site) -> None:
    cloud.write_config()
    _visible_to_all(cloud)
    assert not _failures(cloud.sync())
    if _mode(cloud) == "ROLES":
        assert _roles(cloud, GROUP)["puu-contacts"] == "Viewer"
    meeting = cloud.page(GROUP, MEETING)
    words = "<p>Protokoll: Rundgang durch die Halle</p>"
    cloud.member_save("sluedtke", meeting, meeting.body + words)
    # The group's space members-only again, an organisation leaves, a meeting is dropped.
    cloud.write_config(["2026-03-19"], atlas=False)
    cloud.journal.clear()
    removed = cloud.sync()
    assert not _failures(removed), _failures(removed)
    assert not [r for r in removed.results if r.status == "conflict"]
    assert "Rundgang durch die Halle" in cloud.page(GROUP, "2026-03-19 " + MEETING[11:]).body
    reader = cloud.backend().reader
    assert "moeztuerk" not in {u.id for u in reader.list_group_members("puu-upx-members")}
    contacts = {(g.subject, g.operation) for g in reader.list_grants(GROUP)}
    assert not {s for s, _ in contacts} & {"puu-contacts"}  # the stale access is gone
    if _mode(cloud) == "ROLES":
        assert "puu-contacts" not in _roles(cloud, GROUP)
        posts = [e for e in cloud.journal.entries() if e["method"] == "POST"]
        assert sum(e["path"].endswith("/role-assignments") for e in posts) == 1
    else:
        assert ("puu-contacts", "read") not in _legacy(cloud, GROUP)
    # Permissions equal the config after the sync: a fresh plan has nothing to grant.
    again = cloud.plan()
    assert not [r for r in again.results if r.kind in ("grant", "revoke")]


def test_roles_mode_refuses_v1_grants_and_the_sync_never_sends_one(tmp_path: Path) -> None:
    for site in _site("ROLES", tmp_path):
        site.write_config()
        site.journal.clear()
        assert not _failures(site.sync())
        sent = {(e["method"], e["path"]) for e in site.journal.entries()}
        assert not [p for m, p in sent if m in ("POST", "DELETE") and "/permission" in p]
        assert ("POST", "/wiki/api/v2/spaces") in sent
        answer = requests.post(
            f"{site.wiki.url}/rest/api/space/{GROUP}/permission",
            json={
                "subject": {"type": "group", "identifier": "puu-contacts"},
                "operation": {"key": "read", "target": "space"},
            },
            auth=site.wiki.admin,
            timeout=10,
        )
        assert answer.status_code == 400 and "role" in answer.json()["message"]


def test_roles_on_a_space_made_by_hand_are_kept_and_reported(tmp_path: Path) -> None:
    """A space that existed before, with the default roles a space made by hand gets (all
    licensed users Collaborator) and a role given by hand: kept, named in the plan as grants
    the sync did not make, and revoked only on request — then only the config's people read."""
    for site in _site("ROLES", tmp_path):
        site.write_config()
        store = site.wiki.store
        admin, guest = store.user_by_name("admin"), store.create_user("gast", "pw-gast")
        assert admin is not None
        made = store.create_space_with_roles(
            key=GROUP,
            name="Arbeitskreis",
            creator=admin,
            assignments=default_assignments(admin, private=False),
        )
        store.set_role_assignments(made.id, [("USER", str(guest.id), SYSTEM_ROLES[3].id)])
        store.create_user("aussen", "pw-aussen")
        result = site.sync()
        assert not _failures(result)
        kept = [r for r in result.results if r.status == "skipped"]
        named = " | ".join(f"{r.item}: {r.reason}" for r in kept)
        assert guest.account_id in named and "access_class all-licensed-users" in named, named
        assert "--revoke-extra-grants" in named
        assert _roles(site, GROUP)["gast"] == "Viewer"
        assert site.member_backend("aussen").reader.get_space(GROUP) is not None
        cleaned = site.sync(revoke_extra_grants=True)
        assert not _failures(cleaned)
        assert set(_roles(site, GROUP)) == {"admin", "netzwerkbuero", "puu-upx-members"}
        assert site.member_backend("aussen").reader.get_space(GROUP) is None
        assert site.member_backend("cherm").reader.get_space(GROUP) is not None


def _chaos_state(site: Site) -> dict[str, Any]:
    return scenario(site, faults=True)


def test_chaos_in_roles_mode_ends_as_a_fault_free_run(tmp_path: Path) -> None:
    (tmp_path / "chaos").mkdir()
    (tmp_path / "clean").mkdir()
    for chaotic in _site("ROLES", tmp_path / "chaos"):
        end = _chaos_state(chaotic)
        assert chaotic.journal.counts().faults > 0
        chaotic.journal.clear()
        chaotic.sync()
        assert chaotic.journal.counts().writes == 0
        for clean in _site("ROLES", tmp_path / "clean"):
            reference = scenario(clean, faults=False)
    names = {"grants", "pages"}
    for key, part in reference.items():
        if isinstance(part, dict):
            for name in names:
                assert end[key][name] == part[name], (key, name)
        else:
            assert end[key] == part, key
