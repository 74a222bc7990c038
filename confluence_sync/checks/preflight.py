"""The cheap part of ``doctor``, once per ``plan``/``sync`` run and before any write.

``connect``: once a plan has something to write, and only where a refused token could pass as
the anonymous user (Data Center, a Bearer token), one read of the sync account (``GET
…/user/current``, which the run caches and the planner reuses), so a site that cannot be used
stops the run as ``SiteError`` (exit 7) and refused credentials as ``CredentialsError`` (exit
8) instead of failing at the first write. Only when it fails does the full site diagnosis
run, to name the cause (a refused port, a wrong context path or flavour, an http/https
mismatch).

``vet``: once the plan is made, every account it would grant to or add to a group is looked up
once (the backend's ``resolve_user``; on Data Center that answer also fills the user-key cache
the grants use, so no lookup is made twice). Missing accounts stop the run with one
``MissingAccountsError`` naming them all (exit 9); with ``--skip-missing-accounts`` their
changes leave the plan and each becomes a "skipped" note the plan and report show. A plan that
grants to no new account asks nothing, and a plan with nothing to write asks nothing at all:
a no-op run costs no request more than before.

Imports: ``errors``, ``settings``, ``backends.contract``, ``plan`` (changes, notes) and
``checks`` (doctor, account).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from confluence_sync.backends.contract import WikiReader
from confluence_sync.errors import (
    EXIT_CREDENTIALS,
    AuthenticationError,
    CredentialsError,
    MissingAccountsError,
    PermissionDeniedError,
    SiteError,
    WikiError,
)
from confluence_sync.plan.changes import AddGrant, AddMember, Change, Plan
from confluence_sync.plan.notes import Note
from confluence_sync.settings import BearerAuth, Settings

from .account import TOKEN_HELP
from .doctor import check_site

SKIPPED = "account {account} is not on the site; skipped (--skip-missing-accounts)"


class Preflight:
    """The checks of one run. ``check_accounts``: False for the embedded wiki, which creates
    the config's accounts itself when it syncs."""

    def __init__(
        self, settings: Settings, *, check_accounts: bool, skip_missing: bool, workers: int = 1
    ) -> None:
        """``workers``: accounts looked up at once (the run's ``--workers``)."""
        self.settings = settings
        self.check_accounts = check_accounts
        self.skip_missing = skip_missing
        self.workers = max(1, workers)
        self._known: dict[str, bool] = {}  # account → exists, each asked once per run
        self._connected = False

    def connect(self, reader: WikiReader) -> None:
        """Raise SiteError or CredentialsError unless the site answers as Confluence and
        accepts the credentials."""
        # This is the run's first request: the transport names a site it cannot reach and a
        # refused login itself (backends/first_request.py, failures.py), once, with no
        # retries; what it leaves as a plain WikiError the doctor's checks diagnose.
        try:
            me = reader.self_identities()
        except (SiteError, CredentialsError):
            raise
        except AuthenticationError:
            raise CredentialsError(
                401,
                "credentials: the site refused the credentials (HTTP 401)",
                hint=f"{TOKEN_HELP[self.settings.resolved_flavour]}; nothing was written",
            ) from None
        except PermissionDeniedError:
            raise CredentialsError(
                403,
                "credentials: the account may not use Confluence (HTTP 403)",
                hint="give the sync account the 'Can use' global permission; nothing was written",
            ) from None
        except WikiError as error:
            raise self._diagnosed(error) from None
        if not me:  # answered, but as nobody: anonymous access let a wrong token through
            raise self._diagnosed(None)

    def _anonymous_possible(self) -> bool:
        """Whether a refused credential could pass unseen: on Data Center with anonymous
        access, a Bearer token that matches nobody runs as the anonymous user instead of
        getting 401 (CONFSERVER-98199; the local wiki does the same). Everywhere else the
        run's first request meets the 401 itself, so the extra read would buy nothing."""
        return self.settings.resolved_flavour == "datacenter" and isinstance(
            self.settings.auth(), BearerAuth
        )

    def _diagnosed(self, error: Exception | None) -> Exception:
        """The error naming why the site cannot be used, from the doctor's checks."""
        report = check_site(self.settings)
        first = report.first_failure
        if first is None:
            if error is not None:
                return error
            return CredentialsError(
                401, "the site answered as the anonymous user: the credentials were not accepted"
            )
        hint = _hint(first.todo)
        if first.exit_code == EXIT_CREDENTIALS:
            return CredentialsError(401, f"{first.name}: {first.found}", hint=hint)
        return SiteError(first.cause or "not-confluence", f"{first.name}: {first.found}", hint=hint)

    def vet(self, reader: WikiReader, plan: Plan) -> Plan:
        """The plan when every account it names exists; else MissingAccountsError, or
        (``skip_missing``) the plan without their changes and with a note for each."""
        if plan.empty:
            return plan  # nothing to write: a no-op run pays nothing for the checks
        if not self._connected and self._anonymous_possible():
            self.connect(reader)
        self._connected = True
        if not self.check_accounts:
            return plan
        named = {a for a in map(_account, plan.changes) if a}
        unknown = sorted(named - set(self._known))
        # In parallel, like the run's other requests: 61 accounts one after another were
        # 3 s of a 2,000-page first sync at 50 ms a request (bench/sync_bench.py).
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            found = list(pool.map(reader.resolve_user, unknown))
        self._known.update((a, user is not None) for a, user in zip(unknown, found, strict=True))
        missing = sorted(a for a in named if not self._known[a])
        if not missing:
            return plan
        if not self.skip_missing:
            count = len(missing)
            raise MissingAccountsError(
                tuple(missing),
                f"{count} account{'s' if count != 1 else ''} the config names "
                f"{'are' if count != 1 else 'is'} not on the site: {', '.join(missing)}",
                hint="create them on the site or correct them in the config; nothing was "
                "written (--skip-missing-accounts runs without their grants and memberships)",
            )
        kept: list[Change] = []
        for change in plan.changes:
            account = _account(change)
            if account in missing:
                kept.append(
                    Note(
                        change.space,
                        subject=change.item,
                        status="skipped",
                        text=SKIPPED.replace("{account}", account),
                    )
                )
            else:
                kept.append(change)
        return replace(plan, changes=tuple(kept))


def _hint(todo: str) -> str:
    return f"{todo}; nothing was written (`confluence-sync doctor` checks it all)"


def _account(change: Change) -> str:
    """The account a change grants to or adds to a group ('' for any other change)."""
    if isinstance(change, AddMember):
        return change.account
    if isinstance(change, AddGrant) and change.grant.subject_type == "user":
        return change.grant.subject
    return ""
