"""The order a space's changes run in, and running a space's page creates in parallel.

A space's changes keep plan order, except that a run of consecutive page creates goes in
parallel (:func:`creates_together`, :func:`run_creates`): each create waits only for its
parent's (a group's 45 meetings are siblings under one meetings page), and the run of creates is
over before the next change starts, so archives, moves and the space's index still come after
the pages they need. (Grants are batched in ``apply/grants.py``.) The applier owns the threads
and the results; this module only decides what may run together.

May import: plan (the changes), the standard library.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, wait

from confluence_sync.plan.changes import Change
from confluence_sync.plan.page_changes import CreatePage


def creates_together(changes: list[Change]) -> list[Change | list[CreatePage]]:
    """A space's changes in plan order, each run of consecutive page creates as one list."""
    out: list[Change | list[CreatePage]] = []
    for change in changes:
        if isinstance(change, CreatePage):
            if out and isinstance(out[-1], list):
                out[-1].append(change)
            else:
                out.append([change])
        else:
            out.append(change)
    return out


def run_creates(
    pool: Executor | None, creates: list[CreatePage], create: Callable[[CreatePage], object]
) -> None:
    """Run ``creates`` (one space's, in plan order) on ``pool``, each once its parent's create
    (if it is one of them) is over, successful or not: a child of a failed parent then fails
    with that reason, as one after another. Returns once all are; a worker's unexpected error
    is raised here. Without a pool, or for one create: in this thread, in order.

    Creates are queued in plan order, where a parent comes before its children, and a pool
    starts its jobs in the order they were queued: by the time a worker takes a child, its
    parent's create has started, so a child never waits for a create that no worker runs."""
    if pool is None or len(creates) == 1:
        for change in creates:
            create(change)
        return
    jobs: dict[str, Future[None]] = {}
    for change in creates:
        before = jobs.get(change.parent) if change.parent is not None else None
        jobs[change.identity] = pool.submit(_after, before, create, change)
    join(list(jobs.values()))
    for job in jobs.values():
        job.result()


def _after(
    before: Future[None] | None, create: Callable[[CreatePage], object], change: CreatePage
) -> None:
    if before is not None:
        wait([before])
    create(change)


def join(jobs: Sequence[Future[None]]) -> None:
    """Wait until every job is done (cancelled or finished); a second Ctrl-C while waiting
    does not end the wait. Waits on the futures, not the threads: on Python < 3.13 an
    interrupted ``Thread.join`` marks a still running thread as stopped."""
    while True:
        try:
            # A job cancelled by ``shutdown(cancel_futures=True)`` never reaches a worker, so
            # ``wait`` would never see it finish: wait only for the ones that can.
            wait([job for job in jobs if not job.cancelled()])
            return
        except KeyboardInterrupt:
            continue
