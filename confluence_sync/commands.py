"""The commands that open a site from the settings: ``plan`` and ``sync`` (:func:`execute`),
``calendar`` and ``unlock``; ``run_digest`` opens it the same way (:func:`connect`).

``run`` is the engine's run, handed a backend; here is the one place that decides which
backend: the site the settings name, or the embedded local wiki when they name none.

May import: errors, config, settings, wanted, backends, embedded, state, plan, apply, checks,
run.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from confluence_sync.apply import lock
from confluence_sync.apply.results import ItemResult
from confluence_sync.backends import open_backend
from confluence_sync.backends.contract import Backend
from confluence_sync.checks.preflight import Preflight
from confluence_sync.config import load_config
from confluence_sync.embedded import Embedded, embedded_wiki
from confluence_sync.errors import ConfluenceSyncError
from confluence_sync.plan.changes import Plan
from confluence_sync.run import RunOptions, RunResult, load_network, plan_run, sync_run
from confluence_sync.settings import Settings


@dataclass
class Connection:
    """An open site: its backend, the settings it was opened with (the embedded wiki's own
    when it runs one) and the embedded wiki, if any."""

    backend: Backend
    settings: Settings
    local: Embedded | None = None


@contextmanager
def connect(
    config_path: Path,
    settings: Settings,
    data_dir: Path | None = None,
    *,
    accounts: Sequence[str] = (),
) -> Iterator[Connection]:
    """The site ``settings`` name, or (``settings.embedded``) the local wiki for this config,
    started with ``accounts``; closed (and stopped) on leaving."""
    with ExitStack() as stack:
        local = None
        if settings.embedded:
            local = stack.enter_context(
                embedded_wiki(
                    config_path, data_dir, accounts=accounts, flavour=settings.resolved_flavour
                )
            )
            settings = local.settings
        backend = open_backend(settings)
        stack.callback(backend.close)
        yield Connection(backend, settings, local)


@dataclass
class Outcome:
    """A finished command: its result and, for the embedded wiki, where the data lives and
    whether it ran as Cloud (``serve`` must be told so)."""

    result: RunResult
    db_path: Path | None = None
    viewer_url: str = ""
    cloud: bool = False


def execute(
    config_path: Path,
    options: RunOptions,
    *,
    settings: Settings,
    data_dir: Path | None = None,
    dry_run: bool = False,
    progress: Callable[[ItemResult], None] | None = None,
    on_plan: Callable[[Plan], None] | None = None,
) -> Outcome:
    """One ``plan`` or ``sync`` command: validate the config first (nothing is started or sent
    for an invalid one), connect (the embedded local wiki when there is no URL), run."""

    config, target = load_network(config_path, options)
    if not settings.embedded and settings.url:
        # The calendar's page links start at the site's address; the embedded wiki has none
        # to give (a new port each run would change every link, and the file, every run).
        target = replace(target, site=settings.url.rstrip("/"))
    accounts = () if dry_run or not settings.embedded else config.accounts()
    with connect(config_path, settings, data_dir, accounts=accounts) as site:
        backend, local = site.backend, site.local
        me = tuple(a for a in (*options.self_accounts, site.settings.username) if a)
        run_options = RunOptions(
            **{**options.__dict__, "self_accounts": me, "max_wait": site.settings.max_wait}
        )
        # The pre-flight, once a plan has something to write and before it writes: the
        # credentials (as whom), then the plan's accounts (the embedded wiki creates the
        # config's accounts itself). A site that cannot be used at all is named by the run's
        # first request, whatever it is (backends/first_request.py).
        checks = Preflight(
            site.settings,
            check_accounts=local is None,
            skip_missing=options.skip_missing_accounts,
            workers=options.workers,
        )
        vet = functools.partial(checks.vet, backend.reader)
        if dry_run:
            result = plan_run(backend.reader, target, run_options, vet=vet)
        else:
            result = sync_run(
                backend, target, run_options, progress=progress, on_plan=on_plan, vet=vet
            )
        if local is None:
            return Outcome(result)
        return Outcome(result, local.db_path, local.viewer_url, local.flavour == "cloud")


def calendar(
    config_path: Path,
    today: dt.date | None,
    *,
    group: str | None = None,
    site: str = "",
    settings: Settings | None = None,
    data_dir: Path | None = None,
) -> bytes:
    """``confluence-sync calendar FILE``: the network's calendar file (or one group's, by its
    key). From the config alone (``settings`` None: every meeting at sequence 0, stamped
    ``today``, no cancellations); with ``settings`` each space's index is read (one request
    per space) so the file is the one the sync attaches, sequences and cancellations included."""
    from confluence_sync.plan.calendar import calendar_files
    from confluence_sync.state.ledger_store import read

    config, wanted = load_network(config_path, RunOptions(today=today))
    wanted = replace(wanted, site=site.rstrip("/"))
    keys = {g.key: f"{config.network.key}{g.key}" for g in config.working_groups}
    if group is not None and group not in keys:
        known = ", ".join(keys) or "none"
        raise ConfluenceSyncError(
            f"{config_path}: no working group {group!r}", hint=f"the groups' keys: {known}"
        )
    records: dict[str, Any] = {}
    if settings is not None:
        with connect(config_path, settings, data_dir) as opened:
            for key in keys.values():
                records[key] = read(opened.backend.reader, key).index.calendar
    files = calendar_files(wanted, records)
    return files[keys[group] if group is not None else config.network.key][0]


def unlock(config_path: Path, *, settings: Settings, data_dir: Path | None = None) -> str:
    """``confluence-sync unlock FILE``: remove the run lock a killed sync left on the hub."""

    hub_key = load_config(config_path).network.key
    with connect(config_path, settings, data_dir) as site:
        backend = site.backend
        return lock.break_lock(
            backend.reader, backend.writer(), hub_key, now=dt.datetime.now(dt.UTC)
        )
