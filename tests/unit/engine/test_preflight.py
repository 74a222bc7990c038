"""The pre-flight's account check on a plan: each account asked once, the missing ones named
together, or (skipping) their changes turned into notes and the rest left as planned."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from confluence_sync.checks.preflight import Preflight
from confluence_sync.errors import MissingAccountsError
from confluence_sync.plan.changes import AddGrant, AddMember, CreateSpace, Plan
from confluence_sync.plan.notes import Note
from confluence_sync.settings import Settings
from confluence_sync.wiki.values import Grant, UserInfo

from .fake import FakeWiki


@dataclass
class Site(FakeWiki):
    """The fake site without the accounts in ``missing``."""

    missing: set[str] = field(default_factory=set)

    whoami: tuple[str, ...] = ("sync-bot",)
    asked_whoami: int = 0

    def resolve_user(self, identifier: str) -> UserInfo | None:
        found = super().resolve_user(identifier)
        return None if identifier in self.missing else found

    def self_identities(self) -> tuple[str, ...]:
        self.asked_whoami += 1
        return self.whoami


PLAN = Plan(
    (
        CreateSpace("NET", name="Net"),
        AddGrant("NET", grant=Grant("user", "ghost-admin", "read")),
        AddGrant("NET", grant=Grant("user", "ghost-admin", "administer")),
        AddGrant("NET", grant=Grant("group", "net-members", "read")),
        AddMember("", group="net-members", account="ghost-member"),
        AddMember("", group="net-members", account="present"),
    )
)


def checks(*, skip: bool = False, accounts: bool = True) -> Preflight:
    settings = Settings.from_env({}, url="https://wiki.example.org", token="t")
    return Preflight(settings, check_accounts=accounts, skip_missing=skip)


def test_missing_accounts_are_named_together_and_each_asked_once() -> None:
    site = Site(missing={"ghost-admin", "ghost-member"})
    with pytest.raises(MissingAccountsError) as raised:
        checks().vet(site, PLAN)
    assert raised.value.accounts == ("ghost-admin", "ghost-member")
    assert raised.value.exit_code == 9
    assert str(raised.value).startswith(
        "2 accounts the config names are not on the site: ghost-admin, ghost-member"
    )
    assert site.counter.requests == 3  # ghost-admin, ghost-member, present: once each


def test_skipping_turns_their_changes_into_notes() -> None:
    site = Site(missing={"ghost-admin"})
    vetted = checks(skip=True).vet(site, PLAN)
    notes = [c for c in vetted.changes if isinstance(c, Note)]
    assert sorted(n.item for n in notes) == [
        "administer for user ghost-admin on NET",
        "read for user ghost-admin on NET",
    ]
    assert all(n.status == "skipped" and "ghost-admin" in n.reason for n in notes)
    assert len(vetted.writes) == len(PLAN.writes) - 2  # the rest stays as planned


def test_a_plan_naming_no_new_account_asks_nothing() -> None:
    site = Site(missing={"ghost"})
    plan = Plan((CreateSpace("NET", name="Net"),))
    assert checks().vet(site, plan) is plan
    assert site.counter.requests == 0
    assert checks(accounts=False).vet(site, PLAN) is PLAN  # the embedded wiki makes them


def test_the_credentials_are_read_once_and_only_when_the_plan_writes() -> None:
    site = Site()
    preflight = checks()  # Data Center with a token: it could pass as anonymous
    assert preflight.vet(site, Plan(())) == Plan(())
    assert site.asked_whoami == 0  # a no-op run pays nothing
    preflight.vet(site, PLAN)
    preflight.vet(site, PLAN)
    assert site.asked_whoami == 1


def test_basic_credentials_are_not_read_again_the_first_request_met_them() -> None:
    site = Site()
    settings = Settings.from_env(
        {}, url="https://x.atlassian.net/wiki", username="bot@example.org", api_token="t"
    )
    Preflight(settings, check_accounts=True, skip_missing=False).vet(site, PLAN)
    assert site.asked_whoami == 0
