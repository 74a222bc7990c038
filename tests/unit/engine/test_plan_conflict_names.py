"""Conflicts name the person who saved the page: on Cloud the accountId is looked up once per
account; when the lookup finds nobody or fails, the id stays. DC asks nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from confluence_sync.errors import PermissionDeniedError
from confluence_sync.plan.changes import Plan
from confluence_sync.plan.notes import EDITOR, Note, name_editors
from confluence_sync.run import RunOptions, plan_run
from confluence_sync.wiki.regions import replace_region
from confluence_sync.wiki.values import UserInfo

from .conftest import GROUP, network, sync
from .fake import FakeWiki

ACCOUNT = "5b10ac8d82e05b22cc7d4ef5"


def _conflict(identity: str, account: str) -> Note:
    text = f"region 'facts' edited by {EDITOR} (page version 3, we wrote 2); kept"
    return Note(GROUP, subject=f"page {identity}", status="conflict", text=text, editor=account)


def test_each_account_is_looked_up_once_and_named() -> None:
    asked: list[str] = []

    def resolve(account: str) -> UserInfo | None:
        asked.append(account)
        return UserInfo(account, "Erika Mustermann")

    plan = Plan((_conflict("a", ACCOUNT), _conflict("b", ACCOUNT)))
    named = name_editors(plan, resolve)
    assert asked == [ACCOUNT]
    texts = [c.reason for c in named.changes if isinstance(c, Note)]
    assert all("edited by Erika Mustermann (page version 3" in t for t in texts), texts
    assert not any(ACCOUNT in t for t in texts)


def test_the_id_stays_when_nobody_is_found_or_the_lookup_fails() -> None:
    def refused(account: str) -> UserInfo | None:
        raise PermissionDeniedError(f"user {account}", 403, "no browse-users permission")

    plan = Plan((_conflict("a", ACCOUNT),))
    for resolve in (refused, lambda account: None):
        kept = name_editors(plan, resolve)
        assert f"edited by {ACCOUNT} (page version" in kept.changes[0].reason


@pytest.mark.parametrize("cloud", [True, False])
def test_a_run_names_the_editor_on_cloud_only(cloud: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    wiki = FakeWiki(cloud=cloud)
    sync(wiki, network())
    home = wiki.page_by_title(GROUP, "Arbeitskreis")
    edited = replace_region(home.body, "facts", "<p>Von Hand</p>")
    wiki.member_edit(home.info.id, edited, editor=ACCOUNT)
    asked: list[str] = []

    def resolve(account: str) -> UserInfo | None:
        asked.append(account)
        return UserInfo(account, "Erika Mustermann")

    monkeypatch.setattr(wiki, "resolve_user", resolve)
    plan = plan_run(wiki, network(facts="Hamburg"), RunOptions(dt.date(2026, 1, 5))).plan
    conflict = next(c for c in plan.changes if isinstance(c, Note) and c.status == "conflict")
    if cloud:
        assert "edited by Erika Mustermann (page version" in conflict.reason and asked == [ACCOUNT]
    else:
        assert f"edited by {ACCOUNT} (page version" in conflict.reason and asked == []
