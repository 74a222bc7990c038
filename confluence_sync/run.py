"""One run of the engine on an open backend: config → wanted → observe → plan → (lock, apply)
→ result. Which backend, the site or the embedded wiki, is ``commands``' to decide.

``plan_run`` only reads: it is handed a ``WikiReader`` and nothing else, so a dry run cannot
write by construction. ``sync_run`` gets the whole backend; it takes the lock only when the
plan has something to write, so a re-sync with nothing to do sends reads only.

May import: errors, config, settings, wiki, wanted, backends, state, plan, apply, digest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from confluence_sync.apply import lock
from confluence_sync.apply.applier import Applier
from confluence_sync.apply.results import ItemResult
from confluence_sync.backends.contract import Backend, RequestCounter, WikiReader
from confluence_sync.config import load_config_on
from confluence_sync.errors import (
    EXIT_CREDENTIALS,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_UNSAFE,
    ConfluenceSyncError,
    UnsafePlanError,
)
from confluence_sync.plan.changes import CreateSpace, Plan, RemoveMember, RevokeGrant
from confluence_sync.plan.digest import RefreshDigest
from confluence_sync.plan.notes import KeptGrants, Note, name_editors
from confluence_sync.plan.page_changes import ArchivePage, PageChange
from confluence_sync.plan.planner import make_plan
from confluence_sync.settings import DEFAULT_MAX_WAIT
from confluence_sync.state.observe import WikiState, observe
from confluence_sync.wanted.build import build_wanted
from confluence_sync.wanted.model import Wanted

if TYPE_CHECKING:
    from confluence_sync.config.model import NetworkConfig
    from confluence_sync.digest.model import Digest


@dataclass(frozen=True)
class RunOptions:
    """What the admin asked for on the command line."""

    # None: today where the network meets (its time_zone), decided when the config is read.
    today: dt.date | None
    # Two separate decisions: overwrite member edits inside managed regions, and allow a
    # plan that archives/revokes more than the safety share (the CLI's --force sets both).
    overwrite_conflicts: bool = False
    allow_removals: bool = False
    adopt: bool = False
    workers: int = 8  # the CLI default; see cli.options.DEFAULT_WORKERS
    self_accounts: tuple[str, ...] = ()
    # Opt-in: skip reading a page whose version is unchanged since our last write. Confluence
    # adds no version for an inline comment, so such a comment's marker would be dropped.
    trust_versions: bool = False
    # Revoke, on spaces that existed before the sync, grants it did not make and the config
    # does not name (site defaults, hand-made grants); reported and kept otherwise.
    revoke_extra_grants: bool = False
    # Go on when accounts the plan grants to are not on the site: their changes are skipped
    # and reported (without it the run stops before any write, exit 9).
    skip_missing_accounts: bool = False
    # The longest one request waits for a rate limit (``--max-wait``; the backend's policy
    # has the same): the run lock promises a renewal within it (``apply/lock_state.py``).
    max_wait: float = DEFAULT_MAX_WAIT
    # ``digest --publish``: write the hub's digest page now, showing meetings from this day
    # ("": all); ``only_digest``: and nothing else of the plan (the command is not a sync).
    publish_digest: str | None = None
    only_digest: bool = False


# Looks at the plan before anything is written (the pre-flight's account check): the plan
# to go on with, or an error that stops the run.
Vet = Callable[[Plan], Plan]


@dataclass
class RunResult:
    """A plan, what became of each item, and what it cost."""

    plan: Plan
    results: list[ItemResult] = field(default_factory=list)
    requests: int = 0
    writes: int = 0
    by_method: dict[str, int] = field(default_factory=dict)
    refused: str = ""  # why the run stopped before writing (unsafe plan, lock)
    notes: list[str] = field(default_factory=list)
    applied: bool = False
    # Why the run stopped while writing because the site refused the credentials (a 401: a
    # token revoked, a scoped token without a scope; the message names it): exit 8.
    credentials: str = ""
    # the digest a refresh of the hub's digest page assembled (``apply.digest``), if one ran
    digest: Digest | None = None

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for result in self.results:
            counts[result.status] = counts.get(result.status, 0) + 1
        return dict(sorted(counts.items()))

    def exit_code(self, *, strict: bool = False) -> int:
        if self.refused:
            return EXIT_UNSAFE
        if self.credentials:
            return EXIT_CREDENTIALS
        statuses = {r.status for r in self.results}
        if "failed" in statuses or (strict and statuses & {"conflict", "blocked"}):
            return EXIT_PARTIAL
        return EXIT_OK

    def to_json(self) -> dict[str, Any]:
        return {
            "status": "refused" if self.refused else ("applied" if self.applied else "planned"),
            "reason": self.refused,
            "notes": list(self.notes),
            "checksum": self.plan.checksum,
            "items": [r.to_json() for r in self.results],
            "summary": {
                **self.counts(),
                "requests": self.requests,
                "writes": self.writes,
                "requests_by_method": dict(sorted(self.by_method.items())),
            },
        }


def load_wanted(config_path: Path, options: RunOptions) -> Wanted:
    """Load and validate the config (ConfigError before any request) and build the wanted wiki."""
    return load_network(config_path, options)[1]


def load_network(config_path: Path, options: RunOptions) -> tuple[NetworkConfig, Wanted]:
    """The validated config and the wanted wiki built from it."""
    config, day = load_config_on(config_path, options.today)
    folder = template_dir(config_path, config)
    return config, build_wanted(config, today=day, template_dir=folder)


def template_dir(config_path: Path, config: NetworkConfig) -> Path | None:
    """The page-template folder: the config's ``network.templates`` (relative to the config
    file), else None (the built-in ones)."""
    if config.network.templates is None:
        return None
    folder = (config_path.parent / config.network.templates).resolve()
    if not folder.is_dir():
        raise ConfluenceSyncError(
            f"{config_path}: network.templates: no folder {folder}",
            hint="the path is relative to the config file; create the folder or drop the field",
        )
    return folder


def _on_flavour(target: Wanted, reader: WikiReader) -> Wanted:
    """The wanted wiki as this flavour can hold it (no template API: the stand-in pages)."""
    return target if reader.capabilities.supports_templates else target.without_template_api()


def _unchanged(wanted: Wanted, plan: Plan) -> list[ItemResult]:
    """Pages the plan leaves alone, so the report names every wanted page."""
    touched = {(c.space, c.identity) for c in plan.changes if isinstance(c, PageChange)}
    touched |= {(c.space, c.identity) for c in plan.changes if isinstance(c, Note)}
    return [
        ItemResult(space.key, f"page {page.identity}", "page", "unchanged", "", title=page.title)
        for space in wanted.spaces
        for page in space.pages
        if (space.key, page.identity) not in touched
    ]


def _planned(plan: Plan) -> list[ItemResult]:
    return [ItemResult.of(c, c.status if isinstance(c, Note) else "planned") for c in plan.changes]


def _count(result: RunResult, counter: RequestCounter, start: dict[str, int]) -> None:
    result.by_method = counter.since(start)
    result.requests = sum(result.by_method.values())
    result.writes = counter.writes_in(result.by_method)


def _observe_and_plan(
    reader: WikiReader, target: Wanted, options: RunOptions
) -> tuple[Wanted, WikiState, Plan, dict[str, int]]:
    """The first half of every run: the wanted wiki as this flavour holds it, what the wiki
    holds now, the plan, and the request counts before it all (to count the run's own)."""
    wanted = _on_flavour(target, reader)
    start = reader.counter.by_method()
    state = observe(
        reader,
        wanted,
        adopt=options.adopt,
        workers=options.workers,
        trust_versions=options.trust_versions,
    )
    return wanted, state, _named(_plan(wanted, state, options, reader), reader), start


def plan_run(
    reader: WikiReader, target: Wanted, options: RunOptions, *, vet: Vet | None = None
) -> RunResult:
    """Observe and plan; never writes (it has no writer to write with)."""
    wanted, _state, plan, start = _observe_and_plan(reader, target, options)
    plan = vet(plan) if vet else plan
    result = RunResult(plan, _planned(plan) + _unchanged(wanted, plan))
    try:
        plan.raise_if_unsafe(allow_removals=options.allow_removals)
    except UnsafePlanError as error:  # shown, not raised, for `plan`
        result.refused = str(error)
    _count(result, reader.counter, start)
    return result


def _plan(wanted: Wanted, state: WikiState, options: RunOptions, reader: WikiReader) -> Plan:
    """The plan, with every identity of the sync account where it matters.

    Those decide only revokes, member removals, blocked home pages and whose words an
    archived page holds; a plan with none of them is final. Otherwise the server is asked
    who we are (one GET, once per run, so a no-op run stays within its request budget) and
    the plan made again with the answer."""

    def planned(me: tuple[str, ...]) -> Plan:
        return make_plan(
            wanted,
            state,
            adopt=options.adopt,
            overwrite_conflicts=options.overwrite_conflicts,
            self_accounts=me,
            revoke_extra=options.revoke_extra_grants,
            publish_digest=options.publish_digest,
        )

    plan = planned(options.self_accounts)
    if options.only_digest:  # `digest --publish`: the refresh, nothing else of the sync
        return Plan(tuple(c for c in plan.changes if isinstance(c, RefreshDigest)))
    if not any(
        isinstance(c, RevokeGrant | RemoveMember | KeptGrants)
        or (isinstance(c, Note) and c.status == "blocked")
        or (isinstance(c, ArchivePage) and c.writers)
        for c in plan.changes
    ):
        return plan
    me = tuple(a for a in (*options.self_accounts, *reader.self_identities()) if a)
    return plan if set(me) == set(options.self_accounts) else planned(me)


def _named(plan: Plan, reader: WikiReader) -> Plan:
    """On Cloud a conflict would say "edited by 5b10ac…": look the person up (once per
    account). DC usernames are readable already, and cost no request this way."""
    if reader.capabilities.flavour != "cloud":
        return plan

    return name_editors(plan, reader.resolve_user)


def sync_run(
    backend: Backend,
    target: Wanted,
    options: RunOptions,
    *,
    progress: Callable[[ItemResult], None] | None = None,
    on_plan: Callable[[Plan], None] | None = None,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    lock_ttl: dt.timedelta | None = None,
    vet: Vet | None = None,
) -> RunResult:
    """Observe, plan, refuse if unsafe, then lock, apply and release.

    The lock (``lock_ttl``, default ``lock.DEFAULT_TTL``) is renewed between changes; the
    release waits for every worker and never overwrites a lock another run took meanwhile
    (``LockLostError`` instead)."""

    ttl = lock_ttl or lock.DEFAULT_TTL
    reader = backend.reader
    wanted, state, plan, start = _observe_and_plan(reader, target, options)
    plan = vet(plan) if vet else plan  # before the lock, the hub's creation, any write
    result = RunResult(plan)
    if on_plan:
        on_plan(plan)
    try:
        plan.raise_if_unsafe(allow_removals=options.allow_removals)
    except UnsafePlanError as error:
        result.refused = str(error)
        result.results = _planned(plan)
        _count(result, reader.counter, start)
        return result
    if plan.empty:
        result.results = _planned(plan) + _unchanged(wanted, plan)
        _count(result, reader.counter, start)
        return result
    hub = state.spaces[wanted.hub_key]
    stale = lock.check(hub, now())  # before any write, even the hub's creation
    if stale:
        result.notes.append(stale)
    writer = backend.writer()
    applier = Applier(
        wanted,
        state,
        reader,
        writer,
        workers=options.workers,
        progress=progress,
        overwrite_conflicts=options.overwrite_conflicts,
    )
    first: list[CreateSpace] = [
        c for c in plan.changes if isinstance(c, CreateSpace) and c.space == wanted.hub_key
    ]
    rest = Plan(tuple(c for c in plan.changes if c not in first), plan.managed_pages)
    for change in first:
        if not applier.create_space(change, rest.changes):  # with the grants it can carry
            result.results = applier.results + _planned(rest)
            result.credentials = applier.refused.message if applier.refused else ""
            _count(result, reader.counter, start)
            return result
    others = [space.key for space in wanted.spaces]
    created = [c.space for c in plan.changes if isinstance(c, CreateSpace)]
    held = lock.acquire(
        reader,
        writer,
        hub,
        now=now(),
        spaces=others,
        created=created,
        ttl=ttl,
        clock=now,
        max_wait=options.max_wait,
    )
    applier.hold(held)
    result.applied = True
    try:
        applier.run(rest)  # returns (or raises) only once every worker has finished
        result.digest = applier.digest.last
    finally:
        result.results = applier.results + _unchanged(wanted, plan)
        _count(result, reader.counter, start)
        if applier.lost is not None:
            raise applier.lost  # another run holds the lock now: leave it alone
        applier.release(held)  # the hub's index, lock released (a failure: a failed item)
        result.results = applier.results + _unchanged(wanted, plan)
        if applier.refused is not None:  # a 401 stopped the workers: exit 8, its words
            result.credentials = str(applier.refused)
        _count(result, reader.counter, start)
    return result
