"""The sync account's own admin right is never revoked, even when neither the config nor the
options name it: the engine asks the server who it is (``GET /user/current``) once the plan
would revoke or remove something. On Cloud the grant names the accountId while Basic auth
names the e-mail; with a DC personal access token there is no user name at all."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pydantic import SecretStr

from confluence_sync.backends import open_backend
from confluence_sync.backends.contract import Backend
from confluence_sync.run import RunResult, load_wanted, sync_run
from confluence_sync.wiki.values import Grant

from .conftest import GROUP, HUB, Site, retry_policy


def sync_account(site: Site) -> str:
    """The admin's name in grants: Cloud accountId, DC username."""
    if not site.cloud:
        return "admin"
    user = site.wiki.store.user_by_email(site.wiki.admin[0])
    assert user is not None
    return str(user.account_id)


def backend_for(site: Site, auth: str) -> Backend:
    settings = site.settings()
    if auth == "pat":
        token = site.wiki.store.create_token("admin")
        settings = settings.model_copy(
            update={"username": None, "api_token": None, "token": SecretStr(token)}
        )
    backend = open_backend(settings, policy=retry_policy())
    site.backends.append(backend)
    return backend


def sync_as(site: Site, auth: str) -> RunResult:
    backend = backend_for(site, auth)
    options = replace(site.options(), self_accounts=())  # nobody told the engine who it is
    wanted = load_wanted(site.path, options)
    return sync_run(backend, wanted, options)


def own_grants(site: Site, space: str) -> set[Grant]:
    # DC's permission list names a user by userKey and display name only, and the DC reader
    # keeps the display name: accept that too.
    user = site.wiki.store.user_by_name("admin") if not site.cloud else None
    names = {sync_account(site), user.display_name if user else ""} - {""}
    grants = site.backend().reader.list_grants(space)
    return {g for g in grants if g.subject_type == "user" and g.subject in names}


@pytest.mark.parametrize("auth", ["basic", "pat"])
def test_the_sync_accounts_admin_grant_is_never_revoked(site: Site, auth: str) -> None:
    if auth == "pat" and site.cloud:
        pytest.skip("personal access tokens are a Data Center credential")
    me = sync_account(site)
    site.write_config()
    named = site.path.read_text(encoding="utf-8").replace(
        "  admins:\n", f'  admins:\n    - account: "{me}"\n', 1
    )
    site.path.write_text(named, encoding="utf-8")
    assert sync_as(site, auth).exit_code() == 0
    before = {space: own_grants(site, space) for space in (HUB, GROUP)}
    assert all(before.values())
    assert any(g.operation == "admin" for g in before[HUB]), before

    site.write_config()  # the config no longer names the sync account
    twice = [sync_as(site, auth), sync_as(site, auth)]
    assert all(r.exit_code() == 0 for r in twice)
    revoked = [r for run in twice for r in run.results if r.status == "revoked"]
    assert not [r for r in revoked if me in r.item], revoked
    assert {space: own_grants(site, space) for space in (HUB, GROUP)} == before
