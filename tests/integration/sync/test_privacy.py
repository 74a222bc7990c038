"""Spaces are private to whom the config names: no site default permission survives a sync.

A plain space create applies the site's default space permissions (the local wiki gives the
group ``confluence-users`` read, create and delete-own, as a typical site does), so every
licensed user could read a members-only working group. The sync creates private spaces and
grants what the config says; on a space that existed before, grants it did not make are
reported and kept unless ``--revoke-extra-grants``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from confluence_sync.backends import open_backend
from confluence_sync.backends.contract import Backend
from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.localwiki.store.model import DEFAULT_GROUP
from confluence_sync.run import RunOptions, load_wanted, sync_run
from confluence_sync.wanted.model import Wanted
from confluence_sync.wiki.values import Grant

from .conftest import GROUP, Site, retry_policy

EXAMPLE = Path(__file__).resolve().parents[3] / "config.example.yaml"
OUTSIDER = "aussenstehend"  # a licensed user of the site the config does not name
TODAY = dt.date(2026, 1, 15)


@dataclass
class Network:
    wiki: LocalWiki
    flavour: str
    config: Path
    backend: Backend

    def wanted(self) -> Wanted:
        return load_wanted(self.config, self.options())

    @property
    def cloud(self) -> bool:
        return self.flavour == "cloud"

    def options(self) -> RunOptions:
        return RunOptions(today=TODAY, workers=4, self_accounts=(self.wiki.admin[0],))

    def outsider_get(self, path: str) -> int:
        """The status a user the config does not name gets for ``path`` (below the base)."""
        auth = (OUTSIDER, "pw-outsider")
        return requests.get(f"{self.wiki.url}/{path}", auth=auth, timeout=10).status_code


@pytest.fixture(params=["dc", "cloud"])
def network(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Network]:
    """The example network's config against a local wiki of either flavour; on Cloud its
    accounts are replaced by the accountIds the site gives them."""
    flavour = request.param
    with LocalWiki(flavour=flavour, v1_removed=flavour == "cloud") as wiki:
        wiki.store.create_user(OUTSIDER, "pw-outsider")
        text = EXAMPLE.read_text(encoding="utf-8")
        for name in sorted(set(re.findall(r"account: ([\w.]+)", text))):
            user = wiki.store.create_user(name, "pw-" + name)
            if flavour == "cloud":
                text = text.replace(f"account: {name}\n", f'account: "{user.account_id}"\n')
        config = tmp_path / "network.yaml"
        config.write_text(text, encoding="utf-8")
        user, secret = wiki.admin
        from confluence_sync.settings import Settings

        settings = Settings.from_env(
            {},
            url=wiki.url,
            flavour="cloud" if flavour == "cloud" else "datacenter",
            username=user,
            api_token=secret,
        )
        backend = open_backend(settings, policy=retry_policy())
        try:
            yield Network(wiki, flavour, config, backend)
        finally:
            backend.close()


def _own(grant: Grant, me: set[str]) -> bool:
    return grant.subject.casefold() in me


def test_example_network_spaces_grant_exactly_the_config(network: Network) -> None:
    wanted = network.wanted()
    result = sync_run(network.backend, wanted, network.options())
    assert not [r for r in result.results if r.status == "failed"]
    reader = network.backend.reader
    me = {a.casefold() for a in reader.self_identities()}
    for space in wanted.spaces:
        listed = frozenset(reader.list_grants(space.key))
        others = {g for g in listed if not _own(g, me)}
        # The config's grants and the sync account's own rights, nothing else: no default
        # group, no grant the site added.
        assert others == set(space.grants), space.key
        assert not any(g.subject == DEFAULT_GROUP for g in listed)
        # Nobody the config does not name can see the space or any of its pages.
        if network.cloud:
            found = requests.get(
                f"{network.wiki.url}/api/v2/spaces",
                params={"keys": space.key},
                auth=(OUTSIDER, "pw-outsider"),
                timeout=10,
            ).json()
            assert found["results"] == [], space.key
        else:
            assert network.outsider_get(f"rest/api/space/{space.key}") == 404, space.key
        for page in reader.list_pages(space.key):
            path = f"api/v2/pages/{page.id}" if network.cloud else f"rest/api/content/{page.id}"
            assert network.outsider_get(path) == 404, (space.key, page.title)
    # The second run lists nothing more and writes nothing.
    again = sync_run(network.backend, network.wanted(), network.options())
    assert again.writes == 0


def test_a_grant_added_by_hand_to_a_space_the_sync_created_is_revoked(site: Site) -> None:
    site.write_config(["2026-03-12"])
    site.sync()
    writer = site.backend().writer()
    extra = Grant("group", DEFAULT_GROUP, "read")
    writer.grant(GROUP, extra)
    # The next run that lists the space's grants (here: the group opens to every contact of
    # the network) revokes what nobody configured.
    path = site.write_config(["2026-03-12"])
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    topics:", "    visibility: network\n    topics:"))
    result = site.sync()
    revoked = [r for r in result.results if r.status == "revoked"]
    assert any(DEFAULT_GROUP in r.item for r in revoked), result.results
    assert extra not in site.backend().reader.list_grants(GROUP)


def test_an_adopted_space_reports_grants_the_sync_did_not_make(site: Site) -> None:
    # The working group's space existed before the sync, made the ordinary way: with the
    # site's default permissions for every licensed user.
    admin = site.backend()
    requests.post(
        f"{site.wiki.url}/rest/api/space",  # the v1 create both flavours serve
        json={"key": GROUP, "name": "Umweltperspektiven"},
        auth=site.wiki.admin,
        timeout=10,
    ).raise_for_status()
    defaults = {g for g in admin.reader.list_grants(GROUP) if g.subject == DEFAULT_GROUP}
    assert defaults  # the precondition: the site gave its defaults
    site.write_config(["2026-03-12"])
    first = site.sync()
    kept = [r for r in first.results if DEFAULT_GROUP in r.item and r.status == "skipped"]
    assert kept and "--revoke-extra-grants" in kept[0].reason
    assert defaults <= set(site.backend().reader.list_grants(GROUP))
    # Reported on every run, also when the grants are not listed again (from the index).
    site.journal.clear()
    second = site.sync()
    assert second.writes == 0
    assert [r for r in second.results if DEFAULT_GROUP in r.item and r.status == "skipped"]
    # Asked for explicitly, they go.
    third = site.sync(revoke_extra_grants=True)
    assert [r for r in third.results if DEFAULT_GROUP in r.item and r.status == "revoked"]
    assert not {g for g in site.backend().reader.list_grants(GROUP) if g.subject == DEFAULT_GROUP}
    fourth = site.sync()
    assert not [r for r in fourth.results if DEFAULT_GROUP in r.item]


def test_a_member_add_that_landed_unseen_is_recorded_and_removed_later(site: Site) -> None:
    """The add reached the wiki but its answer was lost (500 after the commit): the next run
    sees the member in the group and records them as the sync's, so dropping the contact
    from the config takes the access away again."""
    site.write_config()
    adds = "*/group/userByGroupId*" if site.cloud else "*/user/*/group/*"
    site.faults.add(f"commit-500:path={adds}:method=POST,PUT")
    first = site.sync()
    assert [r for r in first.results if r.status == "failed" and "member" in r.item]
    site.faults.clear()
    second = site.sync()
    assert [r for r in second.results if r.status == "recorded"]
    site.write_config(atlas=False)
    third = site.sync()
    assert not [r for r in third.results if r.status == "failed"]
    members = {u.id for u in site.backend().reader.list_group_members("puu-upx-members")}
    assert site.accounts["moeztuerk"] not in members
    contacts = {u.id for u in site.backend().reader.list_group_members("puu-contacts")}
    assert site.accounts["moeztuerk"] not in contacts
