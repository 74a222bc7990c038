"""Cloud groups without ``GET /group/by-name``: it is deprecated (CHANGE-2520) and gone from
the v1 spec of late 2025, and a Cloud site that has removed it answers 410. The example
network syncs to a local Cloud site with its v1 removals on (``by-name`` answers 410 there):
the first sync, a no-op re-sync and membership changes find every group through the group
picker and never call a group route that names the group by its name."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from confluence_sync.backends import open_backend
from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.run import RunOptions, RunResult, load_wanted, sync_run
from confluence_sync.settings import Settings

from .conftest import retry_policy

EXAMPLE = Path(__file__).resolve().parents[3] / "config.example.yaml"
TODAY = dt.date(2026, 1, 15)
# Cloud's group routes that name a group by its name (all deprecated by CHANGE-2520).
BY_NAME = re.compile(r"/rest/api/group/(by-name|member|user|[^/]+/member)$")


@dataclass
class Network:
    wiki: LocalWiki
    config: Path
    text: str
    accounts: dict[str, str]

    def sync(self) -> RunResult:
        user, secret = self.wiki.admin
        settings = Settings.from_env(
            {}, url=self.wiki.url, flavour="cloud", username=user, api_token=secret
        )
        options = RunOptions(today=TODAY, workers=4, self_accounts=(self.wiki.admin[0],))
        backend = open_backend(settings, policy=retry_policy())
        try:
            self.wiki.app.clear()  # type: ignore[attr-defined]
            return sync_run(backend, load_wanted(self.config, options), options)
        finally:
            backend.close()

    def entries(self) -> list[dict[str, Any]]:
        return list(self.wiki.app.entries())  # type: ignore[attr-defined]

    def members(self, group: str) -> set[str]:
        store = self.wiki.store
        return {u.account_id for u in store.members(group)}

    def rewrite(self, old: str, new: str) -> None:
        assert old in self.text
        self.text = self.text.replace(old, new)
        self.config.write_text(self.text, encoding="utf-8")


@pytest.fixture
def network(tmp_path: Path) -> Iterator[Network]:
    """The example network against a local Cloud site whose v1 removals are on; its accounts
    become the accountIds the site gives them."""
    with LocalWiki(flavour="cloud", v1_removed=True) as wiki:
        text = EXAMPLE.read_text(encoding="utf-8")
        accounts: dict[str, str] = {}
        for name in [*sorted(set(re.findall(r"account: ([\w.]+)", text))), "ameissner"]:
            accounts[name] = wiki.store.create_user(name, "pw-" + name).account_id
            text = text.replace(f"account: {name}\n", f'account: "{accounts[name]}"\n')
        config = tmp_path / "network.yaml"
        config.write_text(text, encoding="utf-8")
        yield Network(wiki, config, text, accounts)


def _by_name(entries: list[dict[str, Any]]) -> list[str]:
    return [f"{e['method']} {e['path']}" for e in entries if BY_NAME.search(e["path"])]


def _groups(network: Network) -> set[str]:
    return {g.name for g in network.wiki.store.groups()}


def test_by_name_is_gone_on_this_site(network: Network) -> None:
    network.wiki.store.create_group("puu-kontakte")
    answer = requests.get(
        f"{network.wiki.url}/rest/api/group/by-name",
        params={"name": "puu-kontakte"},
        auth=network.wiki.admin,
        timeout=10,
    )
    assert answer.status_code == 410, answer.text
    assert "GoneException" in answer.text


def test_first_sync_no_op_and_membership_changes_never_name_a_group(network: Network) -> None:
    before = _groups(network)
    first = network.sync()
    assert not [r for r in first.results if r.status == "failed"]
    entries = network.entries()
    assert _by_name(entries) == []
    made = _groups(network) - before
    assert len(made) >= 2  # the network's contacts and its working groups' members
    # One picker request per group the config names (none exists yet), then its create.
    pickers = [e for e in entries if e["path"].endswith("/rest/api/group/picker")]
    creates = [e for e in entries if e["method"] == "POST" and e["path"].endswith("/group")]
    assert len(pickers) == len(made) == len(creates)
    grossmann = network.accounts["hpgrossmann"]
    holding = {g for g in made if grossmann in network.members(g)}
    assert holding  # a contact of an organisation is a member of its groups

    # A no-op: the hub index answers for the groups, so none is looked up at all.
    again = network.sync()
    assert again.writes == 0
    assert len(network.entries()) == 7
    assert not [e for e in network.entries() if "/rest/api/group" in e["path"]]

    # A contact loses their account, another gains one: removals and adds by group id.
    network.rewrite(f'        account: "{grossmann}"\n', "")
    network.rewrite(
        "        role: Arbeitssicherheit\n",
        f'        role: Arbeitssicherheit\n        account: "{network.accounts["ameissner"]}"\n',
    )
    changed = network.sync()
    assert not [r for r in changed.results if r.status == "failed"]
    entries = network.entries()
    assert _by_name(entries) == []
    assert not {g for g in made if grossmann in network.members(g)}
    assert {g for g in made if network.accounts["ameissner"] in network.members(g)}
    writes = [e for e in entries if e["method"] != "GET"]
    assert {e["path"].rsplit("/rest/api", 1)[-1] for e in writes if "group" in e["path"]} == {
        "/group/userByGroupId"
    }
    assert [e for e in writes if e["method"] == "DELETE"]  # the removal went out
    assert network.sync().writes == 0


def test_a_group_deleted_by_hand_is_found_missing_and_made_again(network: Network) -> None:
    assert network.sync().writes > 0
    group = sorted(_groups(network) - {"confluence-users", "confluence-administrators"})[0]
    members = network.members(group)
    network.wiki.store.delete_group(group)
    # The hub index still records the members, so nothing is looked up until the config
    # changes; a membership change brings the picker, which finds the group missing.
    network.rewrite(f'        account: "{network.accounts["hpgrossmann"]}"\n', "")
    result = network.sync()
    assert not [r for r in result.results if r.status == "failed"], result.results
    assert _by_name(network.entries()) == []
    assert group in _groups(network)
    assert network.members(group) <= members
