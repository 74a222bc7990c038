"""Running one change, from whichever worker thread: a slot of the ``--workers`` bound, the
run lock renewed first, the result recorded, and the run stopped when it must be.

The applier decides what runs when (``apply.applier``); this is how each change runs and what
its outcome is. The run stops between changes for Ctrl-C, a lost lock, or a 401 (every later
request would meet it too); what was not started then is reported "skipped". A member's save
during our write of a page is a "conflict", like a planned one; every other domain error is
one "failed" item and the run goes on; anything else ends the run.

Imports: apply (lock, results), errors, plan (changes, digest, page_changes).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from confluence_sync.apply.lock import HeldLock, LockLostError
from confluence_sync.apply.results import ItemResult
from confluence_sync.errors import AuthenticationError, ConflictError, ConfluenceSyncError
from confluence_sync.plan.changes import Change
from confluence_sync.plan.digest import RefreshDigest
from confluence_sync.plan.page_changes import UpdatePage


class Runner:
    """The results of one run, its stop signal and its slots. ``progress`` is called once per
    finished item (from worker threads)."""

    def __init__(self, workers: int, progress: Callable[[ItemResult], None] | None = None) -> None:
        self.progress = progress
        self.results: list[ItemResult] = []
        self._lock = threading.Lock()
        # Set by Ctrl-C or a lost lock: workers stop between changes (the rest: "skipped").
        self.stop = threading.Event()
        self.held: HeldLock | None = None  # the run lock, renewed between changes
        self.lost: LockLostError | None = None
        # A 401 mid-run (a token revoked, a scoped token without a scope of this request): the
        # workers stop at their next change, the lock is released, the run ends with exit 8.
        self.refused: AuthenticationError | None = None
        # One slot per change under way, whichever thread sends it (spaces, groups, pages).
        self.slots = threading.BoundedSemaphore(max(1, workers))

    def record(self, change: Change, status: str, reason: str = "") -> None:
        self.report(ItemResult.of(change, status, reason))

    def report(self, result: ItemResult) -> None:
        with self._lock:
            self.results.append(result)
        if self.progress:
            self.progress(result)

    def stop_if_refused(self, error: ConfluenceSyncError) -> None:
        """A 401: every later request would meet it too; stop the workers (the rest: skipped)."""
        if isinstance(error, AuthenticationError):
            with self._lock:
                self.refused = self.refused or error
            self.stop.set()

    def _between(self, change: Change) -> bool:
        """Before each change: stop if asked to, and keep the run lock alive."""
        if not self.stop.is_set() and self.held is not None:
            try:
                self.held.renew_if_due()
            except LockLostError as error:
                self.lost = error
                self.stop.set()
        if self.stop.is_set():
            stopped_by = self.lost or self.refused
            why = stopped_by.message if stopped_by else "the run was interrupted"
            self.record(change, "skipped", f"not done: {why}")
            return False
        return True

    def run(self, change: Change, action: Callable[[], str | None]) -> bool:
        """Run ``action`` for ``change`` and record the outcome; False when it was not done."""
        with self.slots:
            if not self._between(change):
                return False
            try:
                reason = action()
            except ConflictError as error:
                # A page a member saved while we wrote it: kept, reported like a planned conflict.
                status = "conflict" if isinstance(change, UpdatePage | RefreshDigest) else "failed"
                self.record(change, status, str(error))
                return False
            except ConfluenceSyncError as error:
                self.record(change, "failed", str(error))
                self.stop_if_refused(error)
                return False
            except BaseException:
                # Anything else (a bug, an interrupt raised in a worker) ends the run: the
                # other workers stop at their next change, not once this one is noticed.
                self.stop.set()
                raise
        self.report(ItemResult.done(change, reason or ""))
        return True

    def run_together(self, changes: Sequence[Change], send: Callable[[], None]) -> bool:
        """One request (``send``) for several changes: each gets its outcome."""
        try:
            with self.slots:
                send()
        except ConfluenceSyncError as error:
            for change in changes:
                self.record(change, "failed", str(error))
            self.stop_if_refused(error)
            return False
        for change in changes:
            self.report(ItemResult.done(change))
        return True

    def guarded(self, placeholder: Change, write: Callable[[], object], after: str) -> None:
        """A write that is no plan item (a space's index): a failure is one failed item,
        ``after`` telling what comes of it, and the run goes on."""
        try:
            with self.slots:
                write()
        except ConfluenceSyncError as error:
            self.record(placeholder, "failed", f"{error} {after}")
            self.stop_if_refused(error)
